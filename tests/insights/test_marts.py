"""The analytics store: every mart refreshed from the modules' demo data, each mart's totals equal to
the operational tables' totals for the same filter, incremental refresh, the atomic swap, the
page and the downloads with the reader's area scope, and the lineage in the data catalog.

The demo data are loaded once for the module (inside one transaction rolled back at the end) and
the marts written to a temporary folder; each test runs inside a savepoint of it."""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from codi.core.marts import mart_sources
from codi.core.thaidate import fiscal_year_be
from codi.finance.ledger import LineSpec, entry_post
from codi.finance.models import BudgetLine, JournalLine
from codi.governance.lineage import lineage_problems
from codi.insights.eis import board as eis_board
from codi.insights.eis.registry import kpi_get
from codi.insights.eis.scope import scope_for
from codi.insights.marts import store, tasks
from codi.insights.models import SatisfactionResponse
from codi.lending.models import Instalment, Loan
from codi.people.models import Attendance, Employee, Payslip, SupervisorAssessment
from codi.projects.models import BudgetLine as ProjectBudgetLine
from codi.projects.models import Disbursement, Installment, Project
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 29)


@pytest.fixture(scope="module")
def marts_dir(django_db_setup, django_db_blocker, tmp_path_factory):
    """Demo data of every module that owns a mart, and the marts refreshed from them."""
    folder = tmp_path_factory.mktemp("marts")
    with django_db_blocker.unblock(), override_settings(CODI_MARTS_DIR=folder), transaction.atomic():
        from codi.finance.demo import finance_demo_load  # heavy: demo loaders, once per module
        from codi.insights.demo import load as insights_demo_load  # heavy: demo loaders, once per module
        from codi.lending.demo import lending_demo_load  # heavy: demo loaders, once per module
        from codi.people.demo import people_demo_load  # heavy: demo loaders, once per module
        from codi.people.demo_training import training_demo_load  # heavy: demo loaders, once per module
        from codi.projects.generator import projects_demo_load  # heavy: demo loaders, once per module

        call_command("load_demo", verbosity=0)  # the demo accounts the loaders act as
        finance_demo_load()  # before the projects: its PMS sync trips over this small project set
        projects_demo_load(count=16, today=TODAY)
        lending_demo_load(today=TODAY)
        people_demo_load()
        training_demo_load()  # the supervisors' confirmed levels
        call_command("load_feedback_demo", count=12, stdout=io.StringIO())
        insights_demo_load()
        store.refresh(full=True)
        yield folder
        transaction.set_rollback(True)


@pytest.fixture
def marts(marts_dir: Path, settings, tmp_path: Path) -> Path:
    """A copy of the module's marts for one test: the test's database changes are rolled back at
    its end, so its refreshes must not outlive it either."""
    folder = tmp_path / "marts"
    shutil.copytree(marts_dir, folder)
    settings.CODI_MARTS_DIR = folder
    return folder


def _sum(queryset: Any, **fields: str) -> dict[str, Any]:
    agg = queryset.aggregate(rows=Count("pk"), **{k: Sum(v) for k, v in fields.items()})
    return {k: (Decimal("0.00") if v is None and k != "rows" else v) for k, v in agg.items()}


def _first(mart: str, column: str) -> Any:
    """A value present in the mart (the filter of the comparison), most frequent first."""
    sql = f'SELECT "{column}", count(*) n FROM {mart} WHERE "{column}" IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1'  # noqa: S608 - test's own names
    rows = store.query(sql)
    assert rows, f"{mart} has no {column}"
    return rows[0][0]


def _fiscal_range(year_be: int) -> tuple[date, date]:
    return date(year_be - 544, 10, 1), date(year_be - 543, 9, 30)


def _operational(mart: str) -> tuple[dict[str, Any], dict[str, Any], frozenset[str] | None]:
    """(the mart filter, the operational totals for it, the provinces it is read for)."""
    if mart == "ledger_lines":
        program = _first(mart, "program")
        ops = _sum(JournalLine.objects.filter(program=program), debit="debit", credit="credit")
        return {"program": program}, ops, None
    if mart == "budget_lines":
        year = _first(mart, "fiscal_year")
        qs = BudgetLine.objects.filter(fiscal_year__year_be=year)
        return (
            {"fiscal_year": year},
            _sum(qs, allocated="allocated", committed="committed", actual="actual"),
            None,
        )
    if mart == "disbursements":
        province = _first(mart, "province")
        qs = Disbursement.objects.filter(installment__project__subdistrict__district__province_id=province)
        return {}, _sum(qs, amount="amount"), frozenset({province})
    if mart == "project_budget":
        region = _first(mart, "region")
        qs = ProjectBudgetLine.objects.filter(region_id=region)
        sums = {k: k for k in ("allocated", "committed", "disbursed", "returned")}
        return {"region": region}, _sum(qs, **sums), None
    if mart == "loans":
        province = _first(mart, "province")
        qs = Loan.objects.filter(subdistrict__district__province_id=province)
        return {}, _sum(qs, principal="principal"), frozenset({province})
    if mart == "instalments":
        year = _first(mart, "fiscal_year")
        start, end = _fiscal_range(year)
        qs = Instalment.objects.filter(is_current=True, due_date__range=(start, end))
        sums = {k: k for k in store.source(mart).measures}
        return {"fiscal_year": year}, _sum(qs, **sums), None
    if mart == "tickets":
        from codi.feedback.models import Ticket  # app registry: feedback's model only for this comparison

        province = _first(mart, "province")
        return (
            {},
            _sum(Ticket.objects.filter(subdistrict__district__province_id=province)),
            frozenset({province}),
        )
    if mart == "projects":
        year = _first(mart, "fiscal_year")
        ops = _sum(
            Project.objects.filter(fiscal_year=year), requested="requested_amount", approved="approved_amount"
        )
        paid = Installment.objects.filter(project__fiscal_year=year, status="disbursed").aggregate(
            s=Sum("amount")
        )
        ops["disbursed"] = paid["s"] or Decimal("0.00")
        return {"fiscal_year": year}, ops, None
    if mart == "payroll_cost":
        qs = Payslip.objects.filter(run__status="approved")
        agg = qs.aggregate(rows=Count("pk"), g=Sum("gross"), s=Sum("sso_employer"), p=Sum("pvd_employer"))
        cents = Decimal("0.01")
        ops = {"rows": agg["rows"], "gross": agg["g"] * cents, "employer_sso": agg["s"] * cents,
               "employer_pvd": agg["p"] * cents, "employer_cost": (agg["g"] + agg["s"] + agg["p"]) * cents}  # fmt: skip
        return {"run_status": "approved"}, ops, None
    if mart == "training":
        region = _first(mart, "region")
        qs = Attendance.objects.filter(region=region)
        return {"region": region}, _sum(qs, hours="course__hours"), None
    if mart == "staff":
        region = _first(mart, "region")
        return {"region": region}, _sum(Employee.objects.filter(region=region)), None
    if mart == "supervisor_levels":
        year = _first(mart, "fiscal_year")
        qs = SupervisorAssessment.objects.filter(fiscal_year=year)
        return {"fiscal_year": year}, _sum(qs, level="level"), None
    if mart == "satisfaction":
        module = _first(mart, "module")
        qs = SatisfactionResponse.objects.filter(module=module)
        ops = _sum(qs, score="score")
        ops["satisfied"] = qs.filter(score__gte=4).count()
        return {"module": module}, ops, None
    raise AssertionError(f"no operational comparison for {mart}")


FACTS = ["ledger_lines", "budget_lines", "disbursements", "project_budget", "loans", "instalments",
         "tickets", "payroll_cost", "training", "satisfaction", "projects", "staff", "supervisor_levels"]  # fmt: skip


def test_every_fact_mart_has_a_comparison() -> None:
    assert sorted(s.name for s in mart_sources() if s.kind == "fact") == sorted(FACTS)


@pytest.mark.parametrize("mart", FACTS)
def test_mart_totals_equal_the_operational_totals(marts, mart: str) -> None:
    where, ops, provinces = _operational(mart)
    assert ops["rows"] > 0, f"the demo data give {mart} no row for the filter"
    got = store.totals(mart, provinces=provinces, where=where)
    for key, value in ops.items():
        assert got[key] == value, f"{mart}.{key}: mart {got[key]} != operational {value}"


def test_dimensions_and_conformed_columns(marts) -> None:
    from codi.areas.models import Province, Subdistrict  # app registry: the reference tables compared

    assert store.totals("area_hierarchy")["rows"] == Subdistrict.objects.count()
    province = Province.objects.exclude(region=None).first()
    (region,) = store.query(
        "SELECT DISTINCT region FROM area_hierarchy WHERE province = $p", {"p": province.code}
    )[0]
    assert region == province.region_id
    # Ledger lines: the B.E. fiscal year, quarter and month of each line's date.
    rows = store.query("SELECT entry_date, fiscal_year, fiscal_quarter, fiscal_month FROM ledger_lines")
    assert rows
    for day, year, quarter, month in rows:
        assert year == fiscal_year_be(day)
        assert month == (day.month - 10) % 12 + 1 and quarter == (month - 1) // 3 + 1
    # Disbursements: province and district come from the subdistrict code, the region from the province.
    for sub, district, prov, reg in store.query(
        "SELECT subdistrict, district, province, region FROM disbursements"
    ):
        assert district == sub[:4] and prov == sub[:2] and reg


def _post(n: int) -> None:
    for i in range(n):
        entry_post(actor=None, entry_date=timezone.localdate(), description="ทดสอบคลังข้อมูล", source_type="mart-test",
                   source_id=f"mart-{i}", dimensions={"program": "MART-TEST", "province": "40"},
                   lines=[LineSpec(account="5104010112", debit=Decimal("100.50")),
                          LineSpec(account="1101020601", credit=Decimal("100.50"))])  # fmt: skip


def test_incremental_refresh_appends_new_lines_and_skips_unchanged_marts(marts) -> None:
    before = store.manifest("ledger_lines")
    assert before is not None
    _post(3)
    results = {r.name: r for r in store.refresh()}
    assert results["ledger_lines"].mode == "incremental" and results["ledger_lines"].added_rows == 6
    assert results["instalments"].mode == "unchanged" and results["budget_lines"].mode == "unchanged"
    after = store.manifest("ledger_lines")
    assert after is not None and len(after.parts) == len(before.parts) + 1 and after.rows == before.rows + 6
    totals = store.totals("ledger_lines", where={"program": "MART-TEST"})
    assert totals == {"rows": 6, "debit": Decimal("301.50"), "credit": Decimal("301.50")}
    assert store.totals("ledger_lines")["rows"] == JournalLine.objects.count()
    # A full refresh compacts the parts into one file with the same rows.
    store.refresh(full=True, names=["ledger_lines"])
    compacted = store.manifest("ledger_lines")
    assert compacted is not None and len(compacted.parts) == 1 and compacted.rows == after.rows
    assert store.totals("ledger_lines", where={"program": "MART-TEST"})["rows"] == 6


def _failing(rows: Any, after_rows: int) -> Any:
    def extract(after: Any) -> Any:
        for i, row in enumerate(rows(after)):
            if i == after_rows:
                raise RuntimeError("database went away half-way")
            yield row

    return extract


def test_a_refresh_that_fails_half_way_keeps_the_previous_mart(marts) -> None:
    for name, full in (("ledger_lines", True), ("ledger_lines", False), ("instalments", True)):
        if not full:
            _post(2)  # something new, so the incremental refresh has rows to fail on
        src = store.source(name)
        before = store.manifest(name)
        files_before = sorted(p.relative_to(marts) for p in (marts / name).rglob("*"))
        totals_before = store.totals(name)
        broken = replace(src, rows=_failing(src.rows, 1), fingerprint=None)
        with pytest.raises(RuntimeError, match="half-way"):
            store.refresh_one(broken, full=full)
        assert store.manifest(name) == before
        assert sorted(p.relative_to(marts) for p in (marts / name).rglob("*")) == files_before
        assert store.totals(name) == totals_before


def test_parquet_files_read_by_duckdb_directly(marts) -> None:
    """What Power BI or an analyst reads: the plain Parquet files, no CODI code in between."""
    m = store.manifest("ledger_lines")
    assert m is not None
    files = [str(marts / "ledger_lines" / p) for p in m.parts]
    (debit,) = duckdb.execute("SELECT sum(debit) FROM read_parquet($f)", {"f": files}).fetchone()
    assert debit == JournalLine.objects.aggregate(s=Sum("debit"))["s"]
    assert pq.read_schema(files[0]).field("debit").type.scale == 2  # money stays exact


def test_marts_refresh_command(marts) -> None:
    out = io.StringIO()
    call_command("marts_refresh", "--mart", "training", stdout=out)
    assert "training: unchanged" in out.getvalue()
    call_command("marts_refresh", "--full", "--mart", "training", stdout=out)
    assert "training: full" in out.getvalue()


def test_the_hourly_refresh_keeps_itself_on_schedule(marts) -> None:
    path = tasks.refresh_marts_task.module_path
    now = timezone.now()
    when = tasks.marts_schedule(now)
    assert when == now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    assert tasks.marts_schedule(now) == when  # not queued twice
    waiting = DBTaskResult.objects.get(task_path=path, status="READY")
    # Its hour comes: the worker loads the task and calls it with its arguments (as task_worker does).
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=now)
    stored = DBTaskResult.objects.ready().get(pk=waiting.pk)
    stored.set_successful(stored.task.call(*stored.task_result.args, **stored.task_result.kwargs))
    following = DBTaskResult.objects.filter(task_path=path, status="READY")
    assert following.count() == 1 and following.get().run_after > timezone.now()
    out = io.StringIO()
    call_command("marts_refresh", "--mart", "training", "--schedule", stdout=out)
    assert "next refresh queued" in out.getvalue()
    assert DBTaskResult.objects.filter(task_path=path, status="READY").count() == 1


# --- the page and the downloads -------------------------------------------------------------------


def test_page_lists_marts_with_freshness(marts, matrix: Matrix) -> None:
    client = signed_in_client(matrix.user("executive", "country"))
    response = client.get("/insights/marts/")
    assert response.status_code == 200
    items = {i.name: i for i in response.context["items"]}
    assert set(items) == {s.name for s in mart_sources()}
    assert (
        items["ledger_lines"].state == "fresh" and items["ledger_lines"].rows == JournalLine.objects.count()
    )
    assert b"/insights/marts/ledger_lines/download/xlsx/" in response.content
    assert b"<style" not in response.content and b"<script>" not in response.content


def test_page_and_downloads_refused_without_the_insights_right(marts, matrix: Matrix) -> None:
    hr = signed_in_client(matrix.user("hr_officer", "country"))
    assert hr.get("/insights/marts/").status_code == 403
    assert hr.get("/insights/marts/ledger_lines/download/csv/").status_code == 403
    anonymous = Client(HTTP_HOST="127.0.0.1")
    assert anonymous.get("/insights/marts/ledger_lines/download/csv/").status_code == 302


def test_a_region_reader_gets_only_the_rows_of_their_provinces(marts, matrix: Matrix) -> None:
    province = _first("loans", "province")
    region = store.query("SELECT region FROM area_hierarchy WHERE province = $p LIMIT 1", {"p": province})[0][
        0
    ]
    region_provinces = {
        r[0]
        for r in store.query("SELECT DISTINCT province FROM area_hierarchy WHERE region = $r", {"r": region})
    }
    client = signed_in_client(matrix.user("executive", "region", region))
    listed = {i.name for i in client.get("/insights/marts/").context["items"]}
    assert "loans" in listed and "payroll_cost" not in listed

    body = b"".join(client.get("/insights/marts/loans/download/csv/").streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    expected = Loan.objects.filter(subdistrict__district__province_id__in=region_provinces).count()
    assert len(rows) == expected > 0 and {r["province"] for r in rows} <= region_provinces
    assert Loan.objects.count() > expected  # there are loans outside the region, and they are not there

    # The downloaded Parquet file, read by DuckDB as an analyst would, holds the same loans.
    downloaded = marts / "downloaded-loans.parquet"
    downloaded.write_bytes(client.get("/insights/marts/loans/download/parquet/").content)
    count, principal = duckdb.execute(
        "SELECT count(*), sum(principal) FROM read_parquet($f)", {"f": str(downloaded)}
    ).fetchone()
    in_region = Loan.objects.filter(subdistrict__district__province_id__in=region_provinces)
    assert (count, principal) == (expected, in_region.aggregate(s=Sum("principal"))["s"])
    xlsx = client.get("/insights/marts/loans/download/xlsx/")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet.max_row == expected + 1

    # Marts without a province are for country-wide readers only.
    assert client.get("/insights/marts/payroll_cost/download/csv/").status_code == 403
    assert client.get("/insights/marts/satisfaction/download/parquet/").status_code == 403
    from codi.core.models import AuditEntry  # app registry: the audit chain the download wrote to

    assert AuditEntry.objects.filter(action="insights.mart_export", object_id="loans").count() == 3


def test_lineage_names_catalogued_fields_and_shows_in_the_catalog(marts, matrix: Matrix) -> None:
    assert lineage_problems() == []
    client = signed_in_client(matrix.user("executive", "country"))
    page = client.get("/governance/catalog/marts/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="mart-ledger_lines"' in text and "finance.JournalLine.debit" in text
    assert "/governance/catalog/finance.JournalLine/" in text
    assert (
        signed_in_client(matrix.user("project_officer", "province", "40"))
        .get("/governance/catalog/marts/")
        .status_code
        == 403
    )


def test_unknown_mart_or_format_is_not_found(marts, matrix: Matrix) -> None:
    client = signed_in_client(matrix.user("executive", "country"))
    assert client.get("/insights/marts/nope/download/csv/").status_code == 404
    assert client.get("/insights/marts/loans/download/json/").status_code == 404


# --- the executive board on the marts (issue 24: the EIS reads the analytics store) ---------------
# Each KPI with a mart query gives the same figures from the marts as from the operational database,
# the viewer's area scope filters the mart rows, the drill-down goes below the province to the
# records, and the board names its source and the marts' freshness (falling back when never built).

MART_KPIS = ("budget_disbursement", "feedback_sla", "satisfaction", "npl_ratio", "staff_digital", "leaders_trained",
             "orgs_digital")  # fmt: skip


def _busiest_year() -> int:
    return max(
        {2568, 2569, 2570}, key=lambda y: Project.objects.filter(fiscal_year=y, approved_amount__gt=0).count()
    )


def test_kpis_from_the_marts_equal_the_operational_figures(marts, matrix: Matrix) -> None:
    scope = scope_for(matrix.user("executive", "country"))
    assert scope is not None
    compared = 0
    for key in MART_KPIS:
        kpi = kpi_get(key)
        assert kpi is not None and eis_board.source_of(kpi) == "marts"
        for year in (2568, 2569, 2570):
            mart = eis_board.kpi_view(kpi, scope=scope, fiscal_year=year, area="")
            ops = eis_board.kpi_view(kpi, scope=scope, fiscal_year=year, area="", prefer="operational")
            assert mart.source == "marts" and ops.source == "operational"
            if ops.line.status == "no_data":
                continue
            assert mart.line.fact == ops.line.fact, f"{key} {year}: marts {mart.line.fact} != {ops.line.fact}"
            assert {c.key: c.fact for c in mart.children} == {c.key: c.fact for c in ops.children}
            compared += 1
    assert compared >= 5  # the demo gives the disbursement rate, NPL and the training KPIs figures


def test_a_regional_executive_reads_only_their_region_from_the_marts(marts, matrix: Matrix) -> None:
    year = _busiest_year()
    kpi = kpi_get("budget_disbursement")
    country = scope_for(matrix.user("executive", "country"))
    assert kpi is not None and country is not None
    regions = eis_board.kpi_view(kpi, scope=country, fiscal_year=year, area="").children
    region = max(regions, key=lambda r: r.fact.denominator)
    regional = scope_for(matrix.user("executive", "region", region.key))
    assert regional is not None
    own = eis_board.kpi_view(kpi, scope=regional, fiscal_year=year, area=region.key)
    assert own.source == "marts" and own.line.fact == region.fact
    # The mart query itself returns only the region's rows: nothing outside it, whatever the area asked.
    assert kpi.mart_source is not None
    raw = kpi.mart_source(regional.provinces, year)
    assert raw and {code[:2] for code in raw} <= set(regional.provinces or ())
    client = signed_in_client(regional.user)
    assert client.get(f"/insights/eis/kpi/budget_disbursement/?year={year}&area=").status_code == 403
    other = next((r.key for r in regions if r.key != region.key), None)
    if other:
        assert (
            client.get(f"/insights/eis/kpi/budget_disbursement/?year={year}&area={other}").status_code == 403
        )


def test_drill_down_below_the_province_to_the_records(marts, matrix: Matrix) -> None:
    year = _busiest_year()
    client = signed_in_client(matrix.user("executive", "country"))
    url = f"/insights/eis/kpi/budget_disbursement/?year={year}"
    project = Project.objects.filter(fiscal_year=year, approved_amount__gt=0).order_by("id").first()
    assert project is not None
    sub = project.subdistrict_id
    for area, level in ((sub[:2], "district"), (sub[:4], "subdistrict")):
        page = client.get(f"{url}&area={area}")
        view = page.context["view"]
        assert page.status_code == 200 and view.child_level == level
        assert sum((c.fact.denominator for c in view.children), start=0) == view.line.fact.denominator
        assert any(c.key.startswith(area) for c in view.children)
    page = client.get(f"{url}&area={sub}")
    view = page.context["view"]
    assert [a.code for a in page.context["trail"]][-3:] == [sub[:2], sub[:4], sub]
    assert f"/projects/{project.pk}/" in {r.url for r in view.records}
    assert f'href="/projects/{project.pk}/"' in page.content.decode()
    # the trend across fiscal years and the previous year beside the current one
    assert [t.label for t in page.context["trend"]] == [str(y) for y in sorted(page.context["years"])]
    assert b'id="eis-trend"' in page.content and b"<script>" not in page.content


def test_the_board_names_its_source_and_falls_back_when_never_built(
    marts,
    matrix: Matrix,
    settings,
    tmp_path: Path,
) -> None:
    client = signed_in_client(matrix.user("executive", "country"))
    page = client.get(f"/insights/eis/?year={_busiest_year()}")
    sources = {v.kpi.key: v.source for v in page.context["views"]}
    assert {sources[k] for k in MART_KPIS} == {"marts"} and sources["open_datasets"] == "operational"
    used = {m for k in MART_KPIS for m in (kpi_get(k).marts if kpi_get(k) else ())}
    assert page.context["marts_used"] == sorted(used) and "community_organizations" in used
    assert page.context["refreshed"]
    assert page.context["refreshed"] in page.content.decode()
    # The Excel export names each figure's source: the marts with their refresh time, or the database.
    xlsx = client.get(f"/insights/eis/?year={_busiest_year()}&format=xlsx")
    rows = list(
        load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.iter_rows(values_only=True)
    )
    by_name = {r[0]: r[8] for r in rows[1:]}
    names = {str(v.kpi.name): v.kpi.key for v in page.context["views"]}
    for name, key in names.items():
        if key in MART_KPIS:
            assert by_name[name].startswith("คลังข้อมูลวิเคราะห์ (ดาต้ามาร์ต), ปรับปรุงล่าสุดเมื่อ ")
        else:
            assert by_name[name] == "ฐานข้อมูลปฏิบัติงาน"
    assert any(page.context["refreshed"][:6] in v for v in by_name.values())

    settings.CODI_MARTS_DIR = tmp_path / "never-built"
    page = client.get(f"/insights/eis/?year={_busiest_year()}")
    sources = {v.kpi.key: v.source for v in page.context["views"]}
    assert {sources[k] for k in MART_KPIS} == {"fallback"} and page.context["fallback"]
    view = next(v for v in page.context["views"] if v.kpi.key == "budget_disbursement")
    assert view.line.value is not None and view.source_label in page.content.decode()


def test_npl_from_the_marts_per_area_and_down_to_the_loans(marts, matrix: Matrix) -> None:
    """NPL from the instalments mart equals the loan book's portfolio for a region's executive and
    at a province; below it, subdistricts and then the loans with their days past due."""
    kpi = kpi_get("npl_ratio")
    country = scope_for(matrix.user("executive", "country"))
    assert kpi is not None and kpi.mart_source is not None and country is not None
    year = fiscal_year_be(timezone.localdate())
    facts = kpi.mart_source(None, year)
    sub = max(facts, key=lambda code: facts[code].denominator)
    region = store.query("SELECT region FROM area_hierarchy WHERE subdistrict = $s", {"s": sub})[0][0]
    regional = scope_for(matrix.user("executive", "region", region))
    assert regional is not None
    for scope, area in ((regional, region), (country, sub[:2])):
        mart = eis_board.kpi_view(kpi, scope=scope, fiscal_year=year, area=area)
        ops = eis_board.kpi_view(kpi, scope=scope, fiscal_year=year, area=area, prefer="operational")
        assert mart.source == "marts" and mart.line.fact == ops.line.fact and mart.line.fact.denominator > 0
    raw = kpi.mart_source(regional.provinces, year)  # filtered before grouping: the region's loans only
    assert {code[:2] for code in raw} <= set(regional.provinces or ())
    client = signed_in_client(country.user)
    view = client.get(f"/insights/eis/kpi/npl_ratio/?year={year}&area={sub[:4]}").context["view"]
    assert view.child_level == "subdistrict" and sub in {c.key for c in view.children}
    page = client.get(f"/insights/eis/kpi/npl_ratio/?year={year}&area={sub}")
    loans = Loan.objects.filter(subdistrict_id=sub, status="active", instalments__is_current=True).distinct()
    urls = {r.url for r in page.context["view"].records}
    assert urls == {f"/lending/loans/{pk}/" for pk in loans.values_list("pk", flat=True)}
    assert all(r.value in (0, 100) for r in page.context["view"].records)


def test_training_kpis_from_the_marts_per_area(marts, matrix: Matrix) -> None:
    """Leaders and organizations drill down to the subdistrict of the leader's organization and, for
    organizations, to their registry pages; a region's executive gets the people app's figure of
    their region. Staff competency stops at the region, and the page says why."""
    year = fiscal_year_be(timezone.localdate())
    orgs, leaders = kpi_get("orgs_digital"), kpi_get("leaders_trained")
    assert orgs is not None and orgs.mart_source is not None and leaders is not None
    facts = orgs.mart_source(None, year)
    sub = max((k for k in facts if k[:1].isdigit()), key=lambda k: facts[k].numerator)
    region = store.query("SELECT region FROM area_hierarchy WHERE subdistrict = $s", {"s": sub})[0][0]
    regional = scope_for(matrix.user("executive", "region", region))
    assert regional is not None
    for kpi in (orgs, leaders):
        mart = eis_board.kpi_view(kpi, scope=regional, fiscal_year=year, area=region)
        ops = eis_board.kpi_view(kpi, scope=regional, fiscal_year=year, area=region, prefer="operational")
        assert mart.source == "marts" and mart.line.fact == ops.line.fact and mart.line.fact.numerator > 0
        assert mart.child_level == "province" and ops.child_level == ""  # the people app stops at the region
    client = signed_in_client(matrix.user("executive", "country"))
    url = f"/insights/eis/kpi/orgs_digital/?year={year}"
    for area, level in ((sub[:2], "district"), (sub[:4], "subdistrict")):
        assert client.get(f"{url}&area={area}").context["view"].child_level == level
    records = client.get(f"{url}&area={sub}").context["view"].records
    assert len(records) == facts[sub].numerator and all(
        "/communities/organizations/" in r.url for r in records
    )

    staff = client.get(f"/insights/eis/kpi/staff_digital/?year={year}")
    view = staff.context["view"]
    assert view.source == "marts" and view.child_level == "region" and b'id="eis-area-note"' in staff.content
    below = client.get(f"/insights/eis/kpi/staff_digital/?year={year}&area={view.children[0].key}")
    assert below.context["view"].child_level == "" and not below.context["view"].records
