"""The posting facade other apps call: procurement, people/payroll, lending, receipts.

Each function builds the balanced lines for one kind of business document and calls
``codi.finance.ledger.entry_post`` (one transaction, audited, idempotent on
``(source_type, source_id)``: posting the same document again returns its first entry). A refused
posting raises ``FinanceError`` (``message_th`` / ``message_en``) and writes nothing.

    from codi.finance import services as finance

    finance.post_expense(actor=user, entry_date=day, description="ค่าจ้างเหมา ...",
                         source_type="procurement.invoice", source_id=str(invoice.pk),
                         expense_account="5104010112", amount=Decimal("10000.00"),
                         vat=Decimal("700.00"), withholding=Decimal("300.00"),
                         budget_line_id=line.pk)
    finance.post_payroll(...); finance.post_receipt(...); finance.post_payment(...)
    finance.reverse_source(actor=user, source_type=..., source_id=..., entry_date=day, reason="...")

Dimensions: every wrapper takes ``dimensions`` (``Dimensions(org_unit=..., fund=..., program=...,
project=..., region=..., province=...)`` or a dict of the same keys) for all its lines; blanks are
filled from ``budget_line_id``'s budget line (unit, fund, program, region).

Budget control: pass ``commitment`` (from ``ledger.budget_commit`` at PR/PO time) to turn it into
actual spending in the same transaction, or ``spend=True`` with ``budget_line_id`` to spend the
line directly (checked under its row lock, refused with the available amount on overspend).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from codi.finance.dimensions import Dimensions, Fund
from codi.finance.ledger import (
    FinanceError,
    LineSpec,
    budget_commit,
    budget_consume,
    budget_release,
    entry_post,
    entry_reverse,
    fiscal_year_of,
    money,
)
from codi.finance.models import ZERO, Commitment, JournalEntry

__all__ = [
    "ACCOUNTS",
    "Dimensions",
    "FinanceError",
    "Fund",
    "LineSpec",
    "budget_commit",
    "budget_consume",
    "budget_release",
    "entry_for_source",
    "fiscal_year_of",
    "money",
    "post_entry",
    "post_expense",
    "post_payment",
    "post_payroll",
    "post_receipt",
    "reverse_source",
]

# The control accounts the wrappers use (codes of data/chart_of_accounts.csv).
ACCOUNTS = {
    "bank": "1101020601",
    "trade_payable": "2101010101",
    "voucher_payable": "2101010102",
    "withholding_payable": "2102040101",
    "social_security_payable": "2102040102",
    "vat_input": "1104010101",
    "vat_output": "2102040103",
    "salaries": "5101010101",
    "social_security_expense": "5101020101",
    "fee_income": "4203010101",
}

post_entry = entry_post


def _positive(value: Decimal | str | int, field: str) -> Decimal:
    amount = money(value, field=field)
    if amount <= ZERO:
        raise FinanceError(f"จำนวนเงินต้องมากกว่าศูนย์ ({field})", f"The amount must be more than zero ({field})")
    return amount


def _not_negative(value: Decimal | str | int, field: str) -> Decimal:
    amount = money(value, field=field)
    if amount < ZERO:
        raise FinanceError(f"จำนวนเงินต้องไม่ติดลบ ({field})", f"The amount cannot be negative ({field})")
    return amount


def entry_for_source(*, source_type: str, source_id: str) -> JournalEntry | None:
    """The entry posted for a source document, if any."""
    return JournalEntry.objects.filter(source_type=source_type, source_id=str(source_id)).first()


def post_expense(
    *,
    actor: Any,
    entry_date: date,
    description: str,
    source_type: str,
    source_id: str,
    expense_account: str,
    amount: Decimal | str,
    vat: Decimal | str = ZERO,
    withholding: Decimal | str = ZERO,
    credit_account: str = ACCOUNTS["trade_payable"],
    budget_line_id: int | None = None,
    spend: bool = False,
    commitment: Commitment | None = None,
    dimensions: Dimensions | dict[str, str] | None = None,
) -> JournalEntry:
    """An expense (a vendor invoice, a claim): Dr expense (+ Dr input VAT), Cr withholding tax
    payable and Cr ``credit_account`` (trade payables by default) with the net owed.

    ``amount`` excludes VAT; ``withholding`` is deducted from what is owed to the payee.
    """
    net_amount = _positive(amount, "amount")
    vat_amount = _not_negative(vat, "vat")
    wht_amount = _not_negative(withholding, "withholding")
    owed = net_amount + vat_amount - wht_amount
    if owed <= ZERO:
        raise FinanceError("ภาษีหัก ณ ที่จ่ายมากกว่ายอดที่ต้องจ่าย", "Withholding exceeds the amount owed")
    lines = [
        LineSpec(
            expense_account, debit=net_amount, budget_line_id=budget_line_id, spend=spend, memo=description
        )
    ]
    if vat_amount:
        lines.append(LineSpec(ACCOUNTS["vat_input"], debit=vat_amount, memo="VAT"))
    if wht_amount:
        lines.append(LineSpec(ACCOUNTS["withholding_payable"], credit=wht_amount, memo="WHT"))
    lines.append(LineSpec(credit_account, credit=owed, memo=description))
    with transaction.atomic():
        entry = entry_post(
            actor=actor, entry_date=entry_date, description=description, lines=lines,
            source_type=source_type, source_id=source_id, dimensions=dimensions,
        )  # fmt: skip
        if commitment is not None:
            budget_consume(actor=actor, commitment=commitment)
    return entry


def post_payroll(
    *,
    actor: Any,
    entry_date: date,
    description: str,
    source_type: str,
    source_id: str,
    gross: Decimal | str,
    withholding: Decimal | str = ZERO,
    social_security_employee: Decimal | str = ZERO,
    social_security_employer: Decimal | str = ZERO,
    other_deductions: Decimal | str = ZERO,
    other_deductions_account: str = ACCOUNTS["voucher_payable"],
    salary_account: str = ACCOUNTS["salaries"],
    pay_account: str = ACCOUNTS["bank"],
    budget_line_id: int | None = None,
    dimensions: Dimensions | dict[str, str] | None = None,
) -> JournalEntry:
    """A payslip run: Dr salaries (gross) and employer social security; Cr withholding tax,
    social security payable (employee + employer), other deductions, and the bank with net pay."""
    gross_amount = _positive(gross, "gross")
    wht = _not_negative(withholding, "withholding")
    sso_emp = _not_negative(social_security_employee, "social_security_employee")
    sso_er = _not_negative(social_security_employer, "social_security_employer")
    other = _not_negative(other_deductions, "other_deductions")
    net = gross_amount - wht - sso_emp - other
    if net <= ZERO:
        raise FinanceError("ยอดหักมากกว่าเงินเดือนรวม", "Deductions exceed the gross pay")
    lines = [LineSpec(salary_account, debit=gross_amount, budget_line_id=budget_line_id)]
    if sso_er:
        lines.append(
            LineSpec(ACCOUNTS["social_security_expense"], debit=sso_er, budget_line_id=budget_line_id)
        )
    if wht:
        lines.append(LineSpec(ACCOUNTS["withholding_payable"], credit=wht))
    if sso_emp + sso_er:
        lines.append(LineSpec(ACCOUNTS["social_security_payable"], credit=sso_emp + sso_er))
    if other:
        lines.append(LineSpec(other_deductions_account, credit=other))
    lines.append(LineSpec(pay_account, credit=net, memo="net pay"))
    return entry_post(
        actor=actor, entry_date=entry_date, description=description, lines=lines,
        source_type=source_type, source_id=source_id, dimensions=dimensions,
    )  # fmt: skip


def post_receipt(
    *,
    actor: Any,
    entry_date: date,
    description: str,
    source_type: str,
    source_id: str,
    amount: Decimal | str,
    credit_account: str,
    debit_account: str = ACCOUNTS["bank"],
    dimensions: Dimensions | dict[str, str] | None = None,
) -> JournalEntry:
    """Money in (a fee, a project return, a loan repayment): Dr bank, Cr ``credit_account``."""
    value = _positive(amount, "amount")
    return entry_post(
        actor=actor, entry_date=entry_date, description=description,
        lines=[LineSpec(debit_account, debit=value, memo=description), LineSpec(credit_account, credit=value)],
        source_type=source_type, source_id=source_id, dimensions=dimensions,
    )  # fmt: skip


def post_payment(
    *,
    actor: Any,
    entry_date: date,
    description: str,
    source_type: str,
    source_id: str,
    amount: Decimal | str,
    debit_account: str = ACCOUNTS["trade_payable"],
    credit_account: str = ACCOUNTS["bank"],
    dimensions: Dimensions | dict[str, str] | None = None,
) -> JournalEntry:
    """Money out settling a liability: Dr the payable, Cr bank."""
    value = _positive(amount, "amount")
    return entry_post(
        actor=actor, entry_date=entry_date, description=description,
        lines=[LineSpec(debit_account, debit=value, memo=description), LineSpec(credit_account, credit=value)],
        source_type=source_type, source_id=source_id, dimensions=dimensions,
    )  # fmt: skip


def reverse_source(
    *, actor: Any, source_type: str, source_id: str, entry_date: date, reason: str
) -> JournalEntry:
    """Reverse the entry posted for a source document (a cancelled invoice, a voided payslip run)."""
    entry = entry_for_source(source_type=source_type, source_id=source_id)
    if entry is None:
        raise FinanceError("ไม่พบรายการบัญชีของเอกสารนี้", "No entry was posted for this document")
    return entry_reverse(actor=actor, entry=entry, entry_date=entry_date, reason=reason)
