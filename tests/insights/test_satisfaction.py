"""The in-app satisfaction survey: who is asked, once a quarter, anonymous answers, results vs 80 %."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from codi.core.audit import audit_record
from codi.core.models import AuditEntry
from codi.insights import satisfaction as survey
from codi.insights.models import SatisfactionResponse
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "quarter"),
    [(date(2026, 10, 1), "2570-Q1"), (date(2026, 12, 31), "2570-Q1"), (date(2027, 1, 1), "2570-Q2"),
     (date(2027, 6, 30), "2570-Q3"), (date(2027, 9, 30), "2570-Q4")],
)  # fmt: skip
def test_fiscal_quarters(day, quarter) -> None:
    assert survey.quarter_of(day) == quarter


@pytest.fixture
def people(matrix):
    return {
        "officer": matrix.user("finance_officer", "country"),
        "other": matrix.user("finance_officer", "country"),
        "executive": matrix.user("executive", "country"),
        "regional_executive": matrix.user("executive", "region", "north"),
    }


def _task(user, module_prefix="finance.voucher.submit") -> None:
    audit_record(actor=user, action=module_prefix, object_type="finance.voucher", object_id=1)


def test_asked_only_after_a_task_and_only_once_a_quarter(people) -> None:
    officer = people["officer"]
    assert not survey.eligible(officer, "finance")
    with pytest.raises(ValidationError):
        survey.satisfaction_record(actor=officer, module="finance", score=5)
    _task(officer)
    assert survey.eligible(officer, "finance") and not survey.eligible(officer, "procurement")
    answer = survey.satisfaction_record(
        actor=officer, module="finance", score=2, comment="ระบบช้ามาก รอหน้าเว็บนานจนทำงานไม่ได้"
    )
    assert (
        answer.user == officer
        and answer.sentiment == "neg"
        and answer.quarter == survey.quarter_of(date.today())
    )
    assert not survey.eligible(officer, "finance")
    with pytest.raises(ValidationError):
        survey.satisfaction_record(actor=officer, module="finance", score=5)
    assert SatisfactionResponse.objects.count() == 1


def test_an_anonymous_answer_keeps_no_user_but_still_counts_once(people) -> None:
    other = people["other"]
    _task(other)
    answer = survey.satisfaction_record(actor=other, module="finance", score=4, anonymous=True)
    assert answer.user is None
    entry = AuditEntry.objects.get(action="insights.satisfaction.answer", object_id=str(answer.pk))
    assert entry.actor_id is None  # the trail does not name who answered either
    with pytest.raises(ValidationError):
        survey.satisfaction_record(actor=other, module="finance", score=4, anonymous=True)


@pytest.mark.parametrize("score", [0, 6, "x", None, "4.5"])
def test_a_score_out_of_range_is_refused_and_nothing_is_written(people, score) -> None:
    _task(people["officer"])
    with pytest.raises(ValidationError) as refused:
        survey.satisfaction_record(actor=people["officer"], module="finance", score=score)
    assert "score" in refused.value.message_dict
    assert not SatisfactionResponse.objects.exists()


def test_results_share_satisfied_against_the_target_and_the_page(people, matrix) -> None:
    for score in [5, 4, 4, 2]:
        user = matrix.user("finance_officer", "country")
        _task(user)
        survey.satisfaction_record(actor=user, module="finance", score=score)
    [row] = survey.results()
    assert row["n"] == 4 and row["satisfied"] == 3 and row["share"] == 0.75 and row["met"] is False
    matrix.check(
        lambda c: c.get("/insights/satisfaction/"), allowed=people["executive"], wrong_role=people["officer"],
        out_of_scope=people["regional_executive"],
    )  # fmt: skip
    page = signed_in_client(people["executive"]).get("/insights/satisfaction/").content.decode()
    assert "75%" in page and "การเงินและบัญชี" in page
    sheet = signed_in_client(people["executive"]).get("/insights/satisfaction/?format=xlsx")
    rows = list(load_workbook(__import__("io").BytesIO(b"".join(sheet.streaming_content))).active.values)
    assert rows[1][2] == 4 and rows[1][4] == 3


def test_a_successful_post_in_a_module_notes_a_completed_task(people) -> None:
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse, HttpResponseRedirect
    from django.test import RequestFactory
    from django.urls import resolve

    from codi.insights.middleware import PENDING_KEY, SatisfactionMiddleware

    def answered(status_redirect: bool, method: str = "post"):
        request = getattr(RequestFactory(), method)("/finance/")
        request.user, request.session = people["officer"], SessionStore()
        request.resolver_match = resolve("/finance/")
        view = (
            (lambda r: HttpResponseRedirect("/finance/"))
            if status_redirect
            else (lambda r: HttpResponse(status=400))
        )
        SatisfactionMiddleware(view)(request)
        return request.session.get(PENDING_KEY)

    assert answered(True) == "finance"
    assert answered(False) is None  # a refused form is not a completed task
    assert answered(True, "get") is None


def _after_a_task(client, module: str = "finance") -> None:
    """What the middleware leaves in the session after a successful post in the module."""
    from codi.insights.middleware import PENDING_KEY

    session = client.session
    session[PENDING_KEY] = module
    session.save()


def test_the_prompt_shows_on_the_module_page_after_a_task_and_not_now_hides_it(people) -> None:
    officer = people["officer"]
    client = signed_in_client(officer)
    _after_a_task(client)
    assert 'id="satisfaction"' not in client.get("/finance/").content.decode()  # no audited task this quarter
    _task(officer)
    _after_a_task(client)
    assert 'id="satisfaction"' in client.get("/finance/").content.decode()
    assert 'id="satisfaction"' in client.get("/finance/").content.decode()  # stays until answered or put off
    assert 'id="satisfaction"' not in client.get("/projects/").content.decode()  # only on that module's pages
    client.post("/insights/satisfaction/answer/", {"module": "finance", "dismiss": "1", "next": "/finance/"})
    assert 'id="satisfaction"' not in client.get("/finance/").content.decode()
    response = client.post(
        "/insights/satisfaction/answer/", {"module": "finance", "score": "5", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"  # never sent off-site
    assert SatisfactionResponse.objects.filter(module="finance", score=5).exists()


def test_an_ordinary_page_view_costs_the_survey_no_query(people, django_assert_max_num_queries) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in_client(people["officer"])
    client.get("/finance/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/finance/")
    assert not [
        q for q in queries.captured_queries if "insights_" in q["sql"] or "core_auditentry" in q["sql"]
    ]
