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


def test_the_prompt_shows_on_the_module_page_after_a_task_and_not_now_hides_it(people) -> None:
    officer = people["officer"]
    client = signed_in_client(officer)
    assert 'id="satisfaction"' not in client.get("/finance/").content.decode()
    _task(officer)
    client = signed_in_client(officer)  # a new session: the decision is kept per session
    assert 'id="satisfaction"' in client.get("/finance/").content.decode()
    client.post("/insights/satisfaction/answer/", {"module": "finance", "dismiss": "1", "next": "/finance/"})
    assert 'id="satisfaction"' not in client.get("/finance/").content.decode()
    response = client.post(
        "/insights/satisfaction/answer/", {"module": "finance", "score": "5", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"  # never sent off-site
    assert SatisfactionResponse.objects.filter(module="finance", score=5).exists()
