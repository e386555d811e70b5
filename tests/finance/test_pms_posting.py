"""A PMS disbursement posts its journal entry inside its own transaction (``codi.projects.hooks``).

Given the books (the chart loaded, the HQ unit), paying an installment through the projects
service posts Dr grant expense / Cr bank keyed by the disbursement, and moves the project's
commitment; a fund return posts the opposite. When the books refuse (a closed period), the
payment itself is refused and nothing is written on either side. The sync that used to do this
is now the reconciler: afterwards it finds nothing to post.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from codi.finance import ledger, periods
from codi.finance.balances import check as balances_check
from codi.finance.models import BudgetLine, Commitment, CommitmentStatus, JournalEntry, Period
from codi.finance.pms_sync import projects_ledger_sync
from codi.identity.models import OrgUnit
from codi.projects import hooks, services
from codi.projects.models import BudgetLine as PmsLine
from codi.projects.models import Disbursement, FundReturn, Installment
from tests.finance.conftest import make_user
from tests.projects.factories import Cast, disburse, project_at

pytestmark = pytest.mark.django_db

GRANT_EXPENSE, BANK = "5107010101", "1101020601"


@pytest.fixture
def booked(db):
    ledger.chart_load(actor=None)
    OrgUnit.objects.get_or_create(code="HQ", defaults={"name_th": "สำนักงานใหญ่"})
    cast = Cast.create()
    return cast, project_at("disburse", cast=cast)


def _fin_line(project) -> BudgetLine:
    return BudgetLine.objects.get(pms_budget_line_id=project.budget_line_id)


def test_the_finance_handler_is_registered_by_the_app():
    assert "finance.ledger" in hooks.handlers()


def test_a_disbursement_posts_in_its_own_transaction_and_the_sync_finds_nothing(booked):
    cast, project = booked
    paid = disburse(project, cast)
    entry = JournalEntry.objects.get(source_type="pms.disbursement", source_id=str(paid.pk))
    assert entry.total == Decimal("90000.00")
    assert entry.posted_by_id == cast.finance.pk
    lines = {line.account.code: (line.debit, line.credit) for line in entry.lines.select_related("account")}
    assert lines == {GRANT_EXPENSE: (Decimal("90000.00"), 0), BANK: (0, Decimal("90000.00"))}
    assert set(entry.lines.values_list("project", "province")) == {(project.code, "40")}
    line = _fin_line(project)
    # Approved 270,000; 90,000 paid; the rest (180,000) is committed for the project.
    assert (line.actual, line.committed) == (Decimal("90000.00"), Decimal("180000.00"))
    assert list(
        Commitment.objects.filter(status=CommitmentStatus.OPEN).values_list("source_key", flat=True)
    ) == [f"pms.project:{project.pk}:180000.00"]

    # The reconciler posts nothing twice and leaves the commitment as it is.
    result = projects_ledger_sync()
    assert (result.entries_posted, result.commitments, result.errors) == (0, 0, [])
    assert JournalEntry.objects.filter(source_type="pms.disbursement").count() == 1
    line.refresh_from_db()
    assert (line.actual, line.committed) == (Decimal("90000.00"), Decimal("180000.00"))
    assert balances_check() == []


def test_a_fund_return_posts_the_opposite(booked):
    cast, project = booked
    disburse(project, cast)
    back = services.fund_return_record(
        actor=cast.finance, project=project, amount=Decimal("2500.00"), reason="เงินเหลือ"
    )
    entry = JournalEntry.objects.get(source_type="pms.fund_return", source_id=str(back.pk))
    expense = entry.lines.get(account__code=GRANT_EXPENSE)
    assert (expense.debit, expense.credit) == (0, Decimal("2500.00"))
    assert _fin_line(project).actual == Decimal("87500.00")
    assert projects_ledger_sync().entries_posted == 0


def test_a_refused_posting_rolls_the_disbursement_back(booked):
    cast, project = booked
    # The month of today is closed in the books: nothing may be posted to it.
    year = ledger.fiscal_year_ensure(actor=None, year_be=ledger.fiscal_year_of(timezone.localdate()))
    chief = make_user("chief_accountant")
    for period in Period.objects.filter(fiscal_year=year, start_date__lte=timezone.localdate()).order_by(
        "month"
    ):
        periods.period_close(actor=chief, period=period)
    pms_before = PmsLine.objects.values("committed", "disbursed").get(pk=project.budget_line_id)
    with pytest.raises(services.ProjectError) as refused:
        disburse(project, cast)
    assert refused.value.code == "posting_refused"
    assert "ปิดแล้ว" in refused.value.message_th and "closed" in refused.value.message_en
    # Nothing on either side: no payment, the installment still planned, the PMS line as it was,
    # no entry, no finance budget movement.
    assert Disbursement.objects.count() == 0
    assert Installment.objects.get(project=project, number=1).status == "planned"
    assert PmsLine.objects.values("committed", "disbursed").get(pk=project.budget_line_id) == pms_before
    assert not JournalEntry.objects.filter(source_type="pms.disbursement").exists()
    assert not BudgetLine.objects.filter(pms_budget_line_id=project.budget_line_id, actual__gt=0).exists()
    # The approval's commitment is all that stands for the project.
    assert list(
        Commitment.objects.filter(status=CommitmentStatus.OPEN).values_list("source_key", flat=True)
    ) == [f"pms.project:{project.pk}:270000.00"]


def test_without_books_pms_pays_and_the_sync_posts_later(db):
    cast = Cast.create()
    project = project_at("disburse", cast=cast)
    paid = disburse(project, cast)  # no chart loaded: the handler stands aside
    assert not JournalEntry.objects.exists()
    OrgUnit.objects.get_or_create(code="HQ", defaults={"name_th": "สำนักงานใหญ่"})
    result = projects_ledger_sync()
    assert result.errors == []
    assert JournalEntry.objects.filter(source_type="pms.disbursement", source_id=str(paid.pk)).count() == 1
    assert FundReturn.objects.count() == 0


def test_the_approval_commits_the_project_and_a_reduction_releases_the_cut(booked):
    cast, project = booked
    # Approved 270,000 with the books kept: the finance line is tied and the project committed.
    line = _fin_line(project)
    assert (line.actual, line.committed) == (Decimal("0.00"), Decimal("270000.00"))
    services.approved_amount_reduce(
        actor=cast.director, project=project, new_amount=Decimal("200000.00"), reason="ลดขอบเขตงาน"
    )
    line.refresh_from_db()
    assert (line.actual, line.committed) == (Decimal("0.00"), Decimal("200000.00"))
    assert list(
        Commitment.objects.filter(status=CommitmentStatus.OPEN).values_list("source_key", flat=True)
    ) == [f"pms.project:{project.pk}:200000.00"]
    # Paying the first installment moves the commitment to what is left; the sync agrees.
    disburse(project, cast)
    line.refresh_from_db()
    assert (line.actual, line.committed) == (Decimal("90000.00"), Decimal("110000.00"))
    result = projects_ledger_sync()
    assert (result.entries_posted, result.commitments, result.errors) == (0, 0, [])
    assert balances_check() == []
