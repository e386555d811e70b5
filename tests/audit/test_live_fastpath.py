"""The live analytics' set-based feed (plain values, days worked out by the database, the queue
written in batches) flags exactly what a straightforward recompute flags: the same rules over
payments built one model object at a time, with the full approval and request times, as the feed
did before it was made fast (issue 20's 1,000,000-payment benchmark)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from codi.audit import analytics, services
from codi.audit.models import AuditException
from codi.calendar.selectors import holiday_dates
from codi.finance.demo import finance_demo_load
from codi.finance.models import PaymentVoucher, Vendor, VoucherStatus, VoucherStep
from codi.procurement import audit_feed as procurement_feed
from codi.procurement.demo import procurement_demo_load
from codi.procurement.models import Delivery, RequisitionStep

pytestmark = pytest.mark.django_db

PAYMENT_RULES = [
    "duplicate_payment", "split_purchase", "paid_before_approval", "paid_before_inspection", "round_amount",
    "weekend_holiday", "numbering_gap",
]  # fmt: skip


def _bkk(day: date, hour: int) -> datetime:
    """``hour`` o'clock in Bangkok on ``day``, as UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=7)


@pytest.fixture
def books(people, budget) -> dict:
    """Vouchers written straight to the table (as the benchmark seeds them): every rule's planted
    positives and near misses, around day boundaries in Bangkok time."""
    year = budget.fiscal_year
    vendors = [
        Vendor.objects.create(name=f"ผู้ขาย {n}", tax_id=f"010555000{n:04d}", payee_type="juristic", bank_code="006",
                              account_no=f"111-2-{n:05d}-0")
        for n in range(4)
    ]  # fmt: skip
    rows = [
        # (vendor, amount, invoice, requested day, requested hour, approved day, approved hour, paid day)
        (0, "45000.00", "INV-1", date(2025, 1, 6), 9, date(2025, 1, 7), 10, date(2025, 1, 8)),
        (
            0,
            "45000.00",
            "INV-1",
            date(2025, 1, 9),
            9,
            date(2025, 1, 10),
            10,
            date(2025, 3, 3),
        ),  # same invoice
        (1, "12345.67", "A-1", date(2025, 1, 6), 9, date(2025, 1, 7), 10, date(2025, 1, 8)),
        (1, "12345.67", "A-2", date(2025, 1, 13), 9, date(2025, 1, 14), 10, date(2025, 1, 22)),  # 14 days
        (1, "22222.22", "A-3", date(2025, 1, 6), 9, date(2025, 1, 7), 10, date(2025, 1, 8)),
        (
            1,
            "22222.22",
            "A-4",
            date(2025, 1, 13),
            9,
            date(2025, 1, 14),
            10,
            date(2025, 1, 23),
        ),  # 15: near miss
        # split: three requests 29 days apart at most (the last at 05:00 Bangkok, 22:00 UTC the day before)
        (2, "200000.00", "S-1", date(2025, 2, 3), 9, date(2025, 2, 4), 10, date(2025, 2, 5)),
        (2, "190000.00", "S-2", date(2025, 2, 10), 9, date(2025, 2, 11), 10, date(2025, 2, 12)),
        (2, "150000.00", "S-3", date(2025, 3, 4), 5, date(2025, 3, 4), 10, date(2025, 3, 5)),
        (3, "300000.00", "T-1", date(2025, 2, 3), 9, date(2025, 2, 4), 10, date(2025, 2, 5)),
        (3, "250000.00", "T-2", date(2025, 3, 5), 6, date(2025, 3, 5), 10, date(2025, 3, 6)),  # 30 days: miss
        # paid the day before approval (the second approved at 01:00 Bangkok: 18:00 UTC on the day paid)
        (3, "5100.00", "E-1", date(2025, 4, 1), 9, date(2025, 4, 4), 10, date(2025, 4, 3)),
        (3, "5200.00", "E-2", date(2025, 4, 1), 9, date(2025, 4, 4), 1, date(2025, 4, 3)),
        (3, "5250.00", "E-3", date(2025, 4, 1), 9, date(2025, 4, 3), 1, date(2025, 4, 3)),  # same day: miss
        # approved on a Saturday; paid on a Sunday
        (3, "5300.00", "W-1", date(2025, 4, 1), 9, date(2025, 4, 5), 10, date(2025, 4, 7)),
        (3, "5400.00", "W-2", date(2025, 4, 1), 9, date(2025, 4, 3), 10, date(2025, 4, 6)),
    ]
    made = []
    sequence = 0
    for n, (vendor, amount, invoice, req_day, req_hour, ok_day, ok_hour, paid) in enumerate(rows):
        sequence += 2 if n == 9 else 1  # a gap in the numbering before the tenth voucher
        v = PaymentVoucher.objects.create(
            fiscal_year=year, sequence=sequence, budget_line=budget, payee_name=vendors[vendor].name,
            payee_bank_code="006", payee_account_no=vendors[vendor].account_no.replace("-", ""),
            amount=Decimal(amount), description=f"ค่าบริการ invoice {invoice}", status=VoucherStatus.PAID,
            created_by=people["maker"], paid_on=paid,
        )  # fmt: skip
        PaymentVoucher.objects.filter(pk=v.pk).update(created_at=_bkk(req_day, req_hour))
        VoucherStep.objects.create(
            voucher=v, task_key="approve", name="อนุมัติ", role="finance_director", opened_at=_bkk(req_day, req_hour),
            completed_at=_bkk(ok_day, ok_hour), outcome="approve",
        )  # fmt: skip
        made.append(v)
    return {"vouchers": made}


def _recompute() -> list[analytics.Flag]:
    """The rules over payments built one voucher object at a time, with full times in Bangkok."""
    vendors = {(v.bank_code, re.sub(r"\D", "", v.account_no)): v for v in Vendor.objects.all()}
    approved: dict[int, datetime] = {}
    for voucher_id, at in VoucherStep.objects.filter(
        task_key__in=("check", "approve"), outcome="approve"
    ).values_list("voucher_id", "completed_at"):
        if at is not None:
            approved[voucher_id] = max(at, approved.get(voucher_id, at))
    data = analytics.Dataset(holidays=frozenset(holiday_dates()))
    for v in (
        PaymentVoucher.objects.exclude(status__in=("draft", "rejected"))
        .select_related("fiscal_year", "budget_line__unit")
        .order_by("pk")
    ):
        vendor = vendors.get((v.payee_bank_code, re.sub(r"\D", "", v.payee_account_no)))
        invoice = re.search(r"invoice (\S+)", v.description)
        approved_at = approved.get(v.pk)
        source = f"finance.PaymentVoucher:{v.pk}"
        data.payments.append(
            analytics.Payment(
                v.number, vendor.tax_id if vendor else "", vendor.name if vendor else v.payee_name,
                invoice.group(1) if invoice else "", v.amount, v.budget_line.category, v.budget_line.unit.code,
                analytics._naive(v.created_at), analytics._naive(approved_at) if approved_at else None, None,
                v.paid_on, source,
            )
        )  # fmt: skip
        data.numbered.setdefault(f"PV{v.fiscal_year.year_be}", []).append((v.sequence, v.number, source))
    return analytics.run_rules(
        data, analytics.resolve_rules(PAYMENT_RULES), {"round_amount": {"min_amount": "100000"}}
    )


def test_fast_feed_flags_what_a_full_recompute_flags(people, books):
    expected = {(f.rule, f.payment_id, f.group_id, f.source) for f in _recompute()}
    # the planted ones are there (so that an empty answer on both sides cannot pass)
    rules = {rule for rule, *_ in expected}
    assert {"PV2570-00013", "PV2570-00014"} <= {
        record for rule, record, *_ in expected if rule == "paid_before_approval"
    }
    assert {"duplicate_payment", "split_purchase", "paid_before_approval", "weekend_holiday", "numbering_gap",
            "round_amount"} <= rules  # fmt: skip

    result = services.analytics_run(actor=people["auditor"], rules=PAYMENT_RULES)
    queued = {
        (e.rule, e.record_id, e.group_id, f"{e.source_type}:{e.source_id}")
        for e in AuditException.objects.filter(last_run=result.run)
    }
    assert queued == expected
    assert result.run.records["finance.payments"] == len(books["vouchers"])

    # the next run refreshes the same rows: nothing new, every one pointing at the new run
    again = services.analytics_run(actor=None, trigger="scheduled", rules=PAYMENT_RULES)
    assert again.new == 0
    assert AuditException.objects.filter(last_run=again.run).count() == len(expected)


def test_procurement_feed_rows_are_the_paid_deliveries(db):
    """The procurement feed's plain rows say what the delivery and requisition records say."""
    call_command("load_demo", verbosity=0)  # the demo users, as tests/procurement/test_demo.py loads them
    finance_demo_load()
    procurement_demo_load()
    rows = {row[0]: row for row in procurement_feed.delivery_payments()}
    paid = Delivery.objects.filter(paid_on__isnull=False).select_related(
        "contract__requisition__budget_line__unit"
    )
    assert paid and len(rows) == len(paid)
    for d in paid:
        req = d.contract.requisition
        step = (
            RequisitionStep.objects.filter(requisition=req, task_key="approve", outcome="approve")
            .exclude(completed_at=None)
            .order_by("-completed_at")
            .first()
        )
        assert rows[f"{req.number}-D{d.pk}"] == (
            f"{req.number}-D{d.pk}", d.contract.vendor_tax_id, d.contract.vendor_name, "", d.amount, req.category,
            req.budget_line.unit.code, timezone.localtime(req.created_at).date(),
            timezone.localtime(step.completed_at).date() if step else None, d.inspected_on, d.paid_on,
            f"procurement.Requisition:{req.pk}", None, None,
        )  # fmt: skip
