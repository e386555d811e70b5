"""Property: over any sequence of postings, reversals and period closes the trial balance balances,
every account equals the sum of its lines, a closed period never changes, and posting into it is
refused with nothing written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codi.finance import balances, ledger, periods
from codi.finance.ledger import FinanceError, LineSpec
from codi.finance.models import Account, JournalEntry, JournalLine, Period
from codi.finance.selectors import account_balance, trial_balance
from tests.finance.conftest import TODAY_FY, make_user

BANK, PAYABLE, EXPENSE, REVENUE = "1101020601", "2101010102", "5104010112", "4307010101"
PAIRS = [(EXPENSE, BANK), (BANK, REVENUE), (EXPENSE, PAYABLE), (PAYABLE, BANK)]

operation = st.one_of(
    st.tuples(
        st.just("post"),
        st.integers(min_value=1, max_value=12),
        st.sampled_from(PAIRS),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2),
    ),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50)),
    st.tuples(st.just("close")),
)


def _day(month: int) -> date:
    # period ``month`` of FY2570 (1 = October 2026), on its 15th
    return date(2026 + (month + 8) // 12, (month + 8) % 12 + 1, 15)


def _period_sums() -> dict[int, tuple[Decimal, Decimal, int]]:
    sums = {}
    for period in Period.objects.filter(fiscal_year__year_be=TODAY_FY):
        lines = JournalLine.objects.filter(
            entry__entry_date__gte=period.start_date, entry__entry_date__lte=period.end_date
        )
        sums[period.month] = (
            sum(lines.values_list("debit", flat=True), Decimal("0")),
            sum(lines.values_list("credit", flat=True), Decimal("0")),
            lines.count(),
        )
    return sums


@pytest.fixture
def chief(db):
    return make_user("chief_accountant")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=1, max_size=25))
def test_postings_reversals_and_closes_keep_the_books_whole(books, chief, ops):
    Period.objects.filter(fiscal_year=books).update(is_closed=False)  # each example starts with open months
    run = JournalEntry.objects.count()
    posted: list[JournalEntry] = []
    closed_upto = 0
    frozen: dict[int, tuple[Decimal, Decimal, int]] = {}
    for number, op in enumerate(ops):
        if op[0] == "post":
            _, month, (debit, credit), amount = op
            before = JournalEntry.objects.count()
            try:
                entry = ledger.entry_post(
                    actor=None, entry_date=_day(month), description="p", source_type="prop",
                    source_id=f"{run}-{number}", lines=[LineSpec(debit, debit=amount), LineSpec(credit, credit=amount)],
                )  # fmt: skip
            except FinanceError:
                assert month <= closed_upto, "only a closed period refuses a balanced posting"
                assert JournalEntry.objects.count() == before
                continue
            assert month > closed_upto, "a closed period accepted a posting"
            posted.append(entry)
        elif op[0] == "reverse" and posted and closed_upto < 12:
            target = posted[op[1] % len(posted)]
            if target.reverses_id is None:
                ledger.entry_reverse(actor=None, entry=target, entry_date=_day(12), reason="r")
        elif op[0] == "close" and closed_upto < 12:
            closed_upto += 1
            periods.period_close(actor=chief, period=Period.objects.get(fiscal_year=books, month=closed_upto))
            frozen[closed_upto] = _period_sums()[closed_upto]

    rows = trial_balance(actor=chief, year_be=TODAY_FY)
    assert sum(r.debit for r in rows) == sum(r.credit for r in rows)
    for row in rows:
        assert row.debit - row.credit == account_balance(account=Account.objects.get(code=row.code))
    # the pre-summed balance table (which the trial balance reads) equals the sum of the lines
    assert balances.check() == []
    now = _period_sums()
    for month, sums in frozen.items():
        assert now[month] == sums, f"closed period {month} changed"
