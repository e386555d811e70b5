"""Closure: cancelling and closing a project."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from codi.core.audit import audit_record
from codi.identity.models import User
from codi.identity.roles import Perm
from codi.projects import workflow
from codi.projects.models import (
    ZERO,
    Installment,
    InstallmentStatus,
    Project,
)
from codi.projects.services.common import (
    FINISHED,
    _locked_line,
    _Pending,
    _planned,
    _require,
    _save_project,
    _text,
)
from codi.projects.services.process import (
    _advance,
    _after_commit,
    _at_step,
    _lock_project,
)


def project_cancel(*, actor: User, project: Project, reason: str) -> Project:
    """Cancel a project: unpaid installments are cancelled (recorded) and their money released."""
    _require(actor, Perm.PROJECTS_APPROVE, project)
    reason = _text(reason, label_th="เหตุผลการยกเลิก", label_en="Reason for the cancellation")
    with transaction.atomic():
        project = _lock_project(project)
        if project.status in FINISHED:
            _at_step(project, "closure")
        planned = list(_planned(project).select_for_update())
        released = sum((i.amount for i in planned), ZERO)
        if planned:
            Installment.objects.filter(pk__in=[i.pk for i in planned]).update(
                status=InstallmentStatus.CANCELLED
            )
        if released and project.budget_line_id:
            line = _locked_line(project)
            line.committed -= released
            line.save(update_fields=["committed"])
        workflow.workflow_cancel(project, actor=actor, reason=reason)
        project.cancelled_at = timezone.now()
        project.cancellation_reason = reason
        _save_project(project)
        audit_record(
            actor=actor,
            action="projects.project.cancel",
            object_type="projects.project",
            object_id=project.pk,
            changes={
                "reason": reason,
                "released": released,
                "installments_cancelled": [i.number for i in planned],
            },
        )
    return project


def project_close(*, actor: User, project: Project, evaluation: str) -> Project:
    _require(actor, Perm.PROJECTS_MANAGE, project)
    evaluation = _text(evaluation, label_th="ผลการประเมินโครงการ", label_en="The evaluation")
    pending = _Pending()
    with transaction.atomic():
        project = _lock_project(project)
        _at_step(project, "closure")
        project.evaluation = evaluation
        project.closed_at = timezone.now()
        _advance(
            project,
            task_key="closure",
            data={},
            actor=actor,
            outcome="closed",
            comment=evaluation,
            pending=pending,
        )
        _save_project(project)
        audit_record(
            actor=actor,
            action="projects.project.close",
            object_type="projects.project",
            object_id=project.pk,
            changes={"status": project.status, "evaluation": evaluation},
        )
        _after_commit(pending)
    return project
