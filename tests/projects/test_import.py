"""Legacy import: dry run writes nothing, row errors by row and column, all or nothing, the command."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from codi.communities.spreadsheet import XlsxWriter
from codi.projects.importing import PROJECT_COLUMNS, ProjectImport
from codi.projects.models import BudgetLine, Disbursement, Installment, Project
from tests.factories import OrganizationFactory
from tests.permissions import signed_in_client
from tests.projects.factories import ProgramFactory, budget_line, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    program = ProgramFactory(code="BMK")
    admin = staff("system_admin", "country")
    line = budget_line(program=program, amount=Decimal("1000000.00"), actor=admin)
    org = OrganizationFactory(subdistrict_id="400104", registration_no="ORG-1")
    officer = staff("project_officer", "province", "40")
    return program, line, org, officer


def _row(code: str, **over):
    values = {
        "code": code, "program": "BMK", "fiscal_year": "2569", "subdistrict_code": "400104",
        "organization": "ORG-1", "title": "บ้านมั่นคงเดิม", "status": "กำลังดำเนินการ",
        "requested_amount": "300,000", "approved_amount": "300000",
        "inst_1_amount": "150000", "inst_1_due": "1/12/2568", "inst_1_paid": "5/12/2568",
        "inst_2_amount": "150000", "inst_2_due": "1/3/2569",
    }  # fmt: skip
    values.update(over)
    return [values.get(c.key, "") for c in PROJECT_COLUMNS]


def _file(tmp_path: Path, rows) -> Path:
    path = tmp_path / "legacy.xlsx"
    writer = XlsxWriter(path, sheet_title="โครงการ")
    writer.header([c.th for c in PROJECT_COLUMNS])
    for row in rows:
        writer.row(row)
    writer.close()
    return path


def test_dry_run_checks_and_writes_nothing(setup, tmp_path):
    _program, _line, _org, officer = setup
    outcome, _rows = ProjectImport(actor=officer).check(_file(tmp_path, [_row("L-1"), _row("L-2")]), "xlsx")
    assert (outcome.total, outcome.valid, outcome.error_rows) == (2, 2, 0)
    assert Project.objects.count() == 0


def test_write_creates_projects_installments_payments_and_moves_the_budget(setup, tmp_path):
    _program, line, _org, officer = setup
    outcome = ProjectImport(actor=officer).write(_file(tmp_path, [_row("L-1")]), "xlsx")
    assert outcome.created == 1
    project = Project.objects.get(code="L-1")
    assert list(Installment.objects.filter(project=project).values_list("number", "status")) == [
        (1, "disbursed"),
        (2, "planned"),
    ]
    assert Disbursement.objects.get(installment__project=project).amount == Decimal("150000.00")
    line = BudgetLine.objects.get(pk=line.pk)
    assert (line.committed, line.disbursed) == (Decimal("150000.00"), Decimal("150000.00"))


def test_row_errors_name_row_and_column_and_nothing_is_written(setup, tmp_path):
    _program, line, _org, officer = setup
    rows = [
        _row("L-1"),
        _row("L-2", subdistrict_code="999999"),
        _row("L-3", approved_amount="400000"),
        _row("L-1"),
        _row("L-5", inst_2_amount="100000"),
        _row("L-6", inst_1_paid="1/1/2600"),
        _row("L-7", program="NOPE"),
    ]
    outcome = ProjectImport(actor=officer).write(_file(tmp_path, rows), "xlsx")
    found = {(e["row"], e["column_en"]) for e in outcome.errors}
    assert found == {
        (3, "Subdistrict code"),
        (4, "Approved amount"),
        (4, "Installment 1 amount"),
        (5, "Project code"),
        (6, "Installment 1 amount"),
        (7, "Installment 1 paid on"),
        (8, "Program code"),
    }
    assert outcome.created == 0
    assert Project.objects.count() == 0
    assert BudgetLine.objects.get(pk=line.pk).disbursed == Decimal("0.00")


def test_rows_beyond_the_budget_line_are_refused(setup, tmp_path):
    _program, _line, _org, officer = setup
    rows = [_row(f"L-{i}") for i in range(4)]  # 4 × 300,000 > 1,000,000
    outcome = ProjectImport(actor=officer).write(_file(tmp_path, rows), "xlsx")
    assert [(e["row"], e["column_en"]) for e in outcome.errors] == [(5, "Approved amount")]
    assert Project.objects.count() == 0


def test_out_of_scope_rows_are_refused(setup, tmp_path):
    outsider = staff("project_officer", "province", "10")
    outcome, _rows = ProjectImport(actor=outsider).check(_file(tmp_path, [_row("L-1")]), "xlsx")
    assert [e["message_en"] for e in outcome.errors] == ["Not permitted in this area"]


def test_export_round_trips_through_the_import(setup, tmp_path):
    from codi.projects.exporting import project_rows

    _program, _line, _org, officer = setup
    ProjectImport(actor=officer).write(_file(tmp_path, [_row("L-1")]), "xlsx")
    exported = project_rows(Project.objects.all())
    path = tmp_path / "again.xlsx"
    writer = XlsxWriter(path, sheet_title="x")
    writer.header(exported.header)
    for row in exported.rows:
        writer.row(["L-9", *row[1:]])
    writer.close()
    outcome, rows = ProjectImport(actor=officer).check(path, "xlsx")
    assert (outcome.error_rows, rows[0].approved, rows[0].paid) == (
        0,
        Decimal("300000.00"),
        Decimal("150000.00"),
    )


def test_command_dry_run_and_write(setup, tmp_path, capsys):
    _program, _line, _org, officer = setup
    path = _file(tmp_path, [_row("L-1")])
    call_command("import_projects", str(path), "--dry-run", "--user", officer.username)
    assert Project.objects.count() == 0
    call_command("import_projects", str(path), "--user", officer.username)
    assert Project.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("import_projects", str(path), "--user", officer.username)  # the code exists now
    assert "แถว 2 คอลัมน์ รหัสโครงการ: มีโครงการรหัสนี้อยู่แล้ว" in capsys.readouterr().out


def test_import_page_matrix(matrix, setup, tmp_path):
    _program, _line, _org, officer = setup
    matrix.check(
        lambda c: c.get(reverse("projects:import")),
        allowed=officer,
        wrong_role=matrix.user("finance_officer", "country"),
        out_of_scope=None,
    )
    with _file(tmp_path, [_row("L-1")]).open("rb") as handle:
        response = signed_in_client(officer).post(reverse("projects:import"), {"file": handle, "write": "1"})
    assert response.context["outcome"].created == 1


@given(st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2))
def test_money_cells_parse_back_exactly(amount):
    from codi.projects.importing import _money

    assert _money(f"{amount:,.2f}") == amount
    assert _money(str(amount)) == amount
    assert _money(f"{amount:,.2f} บาท") == amount


@given(st.text(max_size=12))
def test_money_cells_never_raise_anything_but_a_field_problem(text):
    from codi.communities.validation import FieldProblem
    from codi.projects.importing import _money

    try:
        value = _money(text)
    except FieldProblem:
        return
    assert value is None or (value >= 0 and value == value.quantize(Decimal("0.01")))
