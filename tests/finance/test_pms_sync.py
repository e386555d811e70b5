"""PMS disbursements and returns reach the ledger once, through the projects selector."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from codi.finance.models import BudgetLine, Commitment, CommitmentStatus, JournalEntry
from codi.finance.pms_sync import projects_ledger_sync
from codi.finance.selectors import account_balance
from codi.identity.models import OrgUnit


@pytest.fixture
def pms(db):
    from codi.areas.models import Region, Subdistrict
    from codi.projects.models import (
        BudgetLine as PmsLine,
    )
    from codi.projects.models import (
        Disbursement,
        FundReturn,
        Installment,
        Program,
        Project,
    )
    from tests.factories import OrganizationFactory, UserFactory

    OrgUnit.objects.get_or_create(code="HQ", defaults={"name_th": "สำนักงานใหญ่"})
    payer = UserFactory()
    program = Program.objects.create(code="P-TEST", kind="other", name_th="โครงการทดสอบ")
    line = PmsLine.objects.create(
        program=program,
        region=Region.objects.get(code="northeast"),
        fiscal_year=2570,
        allocated=Decimal("1000000"),
    )
    sub = Subdistrict.objects.get(code="400104")
    project = Project.objects.create(
        code="T-1", program=program, budget_line=line, fiscal_year=2570, subdistrict=sub,
        lead_organization=OrganizationFactory(), title="ทดสอบ", requested_amount=Decimal("300000"),
        approved_amount=Decimal("300000"), status="in_progress",
    )  # fmt: skip
    first = Installment.objects.create(
        project=project, number=1, amount=Decimal("100000"), status="disbursed"
    )
    Disbursement.objects.create(
        installment=first, budget_line=line, amount=Decimal("100000"), idempotency_key="k1",
        paid_at=timezone.now(), paid_by=payer, reference="BANK-1",
    )  # fmt: skip
    FundReturn.objects.create(
        project=project, budget_line=line, amount=Decimal("2500"), reason="เหลือ", recorded_by=payer
    )
    return line


def test_sync_posts_disbursements_returns_and_commitments_once(pms):
    result = projects_ledger_sync()
    assert (result.budget_lines, result.entries_posted, result.commitments, result.errors) == (1, 2, 1, [])
    line = BudgetLine.objects.get(pms_budget_line_id=pms.pk)
    assert (line.allocated, line.actual, line.committed) == (
        Decimal("1000000.00"), Decimal("97500.00"), Decimal("200000.00"),
    )  # fmt: skip
    paid = JournalEntry.objects.get(source_type="pms.disbursement")
    assert paid.total == Decimal("100000.00")
    # Both lines carry the PMS program and region, the project and its province (Khon Kaen, 40).
    assert set(paid.lines.values_list("program", "region", "project", "province", "fund")) == {
        ("P-TEST", "northeast", "T-1", "40", "subsidy")
    }
    again = projects_ledger_sync()
    assert (again.entries_posted, again.commitments) == (0, 0)
    assert JournalEntry.objects.count() == 2
    from codi.finance.models import Account

    assert account_balance(account=Account.objects.get(code="5107010101")) == Decimal("97500.00")


def test_a_new_payment_moves_the_commitment(pms):
    from codi.projects.models import Disbursement, Installment, Project
    from tests.factories import UserFactory

    projects_ledger_sync()
    project = Project.objects.get(code="T-1")
    second = Installment.objects.create(
        project=project, number=2, amount=Decimal("150000"), status="disbursed"
    )
    Disbursement.objects.create(
        installment=second, budget_line=pms, amount=Decimal("150000"), idempotency_key="k2",
        paid_at=timezone.now(), paid_by=UserFactory(), reference="BANK-2",
    )  # fmt: skip
    result = projects_ledger_sync()
    assert result.errors == []
    line = BudgetLine.objects.get(pms_budget_line_id=pms.pk)
    assert (line.actual, line.committed) == (Decimal("247500.00"), Decimal("50000.00"))
    assert Commitment.objects.filter(status=CommitmentStatus.RELEASED).count() == 1
