"""Live platform data for the analytics, read through each app's read-only ``audit_feed``.

An app that is not installed is skipped (the engine runs on whatever modules exist); what each
feed returned is counted on the run.

The payment feeds are the large ones (every voucher and paid delivery): they stream plain tuples in
the column order of ``codi.finance.audit_feed.PAYMENT_COLUMNS`` (the form's columns, then the
evidence link, the numbered series and the number), read set-based by each app, and become
:class:`Payment` records here without any per-row model object. Their times are days (``date``,
Bangkok), as the rules compare them with the paid date, which has no time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps

from codi.audit.analytics import BankAccount, Dataset, Disbursement, EmployeeYear, Payment, _naive
from codi.calendar.selectors import holiday_dates
from codi.finance import audit_feed as finance_feed
from codi.people import audit_feed as people_feed
from codi.procurement import audit_feed as procurement_feed
from codi.projects import audit_feed as projects_feed


def _when(value: Any) -> Any:
    return _naive(value) if isinstance(value, datetime) else value


def _payments(rows: Iterable[tuple[Any, ...]], data: Dataset) -> int:
    """Payment records (and the numbered series) from the feed's tuples; returns how many."""
    payments, numbered = data.payments, data.numbered
    count = 0
    for row in rows:
        (payment_id, tax_id, name, invoice, amount, category, unit, requested, approved, inspected, paid, source,
         series, sequence) = row  # fmt: skip
        payments.append(
            Payment(
                payment_id, tax_id or "", name or "", invoice or "", amount, category or "", unit or "",
                requested, approved, inspected, paid, source,
            )
        )  # fmt: skip
        if series is not None:
            numbered.setdefault(series, []).append((sequence, payment_id, source))
        count += 1
    return count


def _feeds() -> list[tuple[str, str, Callable[[], Iterable[Any]]]]:
    """(app, what, feed) in the order they are read."""
    return [
        ("codi.finance", "payments", finance_feed.voucher_payments),
        ("codi.procurement", "payments", procurement_feed.delivery_payments),
        ("codi.finance", "bank_accounts", finance_feed.vendor_accounts),
        ("codi.people", "bank_accounts", people_feed.employee_accounts),
        ("codi.people", "employee_years", people_feed.employee_years),
        ("codi.projects", "disbursements", projects_feed.disbursements),
    ]


def live_dataset() -> tuple[Dataset, dict[str, int]]:
    data = Dataset(holidays=frozenset(holiday_dates()))
    counts: dict[str, int] = {}
    for app, what, feed in _feeds():
        if not apps.is_installed(app):
            continue
        key = f"{app.removeprefix('codi.')}.{what}"
        if what == "payments":
            counts[key] = counts.get(key, 0) + _payments(feed(), data)
            continue
        rows = list(feed())
        counts[key] = counts.get(key, 0) + len(rows)
        if what == "bank_accounts":
            data.bank_accounts.extend(
                BankAccount(r["owner_kind"], r["owner_id"], r["owner_name"], r["bank_code"], r["account_no"],
                            f"{r['source_type']}:{r['source_id']}")
                for r in rows
            )  # fmt: skip
        elif what == "employee_years":
            data.employee_years.extend(
                EmployeeYear(r["employee_id"], r["name"], r["year"], r["paid_total"], r["attendance_days"],
                             r["leave_days"], f"{r['source_type']}:{r['source_id']}")
                for r in rows
            )  # fmt: skip
        elif what == "disbursements":
            data.disbursements.extend(
                Disbursement(r["disbursement_id"], r["project"], Decimal(r["amount"]), _when(r["paid_at"]),
                             r["report_accepted"], f"{r['source_type']}:{r['source_id']}")
                for r in rows
            )  # fmt: skip
    return data, counts
