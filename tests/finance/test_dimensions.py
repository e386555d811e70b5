"""Dimensions on every journal line: filled from the posting, its lines and the budget line; the
trial balance, statements and budget-vs-actual filter and group by them; out-of-scope refused."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from codi.finance import ledger, reports, selectors, services
from codi.finance.dimensions import Dimensions, Fund
from codi.finance.ledger import FinanceError, LineSpec
from codi.finance.models import Account, BudgetCategory, JournalEntry, JournalLine
from tests.finance.conftest import IN_FY, TODAY_FY
from tests.permissions import signed_in_client


@pytest.fixture
def lines(books, unit):
    """Two budget lines: a program in the northeast (subsidy) and own-income operations at HQ."""
    from codi.areas.models import Region

    grant = ledger.budget_line_create(
        actor=None, fiscal_year=books, code="BAAN-NE", name="บ้านมั่นคง ภาคอีสาน", unit=unit,
        category=BudgetCategory.SUBSIDY, expense_account=Account.objects.get(code="5107010101"),
        allocated=Decimal("500000.00"), plan="BAANMANKONG", region=Region.objects.get(code="northeast"),
    )  # fmt: skip
    own = ledger.budget_line_create(
        actor=None, fiscal_year=books, code="OWN-01", name="ค่าใช้จ่ายจากเงินรายได้", unit=unit,
        category=BudgetCategory.OPERATING, expense_account=Account.objects.get(code="5104010112"),
        allocated=Decimal("80000.00"), plan="ADMIN", fund=Fund.OWN_INCOME,
    )  # fmt: skip
    return grant, own


def _expense(source: str, line, amount: str, **dims):
    return services.post_expense(
        actor=None, entry_date=IN_FY, description=f"ทดสอบ {source}", source_type="test.dim", source_id=source,
        expense_account=line.expense_account.code, amount=Decimal(amount), budget_line_id=line.pk, spend=True,
        dimensions=dims or None,
    )  # fmt: skip


def test_every_line_carries_the_budget_lines_and_the_postings_dimensions(lines):
    grant, _own = lines
    entry = _expense("a", grant, "10000.00", project="P-40-001", province="40")
    got = {
        (ln.account.code, ln.org_unit, ln.fund, ln.program, ln.project, ln.region, ln.province)
        for ln in entry.lines.select_related("account")
    }
    # The expense line takes unit, fund, program and region from its budget line; both lines take
    # the project and province given for the entry.
    assert got == {
        ("5107010101", "HQ-FIN", "subsidy", "BAANMANKONG", "P-40-001", "northeast", "40"),
        ("2101010101", None, None, None, "P-40-001", None, "40"),
    }


def test_a_lines_own_dimensions_win_and_a_reversal_mirrors_them(books, lines):
    grant, _own = lines
    entry = ledger.entry_post(
        actor=None, entry_date=IN_FY, description="แยกจังหวัด", source_type="test.dim", source_id="split",
        lines=[
            LineSpec("5107010101", debit=Decimal("300"), budget_line_id=grant.pk, dimensions=Dimensions(province="40")),
            LineSpec("5107010101", debit=Decimal("200"), budget_line_id=grant.pk, dimensions=Dimensions(province="30")),
            LineSpec("1101020601", credit=Decimal("500")),
        ],
        dimensions={"province": "10", "project": "X-1"},
    )  # fmt: skip
    provinces = sorted(entry.lines.values_list("province", flat=True))
    assert provinces == ["10", "30", "40"]
    reversal = ledger.entry_reverse(actor=None, entry=entry, entry_date=IN_FY, reason="ผิดงวด")
    assert sorted(reversal.lines.values_list("province", "project", "program")) == sorted(
        entry.lines.values_list("province", "project", "program")
    )
    viewer = _viewer()
    for province in ("10", "30", "40"):
        rows = selectors.trial_balance(actor=viewer, year_be=TODAY_FY, dimensions={"province": province})
        assert rows and all(r.debit == r.credit for r in rows)


def test_an_unknown_fund_is_refused_and_nothing_is_written(lines):
    grant, _own = lines
    before = JournalLine.objects.count()
    with pytest.raises(FinanceError) as refused:
        _expense("bad", grant, "100.00", fund="lottery")
    assert "มิติ" in refused.value.message_th
    assert JournalLine.objects.count() == before
    assert not JournalEntry.objects.filter(source_id="bad").exists()


def _viewer():
    from tests.finance.conftest import make_user

    return make_user("chief_accountant")


def test_trial_balance_and_statements_filter_by_dimension(lines):
    grant, own = lines
    _expense("ne-40", grant, "10000.00", project="P-40-001", province="40")
    _expense("ne-30", grant, "4000.00", project="P-30-002", province="30")
    _expense("own", own, "2500.00")
    viewer = _viewer()
    everything = {r.code: r for r in selectors.trial_balance(actor=viewer, year_be=TODAY_FY)}
    assert everything["5107010101"].debit == Decimal("14000.00")
    khon_kaen = {
        r.code: r
        for r in selectors.trial_balance(actor=viewer, year_be=TODAY_FY, dimensions={"province": "40"})
    }
    assert khon_kaen["5107010101"].debit == Decimal("10000.00")
    assert khon_kaen["2101010101"].credit == Decimal("10000.00")
    assert "5104010112" not in khon_kaen
    own_income = reports.financial_performance(
        actor=viewer, year_be=TODAY_FY, dimensions={"fund": "own_income"}
    )
    assert own_income is not None
    assert [(r.code, r.amount) for r in own_income.expense.rows] == [("5104010112", Decimal("2500.00"))]
    # Outside scope: nothing, whatever the filter.
    from tests.finance.conftest import make_user

    south = make_user("finance_officer", "region", "south")
    assert selectors.trial_balance(actor=south, year_be=TODAY_FY, dimensions={"province": "40"}) == []


def test_budget_vs_actual_per_program_and_per_province(lines):
    grant, own = lines
    _expense("ne-40", grant, "10000.00", province="40")
    _expense("ne-30", grant, "4000.00", province="30")
    _expense("own", own, "2500.00")
    reversed_ = _expense("oops", grant, "999.00", province="40")
    ledger.entry_reverse(actor=None, entry=reversed_, entry_date=IN_FY, reason="ผิด")
    viewer = _viewer()
    by_program = {
        r.value: r for r in selectors.budget_vs_actual_by(actor=viewer, year_be=TODAY_FY, dimension="program")
    }
    assert by_program["BAANMANKONG"].allocated == Decimal("500000.00")
    assert by_program["BAANMANKONG"].actual == Decimal("14000.00")
    assert by_program["BAANMANKONG"].available == Decimal("486000.00")
    assert by_program["ADMIN"].actual == Decimal("2500.00")
    by_province = {
        r.value: r
        for r in selectors.budget_vs_actual_by(actor=viewer, year_be=TODAY_FY, dimension="province")
    }
    assert by_province["40"].actual == Decimal("10000.00")
    assert by_province["40"].label == "ขอนแก่น"
    assert by_province["40"].allocated is None  # provinces have no allocation of their own
    assert by_province[""].actual == Decimal("2500.00")
    by_fund = {
        r.value: r for r in selectors.budget_vs_actual_by(actor=viewer, year_be=TODAY_FY, dimension="fund")
    }
    assert (by_fund["own_income"].allocated, by_fund["own_income"].actual) == (
        Decimal("80000.00"),
        Decimal("2500.00"),
    )
    # The ledger's actual agrees with the budget lines' own counters.
    grant.refresh_from_db()
    assert grant.actual == by_program["BAANMANKONG"].actual


def test_budget_by_dimension_page_api_and_xlsx(lines):
    grant, _own = lines
    _expense("ne-40", grant, "10000.00", province="40")
    client = signed_in_client(_viewer())
    page = client.get(f"/finance/reports/budget/?fy={TODAY_FY}&by=province")
    assert page.status_code == 200
    assert "ขอนแก่น" in page.content.decode()
    assert 'id="budget-by-dimension"' in page.content.decode()
    sheet = client.get(f"/finance/reports/budget/?fy={TODAY_FY}&by=program&format=xlsx")
    rows = list(
        load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).worksheets[0].iter_rows(values_only=True)
    )
    assert any(row[1] == "BAANMANKONG" for row in rows)
    filtered = client.get(f"/finance/reports/trial-balance/?fy={TODAY_FY}&province=30")
    assert filtered.status_code == 200
    assert "5107010101" not in filtered.content.decode()
    assert (
        "5107010101"
        in client.get(f"/finance/reports/trial-balance/?fy={TODAY_FY}&province=40").content.decode()
    )
    # Nonsense filters are ignored, never a 500.
    assert client.get("/finance/reports/budget/?by=nonsense&fund=x&province=" + "9" * 300).status_code == 200
    api = client.get(f"/api/v1/finance/reports/budget/by/province?fiscal_year={TODAY_FY}")
    assert api.status_code == 200
    assert {"value": "40", "label": "ขอนแก่น", "allocated": None, "committed": None, "actual": "10000.00",
            "available": None} in api.json()  # fmt: skip
    tb = client.get(f"/api/v1/finance/reports/trial-balance?fiscal_year={TODAY_FY}&province=40&fund=subsidy")
    # The payable line carries the province but no fund: only the expense line is subsidy-funded.
    assert {r["code"] for r in tb.json()} == {"5107010101"}
    assert client.get("/api/v1/finance/reports/trial-balance?fund=lottery").status_code == 422


def test_budget_by_dimension_refuses_out_of_scope_users(matrix, people, lines):
    grant, _own = lines
    _expense("ne-40", grant, "10000.00", province="40")

    def empty_or_refused(response):
        return response.status_code in {403, 404} or response.json() == []

    matrix.check(
        lambda c: c.get(f"/api/v1/finance/reports/budget/by/program?fiscal_year={TODAY_FY}"),
        allowed=people["chief"],
        wrong_role=people["project_officer"],
        out_of_scope=people["south_officer"],
        refused=empty_or_refused,
    )
