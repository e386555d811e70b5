"""Master data: duplicate-organization detection and the audited merge that re-points everything."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from codi.communities.models import Membership, Organization
from codi.core.models import AuditEntry
from codi.feedback.models import Ticket
from codi.governance import services
from codi.governance.masterdata import OrgRecord, find_duplicates, name_core, name_similarity
from codi.governance.models import DuplicateDismissal, OrganizationMerge
from codi.governance.selectors import duplicate_candidates
from tests.governance.conftest import make_membership, make_org, make_person, valid_id

pytestmark = pytest.mark.django_db


def test_name_core_takes_off_generic_words_and_keeps_the_kind():
    assert name_core("กลุ่มออมทรัพย์เพื่อการผลิต บ้านโนนทอง") == ("บ้านโนนทอง", "savings_group")
    assert name_core("  ชุมชน บ้าน โนนทอง ") == ("บ้านโนนทอง", "")
    assert name_core("สหกรณ์เคหสถานบ้านมั่นคงชุมชนริมคลอง จำกัด") == ("ริมคลอง", "housing_coop")
    assert name_core("กลุ่ม") == ("กลุ่ม", "")  # a name that is only a generic word stays as it is
    assert name_core("ชุมชน๑๒") == ("12", "")


def test_similar_names_with_spacing_and_prefix_differences_are_one_organization():
    assert name_similarity("ชุมชนบ้านหนองแวง", "กลุ่ม บ้านหนองแวง") == 1.0
    assert name_similarity("องค์กรชุมชนบ้านหนองแวงใต้", "บ้านหนองแวงได้") > 0.85
    assert name_similarity("บ้านหนองแวง", "บ้านโนนทอง") < 0.85


@given(st.text(min_size=0, max_size=30), st.text(min_size=0, max_size=30))
@example("0010", "1120")  # greedy matching gave 0.25 one way and 0.5 the other
def test_name_similarity_is_symmetric_and_bounded(a, b):
    assert name_similarity(a, b) == name_similarity(b, a)
    assert 0.0 <= name_similarity(a, b) <= 1.0


def test_detection_finds_same_registration_and_similar_names_in_one_subdistrict_only():
    # given
    records = [
        OrgRecord(1, "ชุมชนบ้านหนองแวง", "400104", "community_org", ""),
        OrgRecord(2, "กลุ่มบ้านหนองแวง", "400104", "community_org", ""),
        OrgRecord(3, "ชุมชนบ้านหนองแวง", "400101", "community_org", ""),  # another subdistrict
        OrgRecord(4, "กลุ่มออมทรัพย์บ้านโนน", "400104", "savings_group", "KK-01"),
        OrgRecord(5, "กองทุนสวัสดิการชุมชนบ้านโนน", "400104", "welfare_fund", ""),  # other kind
        OrgRecord(6, "สหกรณ์อื่น", "100101", "housing_coop", "kk 01"),  # same number, spaced
    ]
    # when
    pairs = find_duplicates(records)
    # then
    assert [(p.first.id, p.second.id, p.reasons) for p in pairs] == [
        (1, 2, ["similar_name:1.00"]),
        (4, 6, ["registration_no:KK01"]),
    ]


def test_dismissed_pairs_are_not_listed_again(steward):
    # given
    a = make_org("ชุมชนบ้านหนองแวง")
    b = make_org("กลุ่มบ้านหนองแวง")
    assert [p.key for p in duplicate_candidates(actor=steward)] == [(a.pk, b.pk)]
    # when
    services.duplicate_dismiss(actor=steward, first_id=b.pk, second_id=a.pk, note="คนละกลุ่ม")
    # then
    assert duplicate_candidates(actor=steward) == []
    assert DuplicateDismissal.objects.get().first_id == a.pk


def test_duplicates_are_listed_only_in_the_stewards_areas(matrix):
    # given
    make_org("ชุมชนบ้านหนองแวง")
    make_org("กลุ่มบ้านหนองแวง")
    bangkok_dpo = matrix.user("data_protection_officer", "province", "10")
    khon_kaen_dpo = matrix.user("data_protection_officer", "province", "40")
    # then
    assert duplicate_candidates(actor=bangkok_dpo) == []
    assert len(duplicate_candidates(actor=khon_kaen_dpo)) == 1


def test_merge_repoints_every_reference_keeps_one_membership_fills_blanks_and_is_audited(steward):
    # given two records of one organization, a person member of both, another member, a ticket,
    # and a network member of the duplicate
    survivor = make_org("ชุมชนบ้านหนองแวง")
    duplicate = make_org(
        "กลุ่มบ้านหนองแวง", registration_no="KK-77", email="nongwaeng@example.org", phone="0812345678"
    )
    child = make_org("ชุมชนลูกข่าย", parent_network=duplicate)
    both = make_person(valid_id("110170012345"))
    only_dup = make_person(valid_id("110170012346"), first="สมหญิง")
    kept = make_membership(both, survivor, role="member")
    make_membership(both, duplicate, role="leader")
    moved = make_membership(only_dup, duplicate)
    ticket = Ticket.objects.create(token_hash="x" * 64, channel="web", text="ถนนพัง", organization=duplicate)
    audit_before = AuditEntry.objects.count()
    # when
    merge = services.organization_merge(
        actor=steward, survivor_id=survivor.pk, duplicate_id=duplicate.pk, reason="ซ้ำ"
    )
    # then the duplicate is gone and everything points at the survivor
    assert not Organization.objects.filter(pk=duplicate.pk).exists()
    assert sorted(Membership.objects.filter(organization=survivor).values_list("pk", flat=True)) == sorted(
        [kept.pk, moved.pk]
    )
    ticket.refresh_from_db()
    child.refresh_from_db()
    assert ticket.organization_id == survivor.pk
    assert child.parent_network_id == survivor.pk
    # the survivor's empty fields were filled from the duplicate
    survivor.refresh_from_db()
    assert (survivor.registration_no, survivor.email, survivor.phone) == (
        "KK-77",
        "nongwaeng@example.org",
        "0812345678",
    )
    # the merge record says what moved and what was dropped (personal fields masked)
    assert merge.moved == {
        "communities.Membership.organization": 1,
        "communities.Organization.parent_network": 1,
        "feedback.Ticket.organization": 1,
    }
    assert [row["role"] for row in merge.dropped["communities.Membership.organization"]] == ["***"]
    assert merge.merged_snapshot["phone"] == "***"
    assert merge.merged_snapshot["name_th"] == "กลุ่มบ้านหนองแวง"
    # audited: the merge on the survivor and the removal of the duplicate
    entries = list(AuditEntry.objects.order_by("id")[audit_before:])
    assert [(e.action, e.object_id) for e in entries] == [
        ("governance.organization.merge", str(survivor.pk)),
        ("communities.organization.delete", str(duplicate.pk)),
    ]
    assert entries[0].changes["phone"] != ["", "0812345678"]  # personal value masked in the log


def test_merge_moves_a_survivor_out_of_its_own_network(steward):
    # given the survivor was a member of the duplicate network
    duplicate = make_org("เครือข่ายบ้านหนองแวง", org_type="network")
    survivor = make_org("เครือข่ายบ้านหนองแวง", org_type="network", parent_network=duplicate)
    # when
    services.organization_merge(actor=steward, survivor_id=survivor.pk, duplicate_id=duplicate.pk)
    # then
    survivor.refresh_from_db()
    assert survivor.parent_network_id is None


def test_merge_follows_a_reference_added_by_any_app(steward):
    # given a governance merge record pointing at the organization that is merged away
    first = make_org("ชุมชนหนึ่ง")
    second = make_org("ชุมชนสอง")
    third = make_org("ชุมชนสาม")
    services.organization_merge(actor=steward, survivor_id=second.pk, duplicate_id=first.pk)
    # when second is itself merged into third
    services.organization_merge(actor=steward, survivor_id=third.pk, duplicate_id=second.pk)
    # then the earlier merge record follows to third
    assert list(OrganizationMerge.objects.values_list("survivor_id", flat=True)) == [third.pk, third.pk]


def test_merge_refuses_itself_wrong_roles_and_other_areas(matrix, steward):
    a = make_org("ชุมชนก")
    b = make_org("ชุมชนข")
    with pytest.raises(ValidationError):
        services.organization_merge(actor=steward, survivor_id=a.pk, duplicate_id=a.pk)
    with pytest.raises(PermissionDenied):
        services.organization_merge(
            actor=matrix.user("executive", "country"), survivor_id=a.pk, duplicate_id=b.pk
        )
    with pytest.raises(PermissionDenied):
        services.organization_merge(
            actor=matrix.user("data_protection_officer", "province", "10"),
            survivor_id=a.pk,
            duplicate_id=b.pk,
        )
    with pytest.raises(Organization.DoesNotExist):
        services.organization_merge(actor=steward, survivor_id=a.pk, duplicate_id=999_999)
    assert Organization.objects.filter(pk__in=[a.pk, b.pk]).count() == 2


def test_detection_is_cached_until_an_organization_changes(steward, django_assert_max_num_queries):
    # given
    a = make_org("ชุมชนบ้านหนองแวง")
    make_org("กลุ่มบ้านหนองแวง")
    assert len(duplicate_candidates(actor=steward)) == 1
    # when nothing changed: no organization rows are read again
    with django_assert_max_num_queries(3):
        assert len(duplicate_candidates(actor=steward)) == 1
    # when an organization is renamed, the list follows at once
    a.name_th = "ชุมชนบ้านโนนทอง"
    a.save()
    assert duplicate_candidates(actor=steward) == []
