"""Stages of a Baan Mankong project, welfare funds' annual reports, and the month-end NPL/PAR
snapshots of the loan book (issue 19: housing pages, fund reports, NPL history).

A housing project goes through five stages in order (survey, design, loan, build, handover); each
has a planned date and, once reached, the date it was reached; its photos are a document of
``codi.documents`` (kept by id: lending never writes that app's tables). The units' own
construction progress (foundation … finished) is ``HousingUnit`` in ``models_community``. A welfare fund's annual report is what the fund itself submits through
the community portal for a year (members by age group, contributions, benefits paid by kind).
A snapshot keeps the portfolio figures of one province at one month's end, as computed that day.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codi.lending.models_community import HousingProject, WelfareFund

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


class Phase(models.TextChoices):
    SURVEY = "survey", _("Community survey")
    DESIGN = "design", _("Layout and house design")
    LOAN = "loan", _("Housing loan")
    BUILD = "build", _("Construction")
    HANDOVER = "handover", _("Handover")


PHASE_ORDER = [Phase.SURVEY, Phase.DESIGN, Phase.LOAN, Phase.BUILD, Phase.HANDOVER]


class ProjectStage(models.Model):
    project = models.ForeignKey(HousingProject, on_delete=models.CASCADE, related_name="stages")
    phase = models.CharField(_("project stage"), max_length=10, choices=Phase.choices)
    planned_on = models.DateField(_("planned on"))
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    document_id = models.PositiveIntegerField(_("photos (document)"), null=True, blank=True)

    class Meta:
        verbose_name = _("Baan Mankong project stage")
        ordering = ["project", "planned_on"]
        constraints = [
            models.UniqueConstraint(fields=["project", "phase"], name="lending_project_stage_once")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.phase}"


AMOUNTS_NOT_NEGATIVE = Q(
    contributions__gte=0, other_income__gte=0, benefit_birth__gte=0, benefit_sickness__gte=0,
    benefit_old_age__gte=0, benefit_death__gte=0, running_costs__gte=0,
)  # fmt: skip


class WelfareReport(models.Model):
    """A fund's report for a Buddhist-Era year, as the fund submitted it (one a year): members by age
    group (children 0-14, working age 15-59, elderly 60 and over), income (members' contributions,
    other income) and spending (benefits by life stage, running costs)."""

    fund = models.ForeignKey(WelfareFund, on_delete=models.PROTECT, related_name="reports")
    year_be = models.PositiveSmallIntegerField(_("year (B.E.)"))
    members_0_14 = models.PositiveIntegerField(_("members aged 0-14"))
    members_15_59 = models.PositiveIntegerField(_("members aged 15-59"))
    members_60_plus = models.PositiveIntegerField(_("members aged 60 and over"))
    contributions = models.DecimalField(_("members' contributions"), **MONEY)
    other_income = models.DecimalField(_("other income"), **MONEY)
    benefit_birth = models.DecimalField(_("birth benefits paid"), **MONEY)
    benefit_sickness = models.DecimalField(_("sickness benefits paid"), **MONEY)
    benefit_old_age = models.DecimalField(_("old-age benefits paid"), **MONEY)
    benefit_death = models.DecimalField(_("death benefits paid"), **MONEY)
    running_costs = models.DecimalField(_("running costs"), **MONEY)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year_be", "fund"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year_be"], name="lending_welfare_report_once"),
            models.CheckConstraint(condition=AMOUNTS_NOT_NEGATIVE, name="lending_welfare_report_amounts"),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.year_be}"

    @property
    def members(self) -> int:
        return self.members_0_14 + self.members_15_59 + self.members_60_plus

    @property
    def benefits_total(self) -> Any:
        return self.benefit_birth + self.benefit_sickness + self.benefit_old_age + self.benefit_death

    @property
    def income(self) -> Any:
        return self.contributions + self.other_income

    @property
    def spending(self) -> Any:
        return self.benefits_total + self.running_costs

    @property
    def surplus(self) -> Any:
        return self.income - self.spending


class NplSnapshot(models.Model):
    """One province's portfolio at a month's end (``codi.lending.history``)."""

    month_end = models.DateField(_("month end"))
    province_code = models.CharField(_("province"), max_length=2)
    region_code = models.CharField(_("region"), max_length=20)
    loans = models.PositiveIntegerField(_("loans"))
    outstanding = models.DecimalField(_("outstanding principal"), **MONEY)
    par30_outstanding = models.DecimalField(_("outstanding more than 30 days overdue"), **MONEY)
    npl_outstanding = models.DecimalField(_("outstanding more than 90 days overdue"), **MONEY)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["month_end", "province_code"]
        constraints = [
            models.UniqueConstraint(fields=["month_end", "province_code"], name="lending_npl_snapshot_once")
        ]

    def __str__(self) -> str:
        return f"{self.month_end} {self.province_code}"
