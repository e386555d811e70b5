"""Organizations, persons and memberships: services, selectors, encryption, history, search, area counts."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import FieldError, PermissionDenied, ValidationError
from django.db import IntegrityError, connection
from hypothesis import given
from hypothesis import strategies as st
from stdnum.th import pin

from codi.areas.registry import AreaRef, indicator, panels
from codi.communities import crypto, selectors, services
from codi.communities.models import LocationFlag, Membership, Organization, OrgType, Person
from codi.communities.validation import (
    FieldProblem,
    clean_birth_year,
    clean_date,
    clean_national_id,
    clean_phone,
    mask_national_id,
)
from codi.core.models import AuditEntry
from tests.factories import OrganizationFactory
from tests.permissions import Matrix

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def valid_id(body: str = "310060044563") -> str:
    return body + pin.calc_check_digit(body)


def _person(actor, *, national_id: str | None = None, subdistrict: str = "400104", **extra) -> Person:
    return services.person_create(
        actor=actor,
        national_id=national_id or valid_id(),
        first_name_th="สมศรี",
        last_name_th="ใจดี",
        subdistrict_code=subdistrict,
        phone="0812345678",
        address="12 หมู่ 3 บ้านเป็ด",
        birth_year="2510",
        **extra,
    )


# --- national IDs, years, phones, dates -------------------------------------------------------------


@given(st.from_regex(r"[1-8][0-9]{11}", fullmatch=True))
def test_every_id_with_its_check_digit_is_valid_and_no_other_digit_is(body):
    good = body + pin.calc_check_digit(body)
    assert clean_national_id(good) == good
    assert clean_national_id(f"{good[0]}-{good[1:5]}-{good[5:10]}-{good[10:12]}-{good[12]}") == good
    for digit in "0123456789":
        if digit != good[-1]:
            with pytest.raises(FieldProblem) as problem:
                clean_national_id(body + digit)
            assert problem.value.th == "เลขตรวจสอบไม่ถูกต้อง"


def test_national_id_is_masked_for_screens():
    assert mask_national_id("1234567890121") == "1-2345-xxxxx-xx-1"


@pytest.mark.parametrize(
    ("raw", "year"), [("2510", 1967), (1967, 1967), ("2567", 2024), ("", None), (2510.0, 1967)]
)
def test_birth_year_accepts_the_buddhist_era(raw, year):
    assert clean_birth_year(raw) == year


@pytest.mark.parametrize("raw", ["2700", "1800", "สองพัน"])
def test_impossible_birth_years_are_refused(raw):
    with pytest.raises(FieldProblem):
        clean_birth_year(raw)


@pytest.mark.parametrize(
    ("raw", "phone"),
    [
        ("081-234-5678", "0812345678"),
        ("+66 81 234 5678", "0812345678"),
        (812345678, "0812345678"),
        ("02 123 4567", "021234567"),
    ],
)
def test_phone_numbers_are_normalised(raw, phone):
    assert clean_phone(raw) == phone


@pytest.mark.parametrize(
    ("raw", "iso"), [("1/5/2567", "2024-05-01"), ("2024-05-01", "2024-05-01"), ("01.05.2024", "2024-05-01")]
)
def test_dates_accept_thai_and_iso_forms(raw, iso):
    assert clean_date(raw).isoformat() == iso


# --- encryption at rest ------------------------------------------------------------------------------


def test_encryption_round_trip_and_key_rotation(settings):
    from cryptography.fernet import Fernet

    old = settings.FIELD_ENCRYPTION_KEY
    token = crypto.encrypt_text("0812345678")
    assert token != crypto.encrypt_text("0812345678")  # random IV: equal values do not look equal
    settings.FIELD_ENCRYPTION_KEY = (
        f"{Fernet.generate_key().decode()},{old}"  # new key first, old still reads
    )
    assert crypto.decrypt_text(token) == "0812345678"
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(token)


def test_blind_index_is_keyed(settings):
    first = crypto.blind_index("1234567890121")
    assert first == crypto.blind_index("1234567890121") and len(first) == 64
    settings.BLIND_INDEX_KEY = "ab" * 32
    assert crypto.blind_index("1234567890121") != first


def test_person_is_encrypted_at_rest_and_unique_by_national_id(officer):
    person = _person(officer)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT national_id, phone, address FROM communities_person WHERE id = %s", [person.pk]
        )
        stored = cursor.fetchone()
    assert all(value.startswith("gAAAA") for value in stored)
    assert valid_id() not in "".join(stored)
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.national_id, fresh.phone, fresh.birth_year) == (valid_id(), "0812345678", 1967)
    assert fresh.national_id_masked == "3-1006-xxxxx-xx-5"
    with pytest.raises(ValidationError) as error:
        _person(officer)
    assert "มีบุคคลนี้ในทะเบียนแล้ว" in str(error.value)
    with pytest.raises(IntegrityError):
        Person.objects.create(
            national_id=valid_id(), national_id_index=person.national_id_index, first_name_th="x",
            last_name_th="y", subdistrict_id="400104",
        )  # fmt: skip


def test_encrypted_fields_cannot_be_filtered():
    with pytest.raises(FieldError):
        list(Person.objects.filter(phone="0812345678"))


def test_person_create_refuses_a_wrong_check_digit_and_audits_masked(officer):
    with pytest.raises(ValidationError) as error:
        _person(officer, national_id="3100600445631")
    assert error.value.message_dict["national_id"] == ["เลขตรวจสอบไม่ถูกต้อง / The check digit is wrong"]
    person = _person(officer)
    entry = AuditEntry.objects.get(action="communities.person_create", object_id=str(person.pk))
    assert entry.changes["national_id"] == "•••" and entry.changes["first_name_th"] == "•••"
    assert valid_id() not in str(entry.changes)


# --- unmasked views are audited ------------------------------------------------------------------------


def test_viewing_an_unmasked_national_id_creates_an_audit_entry(officer):
    person = _person(officer)
    before = AuditEntry.objects.filter(action="personal_data.view").count()
    data = selectors.person_personal_data(actor=officer, person=person)
    assert data is not None and data.national_id == "3-1006-00445-63-5"
    entry = AuditEntry.objects.filter(action="personal_data.view").last()
    assert AuditEntry.objects.filter(action="personal_data.view").count() == before + 1
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        officer.pk,
        "communities.person",
        str(person.pk),
    )
    assert entry.changes == {"fields": ["address", "national_id", "phone"]}


def test_roles_without_personal_data_permission_never_see_it_unmasked(officer):
    person = _person(officer)
    director = Matrix().user("regional_director", "region", "northeast")  # manages orgs, no personal data
    assert selectors.person_get(actor=director, person_id=person.pk) is not None  # masked list: yes
    assert selectors.person_personal_data(actor=director, person=person) is None
    assert not AuditEntry.objects.filter(action="personal_data.view").exists()


def test_out_of_scope_officer_cannot_see_another_regions_members(officer):
    person = _person(officer)
    bangkok_officer = Matrix().user("project_officer", "province", "10")
    assert selectors.person_get(actor=bangkok_officer, person_id=person.pk) is None
    assert list(selectors.person_list(actor=bangkok_officer)) == []
    for role in ("executive", "finance_officer", "partner_agency", "community_leader"):
        assert list(selectors.person_list(actor=Matrix().user(role, "country"))) == []


def test_members_of_an_organization_are_visible_where_the_organization_is(officer):
    country_officer = Matrix().user("project_officer", "country")
    person = _person(country_officer, subdistrict="100101")  # lives in Bangkok
    org = OrganizationFactory(subdistrict_id="400104")
    services.membership_add(actor=officer, person=person, organization=org, role="committee")
    assert (
        selectors.person_get(actor=officer, person_id=person.pk) == person
    )  # via the Khon Kaen organization
    assert [m.person_id for m in selectors.membership_list(actor=officer, organization=org)] == [person.pk]


# --- organizations: writes, history, location ----------------------------------------------------------


def test_organization_update_records_changed_fields_and_history(officer):
    org = services.organization_create(
        actor=officer, name_th="กลุ่มทอผ้า", org_type="enterprise", subdistrict_code="400104", phone="0811111111"
    )
    services.organization_update(
        actor=officer,
        organization=org,
        changes={"name_th": "กลุ่มทอผ้าบ้านเป็ด", "phone": "0822222222", "status": "inactive", "email": ""},
    )
    history = list(selectors.organization_history(actor=officer, organization=org))
    assert [e.action for e in history] == [
        "communities.organization_update",
        "communities.organization_create",
    ]
    assert history[0].changes == {
        "name_th": ["กลุ่มทอผ้า", "กลุ่มทอผ้าบ้านเป็ด"],
        "phone": "•••",
        "status": ["active", "inactive"],
    }
    assert "บ้าน" in Organization.objects.get(pk=org.pk).name_search
    outsider = Matrix().user("project_officer", "province", "10")
    assert list(selectors.organization_history(actor=outsider, organization=org)) == []
    with pytest.raises(PermissionDenied):
        services.organization_update(actor=outsider, organization=org, changes={"name_th": "x"})


def test_unchanged_update_writes_no_audit_entry(officer):
    org = services.organization_create(
        actor=officer, name_th="กลุ่ม", org_type="other", subdistrict_code="400104"
    )
    count = AuditEntry.objects.count()
    services.organization_update(actor=officer, organization=org, changes={"name_th": "กลุ่ม"})
    assert AuditEntry.objects.count() == count


def test_parent_must_be_a_network(officer):
    network = services.organization_create(
        actor=officer, name_th="เครือข่าย", org_type="network", subdistrict_code="400104"
    )
    plain = OrganizationFactory(subdistrict_id="400104")
    org = services.organization_create(
        actor=officer,
        name_th="กลุ่ม",
        org_type="other",
        subdistrict_code="400104",
        parent_network_id=network.pk,
    )
    assert org.parent_network == network
    with pytest.raises(ValidationError) as error:
        services.organization_update(actor=officer, organization=org, changes={"parent_network_id": plain.pk})
    assert "parent_network_id" in error.value.message_dict


def test_permission_is_checked_before_the_input(officer):
    partner = Matrix().user("partner_agency", "province", "40")
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=partner, name_th="", org_type="x", subdistrict_code="999999")


def test_location_outside_thailand_is_refused_and_flags_are_set(officer, monkeypatch):
    from codi.areas import selectors as area_selectors

    with pytest.raises(ValidationError) as error:
        services.organization_create(
            actor=officer, name_th="กลุ่ม", org_type="other", subdistrict_code="400104",
            latitude=Decimal("48.858400"), longitude=Decimal("2.294500"),
        )  # fmt: skip
    assert "พิกัดอยู่นอกประเทศไทย" in str(error.value)
    monkeypatch.setattr(area_selectors, "point_in_thailand", lambda lon, lat, **kw: True)
    monkeypatch.setattr(area_selectors, "subdistrict_contains", lambda *, code, lon, lat, **kw: None)
    org = services.organization_create(
        actor=officer, name_th="กลุ่ม", org_type="other", subdistrict_code="400104",
        latitude=Decimal("16.4"), longitude=Decimal("102.8"),
    )  # fmt: skip
    assert org.location_flag == LocationFlag.NO_BOUNDARY
    monkeypatch.setattr(area_selectors, "subdistrict_contains", lambda *, code, lon, lat, **kw: False)
    org = services.organization_update(actor=officer, organization=org, changes={"latitude": Decimal("16.5")})
    assert org.location_flag == LocationFlag.OUTSIDE_SUBDISTRICT
    assert Organization.objects.get(pk=org.pk).latitude == Decimal("16.500000")


def test_registration_numbers_are_unique_when_given(officer):
    services.organization_create(
        actor=officer, name_th="ก", org_type="other", subdistrict_code="400104", registration_no="R-1"
    )
    services.organization_create(actor=officer, name_th="ข", org_type="other", subdistrict_code="400104")
    services.organization_create(actor=officer, name_th="ค", org_type="other", subdistrict_code="400104")
    with pytest.raises(ValidationError):
        services.organization_create(
            actor=officer, name_th="ง", org_type="other", subdistrict_code="400104", registration_no="R-1"
        )


def test_membership_end_keeps_the_row(officer):
    person = _person(officer)
    org = OrganizationFactory(subdistrict_id="400104")
    membership = services.membership_add(actor=officer, person=person, organization=org, role="leader")
    services.membership_end(actor=officer, membership=membership)
    assert Membership.objects.get(pk=membership.pk).ended_on is not None
    again = services.membership_add(actor=officer, person=person, organization=org, role="member")
    assert again.pk == membership.pk and again.ended_on is None and again.role == "member"


# --- search ------------------------------------------------------------------------------------------------


def test_thai_name_search_matches_word_prefixes_in_scope(officer):
    wanted = services.organization_create(
        actor=officer,
        name_th="กลุ่มออมทรัพย์เพื่อการผลิตบ้านเป็ด",
        org_type="savings_group",
        subdistrict_code="400104",
    )
    services.organization_create(
        actor=officer, name_th="วิสาหกิจชุมชนทอผ้า", org_type="enterprise", subdistrict_code="400104"
    )
    country = Matrix().user("project_officer", "country")
    services.organization_create(
        actor=country, name_th="กลุ่มออมทรัพย์บ้านเป็ดกรุงเทพ", org_type="other", subdistrict_code="100101"
    )
    for query in ("บ้านเป", "ออมทรัพย์ บ้านเป็ด", "เป็ด ออม", "การผลิต"):
        assert [o.pk for o in selectors.organization_list(actor=officer, search=query)] == [wanted.pk], query
    assert list(selectors.organization_list(actor=officer, search="ประมง")) == []


def test_organizations_loaded_without_search_words_are_found_after_reindex():
    org = OrganizationFactory(subdistrict_id="400104", name_th="กลุ่มเลี้ยงไก่บ้านโนน")
    assert services.organization_reindex_names() == 1
    leader = Matrix().user("community_leader", "subdistrict", "400104")
    assert [o.pk for o in selectors.organization_list(actor=leader, search="ไก่ โนน")] == [org.pk]


def test_importing_the_web_app_does_not_load_pythainlp():
    code = (
        "import sys, django; django.setup(); import codi.urls, codi.communities.selectors, "
        "codi.communities.services; print('pythainlp' in sys.modules)"
    )
    env = {
        "PYTHONPATH": f"{ROOT / 'src'}",
        "DJANGO_SETTINGS_MODULE": "codi.settings",
        "PATH": "/usr/bin:/bin",
    }
    import os

    env["CODI_VAR_DIR"] = os.environ.get("CODI_VAR_DIR", str(ROOT / "var"))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "False", done.stderr


# --- area page panel and map indicators --------------------------------------------------------------------


def test_area_panel_and_indicators_count_in_scope(officer):
    for code, org_type in (
        ("400104", "savings_group"),
        ("400104", "savings_group"),
        ("400105", "network"),
        ("100101", "other"),
    ):
        OrganizationFactory(subdistrict_id=code, org_type=org_type)
    country = Matrix().user("project_officer", "country")
    people = [_person(country, national_id=valid_id(f"1{n:011d}"), subdistrict="400104") for n in range(3)]
    orgs = list(Organization.objects.filter(subdistrict_id="400104"))
    for person in people:
        services.membership_add(actor=country, person=person, organization=orgs[0])
    services.membership_add(actor=country, person=people[0], organization=orgs[1])  # counted once
    panel = next(p for p in panels() if p.key == "communities")
    context = panel.context(officer, AreaRef("district", "4001"))
    assert context["organization_total"] == 3 and context["member_total"] == 3
    assert [(r["org_type"], r["count"]) for r in context["organizations_by_type"]] == [
        ("savings_group", 2),
        ("network", 1),
    ]
    orgs_map = indicator("organizations").values(officer, "province")
    assert orgs_map == {"40": 3.0}  # Bangkok's organization is outside the officer's scope
    assert indicator("organizations").values(country, "subdistrict") == {
        "400104": 2.0,
        "400105": 1.0,
        "100101": 1.0,
    }
    assert indicator("members").values(officer, "district") == {"4001": 3.0}
    assert indicator("members").values(Matrix().user("hr_officer", "country"), "province") == {}
    assert OrgType.NETWORK in dict(OrgType.choices)


def test_thai_numerals_are_read_as_digits():
    assert clean_national_id("๓๑๐๐๖๐๐๔๔๕๖๓๕") == "3100600445635"
    assert clean_phone("๐๘๑-๒๓๔-๕๖๗๘") == "0812345678"


def test_location_check_uses_the_real_subdistrict_boundaries(officer):
    # Khon Kaen city hall lies in ในเมือง (400101), not in บ้านเป็ด (400104)
    inside = services.organization_create(
        actor=officer, name_th="กลุ่มในเมือง", org_type="other", subdistrict_code="400101",
        latitude=Decimal("16.432200"), longitude=Decimal("102.823600"),
    )  # fmt: skip
    elsewhere = services.organization_create(
        actor=officer, name_th="กลุ่มบ้านเป็ด", org_type="other", subdistrict_code="400104",
        latitude=Decimal("16.432200"), longitude=Decimal("102.823600"),
    )  # fmt: skip
    assert (inside.location_flag, elsewhere.location_flag) == (
        LocationFlag.NONE,
        LocationFlag.OUTSIDE_SUBDISTRICT,
    )
    assert [
        o.pk for o in selectors.organization_list(actor=officer, location_flag="outside_subdistrict")
    ] == [elsewhere.pk]


def test_a_network_with_members_keeps_its_type(officer):
    network = services.organization_create(
        actor=officer, name_th="เครือข่าย", org_type="network", subdistrict_code="400104"
    )
    services.organization_create(
        actor=officer,
        name_th="กลุ่ม",
        org_type="other",
        subdistrict_code="400104",
        parent_network_id=network.pk,
    )
    with pytest.raises(ValidationError) as error:
        services.organization_update(actor=officer, organization=network, changes={"org_type": "other"})
    assert "org_type" in error.value.message_dict
