"""The finance demo: vouchers at every step, each made by the demo user of the right role."""

from __future__ import annotations

from decimal import Decimal

from django.core.management import call_command

from codi.finance.demo import finance_demo_load
from codi.finance.models import BudgetLine, JournalEntry, PaymentVoucher, StatementLine, VoucherStatus
from codi.finance.selectors import voucher_inbox
from codi.identity.models import User


def test_finance_demo_covers_every_step_and_is_idempotent(db):
    call_command("load_demo", verbosity=0)
    summary = finance_demo_load()
    assert summary.accounts_created == 31 and summary.budget_lines_created == 3
    assert sorted(summary.vouchers_by_step.values()) == sorted(
        ["prepare", "check", "approve", "pay", VoucherStatus.SENT, VoucherStatus.PAID, VoucherStatus.REJECTED]
    )
    inbox = {name: set(voucher_inbox(actor=User.objects.get(username=name)).values_list("current_step", flat=True))
             for name in ("demo_finance", "demo_chief_accountant", "demo_executive")}  # fmt: skip
    assert inbox == {
        "demo_finance": {"prepare", "pay"},
        "demo_chief_accountant": {"check"},
        "demo_executive": {"approve"},
    }
    paid = PaymentVoucher.objects.get(status=VoucherStatus.PAID)
    assert (
        paid.checked_by.username == "demo_chief_accountant" and paid.approved_by.username == "demo_executive"
    )
    assert StatementLine.objects.filter(voucher__isnull=True).count() == 1
    hq = BudgetLine.objects.get(code="DEMO-OP-HQ")
    assert (hq.committed, hq.actual) == (Decimal("0.00"), Decimal("50730.75"))
    entries = JournalEntry.objects.count()
    again = finance_demo_load()
    assert (again.accounts_created, again.budget_lines_created) == (0, 0)
    assert (
        JournalEntry.objects.count() == entries and PaymentVoucher.objects.filter(is_demo=True).count() == 7
    )
    from codi.finance.models import Receipt, VendorInvoice

    invoices = VendorInvoice.objects.order_by("invoice_number")
    assert [(i.vendor.payee_type, i.withholding) for i in invoices] == [
        ("juristic", Decimal("420.56")),  # the 1 % government-agency rule on 42,056.07
        ("individual", Decimal("750.00")),  # professional fees keep 3 %
    ]
    assert Receipt.objects.count() == 1
