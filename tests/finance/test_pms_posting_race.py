"""PMS payments racing through the posting hook on PostgreSQL: one entry per payment, none lost.

Real parallel transactions, as in ``tests/projects/test_concurrency.py``: the data is committed
outside the test transaction so every thread's connection sees it, and removed afterwards (the
journal's immutability triggers are switched off for that clean-up only; audit entries stay).

Two races: twenty clicks on one installment post one journal entry; the first payments of
several projects on one PMS budget line all post, to the one finance line their approval tied
(PMS locks its budget line first, so the handlers on one line run one after another).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from codi.finance import balances, ledger
from codi.finance.models import (
    Account,
    AccountBalance,
    BudgetLine,
    Commitment,
    FiscalYear,
    JournalEntry,
    JournalLine,
    Period,
)
from codi.identity.models import OrgUnit
from codi.projects import services
from codi.projects.models import Disbursement, Project
from tests.projects.factories import Cast, ProgramFactory, project_at
from tests.projects.test_concurrency import _purge as purge_pms
from tests.racing import race

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time, so it cannot show row locks under real concurrency",
)
PROJECTS = 6


@pytest.mark.django_db
def test_postgres_database_is_created():
    assert connection.vendor == "postgresql"


class _Books:
    """The chart and the HQ unit, committed; ``purge`` removes what the race left."""

    def __init__(self) -> None:
        self.created_accounts = not Account.objects.exists()
        self.years_before = set(FiscalYear.objects.values_list("pk", flat=True))
        self.hq_created = not OrgUnit.objects.filter(code="HQ").exists()
        ledger.chart_load(actor=None)
        OrgUnit.objects.get_or_create(code="HQ", defaults={"name_th": "สำนักงานใหญ่"})

    def purge(self, projects: list[Project]) -> None:
        ids = [
            str(pk)
            for pk in Disbursement.objects.filter(installment__project__in=projects).values_list(
                "pk", flat=True
            )
        ]
        entries = JournalEntry.objects.filter(source_type="pms.disbursement", source_id__in=ids)
        years = set(entries.values_list("fiscal_year_id", flat=True))
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE finance_journalline DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE finance_journalentry DISABLE TRIGGER USER")
            try:
                JournalLine.objects.filter(entry__in=entries).delete()
                entries.delete()
            finally:
                cursor.execute("ALTER TABLE finance_journalline ENABLE TRIGGER USER")
                cursor.execute("ALTER TABLE finance_journalentry ENABLE TRIGGER USER")
        keys = [f"pms.project:{p.pk}:" for p in projects]
        for key in keys:
            Commitment.objects.filter(source_key__startswith=key).delete()
        lines = BudgetLine.objects.filter(pms_budget_line_id__in={p.budget_line_id for p in projects})
        years |= set(lines.values_list("fiscal_year_id", flat=True))
        AccountBalance.objects.filter(fiscal_year_id__in=years).delete()
        lines.delete()
        new_years = set(FiscalYear.objects.values_list("pk", flat=True)) - self.years_before
        Period.objects.filter(fiscal_year_id__in=new_years).delete()
        FiscalYear.objects.filter(pk__in=new_years).delete()
        if self.hq_created:
            OrgUnit.objects.filter(code="HQ").delete()
        if self.created_accounts:
            Account.objects.all().delete()


def test_twenty_clicks_on_one_installment_post_one_entry(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        books = _Books()
        cast = Cast.create()
        projects: list[Project] = []
        try:
            project = project_at("disburse", cast=cast)
            projects.append(project)
            installment = project.installments.get(number=1)

            # when twenty officers pay installment 1 at once, each with their own click
            results, errors = race(
                20,
                lambda i: (
                    services.installment_disburse(
                        actor=cast.finance, installment=installment, idempotency_key=f"click-{i}"
                    ).pk
                ),
            )

            # then one payment, one journal entry for it, and the finance line moved once
            assert len(results) == 1 and {getattr(e, "code", repr(e)) for e in errors} == {
                "already_disbursed"
            }
            entry = JournalEntry.objects.get(source_type="pms.disbursement", source_id=str(results[0]))
            assert entry.total == Decimal("90000.00")
            line = BudgetLine.objects.get(pms_budget_line_id=project.budget_line_id)
            assert (line.actual, line.committed) == (Decimal("90000.00"), Decimal("180000.00"))
            assert balances.check(year_id=entry.fiscal_year_id) == []
        finally:
            books.purge(projects)
            purge_pms(cast)


def test_first_payments_of_projects_on_one_line_all_post_to_one_finance_line(
    django_db_setup, django_db_blocker
):
    with django_db_blocker.unblock():
        books = _Books()
        cast = Cast.create()
        projects: list[Project] = []
        try:
            program = ProgramFactory()
            projects.extend(project_at("disburse", cast=cast, program=program) for _ in range(PROJECTS))
            assert len({p.budget_line_id for p in projects}) == 1

            # when each project's first installment is paid at the same moment
            results, errors = race(
                PROJECTS,
                lambda i: (
                    services.installment_disburse(
                        actor=cast.finance,
                        installment=projects[i].installments.get(number=1),
                        idempotency_key=f"first-{i}",
                    ).pk
                ),
            )

            # then every payment went through and posted, all to one finance line
            assert errors == [] and len(set(results)) == PROJECTS
            lines = BudgetLine.objects.filter(pms_budget_line_id=projects[0].budget_line_id)
            assert lines.count() == 1
            line = lines.get()
            posted = JournalEntry.objects.filter(
                source_type="pms.disbursement", source_id__in=[str(r) for r in results]
            )
            assert posted.count() == PROJECTS
            assert line.actual == PROJECTS * Decimal("90000.00")
            assert line.committed == PROJECTS * Decimal("180000.00")
            for year_id in set(posted.values_list("fiscal_year_id", flat=True)):
                assert balances.check(year_id=year_id) == []
        finally:
            books.purge(projects)
            purge_pms(cast)
