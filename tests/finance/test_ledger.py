"""The ledger: balanced or refused, immutable, idempotent by source, reversals, budget control."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codi.core.models import AuditEntry
from codi.finance import ledger
from codi.finance.ledger import FinanceError, LineSpec
from codi.finance.models import Account, BudgetLine, Commitment, JournalEntry, JournalLine
from codi.finance.selectors import account_balance, trial_balance
from tests.finance.conftest import IN_FY, TODAY_FY

BANK, PAYABLE, EXPENSE, REVENUE = "1101020601", "2101010102", "5104010112", "4307010101"


def _pay(amount: str, source: str = "1", **kw) -> JournalEntry:
    return ledger.entry_post(
        actor=None, entry_date=IN_FY, description="test", source_type="test", source_id=source,
        lines=[LineSpec(EXPENSE, debit=Decimal(amount), **kw), LineSpec(BANK, credit=Decimal(amount))],
    )  # fmt: skip


def test_chart_load_creates_the_documented_accounts_once(books):
    assert Account.objects.count() == 31
    assert ledger.chart_load(actor=None) == (0, 0)
    assert Account.objects.get(code=BANK).name_th.startswith("เงินฝากธนาคาร")


def test_fiscal_year_runs_october_to_september_in_buddhist_era():
    assert ledger.fiscal_year_of(date(2025, 9, 30)) == 2568
    assert ledger.fiscal_year_of(date(2025, 10, 1)) == 2569
    assert ledger.fiscal_year_bounds(2569) == (date(2025, 10, 1), date(2026, 9, 30))


def test_a_balanced_entry_is_numbered_and_audited(books):
    entry = _pay("1500.25")
    assert entry.number == f"GL{TODAY_FY}-000001"
    assert entry.total == Decimal("1500.25")
    assert [(line.debit, line.credit) for line in entry.lines.all()] == [
        (Decimal("1500.25"), Decimal("0.00")),
        (Decimal("0.00"), Decimal("1500.25")),
    ]
    assert AuditEntry.objects.filter(action="finance.entry_post", object_id=str(entry.pk)).count() == 1
    assert _pay("10", source="2").number == f"GL{TODAY_FY}-000002"


def test_an_unbalanced_entry_is_refused_and_nothing_is_written(books):
    with pytest.raises(FinanceError) as error:
        ledger.entry_post(
            actor=None, entry_date=IN_FY, description="x", source_type="test", source_id="u",
            lines=[LineSpec(EXPENSE, debit=Decimal("100")), LineSpec(BANK, credit=Decimal("99.99"))],
        )  # fmt: skip
    assert "ไม่สมดุล" in error.value.message_th and "100.00" in error.value.message_en
    assert JournalEntry.objects.count() == 0 and JournalLine.objects.count() == 0


@pytest.mark.parametrize(
    "lines",
    [
        [LineSpec(EXPENSE, debit=Decimal("5"))],
        [LineSpec(EXPENSE, debit=Decimal("5"), credit=Decimal("5")), LineSpec(BANK, credit=Decimal("0"))],
        [LineSpec(EXPENSE, debit=Decimal("5.001")), LineSpec(BANK, credit=Decimal("5.001"))],
        [LineSpec("9999999999", debit=Decimal("5")), LineSpec(BANK, credit=Decimal("5"))],
    ],
)
def test_bad_lines_are_refused(books, lines):
    with pytest.raises(FinanceError):
        ledger.entry_post(
            actor=None, entry_date=IN_FY, description="x", source_type="test", source_id="b", lines=lines
        )
    assert JournalEntry.objects.count() == 0


def test_posting_the_same_source_twice_returns_the_first_entry(books):
    first = _pay("100", source="disb-7")
    again = _pay("100", source="disb-7")
    assert again.pk == first.pk
    assert JournalEntry.objects.count() == 1


def test_posted_rows_cannot_be_changed_or_deleted_in_the_database(books):
    entry = _pay("100")
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        JournalLine.objects.filter(entry=entry).update(debit=Decimal("1"))
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).delete()
    assert JournalLine.objects.filter(entry=entry, debit=Decimal("100")).count() == 1


def test_the_database_refuses_a_header_that_does_not_balance(books):
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalEntry.objects.create(
            fiscal_year=books, sequence=99, entry_date=IN_FY, description="x", source_type="raw", source_id="1",
            total=Decimal("5"), total_debit=Decimal("5"), total_credit=Decimal("4"),
        )  # fmt: skip


def test_a_reversal_mirrors_the_entry_and_is_made_once(books):
    entry = _pay("250")
    reversal = ledger.entry_reverse(actor=None, entry=entry, entry_date=IN_FY, reason="ผิดบัญชี")
    assert reversal.reverses_id == entry.pk
    assert account_balance(account=Account.objects.get(code=EXPENSE)) == Decimal("0.00")
    assert ledger.entry_reverse(actor=None, entry=entry, entry_date=IN_FY, reason="again").pk == reversal.pk
    with pytest.raises(FinanceError):
        ledger.entry_reverse(actor=None, entry=reversal, entry_date=IN_FY, reason="x")


def test_posting_to_a_closed_or_missing_year_is_refused(books):
    ledger.fiscal_year_close(actor=None, year=books)
    with pytest.raises(FinanceError, match="2570"):
        _pay("10")
    with pytest.raises(FinanceError):
        ledger.entry_post(
            actor=None, entry_date=date(2030, 1, 1), description="x", source_type="t", source_id="9",
            lines=[LineSpec(EXPENSE, debit=Decimal("1")), LineSpec(BANK, credit=Decimal("1"))],
        )  # fmt: skip


def test_a_commitment_beyond_the_available_balance_is_refused_naming_it(budget):
    ledger.budget_commit(actor=None, budget_line=budget, amount=Decimal("60000"), source_key="pv:1")
    with pytest.raises(FinanceError) as error:
        ledger.budget_commit(actor=None, budget_line=budget, amount=Decimal("40000.01"), source_key="pv:2")
    assert "40,000.00" in error.value.message_th
    budget.refresh_from_db()
    assert (budget.committed, budget.available) == (Decimal("60000.00"), Decimal("40000.00"))
    assert Commitment.objects.count() == 1


def test_commit_is_idempotent_and_consume_and_release_move_the_numbers(budget):
    first = ledger.budget_commit(actor=None, budget_line=budget, amount=Decimal("100"), source_key="pv:1")
    assert (
        ledger.budget_commit(actor=None, budget_line=budget, amount=Decimal("100"), source_key="pv:1")
        == first
    )
    ledger.budget_consume(actor=None, commitment=first)
    second = ledger.budget_commit(actor=None, budget_line=budget, amount=Decimal("30"), source_key="pv:2")
    ledger.budget_release(actor=None, commitment=second)
    ledger.budget_release(actor=None, commitment=second)
    budget.refresh_from_db()
    assert (budget.committed, budget.actual) == (Decimal("0.00"), Decimal("100.00"))


def test_spend_lines_move_the_budget_and_refuse_overspending(budget):
    _pay("99000", source="s1", budget_line_id=budget.pk, spend=True)
    with pytest.raises(FinanceError, match=r"1,000\.00"):
        _pay("1000.01", source="s2", budget_line_id=budget.pk, spend=True)
    assert BudgetLine.objects.get(pk=budget.pk).actual == Decimal("99000.00")
    assert JournalEntry.objects.count() == 1


operations = st.lists(
    st.tuples(
        st.sampled_from(["post", "reverse"]),
        st.sampled_from([(EXPENSE, BANK), (BANK, REVENUE), (EXPENSE, PAYABLE), (PAYABLE, BANK)]),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_trial_balance_always_balances_and_accounts_equal_their_lines(books, ops, django_user_model):
    from codi.identity.models import RoleAssignment

    viewer = django_user_model.objects.create(username=f"tb{JournalEntry.objects.count()}-{len(ops)}x")
    RoleAssignment.objects.get_or_create(user=viewer, role="finance_officer", scope_level="country")
    start = JournalEntry.objects.count()
    for number, (kind, (debit, credit), amount) in enumerate(ops):
        posted = ledger.entry_post(
            actor=None, entry_date=IN_FY, description="p", source_type="prop", source_id=f"{start}-{number}",
            lines=[LineSpec(debit, debit=amount), LineSpec(credit, credit=amount)],
        )  # fmt: skip
        if kind == "reverse":
            ledger.entry_reverse(actor=None, entry=posted, entry_date=IN_FY, reason="r")
    rows = trial_balance(actor=viewer, year_be=TODAY_FY)
    assert sum(r.debit for r in rows) == sum(r.credit for r in rows)
    for row in rows:
        account = Account.objects.get(code=row.code)
        assert row.debit - row.credit == account_balance(account=account)
