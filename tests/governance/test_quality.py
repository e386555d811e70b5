"""Data quality: rules from a registry, run by a command and a task, scores kept per run."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from codi.governance import quality, services
from codi.governance.models import QualityResult, QualityRun, QualityScore
from codi.governance.quality import Dimension, condition_rule, register_rule, unregister_rule
from codi.governance.selectors import quality_failures, quality_overview
from codi.governance.tasks import run_quality_checks_task
from tests.governance.conftest import make_person, valid_id

pytestmark = pytest.mark.django_db


def _result(run: QualityRun, key: str) -> QualityResult:
    return run.results.get(rule_key=key)


def test_national_id_check_digit_rule_lists_the_invalid_ids(steward):
    # given two valid IDs and one with a wrong check digit (a legacy import)
    make_person(valid_id("110170012345"))
    make_person(valid_id("310100012345"), subdistrict="100101")
    good = valid_id("110170099999")
    bad = make_person(good[:12] + str((int(good[12]) + 1) % 10))
    # when
    run = services.quality_run(
        actor=steward, trigger="page", only=["communities.person.national_id_checksum"]
    )
    # then
    result = _result(run, "communities.person.national_id_checksum")
    assert (result.checked, result.failed, result.error) == (3, 1, "")
    assert [(f.object_id, f.subdistrict_id, f.message) for f in result.failures.all()] == [
        (str(bad.pk), "400104", "national ID check digit is wrong")
    ]
    score = run.scores.get(dataset="communities.Person")
    assert (score.checked, score.failed, score.score) == (3, 1, Decimal("66.67"))


def _project(*, approved: Decimal, paid: list[Decimal], line_disbursed: Decimal | None = None):
    from codi.communities.models import Organization
    from codi.identity.models import User
    from codi.projects.models import BudgetLine, Disbursement, Installment, Program, Project

    program = Program.objects.create(code=f"P{Program.objects.count()}", kind="economy", name_th="แผนงาน")
    line = BudgetLine.objects.create(
        program=program,
        region_id="northeast",
        fiscal_year=2569,
        allocated=Decimal("1000000.00"),
        disbursed=sum(paid, Decimal("0.00")) if line_disbursed is None else line_disbursed,
    )
    org = Organization.objects.create(
        name_th="องค์กรโครงการ", org_type="community_org", subdistrict_id="400104"
    )
    project = Project.objects.create(
        code=f"PJ-{Project.objects.count()}",
        program=program,
        budget_line=line,
        fiscal_year=2569,
        subdistrict_id="400104",
        lead_organization=org,
        title="ซ่อมบ้าน",
        objectives="ซ่อมบ้าน 10 หลัง",
        requested_amount=approved,
        approved_amount=approved,
    )
    payer = User.objects.create(username=f"payer{Project.objects.count()}")
    for number, amount in enumerate(paid, start=1):
        installment = Installment.objects.create(
            project=project, number=number, amount=amount, status="disbursed"
        )
        Disbursement.objects.create(
            installment=installment,
            budget_line=line,
            amount=amount,
            idempotency_key=f"{project.code}-{number}",
            paid_at=timezone.now(),
            paid_by=payer,
        )
    return project, line


def test_disbursed_more_than_approved_is_inconsistent(steward):
    # given one project paid within its approval and one paid beyond it
    _within, _ = _project(approved=Decimal("100000.00"), paid=[Decimal("50000.00"), Decimal("50000.00")])
    beyond, _ = _project(approved=Decimal("100000.00"), paid=[Decimal("80000.00"), Decimal("80000.00")])
    # when
    run = services.quality_run(actor=steward, only=["projects.project.disbursed_within_approved"])
    # then
    result = _result(run, "projects.project.disbursed_within_approved")
    assert (result.checked, result.failed) == (2, 1)
    assert list(result.failures.values_list("object_id", "message")) == [
        (str(beyond.pk), "disbursed more than approved")
    ]


def test_a_budget_line_running_total_that_differs_from_its_payments_fails(steward):
    # given
    _, _good = _project(approved=Decimal("100000.00"), paid=[Decimal("40000.00")])
    _, bad = _project(
        approved=Decimal("100000.00"), paid=[Decimal("40000.00")], line_disbursed=Decimal("1.00")
    )
    # when
    run = services.quality_run(actor=steward, only=["projects.BudgetLine"])
    # then
    result = _result(run, "projects.budgetline.disbursed_total")
    assert (result.checked, result.failed) == (2, 1)
    assert result.failures.get().object_id == str(bad.pk)


def test_a_broken_rule_is_recorded_and_the_others_still_run(steward):
    # given a rule on a field that does not exist
    register_rule(
        condition_rule(
            key="test.broken",
            dataset="communities.Person",
            dimension=Dimension.VALIDITY,
            description="broken",
            failing=Q(no_such_field=1),
        )
    )
    make_person(valid_id("110170012345"))
    try:
        # when
        run = services.quality_run(
            actor=steward, only=["test.broken", "communities.person.national_id_checksum"]
        )
    finally:
        unregister_rule("test.broken")
    # then
    assert _result(run, "test.broken").error.startswith("FieldError")
    assert _result(run, "communities.person.national_id_checksum").failed == 0
    assert run.scores.get(dataset="communities.Person").score == Decimal("100.00")


def test_an_unknown_dimension_is_refused():
    with pytest.raises(ValueError, match="unknown quality dimension"):
        register_rule(quality.Rule("x", "communities.Person", "beauty", "x", lambda: quality.Outcome(0, 0)))


def test_timeliness_of_open_tickets(steward):
    from codi.feedback.models import Ticket

    now = timezone.now()
    Ticket.objects.create(
        token_hash="a" * 64, channel="web", text="ก", resolve_due_at=now - timedelta(days=1)
    )
    Ticket.objects.create(
        token_hash="b" * 64, channel="web", text="ข", resolve_due_at=now + timedelta(days=1)
    )
    Ticket.objects.create(
        token_hash="c" * 64, channel="web", text="ค", status="closed", resolve_due_at=now - timedelta(days=9)
    )
    run = services.quality_run(actor=steward, only=["feedback.ticket.resolved_in_time"])
    result = _result(run, "feedback.ticket.resolved_in_time")
    assert (result.checked, result.failed) == (2, 1)


def test_the_command_and_the_task_run_every_rule_and_keep_the_history(capsys):
    # when
    call_command("run_quality_checks")
    run_quality_checks_task.enqueue()
    # then
    runs = list(QualityRun.objects.order_by("id"))
    assert [r.trigger for r in runs] == ["command", "task"]
    assert runs[0].results.count() == len(quality.rules())
    assert not runs[0].results.exclude(error="").exists()
    out = capsys.readouterr().out
    assert "communities.person.national_id_checksum" in out
    assert f"quality run {runs[0].pk} done" in out
    assert QualityScore.objects.filter(dataset="communities.Person").count() == 2


def test_overview_shows_history_and_failures_are_scoped_to_the_stewards_area(steward, matrix):
    # given a Khon Kaen person with an invalid ID
    good = valid_id("110170099999")
    make_person(good[:12] + str((int(good[12]) + 1) % 10))
    services.quality_run(actor=steward)
    services.quality_run(actor=steward)
    # when
    overview = {d.dataset: d for d in quality_overview(actor=steward)}
    # then
    assert [s.score for s in overview["communities.Person"].history] == [Decimal("0.00"), Decimal("0.00")]
    result = QualityResult.objects.filter(rule_key="communities.person.national_id_checksum").last()
    assert (
        quality_failures(
            actor=matrix.user("data_protection_officer", "province", "40"), result=result
        ).count()
        == 1
    )
    assert (
        quality_failures(
            actor=matrix.user("data_protection_officer", "province", "10"), result=result
        ).count()
        == 0
    )


def test_the_command_with_if_none_runs_only_once(capsys):
    call_command("run_quality_checks", "--if-none")
    call_command("run_quality_checks", "--if-none")
    assert QualityRun.objects.count() == 1
    assert "a quality run exists: nothing to do" in capsys.readouterr().out
