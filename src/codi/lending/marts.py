"""Lending facts for the analytics store (read-only; only the lending app's tables).

``loans``: one row per loan (status and dates change: rebuilt when its fingerprint changes).
``instalments``: the current schedule's instalments with what is due and paid, the loan's id, status
and subdistrict (payments change them, so the mart is rebuilt when the count, the largest id, the
sums paid or the loans' states change; a refresh with no repayment since the last one skips it).
The loan book allocates a repayment to the loan, not to an instalment, so an instalment has no
payment date of its own: what it holds is what is paid of it now. Days past due as of a date are
counted at query time, as the portfolio counts them (``codi.lending.selectors``): from the oldest
current instalment still unpaid (principal or interest) that fell due before that date; the
EIS's NPL reads them so (``codi.insights.eis.mart_sources.npl_ratio``). See ``codi.core.marts``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Sum

from codi.core.marts import MartSource, columns_of, fingerprint
from codi.lending.models import Instalment, Loan

_LOANS = (
    ("id", "int", "lending.Loan.id", "id"),
    ("number", "str", "lending.Loan.number", "number"),
    ("product", "str", "lending.LoanProduct.code via Loan.product", "product__code"),
    ("status", "str", "lending.Loan.status", "status"),
    ("subdistrict", "str", "lending.Loan.subdistrict", "subdistrict_id"),
    ("applied_on", "date", "lending.Loan.applied_on", "applied_on"),
    ("disbursed_on", "date", "lending.Loan.disbursed_on", "disbursed_on"),
    ("principal", "decimal", "lending.Loan.principal", "principal"),
    ("annual_rate", "float", "lending.Loan.annual_rate (% a year)", "annual_rate"),
    ("months", "int", "lending.Loan.months", "months"),
)


def loans(after: Any) -> Iterator[tuple[Any, ...]]:
    return Loan.objects.order_by("id").values_list(*[f[3] for f in _LOANS]).iterator(chunk_size=5000)


def loans_fingerprint() -> str:
    states = sorted(Loan.objects.values_list("status").annotate(n=Count("id")))
    return fingerprint(Loan.objects, states, p=Sum("principal"))


_INST = (
    ("id", "int", "lending.Instalment.id", "id"),
    ("loan", "str", "lending.Loan.number via Instalment.loan", "loan__number"),
    ("loan_id", "int", "lending.Instalment.loan", "loan_id"),
    ("loan_status", "str", "lending.Loan.status via Instalment.loan", "loan__status"),
    ("n", "int", "lending.Instalment.n", "n"),
    ("due_date", "date", "lending.Instalment.due_date", "due_date"),
    ("subdistrict", "str", "lending.Loan.subdistrict via Instalment.loan", "loan__subdistrict_id"),
    ("principal_due", "decimal", "lending.Instalment.principal_due", "principal_due"),
    ("interest_due", "decimal", "lending.Instalment.interest_due", "interest_due"),
    ("principal_paid", "decimal", "lending.Instalment.principal_paid", "principal_paid"),
    ("interest_paid", "decimal", "lending.Instalment.interest_paid", "interest_paid"),
    ("penalty_charged", "decimal", "lending.Instalment.penalty_charged", "penalty_charged"),
    ("penalty_paid", "decimal", "lending.Instalment.penalty_paid", "penalty_paid"),
)
_INST_MEASURES = (
    "principal_due",
    "interest_due",
    "principal_paid",
    "interest_paid",
    "penalty_charged",
    "penalty_paid",
)


def instalments(after: Any) -> Iterator[tuple[Any, ...]]:
    rows = Instalment.objects.filter(is_current=True).order_by("id")
    return rows.values_list(*[f[3] for f in _INST]).iterator(chunk_size=20000)


def instalments_fingerprint() -> str:
    states = sorted(Loan.objects.values_list("status").annotate(n=Count("id")))
    current = Instalment.objects.filter(is_current=True)
    return fingerprint(current, states, **{k: Sum(k) for k in _INST_MEASURES})


MARTS = [
    MartSource(
        name="loans",
        title_en="Loans",
        app_label="lending",
        selector="codi.lending.marts.loans",
        columns=columns_of(_LOANS),
        rows=loans,
        date_column="applied_on",
        measures=("principal",),
        fingerprint=loans_fingerprint,
    ),
    MartSource(
        name="instalments",
        title_en="Loan instalments (current schedules)",
        app_label="lending",
        selector="codi.lending.marts.instalments",
        columns=columns_of(_INST),
        rows=instalments,
        date_column="due_date",
        measures=_INST_MEASURES,
        fingerprint=instalments_fingerprint,
    ),
]
