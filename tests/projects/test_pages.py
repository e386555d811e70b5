"""Project pages: every page's permission matrix (anonymous, wrong role, out of scope, allowed), the
actions through the forms, the double-click-safe disbursement, PDFs and the Excel export."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from codi.projects.models import Disbursement, Installment, PortalAccount, Project
from tests.factories import OrganizationFactory
from tests.permissions import signed_in_client
from tests.projects.factories import Cast, leader_for, project_at, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return Cast.create()


def _shows(code: str):
    return lambda r: r.status_code == 200 and code.encode() in r.content


def _hides(code: str):
    return lambda r: r.status_code in (403, 404) or (r.status_code == 200 and code.encode() not in r.content)


def test_project_list_matrix(matrix, cast):
    project = project_at("screening", cast=cast)
    matrix.check(
        lambda c: c.get(reverse("projects:project_list")),
        allowed=cast.officer,
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=_shows(project.code),
        refused=_hides(project.code),
    )


def test_project_list_filters_and_query_count(cast, django_assert_max_num_queries):
    project = project_at("screening", cast=cast)
    other = project_at("draft", cast=cast)
    client = signed_in_client(cast.officer)
    with django_assert_max_num_queries(
        17
    ):  # constant: session, grants, choices, area picker, count, one page
        response = client.get(reverse("projects:project_list"), {"status": "screening", "province": "40"})
    assert response.status_code == 200
    assert project.code.encode() in response.content
    assert other.code.encode() not in response.content


def test_project_detail_matrix_and_diagram_state(matrix, cast):
    project = project_at("committee", cast=cast)
    matrix.check(
        lambda c: c.get(reverse("projects:project_detail", args=[project.pk])),
        allowed=cast.director,
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("regional_director", "region", "south"),
    )
    response = signed_in_client(cast.director).get(reverse("projects:project_detail", args=[project.pk]))
    diagram = response.context["diagram"]
    assert diagram["current"] == ["committee"]
    assert {"start", "draft", "screening"} <= set(diagram["completed"])
    assert "committee" not in diagram["completed"]
    assert response.context["actions"] == ["committee"]
    assert b"bpmn-navigated-viewer.production.min.js" in response.content


def test_every_tab_renders(cast):
    project = project_at("report_review", cast=cast)
    client = signed_in_client(cast.officer)
    for tab in ("overview", "results", "budget", "installments", "reports", "attachments", "history"):
        response = client.get(reverse("projects:project_detail", args=[project.pk]), {"tab": tab})
        assert response.status_code == 200, tab


def test_another_organizations_leader_sees_nothing(cast):
    project = project_at("screening", cast=cast)
    neighbour = leader_for(OrganizationFactory(subdistrict_id=project.subdistrict_id))
    client = signed_in_client(neighbour)
    assert client.get(reverse("projects:project_detail", args=[project.pk])).status_code == 404
    assert project.code.encode() not in client.get(reverse("projects:project_list")).content
    assert project.code.encode() not in client.get(reverse("projects:portal")).content
    own = signed_in_client(cast.leader).get(reverse("projects:portal"))
    assert project.code.encode() in own.content


def test_portal_matrix(matrix, cast):
    project = project_at("draft", cast=cast)
    matrix.check(
        lambda c: c.get(reverse("projects:portal")),
        allowed=cast.leader,
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=leader_for(OrganizationFactory(subdistrict_id="100101")),
        allowed_ok=_shows(project.code),
        refused=_hides(project.code),
    )


def test_inbox_matrix(matrix, cast):
    project = project_at("screening", cast=cast)
    matrix.check(
        lambda c: c.get(reverse("projects:inbox")),
        allowed=cast.officer,
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=_shows(project.code),
        refused=_hides(project.code),
    )


def test_leader_inbox_holds_their_draft_step(cast):
    project = project_at("revision", cast=cast)
    response = signed_in_client(cast.leader).get(reverse("projects:inbox"))
    assert [s.project_id for s in response.context["page"]] == [project.pk]


@pytest.mark.parametrize("name", ["projects:overdue", "projects:budget_lines", "projects:dashboard"])
def test_staff_overview_pages_matrix(matrix, cast, name):
    project_at("screening", cast=cast)
    matrix.check(
        lambda c: c.get(reverse(name)),
        allowed=cast.officer,
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=cast.leader,  # a community leader sees no staff overview
    )


def test_budget_lines_hide_other_regions(cast):
    project_at("agreement", cast=cast)
    south = signed_in_client(staff("project_officer", "province", "90"))
    response = south.get(reverse("projects:budget_lines"))
    assert list(response.context["lines"]) == []
    mine = signed_in_client(cast.officer).get(reverse("projects:budget_lines"))
    line = mine.context["lines"][0]
    assert (line.committed, mine.context["totals"].committed) == (Decimal("270000.00"), Decimal("270000.00"))


def test_screen_through_the_form(matrix, cast):
    project = project_at("screening", cast=cast)
    url = reverse("projects:project_action", args=[project.pk, "screen"])
    outsider = signed_in_client(staff("project_officer", "province", "10"))
    assert outsider.post(url, {"decision": "pass"}).status_code == 404
    wrong = signed_in_client(staff("hr_officer", "country"))
    assert wrong.post(url, {"decision": "pass"}).status_code == 403
    response = signed_in_client(cast.officer).post(url, {"decision": "pass", "comment": "ครบถ้วน"})
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).current_step == "committee"


def test_approve_with_reduced_amount_through_the_form(cast):
    project = project_at("approval", cast=cast)
    response = signed_in_client(cast.director).post(
        reverse("projects:project_action", args=[project.pk, "approve"]),
        {
            "decision": "approve",
            "approved_amount": "250,000",
            "reduction_reason": "ตัดค่าครุภัณฑ์",
            "inst_1_amount": "100000",
            "inst_2_amount": "100000",
            "inst_3_amount": "50000",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.approved_amount, project.reduction_reason) == (Decimal("250000.00"), "ตัดค่าครุภัณฑ์")
    amounts = list(Installment.objects.filter(project=project).values_list("amount", flat=True))
    assert amounts == [Decimal("100000.00"), Decimal("100000.00"), Decimal("50000.00")]


def test_reduction_without_reason_is_refused_with_a_message(cast):
    project = project_at("approval", cast=cast)
    client = signed_in_client(cast.director)
    response = client.post(
        reverse("projects:project_action", args=[project.pk, "approve"]),
        {"decision": "approve", "approved_amount": "250000", "inst_1_amount": "250000"},
        follow=True,
    )
    assert response.status_code == 200
    assert list(response.context["messages"])  # the service's Thai message
    assert Project.objects.get(pk=project.pk).approved_amount is None


def test_double_click_on_disburse_pays_once(cast):
    project = project_at("disburse", cast=cast)
    client = signed_in_client(cast.finance)
    page = client.get(reverse("projects:project_detail", args=[project.pk]))
    key = page.context["idempotency_key"]
    installment = page.context["next_installment"]
    url = reverse("projects:project_action", args=[project.pk, "disburse"])
    for _ in range(2):
        client.post(url, {"idempotency_key": key, "installment": installment.pk, "reference": "TX1"})
    assert Disbursement.objects.filter(installment__project=project).count() == 1
    assert Disbursement.objects.get(installment=installment).idempotency_key == key


def test_pdfs_summary_agreement_receipt(matrix, cast):
    project = project_at("progress_report", cast=cast)
    installment = Installment.objects.get(project=project, number=1)
    client = signed_in_client(cast.officer)
    for url in (
        reverse("projects:summary_pdf", args=[project.pk]),
        reverse("projects:agreement_pdf", args=[project.pk]),
        reverse("projects:receipt_pdf", args=[project.pk, installment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response.content.startswith(b"%PDF")
    matrix.check(
        lambda c: c.get(reverse("projects:receipt_pdf", args=[project.pk, installment.pk])),
        allowed=cast.leader,
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("finance_officer", "region", "south"),
    )


def test_receipt_has_the_amount_in_thai_words(cast):
    from codi.projects.views import baht_words

    assert baht_words(Decimal("90000.00")) == "เก้าหมื่นบาทถ้วน"
    assert baht_words(Decimal("12500.50")) == "หนึ่งหมื่นสองพันห้าร้อยบาทห้าสิบสตางค์"


def test_excel_export_uses_the_import_columns(cast):
    from openpyxl import load_workbook

    from codi.projects.importing import PROJECT_COLUMNS

    project = project_at("progress_report", cast=cast)
    response = signed_in_client(cast.officer).get(reverse("projects:project_export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][: len(PROJECT_COLUMNS)]) == [c.th for c in PROJECT_COLUMNS]
    assert rows[1][0] == project.code
    assert rows[1][13] == "90000.00"  # installment 1 amount


def test_proposal_form_creates_a_draft_for_the_leaders_organization(cast):
    from tests.projects.factories import ProgramFactory

    program = ProgramFactory(kind="housing")
    client = signed_in_client(cast.leader)
    assert client.get(reverse("projects:proposal_create")).status_code == 200
    response = client.post(
        reverse("projects:proposal_create"),
        {
            "program": program.pk,
            "organization": cast.organization.pk,
            "title": "บ้านมั่นคงท่าพระ",
            "subdistrict_code": "400104",
            "fiscal_year": 2569,
            "requested_amount": "500000",
            "households": 40,
            "persons": 120,
            "housing_units": 40,
            "land_tenure": "เช่าระยะยาว",
            "act_0_title": "สำรวจข้อมูล",
            "act_0_start": "2025-11-01",
            "act_0_end": "2025-12-01",
            "bud_0_category": "construction",
            "bud_0_description": "วัสดุก่อสร้าง",
            "bud_0_amount": "500000",
        },
    )
    assert response.status_code == 302, response.content[:500]
    project = Project.objects.get(title="บ้านมั่นคงท่าพระ")
    assert (project.lead_organization_id, project.status) == (cast.organization.pk, "draft")
    assert project.type_details["housing_units"] == 40
    assert project.activities.count() == 1


def test_proposal_form_refuses_organizations_not_in_the_portal(cast):
    other = OrganizationFactory(subdistrict_id="400104")
    response = signed_in_client(cast.leader).post(
        reverse("projects:proposal_create"), {"organization": other.pk, "title": "x"}
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not PortalAccount.objects.filter(organization=other).exists()


def test_report_form_keeps_what_was_typed_when_refused(cast):
    project = project_at("progress_report", cast=cast)
    client = signed_in_client(cast.leader)
    assert client.get(reverse("projects:report_create", args=[project.pk])).status_code == 200
    response = client.post(
        reverse("projects:report_create", args=[project.pk]),
        {
            "narrative": "สร้างบ้านแล้ว 10 หลัง",
            "exp_0_date": "2099-01-01",
            "exp_0_description": "ปูน",
            "exp_0_category": "construction",
            "exp_0_amount": "1000",
        },
    )
    assert response.status_code == 200
    assert response.context["error"]
    assert response.context["post_values"]["exp_0_description"] == "ปูน"
    assert "สร้างบ้านแล้ว 10 หลัง".encode() in response.content


def test_area_page_has_the_projects_panel(cast):
    from codi.areas.registry import AreaRef
    from codi.projects.panels import _panel_context

    project_at("progress_report", cast=cast)
    context = _panel_context(cast.officer, AreaRef("province", "40"))["projects"]
    assert context["total"] == {
        "projects": 1,
        "approved": Decimal("270000.00"),
        "disbursed": Decimal("90000.00"),
    }
    assert _panel_context(cast.leader, AreaRef("province", "40")) == {"projects": {"visible": False}}


def test_process_diagram_file_is_served_to_viewers(matrix, cast):
    matrix.check(
        lambda c: c.get(reverse("projects:process_diagram")),
        allowed=cast.officer,
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=None,
    )


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request of a session does one-off work (session, last seen)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_list_pages_do_not_query_per_row(cast):
    pages = [
        reverse(n)
        for n in (
            "projects:project_list",
            "projects:inbox",
            "projects:overdue",
            "projects:budget_lines",
            "projects:dashboard",
        )
    ]
    officer, leader = signed_in_client(cast.officer), signed_in_client(cast.leader)
    project_at("screening", cast=cast)
    one = [_queries(officer, url) for url in pages] + [_queries(leader, reverse("projects:portal"))]
    project_at("screening", cast=cast)
    project_at("progress_report", cast=cast)
    three = [_queries(officer, url) for url in pages] + [_queries(leader, reverse("projects:portal"))]
    assert three == one


def test_remind_overdue_command(cast, capsys):
    from datetime import timedelta

    from django.core.management import call_command

    project = project_at("screening", cast=cast)
    later = (project.current_step_due + timedelta(days=3)).isoformat()
    call_command("projects_remind_overdue", "--today", later)
    assert capsys.readouterr().out.strip() == "overdue steps reminded: 1"


def test_reducing_below_what_was_paid_is_refused_and_a_return_is_recorded(cast):
    from codi.projects.models import FundReturn

    project = project_at("progress_report", cast=cast)  # 90,000 paid of 270,000
    director = signed_in_client(cast.director)
    url = reverse("projects:project_action", args=[project.pk, "reduce"])
    response = director.post(url, {"new_amount": "50000", "reason": "ลดขนาดโครงการ"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Project.objects.get(pk=project.pk).approved_amount == Decimal("270000.00")
    assert (
        signed_in_client(cast.officer).post(url, {"new_amount": "200000", "reason": "x"}).status_code == 403
    )
    finance = signed_in_client(cast.finance)
    finance.post(
        reverse("projects:project_action", args=[project.pk, "fund_return"]),
        {"amount": "5000", "reason": "เงินเหลือจ่าย"},
    )
    assert FundReturn.objects.get(project=project).amount == Decimal("5000.00")
