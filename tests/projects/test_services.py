"""Project services: proposals, approval rules, permissions, audit, notifications, reminders."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from codi.core.models import AuditEntry
from codi.notifications.models import Notification
from codi.projects import services
from codi.projects.models import BudgetLine, Project, ProjectStep
from tests.projects.factories import (
    Cast,
    ProgramFactory,
    new_project,
    project_at,
    staff,
)

pytestmark = pytest.mark.django_db


def test_create_makes_a_draft_with_its_children_code_first_step_and_audit():
    cast = Cast.create()
    project = new_project(
        cast=cast,
        extra_subdistricts=["400101"],
        activities=[{"title": "ประชุมชุมชน", "start_date": date(2025, 11, 1), "end_date": date(2025, 11, 2)}],
        results=[
            services.ResultInput(
                title="รายได้เพิ่มขึ้น",
                indicators=[
                    services.IndicatorInput(
                        name="ครัวเรือนมีรายได้เพิ่ม",
                        unit="ครัวเรือน",
                        code="HH_INCOME",
                        targets=[services.TargetInput(date(2025, 10, 1), date(2026, 9, 30), Decimal("100"))],
                    )
                ],
            )
        ],
        budget_items=[services.BudgetItemInput("construction", "แผงตลาด", Decimal("300000.00"))],
        beneficiary_groups=[services.BeneficiaryInput("elderly", 10, 12)],
    )
    assert project.code == f"P2569-{project.pk:06d}"
    assert (project.status, project.current_step) == ("draft", "draft")
    assert sorted(project.areas.values_list("subdistrict_id", flat=True)) == ["400101", "400104"]
    assert project.activities.count() == 1
    assert project.results.get().indicators.get().periods.get().target == Decimal("100.00")
    assert project.budget_line is not None
    step = ProjectStep.objects.get(project=project)
    assert (step.task_key, step.role, step.completed_at) == ("draft", "community_leader", None)
    assert AuditEntry.objects.filter(action="projects.project.create", object_id=str(project.pk)).count() == 1


def test_only_the_organizations_leader_or_an_officer_of_the_area_may_propose():
    cast = Cast.create()
    program = ProgramFactory()
    outsider = staff("community_leader", "subdistrict", "400104")
    other_officer = staff("project_officer", "province", "10")
    for actor in (outsider, other_officer):
        with pytest.raises(PermissionDenied):
            services.project_create(
                actor=actor,
                program=program,
                lead_organization=cast.organization,
                subdistrict_code="400104",
                title="x",
                requested_amount=Decimal("1.00"),
                fiscal_year=2569,
            )
    assert Project.objects.count() == 0


def test_update_is_refused_once_submitted_and_for_unknown_fields():
    cast = Cast.create()
    project = project_at("screening", cast=cast)
    with pytest.raises(services.ProjectError) as wrong_step:
        services.project_update(actor=cast.leader, project=project, title="ใหม่")
    with pytest.raises(services.ProjectError) as unknown:
        services.project_update(actor=cast.leader, project=project, status="approved")
    assert (wrong_step.value.code, unknown.value.code) == ("wrong_step", "bad_field")
    assert Project.objects.get(pk=project.pk).title == "ตลาดชุมชนท่าพระ"


def test_submit_requires_budget_items_to_add_up_and_program_fields():
    cast = Cast.create()
    housing = ProgramFactory(kind="housing")
    project = new_project(
        cast=cast,
        program=housing,
        budget_items=[{"category": "land", "description": "ที่ดิน", "amount": Decimal("1.00")}],
    )
    with pytest.raises(services.ProjectError) as total:
        services.project_submit(actor=cast.leader, project=project)
    services.project_update(
        actor=cast.leader,
        project=project,
        budget_items=[{"category": "land", "description": "ที่ดิน", "amount": Decimal("300000.00")}],
    )
    with pytest.raises(services.ProjectError) as missing:
        services.project_submit(actor=cast.leader, project=project)
    services.project_update(
        actor=cast.leader, project=project, type_details={"housing_units": "40", "land_tenure": "เช่าระยะยาว"}
    )
    project = services.project_submit(actor=cast.leader, project=project)
    assert (total.value.code, missing.value.code) == ("budget_items_total", "type_field_missing")
    assert project.status == "screening"
    assert project.type_details == {"housing_units": 40, "land_tenure": "เช่าระยะยาว"}


def test_errors_carry_thai_and_english():
    cast = Cast.create()
    project = project_at("screening", cast=cast)
    with pytest.raises(services.ProjectError) as error:
        services.project_screen(actor=cast.officer, project=project, decision="revise")
    assert error.value.code == "comment_required"
    assert error.value.message_th == "กรุณาระบุเหตุผลหรือสิ่งที่ต้องแก้ไข"
    assert error.value.message_en == "Give the reason or what must be revised"
    assert error.value.messages == ["กรุณาระบุเหตุผลหรือสิ่งที่ต้องแก้ไข"]


def test_each_review_step_checks_role_and_scope():
    cast = Cast.create()
    project = project_at("screening", cast=cast)
    with pytest.raises(PermissionDenied):
        services.project_screen(actor=cast.finance, project=project, decision="pass")
    with pytest.raises(PermissionDenied):
        services.project_screen(
            actor=staff("project_officer", "province", "10"), project=project, decision="pass"
        )
    project = services.project_screen(actor=cast.officer, project=project, decision="pass")
    with pytest.raises(PermissionDenied):
        services.project_committee_review(actor=cast.officer, project=project, decision="recommend")
    with pytest.raises(PermissionDenied):
        services.project_committee_review(
            actor=staff("regional_director", "region", "south"), project=project, decision="recommend"
        )
    assert Project.objects.get(pk=project.pk).status == "committee"


def test_approval_rules_amount_reason_installments_balance():
    cast = Cast.create()
    project = project_at("approval", cast=cast)
    cases = [
        ({"approved_amount": Decimal("300000.01")}, "above_requested"),
        ({"approved_amount": Decimal("200000.00")}, "reduction_reason_required"),
        (
            {
                "approved_amount": Decimal("200000.00"),
                "reduction_reason": "ลดลง",
                "installments": [services.InstallmentPlan(Decimal("100000.00"))],
            },
            "installments_total",
        ),
        ({"approved_amount": 1000.0}, "money_type"),
    ]
    for kwargs, code in cases:
        with pytest.raises(services.ProjectError) as error:
            services.project_approve(actor=cast.director, project=project, decision="approve", **kwargs)
        assert error.value.code == code
    line = BudgetLine.objects.get(pk=project.budget_line_id)
    line.allocated = Decimal("100.00")
    line.save()
    with pytest.raises(services.ProjectError) as balance:
        services.project_approve(actor=cast.director, project=project, decision="approve")
    assert balance.value.code == "insufficient_balance"
    project.refresh_from_db()
    assert (project.status, project.approved_amount, project.installments.count()) == ("approval", None, 0)
    assert BudgetLine.objects.get(pk=line.pk).committed == Decimal("0.00")


def test_approving_the_full_amount_makes_one_installment_and_commits_it(django_capture_on_commit_callbacks):
    cast = Cast.create()
    project = project_at("approval", cast=cast)
    with django_capture_on_commit_callbacks(execute=True):
        project = services.project_approve(actor=cast.director, project=project, decision="approve")
    assert list(project.installments.values_list("number", "amount")) == [(1, Decimal("300000.00"))]
    assert BudgetLine.objects.get(pk=project.budget_line_id).committed == Decimal("300000.00")
    approved = Notification.objects.filter(template_key="projects.approved", recipient_user=cast.leader)
    assert sorted(approved.values_list("channel", flat=True)) == ["email", "in_app"]
    assigned = Notification.objects.filter(template_key="projects.step_assigned", recipient_user=cast.officer)
    assert assigned.filter(channel="in_app").count() == 1
    assert "ลงนามสัญญา" in assigned.get(channel="in_app").subject


def test_a_return_for_revision_tells_the_community(django_capture_on_commit_callbacks):
    cast = Cast.create()
    project = project_at("screening", cast=cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.project_screen(actor=cast.officer, project=project, decision="revise", comment="แนบแผนที่")
    message = Notification.objects.get(template_key="projects.returned", channel="in_app")
    assert message.recipient_user == cast.leader
    assert "แนบแผนที่" in message.body
    assert message.link == f"/projects/{project.pk}/"


def test_cancel_releases_committed_money_and_records_the_installments():
    cast = Cast.create()
    project = project_at("agreement", cast=cast)
    project = services.project_cancel(actor=cast.director, project=project, reason="ชุมชนขอยกเลิก")
    assert (project.status, project.cancellation_reason) == ("cancelled", "ชุมชนขอยกเลิก")
    assert list(project.installments.values_list("status", flat=True)) == ["cancelled"] * 3
    assert BudgetLine.objects.get(pk=project.budget_line_id).committed == Decimal("0.00")
    with pytest.raises(services.ProjectError) as again:
        services.project_cancel(actor=cast.director, project=project, reason="ซ้ำ")
    assert again.value.code == "project_finished"
    step = ProjectStep.objects.get(project=project, task_key="agreement")
    assert (step.outcome, step.comment) == ("cancelled", "ชุมชนขอยกเลิก")


def test_allocation_never_below_what_is_used():
    cast = Cast.create()
    project = project_at("agreement", cast=cast)
    line = BudgetLine.objects.get(pk=project.budget_line_id)
    with pytest.raises(services.ProjectError) as error:
        services.budget_line_allocate(
            actor=cast.admin,
            program=line.program,
            region_code="northeast",
            fiscal_year=2569,
            amount=Decimal("1.00"),
        )
    assert error.value.code == "below_used"
    line = services.budget_line_allocate(
        actor=cast.admin,
        program=line.program,
        region_code="northeast",
        fiscal_year=2569,
        amount=Decimal("270000.00"),
    )
    assert line.available == Decimal("0.00")
    with pytest.raises(PermissionDenied):
        services.budget_line_allocate(
            actor=cast.director,
            program=line.program,
            region_code="northeast",
            fiscal_year=2569,
            amount=Decimal("1"),
        )


def test_program_create_needs_a_country_wide_manager():
    admin = staff("system_admin")
    program = services.program_create(actor=admin, code="bmk", kind="housing", name_th="บ้านมั่นคง")
    assert (program.code, program.kind) == ("BMK", "housing")
    with pytest.raises(PermissionDenied):
        services.program_create(
            actor=staff("project_officer", "province", "40"), code="x", kind="housing", name_th="x"
        )
    with pytest.raises(services.ProjectError):
        services.program_create(actor=admin, code="BMK", kind="housing", name_th="ซ้ำ")


def test_overdue_steps_are_reminded_once_a_day(django_capture_on_commit_callbacks):
    cast = Cast.create()
    project = project_at("screening", cast=cast)
    step = ProjectStep.objects.get(project=project, completed_at__isnull=True)
    later = step.due_date + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.steps_remind_overdue(today=later)
    second = services.steps_remind_overdue(today=later)
    not_due = services.steps_remind_overdue(today=step.due_date)
    assert (first, second, not_due) == (1, 0, 0)
    reminder = Notification.objects.get(template_key="projects.step_overdue", channel="in_app")
    assert reminder.recipient_user == cast.officer
    assert project.code in reminder.subject


def test_the_remind_task_calls_the_service():
    from codi.projects.tasks import remind_overdue_steps_task

    project_at("screening")
    assert remind_overdue_steps_task.call() == 0


def test_a_project_error_survives_copying():
    import copy
    import pickle

    error = services.ProjectError("ข้อความ", "message", code="rule")
    for clone in (copy.deepcopy(error), pickle.loads(pickle.dumps(error))):  # noqa: S301  (our own object)
        assert (clone.message_th, clone.message_en, clone.code, clone.messages) == (
            "ข้อความ",
            "message",
            "rule",
            ["ข้อความ"],
        )
