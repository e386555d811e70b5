"""Twenty officers clicking "pay" at once: real parallel transactions on PostgreSQL.

The data is committed outside the test transaction (each thread has its own connection and
must see it) and removed afterwards; audit entries stay, as they always do.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from codi.communities.models import Organization
from codi.identity.models import User
from codi.notifications.models import Notification
from codi.projects import services
from codi.projects.models import (
    BudgetLine,
    Disbursement,
    Installment,
    Program,
    ProgressReport,
    Project,
    ProjectStep,
)
from tests.projects.factories import Cast, project_at
from tests.racing import race

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time, so it cannot show row locks under real concurrency",
)
ATTEMPTS = 20


@pytest.mark.django_db
def test_the_payment_step_is_where_the_race_starts():
    # (also makes pytest-django create the test database when this module runs alone)
    project = project_at("disburse")
    assert (project.current_step, project.installments.count()) == ("disburse", 3)


def _purge(cast: Cast) -> None:
    users = [cast.officer, cast.director, cast.finance, cast.leader, cast.admin]
    projects = Project.objects.filter(lead_organization=cast.organization)
    program_ids = set(projects.values_list("program_id", flat=True))
    Notification.objects.filter(recipient_user__in=users).delete()
    Disbursement.objects.filter(installment__project__in=projects).delete()
    ProjectStep.objects.filter(project__in=projects).delete()
    ProgressReport.objects.filter(project__in=projects).delete()
    Installment.objects.filter(project__in=projects).delete()
    projects.delete()
    BudgetLine.objects.filter(program_id__in=program_ids).delete()
    Program.objects.filter(pk__in=program_ids).delete()
    Organization.objects.filter(pk=cast.organization.pk).delete()
    User.objects.filter(pk__in=[u.pk for u in users]).delete()


def test_twenty_concurrent_attempts_with_one_key_pay_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # given a project at the payment step, committed for every connection to see
        cast = Cast.create()
        try:
            project = project_at("disburse", cast=cast)
            installment = project.installments.get(number=1)

            # when twenty requests pay installment 1 with the same idempotency key at once
            results, errors = race(
                ATTEMPTS,
                lambda i: (
                    services.installment_disburse(
                        actor=cast.finance, installment=installment, idempotency_key="same-click"
                    ).pk
                ),
            )

            # then all twenty got the one payment, and the budget line moved once
            assert errors == []
            assert len(results) == ATTEMPTS and len(set(results)) == 1
            assert Disbursement.objects.filter(installment__project=project).count() == 1
            line = BudgetLine.objects.get(pk=project.budget_line_id)
            assert (line.committed, line.disbursed) == (Decimal("180000.00"), Decimal("90000.00"))
            assert Project.objects.get(pk=project.pk).current_step == "progress_report"
        finally:
            _purge(cast)


def test_twenty_concurrent_attempts_with_different_keys_pay_once(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        cast = Cast.create()
        try:
            project = project_at("disburse", cast=cast)
            installment = project.installments.get(number=1)

            results, errors = race(
                ATTEMPTS,
                lambda i: (
                    services.installment_disburse(
                        actor=cast.finance, installment=installment, idempotency_key=f"click-{i}"
                    ).pk
                ),
            )

            assert len(results) == 1
            assert len(errors) == ATTEMPTS - 1
            assert {getattr(e, "code", repr(e)) for e in errors} == {"already_disbursed"}
            assert Disbursement.objects.filter(installment__project=project).count() == 1
            line = BudgetLine.objects.get(pk=project.budget_line_id)
            assert (line.committed, line.disbursed) == (Decimal("180000.00"), Decimal("90000.00"))
        finally:
            _purge(cast)
