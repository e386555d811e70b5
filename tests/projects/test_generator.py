"""The demo data generator: every status and region, budget lines equal their rows, idempotent, seeded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum

from codi.areas.models import Province
from codi.projects.generator import projects_demo_load
from codi.projects.models import (
    BudgetLine,
    Disbursement,
    FundReturn,
    Installment,
    PortalAccount,
    Project,
    ProjectStatus,
    ProjectStep,
)
from codi.web.demo import demo_load

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 29)


def test_generator_covers_every_status_and_region_and_balances():
    demo_load()
    summary = projects_demo_load(count=500, today=TODAY)
    assert summary.projects == Project.objects.filter(is_demo=True).count() == 500
    assert set(Project.objects.values_list("status", flat=True)) == set(ProjectStatus.values)
    regions = {
        Province.objects.get(code=c[:2]).region_id
        for c in Project.objects.values_list("subdistrict_id", flat=True)
    }
    assert regions == set(Province.objects.exclude(region=None).values_list("region_id", flat=True))
    for line in BudgetLine.objects.all():
        disbursed = Disbursement.objects.filter(budget_line=line).aggregate(s=Sum("amount"))["s"] or Decimal(
            0
        )
        returned = FundReturn.objects.filter(budget_line=line).aggregate(s=Sum("amount"))["s"] or Decimal(0)
        planned = Installment.objects.filter(project__budget_line=line, status="planned").exclude(
            project__status=ProjectStatus.CANCELLED
        ).aggregate(s=Sum("amount"))["s"] or Decimal(0)
        assert (line.disbursed, line.returned, line.committed) == (disbursed, returned, planned)
        assert line.available >= 0
    for project in Project.objects.exclude(approved_amount=None):
        total = Installment.objects.filter(project=project).aggregate(s=Sum("amount"))["s"]
        assert total == project.approved_amount
    open_steps = ProjectStep.objects.filter(completed_at__isnull=True)
    assert (
        open_steps.count() == Project.objects.exclude(status__in=["closed", "rejected", "cancelled"]).count()
    )
    leader_org = PortalAccount.objects.get(user__username="demo_leader").organization
    assert leader_org.subdistrict_id == "400104"
    assert Project.objects.filter(lead_organization=leader_org).count() >= 13


def test_generator_is_idempotent_and_reproducible():
    demo_load()
    projects_demo_load(count=120, today=TODAY)
    first = list(Project.objects.order_by("code").values_list("code", "status", "requested_amount"))
    assert projects_demo_load(count=120, today=TODAY).projects == 0
    assert Project.objects.count() == 120
    assert list(Project.objects.order_by("code").values_list("code", "status", "requested_amount")) == first


def test_a_demo_loaded_before_the_lesson_projects_gets_only_those_added():
    from codi.projects.demo_lessons import LESSON_CODE_PREFIX, LESSON_PROJECTS

    demo_load()
    projects_demo_load(count=59, today=TODAY)  # below 60 the generator makes no lesson projects
    before = set(Project.objects.values_list("code", flat=True))
    assert not any(code.startswith(LESSON_CODE_PREFIX) for code in before)
    repeat = projects_demo_load(count=59, today=TODAY)  # nothing to top up at that size
    leader_org = PortalAccount.objects.get(user__username="demo_leader").organization_id
    assert (repeat.projects, repeat.portal_organization) == (0, leader_org)
    assert set(Project.objects.values_list("code", flat=True)) == before
    added = projects_demo_load(count=120, today=TODAY)
    lessons = Project.objects.filter(code__startswith=LESSON_CODE_PREFIX)
    assert added.projects == lessons.count() == len(LESSON_PROJECTS)
    assert set(Project.objects.values_list("code", flat=True)) - before == set(
        lessons.values_list("code", flat=True)
    )
    assert set(lessons.values_list("status", flat=True)) == {ProjectStatus.CLOSED}
    for line in BudgetLine.objects.filter(projects__in=lessons).distinct():
        disbursed = Disbursement.objects.filter(budget_line=line).aggregate(s=Sum("amount"))["s"] or Decimal(
            0
        )
        assert line.disbursed == disbursed and line.available >= 0
    assert projects_demo_load(count=120, today=TODAY).projects == 0


def test_demo_project_pages_show_the_step_from_the_history():
    from django.urls import reverse

    from tests.permissions import signed_in_client
    from tests.projects.factories import staff

    demo_load()
    projects_demo_load(count=60, today=TODAY)
    project = Project.objects.filter(status="in_progress", subdistrict__code__startswith="40").first()
    assert project is not None
    officer = signed_in_client(staff("project_officer", "province", "40"))
    response = officer.get(reverse("projects:project_detail", args=[project.pk]))
    assert response.context["diagram"]["current"] == [project.current_step]
    assert "agreement" in response.context["diagram"]["completed"]
    area = officer.get(reverse("area_page", args=["40"]))
    assert area.status_code == 200
    assert reverse("projects:project_list").encode() + b"?province=40" in area.content


def test_load_projects_demo_command_twice(capsys):
    from django.core.management import call_command

    demo_load()
    call_command("load_projects_demo", "--count", "30")
    call_command("load_projects_demo", "--count", "30")
    out = capsys.readouterr().out
    assert "demo projects: 30 projects" in out
    assert out.strip().endswith("demo projects already loaded; nothing added")
