"""The plan's KPIs read from the analytics store: DuckDB queries over the Parquet marts, each
filtered by the viewer's provinces (``None``: the whole country) before it is grouped, keyed by the
finest area the mart knows (the subdistrict) so the board can drill down below the province.

Each query matches its operational source in ``codi.insights.eis.sources`` for the same rows (the
tests compare them); what differs is only the moment: the marts hold the rows of their last refresh
(the page shows when that was).
"""

from __future__ import annotations

import re
import threading
from datetime import date
from decimal import Decimal
from typing import Any

import duckdb
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codi.feedback.selectors import OPEN_STATUSES
from codi.insights.eis.registry import Fact, NoDataError, Record
from codi.insights.marts import store

ZERO = Decimal("0")


_local = threading.local()


def _connection() -> duckdb.DuckDBPyConnection:
    """This thread's DuckDB connection, kept between KPIs and requests: opening one and reading the
    Parquet footers again for every KPI cost more than the queries themselves."""
    con = getattr(_local, "con", None)
    if con is None:
        con = _local.con = duckdb.connect(database=":memory:", config={"threads": 2})
        _local.views = {}
    return con


def _run(marts: tuple[str, ...], sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` with each named mart as a view of its current Parquet parts (a view is redefined
    only when a refresh has changed the mart's parts)."""
    con = _connection()
    views: dict[str, str] = _local.views
    for name in marts:
        m = store.manifest(name)
        if m is None or not m.parts:
            raise NoDataError(_("The analytics store has not been built yet."))
        files = ", ".join("'" + p.replace("'", "''") + "'" for p in store.part_paths(m))
        if views.get(name) != files:
            con.execute(f'CREATE OR REPLACE VIEW "{name}" AS SELECT * FROM read_parquet([{files}])')  # noqa: S608 - our own mart names and file paths, quoted
            views[name] = files
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}  # DuckDB refuses unused ones
    return con.execute(sql, used).fetchall()


# The scope clause every query ends its WHERE with: the viewer's provinces only (a row with no area
# is for country-wide viewers only): " AND ($all OR province IN (SELECT unnest($provinces)))".


def _scope(provinces: frozenset[str] | None, params: dict[str, Any]) -> dict[str, Any]:
    params["all"] = provinces is None
    params["provinces"] = sorted(provinces or ()) or [""]
    return params


def _dec(value: Any) -> Decimal:
    return ZERO if value is None else Decimal(str(value))


def budget_disbursement(provinces: frozenset[str] | None, fiscal_year: int) -> dict[str, Fact]:
    """Disbursed installments against approved amounts of the year's projects, per subdistrict; a
    province with nothing approved is left out (as the operational dashboard leaves it out)."""
    params = _scope(provinces, {"year": fiscal_year})
    rows = _run(
        ("projects",),
        "SELECT subdistrict, disbursed, approved FROM ("
        " SELECT subdistrict, disbursed, approved, sum(approved) OVER (PARTITION BY province) AS in_province"
        " FROM (SELECT province, subdistrict, sum(disbursed) AS disbursed, sum(approved) AS approved"
        "  FROM projects WHERE fiscal_year = $year"
        "  AND ($all OR province IN (SELECT unnest($provinces))) GROUP BY province, subdistrict)"
        ") WHERE in_province <> 0",
        params,
    )
    facts = {code or "": Fact(_dec(paid), _dec(approved)) for code, paid, approved in rows}
    if not facts:
        raise NoDataError(_("No approved project in this fiscal year."))
    return facts


def project_records(provinces: frozenset[str] | None, fiscal_year: int, subdistrict: str) -> list[Record]:
    params = _scope(provinces, {"year": fiscal_year, "sub": subdistrict})
    rows = _run(
        ("projects",),
        "SELECT id, code, title, disbursed, approved FROM projects WHERE fiscal_year = $year"
        " AND subdistrict = $sub AND approved > 0"
        " AND ($all OR province IN (SELECT unnest($provinces))) ORDER BY code",
        params,
    )
    return [
        Record(
            f"{code} {title}",
            reverse("projects:project_detail", args=[pk]),
            (_dec(paid) * 100 / _dec(approved)).quantize(Decimal("0.01")) if approved else None,
        )
        for pk, code, title, paid, approved in rows
    ]


# A ticket is late when open past its deadline, or resolved after it (``feedback.selectors``' rule).


def _open() -> list[str]:
    return [str(s) for s in OPEN_STATUSES]


def feedback_within_sla(provinces: frozenset[str] | None, fiscal_year: int) -> dict[str, Fact]:
    """Tickets received in the year not past their resolution deadline, per subdistrict."""
    params = _scope(provinces, {"year": fiscal_year, "open": _open(), "now": timezone.now()})
    rows = _run(
        ("tickets",),
        "SELECT subdistrict, count(*), count(*) FILTER (WHERE"
        " (status IN (SELECT unnest($open)) AND resolve_due_at < $now)"
        " OR (resolved_at IS NOT NULL AND resolved_at > resolve_due_at))"
        " FROM tickets WHERE fiscal_year = $year"
        " AND ($all OR province IN (SELECT unnest($provinces))) GROUP BY subdistrict",
        params,
    )
    facts = {code or "": Fact(Decimal(total - late), Decimal(total)) for code, total, late in rows}
    if not facts:
        raise NoDataError(_("No feedback received in this fiscal year."))
    return facts


def ticket_records(provinces: frozenset[str] | None, fiscal_year: int, subdistrict: str) -> list[Record]:
    params = _scope(
        provinces, {"year": fiscal_year, "sub": subdistrict, "open": _open(), "now": timezone.now()}
    )
    rows = _run(
        ("tickets",),
        "SELECT id, reference, NOT coalesce((status IN (SELECT unnest($open)) AND resolve_due_at < $now)"
        " OR (resolved_at IS NOT NULL AND resolved_at > resolve_due_at), false)"
        " FROM tickets WHERE fiscal_year = $year AND subdistrict = $sub"
        " AND ($all OR province IN (SELECT unnest($provinces))) ORDER BY reference",
        params,
    )
    return [
        Record(reference, reverse("feedback:ticket_detail", args=[pk]), Decimal(100 if on_time else 0))
        for pk, reference, on_time in rows
    ]


def users_satisfied(provinces: frozenset[str] | None, fiscal_year: int) -> dict[str, Fact]:
    """Answers of 4 or 5 among the survey's answers in the year (the survey has no area: country)."""
    rows = _run(
        ("satisfaction",),
        "SELECT count(*), coalesce(sum(satisfied), 0) FROM satisfaction WHERE quarter LIKE $prefix",
        {"prefix": f"{fiscal_year}-%"},
    )
    total, satisfied = rows[0]
    if not total:
        raise NoDataError(_("No survey answer in this fiscal year."))
    return {"": Fact(Decimal(satisfied), Decimal(total))}


# NPL, as the loan book's portfolio counts it (``codi.lending.selectors``): of the active loans, the
# outstanding principal (principal due less paid on the current schedule) of those more than 90 days
# past due, against all their outstanding principal; a loan's days past due run from its oldest
# current instalment still unpaid (principal or interest) that fell due before the as-of date.

_LOANS_AS_OF = (
    "SELECT loan_id, any_value(loan) AS loan, any_value(subdistrict) AS subdistrict,"
    " sum(principal_due - principal_paid) AS outstanding,"
    " min(due_date) FILTER (WHERE due_date < $as_of"
    "  AND (principal_paid < principal_due OR interest_paid < interest_due)) AS oldest"
    " FROM instalments WHERE loan_status = 'active'"
    " AND ($all OR province IN (SELECT unnest($provinces))) GROUP BY loan_id"
)


def npl_as_of(fiscal_year: int) -> date:
    """The end of the fiscal year (B.E.), or today while the year runs."""
    ce = fiscal_year - 543
    first, last = date(ce - 1, 10, 1), date(ce, 9, 30)
    as_of = min(last, timezone.localdate())
    if as_of < first:
        raise NoDataError(_("The fiscal year has not started."))
    return as_of


def npl_ratio(provinces: frozenset[str] | None, fiscal_year: int) -> dict[str, Fact]:
    """Outstanding principal of active loans more than 90 days past due against all their
    outstanding principal, per subdistrict of the loan, as of the end of the fiscal year."""
    params = _scope(provinces, {"as_of": npl_as_of(fiscal_year)})
    rows = _run(
        ("instalments",),
        f"SELECT subdistrict, coalesce(sum(outstanding) FILTER (WHERE date_diff('day', oldest, $as_of) > 90), 0), coalesce(sum(outstanding), 0) FROM ({_LOANS_AS_OF}) GROUP BY subdistrict",  # noqa: S608 - our own SQL text
        params,
    )
    facts = {code or "": Fact(_dec(npl), _dec(outstanding)) for code, npl, outstanding in rows}
    if not facts:
        raise NoDataError(_("No active loan."))
    return facts


def loan_records(provinces: frozenset[str] | None, fiscal_year: int, subdistrict: str) -> list[Record]:
    """The subdistrict's active loans: 100 for a loan more than 90 days past due, else 0."""
    as_of = npl_as_of(fiscal_year)
    params = _scope(provinces, {"as_of": as_of, "sub": subdistrict})
    rows = _run(
        ("instalments",),
        f"SELECT loan_id, loan, oldest FROM ({_LOANS_AS_OF}) WHERE subdistrict = $sub ORDER BY loan",  # noqa: S608 - our own SQL text
        params,
    )
    records = []
    for pk, number, oldest in rows:
        days = (as_of - oldest).days if oldest else 0
        label = _("%(number)s, %(days)s days past due") % {"number": number, "days": days}
        records.append(
            Record(label, reverse("lending:loan_detail", args=[pk]), Decimal(100 if days > 90 else 0))
        )
    return records
