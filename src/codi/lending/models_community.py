"""Baan Mankong housing projects and community welfare funds (issue 19, items 6 and 7).

A housing project belongs to the borrowing organization and may be financed by one of its housing
loans; its households are persons of the member registry (codi.communities), each in at most one
housing project (a database constraint); plots and the units built on them move through the
construction stages. Subsidies per household come from a rule table by kind.

A welfare fund is an organization's fund: members (registry persons) and their contributions,
benefits paid by life stage, the matching contribution computed from a rule table, and a yearly
good-management certification checklist with evidence.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}  # as codi.lending.models
ZERO = Decimal("0.00")


class Tenure(models.TextChoices):
    LEASE = "lease", _("Long lease")
    PURCHASE = "purchase", _("Purchase")
    COOP = "coop", _("Co-operative ownership")


class HousingProject(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=200)
    organization = models.ForeignKey("communities.Organization", on_delete=models.PROTECT, related_name="+")
    subdistrict = models.ForeignKey("areas.Subdistrict", on_delete=models.PROTECT, related_name="+")
    loan = models.ForeignKey(
        "lending.Loan", null=True, blank=True, on_delete=models.PROTECT, related_name="housing_projects"
    )
    pms_project_code = models.CharField(_("PMS project code"), max_length=40, blank=True)
    tenure = models.CharField(_("land tenure"), max_length=10, choices=Tenure.choices)
    households_planned = models.PositiveIntegerField(_("households planned"))
    is_demo = models.BooleanField(default=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_th


class HousingPlot(models.Model):
    project = models.ForeignKey(HousingProject, on_delete=models.CASCADE, related_name="plots")
    plot_no = models.CharField(_("plot number"), max_length=20)
    area_sqw = models.DecimalField(_("area (square wa)"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["project", "plot_no"]
        constraints = [models.UniqueConstraint(fields=["project", "plot_no"], name="lending_plot_unique")]

    def __str__(self) -> str:
        return self.plot_no


class Household(models.Model):
    """A registry person heading a household in one housing project (never two)."""

    project = models.ForeignKey(HousingProject, on_delete=models.PROTECT, related_name="households")
    person = models.ForeignKey("communities.Person", on_delete=models.PROTECT, related_name="+")
    plot = models.OneToOneField(
        HousingPlot, null=True, blank=True, on_delete=models.PROTECT, related_name="household"
    )
    loan_share = models.DecimalField(_("share of the housing loan"), default=ZERO, **MONEY)
    joined_on = models.DateField(_("joined on"))

    class Meta:
        ordering = ["project", "id"]
        constraints = [models.UniqueConstraint(fields=["person"], name="lending_household_one_project")]

    def __str__(self) -> str:
        return f"{self.project_id}/{self.person_id}"


class Stage(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    STRUCTURE = "structure", _("Structure")
    ROOF = "roof", _("Roof and walls")
    FINISHED = "finished", _("Finished")


STAGE_ORDER = [Stage.FOUNDATION, Stage.STRUCTURE, Stage.ROOF, Stage.FINISHED]


class HousingUnit(models.Model):
    plot = models.OneToOneField(HousingPlot, on_delete=models.CASCADE, related_name="unit")
    stage = models.CharField(_("construction stage"), max_length=12, choices=Stage.choices)
    stage_on = models.DateField(_("stage reached on"))
    photo_note = models.CharField(_("photo"), max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.plot_id} {self.stage}"


class SubsidyKind(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    HOUSING = "housing", _("Housing")
    RELOCATION = "relocation", _("Relocation")


class SubsidyRule(models.Model):
    """Baht per household by kind of subsidy, from a date on (the board's table)."""

    kind = models.CharField(_("kind"), max_length=16, choices=SubsidyKind.choices)
    per_household = models.DecimalField(_("baht per household"), **MONEY)
    effective_from = models.DateField(_("effective from"))

    class Meta:
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "effective_from"], name="lending_subsidy_rule")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.per_household}"


# --- welfare funds ----------------------------------------------------------------------------


class WelfareFund(models.Model):
    organization = models.OneToOneField(
        "communities.Organization", on_delete=models.PROTECT, related_name="welfare_fund"
    )
    subdistrict = models.ForeignKey("areas.Subdistrict", on_delete=models.PROTECT, related_name="+")
    name_th = models.CharField(_("Thai name"), max_length=200)
    founded_on = models.DateField(_("founded on"))
    monthly_contribution = models.DecimalField(_("contribution per member a month"), **MONEY)
    is_demo = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name_th"]

    def __str__(self) -> str:
        return self.name_th


class WelfareMember(models.Model):
    fund = models.ForeignKey(WelfareFund, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey("communities.Person", on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("joined on"))

    class Meta:
        ordering = ["fund", "id"]
        constraints = [models.UniqueConstraint(fields=["fund", "person"], name="lending_welfare_member_once")]

    def __str__(self) -> str:
        return f"{self.fund_id}/{self.person_id}"


class Contribution(models.Model):
    member = models.ForeignKey(WelfareMember, on_delete=models.PROTECT, related_name="contributions")
    month = models.DateField(_("month"))  # the first day of the month paid for
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["member", "month"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="lending_contribution_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="lending_contribution_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month}"


class LifeStage(models.TextChoices):
    BIRTH = "birth", _("Birth")
    SICKNESS = "sickness", _("Sickness")
    OLD_AGE = "old_age", _("Old age")
    DEATH = "death", _("Death")


class BenefitPaid(models.Model):
    member = models.ForeignKey(WelfareMember, on_delete=models.PROTECT, related_name="benefits")
    stage = models.CharField(_("life stage"), max_length=10, choices=LifeStage.choices)
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="lending_benefit_positive")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.stage}"


class MatchingRule(models.Model):
    """The matching contribution: ``rate`` baht per baht the members paid in the year, at most
    ``cap_per_member`` baht a member (the government/CODI rule table)."""

    effective_from = models.DateField(_("effective from"), unique=True)
    rate = models.DecimalField(_("baht per baht contributed"), max_digits=5, decimal_places=2)
    cap_per_member = models.DecimalField(_("cap per member"), **MONEY)

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.rate} ({self.effective_from})"


class CertStatus(models.TextChoices):
    CERTIFIED = "certified", _("Certified: good management")
    NOT_CERTIFIED = "not_certified", _("Not certified")


class Certification(models.Model):
    """A year's good-management checklist: each item's evidence; certified only when all are met."""

    fund = models.ForeignKey(WelfareFund, on_delete=models.PROTECT, related_name="certifications")
    year_be = models.PositiveSmallIntegerField(_("year (B.E.)"))
    evidence = models.JSONField(default=dict)  # item key -> evidence text ("" = not met)
    status = models.CharField(_("status"), max_length=14, choices=CertStatus.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["fund", "-year_be"]
        constraints = [models.UniqueConstraint(fields=["fund", "year_be"], name="lending_cert_once_a_year")]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.year_be}"
