"""Ageing, NPL and PAR30: worked by hand, and equal to the figures computed directly from the rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from codi.lending import history, reports, services
from codi.lending.models import Certification, HousingProject, Instalment, Loan, LoanStatus, WelfareReport
from codi.lending.selectors import bucket_of, credit_inbox, portfolio
from tests.factories import OrganizationFactory
from tests.lending.conftest import make_user

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 7, 1)


def _loan(people, product, subdistrict, principal, start, paid):
    org = OrganizationFactory(subdistrict_id=subdistrict)
    loan = services.loan_apply(actor=people["officer2"], product=product, organization=org, principal=principal,
                               months=3, purpose="ทุน", applied_on=start)  # fmt: skip
    services.loan_review(actor=people["officer2"], loan=loan, decision="pass")
    services.loan_decide(actor=people["exec"], loan=loan, decision="approve")
    services.loan_disburse(
        actor=people["cashier"], loan=loan, disbursed_on=start, bank_code="006", account_no="9801234567"
    )
    for inst in Instalment.objects.filter(loan=loan).order_by("n")[:paid]:
        services.repayment_record(actor=people["cashier"], loan=loan, amount=inst.payment,
                                  received_on=inst.due_date, reference=f"R{inst.n}")  # fmt: skip
    return loan


@pytest.fixture
def book(books, people, product):
    people["exec"] = make_user("executive")
    return {
        # A: 12,000 from 1 May, instalment 1 paid; instalment 2 falls due on 1 Jul = as of → current; 8,000 out.
        "A": _loan(people, product, "400101", "12000", date(2025, 5, 1), 1),
        # B: 24,000 from 10 May, nothing paid; due 10 Jun → 21 days overdue (1-30); 24,000 out.
        "B": _loan(people, product, "400101", "24000", date(2025, 5, 10), 0),
        # C: 30,000 from 1 Feb, nothing paid; due 1 Mar → 122 days (> 90, NPL); 30,000 out. Songkhla (south).
        "C": _loan(people, product, "900101", "30000", date(2025, 2, 1), 0),
        # D: 12,000 from 20 Mar, instalment 1 paid; instalment 2 due 20 May → 42 days (31-90); 8,000 out. Bangkok.
        "D": _loan(people, product, "100101", "12000", date(2025, 3, 20), 1),
    }


def test_portfolio_by_hand(book, people):
    result = portfolio(actor=people["auditor"], as_of=AS_OF)
    total = result.total
    # Total 8,000 + 24,000 + 30,000 + 8,000 = 70,000. NPL 30,000 / 70,000 = 42.857 % → 42.86;
    # PAR30 (30,000 + 8,000) / 70,000 = 54.286 % → 54.29.
    assert total.outstanding == Decimal("70000.00")
    assert (total.npl_ratio, total.par30_ratio) == (Decimal("42.86"), Decimal("54.29"))
    assert total.buckets == {"current": Decimal("8000.00"), "1-30": Decimal("24000.00"),
                             "31-90": Decimal("8000.00"), ">90": Decimal("30000.00")}  # fmt: skip
    assert result.by_region["ภาคใต้"].npl_ratio == Decimal("100.00")
    assert result.by_region["ภาคตะวันออกเฉียงเหนือ"].npl_ratio == Decimal("0.00")
    assert result.by_region["ภาคตะวันออกเฉียงเหนือ"].outstanding == Decimal("32000.00")


def test_portfolio_equals_figures_computed_from_the_rows(book, people):
    result = portfolio(actor=people["auditor"], as_of=AS_OF)
    outstanding: dict[int, Decimal] = defaultdict(Decimal)
    oldest: dict[int, date] = {}
    for inst in Instalment.objects.filter(is_current=True, loan__status=LoanStatus.ACTIVE):
        outstanding[inst.loan_id] += inst.principal_due - inst.principal_paid
        unpaid = inst.principal_paid < inst.principal_due or inst.interest_paid < inst.interest_due
        if unpaid and inst.due_date < AS_OF:
            oldest[inst.loan_id] = min(oldest.get(inst.loan_id, inst.due_date), inst.due_date)
    days = {loan_id: (AS_OF - oldest[loan_id]).days if loan_id in oldest else 0 for loan_id in outstanding}
    total = sum(outstanding.values())
    npl = sum(v for k, v in outstanding.items() if days[k] > 90)
    par30 = sum(v for k, v in outstanding.items() if days[k] > 30)
    assert result.total.outstanding == total
    assert result.total.npl_ratio == (npl * 100 / total).quantize(Decimal("0.01"))
    assert result.total.par30_ratio == (par30 * 100 / total).quantize(Decimal("0.01"))
    for bucket in ("current", "1-30", "31-90", ">90"):
        assert result.total.buckets[bucket] == sum(
            (v for k, v in outstanding.items() if bucket_of(days[k]) == bucket), Decimal("0.00")
        )
    regions = defaultdict(Decimal)
    for loan in Loan.objects.filter(pk__in=outstanding).select_related(
        "subdistrict__district__province__region"
    ):
        regions[loan.subdistrict.district.province.region.name_th] += outstanding[loan.pk]
    assert {k: v.outstanding for k, v in result.by_region.items()} == dict(regions)


def test_portfolio_is_scoped(book, people):
    mine = portfolio(actor=people["officer"], as_of=AS_OF)  # Khon Kaen only: loans A and B
    assert mine.total.outstanding == Decimal("32000.00")
    assert portfolio(actor=people["leader"], as_of=AS_OF).total.loans == 0


def test_credit_inbox_by_step_and_area(books, people, product):
    org = OrganizationFactory()
    loan = services.loan_apply(actor=people["officer"], product=product, organization=org, principal="50000",
                               months=12, purpose="ก", applied_on=date(2025, 1, 1))  # fmt: skip
    assert [x.pk for x in credit_inbox(actor=people["officer"])] == [loan.pk]
    assert credit_inbox(actor=people["south_officer"]) == []
    assert credit_inbox(actor=people["committee"]) == []
    services.loan_review(actor=people["officer"], loan=loan, decision="pass")
    assert [x.pk for x in credit_inbox(actor=people["committee"])] == [loan.pk]
    assert credit_inbox(actor=people["south_director"]) == []


def test_demo_loader_output(db):
    from codi.identity.models import User

    for name, role in (("demo_executive", "executive"), ("demo_finance", "finance_officer")):
        user = make_user(role)
        User.objects.filter(pk=user.pk).update(username=name)
    # Two demo organizations in each of four regions.
    for code in ("400101", "400102", "900101", "900102", "100101", "100102", "500101", "500102"):
        OrganizationFactory(subdistrict_id=code, is_demo=True)
    today = date(2026, 12, 1)
    from codi.lending.demo import lending_demo_load

    summary = lending_demo_load(today=today)
    assert summary.products_created == 4 and summary.regions == 4
    assert summary.loans_by_status == {"active": 7, "closed": 1, "review": 1, "committee": 1, "approved": 1}
    # Housing loans go to organizations 0 and 4 (products cycle housing, land, livelihood, revolving).
    assert (summary.housing_projects, summary.welfare_funds) == (2, 3)
    # Project stages: org 0's loan was disbursed 9 months ago, org 4's 13; the first project reached
    # survey, design and the loan (building is under way), the second building too (handover next).
    projects = HousingProject.objects.filter(is_demo=True).order_by("code")
    assert [reports.current_phase(p.stages.all()) for p in projects] == ["build", "handover"]
    assert [p.stages.count() for p in projects] == [5, 5]
    # Two funds filed last year's report and are certified; the third did not, and is not.
    assert WelfareReport.objects.filter(fund__is_demo=True, year_be=2568).count() == 2
    assert sorted(Certification.objects.filter(fund__is_demo=True).values_list("status", flat=True)) == [
        "certified", "certified", "not_certified"
    ]  # fmt: skip
    again = lending_demo_load(today=today)
    assert again.products_created == 0 and again.repayments == 0
    assert (again.housing_projects, again.welfare_funds) == (0, 0)
    assert Loan.objects.count() == 11
    result = portfolio(actor=User.objects.get(username="demo_credit"), as_of=today)
    # Behaviour by position: 1 → 1-30, 2 → 31-90, 3 → > 90 days; 0, 4, 5, 6 → current (7 closed).
    assert result.total.bucket_loans == {"current": 4, "1-30": 1, "31-90": 1, ">90": 1}
    assert Decimal("0") < result.total.npl_ratio < result.total.par30_ratio
    # The NPL history starts with the past twelve month ends, rebuilt from the demo's dated repayments
    # (every demo loan is exact: one schedule, everything paid through a repayment), and the month-start
    # snapshot waits in the task queue. The last month end equals the live rule read then.
    assert summary.npl_months == 12 and again.npl_months == 0
    officer = User.objects.get(username="demo_credit")
    chart = history.npl_history(actor=officer, until=today)
    last = history.last_closed_month_end(today)
    assert len(chart) == 12 and chart[-1].month_end == last
    assert chart[-1].outstanding == portfolio(actor=officer, as_of=last).total.outstanding
    assert any(m.npl > 0 for m in chart)
    assert (
        DBTaskResult.objects.filter(task_path="codi.lending.tasks.npl_snapshot_task", status="READY").count()
        == 1
    )


def test_load_lending_demo_command_prints_the_portfolio(db, capsys):
    from codi.identity.models import User

    for name, role in (("demo_executive", "executive"), ("demo_finance", "finance_officer")):
        user = make_user(role)
        User.objects.filter(pk=user.pk).update(username=name)
    OrganizationFactory(subdistrict_id="400101", is_demo=True)
    call_command("load_lending_demo")
    out = capsys.readouterr().out
    assert "products created: 4" in out and "active: 1" in out and "NPL 0.00 %" in out
    # One housing project on the organization's housing loan (survey, design, loan reached) and its fund's report.
    assert "housing project stages reached: 3, welfare annual reports: 1" in out
