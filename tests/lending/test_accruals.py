"""The month-end accrual from the command and the page: once a month, audited, refused to the
wrong role or a finance officer of one region only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from codi.core.models import AuditEntry
from codi.finance.models import JournalEntry
from codi.lending import accruals
from codi.lending.models import InterestAccrual
from tests.lending.conftest import active_loan, make_user
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db


def test_month_parsing_and_default():
    assert accruals.parse_month("2025-02") == date(2025, 2, 28)
    assert accruals.parse_month("2024-02") == date(2024, 2, 29)
    for bad in ("", "2025-13", "2025-1", "25-01", "2025-01-31", "abcd-ef"):
        with pytest.raises(accruals.LendingError):
            accruals.parse_month(bad)
    assert accruals.last_ended_month(date(2025, 3, 1)) == "2025-02"
    assert accruals.last_ended_month(date(2025, 1, 20)) == "2024-12"


def test_command_accrues_once_and_refuses_the_wrong_user(books, people, product, org, capsys):
    active_loan(people, product, org)  # 12,000.00 from 15 Jan 2025; January's share 30.97 (test_operations)
    cashier = people["cashier"].username
    call_command("lending_accrue", user=cashier, month="2025-01")
    assert "30.97" in capsys.readouterr().out
    call_command("lending_accrue", user=cashier, month="2025-01")
    assert "ไม่บันทึกซ้ำ" in capsys.readouterr().out
    assert InterestAccrual.objects.get().amount == Decimal("30.97")
    assert JournalEntry.objects.filter(source_type="lending.accrual").count() == 1
    assert AuditEntry.objects.filter(action="lending.interest_accrue").count() == 1
    for user, month in (
        (people["officer"].username, "2025-02"),  # no lending.cash
        (people["south_cashier"].username, "2025-02"),  # one region only, the accrual is country-wide
        (cashier, "2025-2"),  # not a month
        (cashier, "2999-01"),  # not ended
        ("nobody-such", "2025-02"),
    ):
        with pytest.raises(CommandError):
            call_command("lending_accrue", user=user, month=month)
    assert InterestAccrual.objects.count() == 1


def test_page_lists_and_runs_once_refused_out_of_scope(matrix, books, people, product, org):
    active_loan(people, product, org)
    url = "/lending/accruals/"
    hr = make_user("hr_officer")
    matrix.check(lambda c: c.get(url), allowed=people["cashier"], wrong_role=hr,
                 out_of_scope=people["south_cashier"])  # fmt: skip
    assert signed_in_client(people["officer"]).get(url).status_code == 403
    matrix.check(lambda c: c.post(url, {"month": "2025-01"}), allowed=people["cashier"], wrong_role=hr,
                 out_of_scope=people["south_cashier"], allowed_ok=lambda r: r.status_code == 302)  # fmt: skip
    run = InterestAccrual.objects.get()
    assert run.amount == Decimal("30.97") and run.created_by == people["cashier"]
    client = signed_in_client(people["cashier"])
    again = client.post(url, {"month": "2025-01"}, follow=True)
    body = again.content.decode()  # Thai once the catalogue is compiled, the English id before
    assert again.status_code == 200 and ("ไม่ได้บันทึกเพิ่ม" in body or "already accrued" in body)
    bad = client.post(url, {"month": "x"}, follow=True)
    assert bad.status_code == 200 and "เดือนไม่ถูกต้อง" in bad.content.decode()
    page = client.get(url).content.decode()
    assert 'id="accruals"' in page and "30.97" in page
    assert InterestAccrual.objects.count() == 1
    assert AuditEntry.objects.filter(action="lending.interest_accrue").count() == 1
