"""Twenty simultaneous issues of the same item on PostgreSQL never take the balance below zero.

Real parallel transactions: the stock is committed outside the test transaction so every thread's
connection sees it, and removed afterwards (the journal's immutability triggers are switched off
for that clean-up only; audit entries stay, as they always do).
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from codi.finance import ledger
from codi.finance.models import Account, FiscalYear, JournalEntry, JournalLine, Period
from codi.identity.models import OrgUnit
from codi.procurement import supplies
from codi.procurement.models import StockBalance, StockLayer, StockMove, Store, SupplyItem

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time, so it cannot show row locks under real concurrency",
)
ATTEMPTS = 20


def _purge(store: Store | None, created_accounts: bool, created_year: bool) -> None:
    moves = StockMove.objects.filter(store=store)
    sources = [str(pk) for pk in moves.values_list("pk", flat=True)]
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE finance_journalline DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE finance_journalentry DISABLE TRIGGER USER")
        try:
            entries = JournalEntry.objects.filter(
                source_type__startswith="procurement.stock_", source_id__in=sources
            )
            JournalLine.objects.filter(entry__in=entries).delete()
            entries.delete()
            if created_year:
                JournalLine.objects.filter(entry__fiscal_year__year_be=_year()).delete()
                JournalEntry.objects.filter(fiscal_year__year_be=_year()).delete()
        finally:
            cursor.execute("ALTER TABLE finance_journalline ENABLE TRIGGER USER")
            cursor.execute("ALTER TABLE finance_journalentry ENABLE TRIGGER USER")
    moves.delete()
    StockLayer.objects.filter(store=store).delete()
    StockBalance.objects.filter(store=store).delete()
    Store.objects.filter(code="RACE").delete()
    SupplyItem.objects.filter(code="RACE-PEN").delete()
    OrgUnit.objects.filter(code="PROC-RACE").delete()
    if created_year:
        Period.objects.filter(fiscal_year__year_be=_year()).delete()
        FiscalYear.objects.filter(year_be=_year()).delete()
    if created_accounts:
        Account.objects.all().delete()


def _year() -> int:
    return ledger.fiscal_year_of(timezone.localdate())


def test_twenty_concurrent_issues_never_go_below_zero(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        created_accounts = not Account.objects.exists()
        created_year = not FiscalYear.objects.filter(year_be=_year()).exists()
        store = None
        try:
            ledger.chart_load(actor=None)
            ledger.fiscal_year_ensure(actor=None, year_be=_year())
            unit = OrgUnit.objects.create(code="PROC-RACE", name_th="หน่วยทดสอบ")
            store = Store.objects.create(code="RACE", name_th="คลังทดสอบ", unit=unit)
            item = SupplyItem.objects.create(code="RACE-PEN", name_th="ปากกา", unit_name="ด้าม")
            # two layers: 9 at 10.00 and 6 at 12.50 = 15 pens, 165.00 baht
            supplies.receive(actor=None, store=store, item=item, quantity=9, unit_cost="10")
            supplies.receive(actor=None, store=store, item=item, quantity=6, unit_cost="12.5")

            # when twenty clients each issue 2 pens at once (room for seven)
            results: list[StockMove] = []
            errors: list[BaseException] = []
            start = threading.Barrier(ATTEMPTS)

            def run() -> None:
                try:
                    start.wait()
                    results.append(
                        supplies.issue(actor=None, store=store, item=item, quantity=2, to_unit=unit)
                    )
                except BaseException as exc:
                    errors.append(exc)
                finally:
                    connections.close_all()

            threads = [threading.Thread(target=run) for _ in range(ATTEMPTS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

            # then seven were served, thirteen refused naming the balance, and the stock is one pen at 12.50
            assert len(results) == 7
            assert len(errors) == 13 and all(isinstance(e, supplies.SupplyError) for e in errors), errors
            balance = StockBalance.objects.get(store=store, item=item)
            assert (balance.quantity, balance.value) == (Decimal("1.00"), Decimal("12.50"))
            assert sum((m.value for m in results), Decimal("0")) == Decimal("152.50")
            assert sorted(m.balance_quantity for m in results) == [
                Decimal(n) for n in (1, 3, 5, 7, 9, 11, 13)
            ]
            assert supplies.valuation_check(store=store, item=item) == (Decimal("12.50"), Decimal("12.50"))
            assert not StockLayer.objects.filter(store=store, quantity_left__lt=0).exists()
        finally:
            _purge(store, created_accounts, created_year)
