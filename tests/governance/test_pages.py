"""Pages and API of data governance: the permission matrix of every endpoint, exports, query counts."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from codi.communities.models import Organization
from codi.governance import services
from codi.governance.models import AIModelReview, Code, CodeList, DuplicateDismissal, OrganizationMerge
from tests.governance.conftest import make_org, make_person, valid_id
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db

API = "/api/v1/governance"


def _viewers(matrix):
    return {
        "allowed": matrix.user("executive", "country"),
        "wrong_role": matrix.user("project_officer", "province", "40"),
        "out_of_scope": None,  # the catalog, code lists and the AI register are national
    }


@pytest.mark.parametrize(
    "url",
    [
        reverse("governance:home"),
        reverse("governance:catalog") + "?q=national&personal=yes",
        reverse("governance:catalog_detail", args=["communities.Person"]),
        reverse("governance:code_lists"),
        reverse("governance:quality"),
        reverse("governance:ai_register"),
        reverse("governance:ai_model_card", args=["feedback.topic", "v1"]),
        reverse("governance:merge_list"),
        reverse("governance:duplicate_list"),
        f"{API}/catalog?app=communities",
        f"{API}/catalog/communities.Person",
        f"{API}/quality/scores",
        f"{API}/ai/models",
    ],
)
def test_read_pages_and_api_matrix(matrix, url):
    matrix.check(lambda c: c.get(url), **_viewers(matrix))


def test_catalog_search_finds_fields_and_filters(matrix):
    client = signed_in_client(matrix.user("data_protection_officer", "country"))
    page = client.get(reverse("governance:catalog"), {"q": "เลขประจำตัวประชาชน"}).content.decode()
    assert "communities.Person" in page
    assert "areas.Province" not in page
    data = client.get(f"{API}/catalog", {"classification": "public", "personal": "no"}).json()
    assert "areas.Province" in [d["label"] for d in data]
    assert all(d["classification"] == "public" and not d["personal"] for d in data)


def test_unknown_dataset_and_model_card_are_404(matrix):
    client = signed_in_client(matrix.user("data_protection_officer", "country"))
    assert client.get(reverse("governance:catalog_detail", args=["communities.Nothing"])).status_code == 404
    assert client.get(reverse("governance:ai_model_card", args=["feedback.topic", "v9"])).status_code == 404
    assert client.get(f"{API}/catalog/communities.Nothing").status_code == 404


def test_data_dictionary_exports_as_xlsx_and_pdf(matrix):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    # given
    viewers = _viewers(matrix)
    url_xlsx = reverse("governance:catalog_xlsx") + "?app=communities"
    url_pdf = reverse("governance:catalog_pdf") + "?app=areas"
    # then the matrix holds for both
    matrix.check(lambda c: c.get(url_xlsx), **viewers)
    matrix.check(lambda c: c.get(url_pdf), **viewers)
    client = signed_in_client(viewers["allowed"])
    book = load_workbook(io.BytesIO(client.get(url_xlsx).getvalue()))
    datasets = [row[0] for row in book["datasets"].iter_rows(min_row=2, values_only=True)]
    assert datasets == [
        "communities.Organization",
        "communities.Person",
        "communities.Membership",
        "communities.ImportJob",
    ]
    fields = {(r[0], r[2]): r for r in book["fields"].iter_rows(min_row=2, values_only=True)}
    assert fields[("communities.Person", "national_id")][3:9] == (
        "เลขประจำตัวประชาชน",
        "National ID",
        "13-digit Thai ID (encrypted)",
        "TextField",
        "general",
        "secret",
    )
    pdf = client.get(url_pdf)
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "พจนานุกรมข้อมูล" in text
    assert "areas.Subdistrict" in text


def test_duplicate_list_and_compare_are_area_scoped(matrix):
    a = make_org("ชุมชนบ้านหนองแวง")
    b = make_org("กลุ่มบ้านหนองแวง")
    allowed = matrix.user("data_protection_officer", "province", "40")
    wrong_role = matrix.user("project_officer", "province", "40")
    out_of_scope = matrix.user("data_protection_officer", "province", "10")
    matrix.check(
        lambda c: c.get(reverse("governance:duplicate_list")),
        allowed=allowed,
        wrong_role=wrong_role,
        out_of_scope=out_of_scope,
        refused=lambda r: r.status_code == 403 or "กลุ่มบ้านหนองแวง" not in r.content.decode(),
        allowed_ok=lambda r: "กลุ่มบ้านหนองแวง" in r.content.decode(),
    )
    matrix.check(
        lambda c: c.get(reverse("governance:duplicate_compare", args=[a.pk, b.pk])),
        allowed=allowed,
        wrong_role=wrong_role,
        out_of_scope=out_of_scope,
    )


def test_merge_page_matrix(matrix):
    a = make_org("ชุมชนบ้านหนองแวง")
    b = make_org("กลุ่มบ้านหนองแวง")
    url = reverse("governance:duplicate_merge", args=[a.pk, b.pk])
    matrix.check(
        lambda c: c.post(url, {"survivor": a.pk, "reason": "ซ้ำ"}),
        allowed=matrix.user("data_protection_officer", "province", "40"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=matrix.user("data_protection_officer", "province", "10"),
        allowed_ok=lambda r: r.status_code == 302,
    )
    assert list(Organization.objects.filter(pk__in=[a.pk, b.pk]).values_list("pk", flat=True)) == [a.pk]
    assert OrganizationMerge.objects.get().merged_id == b.pk


def test_dismiss_page_matrix(matrix):
    a = make_org("ชุมชนบ้านหนองแวง")
    b = make_org("กลุ่มบ้านหนองแวง")
    matrix.check(
        lambda c: c.post(reverse("governance:duplicate_dismiss", args=[a.pk, b.pk]), {"note": "ต่างกัน"}),
        allowed=matrix.user("system_admin", "country"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=matrix.user("data_protection_officer", "province", "10"),
        allowed_ok=lambda r: r.status_code == 302,
    )
    assert DuplicateDismissal.objects.get().note == "ต่างกัน"


def test_code_add_matrix_and_result(matrix):
    code_list = CodeList.objects.get(key="co-funding-source")
    matrix.check(
        lambda c: c.post(
            reverse("governance:code_add", args=[code_list.pk]),
            {"code": "cooperative", "label_th": "สหกรณ์", "label_en": "Cooperative"},
        ),
        allowed=matrix.user("data_protection_officer", "country"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=None,
        allowed_ok=lambda r: r.status_code == 302,
    )
    assert Code.objects.get(code_list=code_list, code="cooperative").label_th == "สหกรณ์"


def test_code_lists_page_documents_code_lists_from_the_code(matrix):
    page = signed_in_client(matrix.user("executive", "country")).get(reverse("governance:code_lists"))
    text = page.content.decode()
    assert "co-funding-source" in text
    assert "projects.BudgetItem.category" in text
    assert "feedback.Ticket.category" in text


def test_quality_run_and_failures_matrix(matrix):
    good = valid_id("110170099999")
    make_person(good[:12] + str((int(good[12]) + 1) % 10))
    matrix.check(
        lambda c: c.post(reverse("governance:quality_run")),
        allowed=matrix.user("data_protection_officer", "country"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=None,
        allowed_ok=lambda r: r.status_code == 302,
    )
    from codi.governance.models import QualityResult

    result = QualityResult.objects.get(rule_key="communities.person.national_id_checksum")
    matrix.check(
        lambda c: c.get(reverse("governance:quality_failures", args=[result.pk])),
        allowed=matrix.user("data_protection_officer", "province", "40"),
        wrong_role=matrix.user("project_officer", "province", "40"),
        out_of_scope=matrix.user("data_protection_officer", "province", "10"),
        refused=lambda r: (
            r.status_code == 403 or "national ID check digit is wrong" not in r.content.decode()
        ),
        allowed_ok=lambda r: "national ID check digit is wrong" in r.content.decode(),
    )
    page = signed_in_client(matrix.user("data_protection_officer", "country")).get(
        reverse("governance:quality_failures", args=[result.pk])
    )
    person_id = result.failures.get().object_id
    assert reverse("communities:member_detail", args=[int(person_id)]) in page.content.decode()


def test_ai_review_matrix(matrix):
    url = reverse("governance:ai_model_review", args=["feedback.topic", "v1"])
    matrix.check(
        lambda c: c.post(url, {"outcome": "approved", "notes": "ตรวจแล้ว", "reviewed_on": "2026-12-01"}),
        allowed=matrix.user("data_protection_officer", "country"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=None,
        allowed_ok=lambda r: r.status_code == 302,
    )
    review = AIModelReview.objects.get()
    assert (review.model_key, review.version, str(review.reviewed_on)) == (
        "feedback.topic",
        "v1",
        "2026-12-01",
    )
    card = signed_in_client(matrix.user("executive", "country")).get(
        reverse("governance:ai_model_card", args=["feedback.topic", "v1"])
    )
    assert "ตรวจแล้ว" in card.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "governance:catalog",
        "governance:duplicate_list",
        "governance:merge_list",
        "governance:quality",
        "governance:ai_register",
    ],
)
def test_list_pages_query_count(matrix, django_assert_max_num_queries, name):
    # given some organizations, a merge and two quality runs
    steward = matrix.user("data_protection_officer", "country")
    for i in range(8):
        make_org(f"ชุมชนบ้านหนองแวง{i}")
    services.organization_merge(
        actor=steward,
        survivor_id=Organization.objects.first().pk,
        duplicate_id=Organization.objects.last().pk,
    )
    services.quality_run(actor=steward)
    services.quality_run(actor=steward)
    client = signed_in_client(steward)
    client.get(reverse(name))  # warm the session
    with django_assert_max_num_queries(14):
        assert client.get(reverse(name)).status_code == 200


def test_the_catalog_page_shows_gaps_between_the_catalog_and_the_code(matrix, monkeypatch):
    from codi.core import catalog as core_catalog

    datasets = {k: v for k, v in core_catalog.DATASETS.items() if k != "AuditHead"}
    monkeypatch.setattr(core_catalog, "DATASETS", datasets)
    page = signed_in_client(matrix.user("executive", "country")).get(reverse("governance:catalog"))
    assert "core.AuditHead: model has no catalog entry" in page.content.decode()
