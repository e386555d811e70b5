"""Twenty disbursements at once against one budget line on PostgreSQL: never overspent.

Real parallel transactions: the data is committed outside the test transaction so every thread's
connection sees it, and removed afterwards (the journal's immutability triggers are switched off
for that clean-up only; audit entries stay, as they always do).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from codi.finance import balances, ledger, services
from codi.finance.ledger import FinanceError
from codi.finance.models import (
    Account,
    BudgetCategory,
    BudgetLine,
    Commitment,
    FiscalYear,
    JournalEntry,
    JournalLine,
    Period,
)
from codi.identity.models import OrgUnit
from tests.racing import race

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time, so it cannot show row locks under real concurrency",
)
ATTEMPTS = 20
YEAR_BE = 2601  # far from every other test's year
DAY = date(2057, 11, 3)


@pytest.mark.django_db
def test_postgres_database_is_created():
    assert connection.vendor == "postgresql"


def _purge(created_accounts: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE finance_journalline DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE finance_journalentry DISABLE TRIGGER USER")
        try:
            JournalLine.objects.filter(entry__fiscal_year__year_be=YEAR_BE).delete()
            JournalEntry.objects.filter(fiscal_year__year_be=YEAR_BE, reverses__isnull=False).delete()
            JournalEntry.objects.filter(fiscal_year__year_be=YEAR_BE).delete()
        finally:
            cursor.execute("ALTER TABLE finance_journalline ENABLE TRIGGER USER")
            cursor.execute("ALTER TABLE finance_journalentry ENABLE TRIGGER USER")
    Commitment.objects.filter(budget_line__fiscal_year__year_be=YEAR_BE).delete()
    BudgetLine.objects.filter(fiscal_year__year_be=YEAR_BE).delete()
    Period.objects.filter(fiscal_year__year_be=YEAR_BE).delete()
    FiscalYear.objects.filter(year_be=YEAR_BE).delete()
    OrgUnit.objects.filter(code="FIN-RACE").delete()
    if created_accounts:
        Account.objects.all().delete()


def test_twenty_concurrent_disbursements_never_overspend_a_budget_line(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        created_accounts = not Account.objects.exists()
        try:
            ledger.chart_load(actor=None)
            year = ledger.fiscal_year_ensure(actor=None, year_be=YEAR_BE)
            unit = OrgUnit.objects.create(code="FIN-RACE", name_th="หน่วยทดสอบ")
            line = ledger.budget_line_create(
                actor=None, fiscal_year=year, code="RACE-1", name="เงินอุดหนุนโครงการ", unit=unit,
                category=BudgetCategory.SUBSIDY, expense_account=Account.objects.get(code="5107010101"),
                allocated=Decimal("100000.00"),
            )  # fmt: skip

            # when twenty disbursements of 7,000 baht post at once (room for fourteen)
            results, errors = race(
                ATTEMPTS,
                lambda i: (
                    services.post_expense(
                        actor=None,
                        entry_date=DAY,
                        description=f"งวดเงิน {i}",
                        source_type="race.disbursement",
                        source_id=str(i),
                        expense_account="5107010101",
                        amount="7000.00",
                        credit_account="1101020601",
                        budget_line_id=line.pk,
                        spend=True,
                    ).pk
                ),
            )

            # then fourteen posted, six were refused naming what was left, and nothing overspent
            assert len(results) == 14 and len(set(results)) == 14
            assert len(errors) == 6 and all(isinstance(e, FinanceError) for e in errors)
            assert {e.message_en.split(" has ")[1].split(" baht")[0] for e in errors} == {"2,000.00"}
            line.refresh_from_db()
            assert (line.actual, line.committed, line.available) == (
                Decimal("98000.00"), Decimal("0.00"), Decimal("2000.00"),
            )  # fmt: skip
            spent = sum(
                JournalLine.objects.filter(budget_line=line).values_list("debit", flat=True), Decimal("0.00")
            )
            assert spent == line.actual
            numbers = sorted(JournalEntry.objects.filter(fiscal_year=year).values_list("sequence", flat=True))
            assert numbers == list(range(1, 15))  # numbered without gaps or duplicates

            # when seven of them are reversed while thirteen small disbursements post, all at once
            posted = sorted(results)

            def mixed(i: int) -> int:
                if i < 7:
                    entry = JournalEntry.objects.get(pk=posted[i])
                    return ledger.entry_reverse(actor=None, entry=entry, entry_date=DAY, reason="คืนเงิน").pk
                return services.post_expense(
                    actor=None, entry_date=DAY, description=f"งวดย่อย {i}", source_type="race.small",
                    source_id=str(i), expense_account="5107010101", amount="100.00",
                    credit_account="1101020601", budget_line_id=line.pk, spend=True,
                ).pk  # fmt: skip

            results, errors = race(ATTEMPTS, mixed)

            # then every one posted, and the pre-summed balances equal a fresh sum of the lines
            assert errors == [] and len(set(results)) == ATTEMPTS
            line.refresh_from_db()
            assert line.actual == Decimal("98000.00") - 7 * Decimal("7000.00") + 13 * Decimal("100.00")
            assert balances.check(year_id=year.pk) == []
        finally:
            _purge(created_accounts)
