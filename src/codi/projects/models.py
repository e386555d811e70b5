"""Community projects (CODI PMS): programs and budget lines, projects, their money and reports.

Money is ``Decimal`` with satang precision everywhere (``MONEY``). A budget line keeps
its running totals (committed, disbursed, returned) next to the allocation so the
balance is one row read and one row lock; the services keep those totals equal to
the sums of the rows they summarise (a test checks it). Nothing about money is
deleted: cancellations and returns are rows of their own.

Every project is tied to a main subdistrict (``subdistrict``, used for area scoping)
and may serve more (``ProjectArea``). The approval process is a BPMN file executed by
SpiffWorkflow; ``Project.workflow_state`` holds the serialized engine state and
``ProjectStep`` the human-readable history and the open task with its due date.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from codi.areas.models import Region, Subdistrict
from codi.communities.models import Organization, Person

ZERO = Decimal("0.00")
MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class ProgramKind(models.TextChoices):
    HOUSING = "housing", _("Baan Mankong housing")
    WELFARE = "welfare", _("Community welfare fund")
    COUNCIL = "council", _("Community council development")
    LAND = "land", _("Land and agriculture")
    DISASTER = "disaster", _("Disaster relief")
    ECONOMY = "economy", _("Community economy")
    OTHER = "other", _("Other")


class Program(models.Model):
    """A funding program (e.g. บ้านมั่นคง); projects are proposed under one."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgramKind.choices)
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_th


class BudgetLine(models.Model):
    """One program's allocation for one CODI region in one Thai fiscal year (Buddhist Era).

    available = allocated − committed − disbursed + returned. ``committed`` is approved
    money not yet paid; paying an installment moves its amount from committed to disbursed.
    """

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="budget_lines")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="budget_lines")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    allocated = models.DecimalField(_("allocated"), **MONEY, validators=[MinValueValidator(ZERO)])
    committed = models.DecimalField(_("committed"), **MONEY, default=ZERO)
    disbursed = models.DecimalField(_("disbursed"), **MONEY, default=ZERO)
    returned = models.DecimalField(_("returned"), **MONEY, default=ZERO)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-fiscal_year", "program__code", "region__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "region", "fiscal_year"], name="budgetline_unique"),
            models.CheckConstraint(
                condition=Q(allocated__gte=0)
                & Q(committed__gte=0)
                & Q(disbursed__gte=0)
                & Q(returned__gte=0),
                name="budgetline_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(allocated__gte=F("committed") + F("disbursed") - F("returned")),
                name="budgetline_never_overspent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.code} {self.region_id} {self.fiscal_year}"

    @property
    def available(self) -> Decimal:
        return self.allocated - self.committed - self.disbursed + self.returned


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SCREENING = "screening", _("Screening")
    COMMITTEE = "committee", _("Committee review")
    APPROVAL = "approval", _("Awaiting approval")
    REVISION = "revision", _("Returned for revision")
    APPROVED = "approved", _("Approved")
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
    IN_PROGRESS = "in_progress", _("In progress")
    FINAL_REPORT = "final_report", _("Final report")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class Project(models.Model):
    code = models.CharField(_("project code"), max_length=30, unique=True)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="projects")
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="projects", null=True, blank=True
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    # The main area: scoping and the area page use it; more areas in ProjectArea.
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="projects")
    lead_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="led_projects",
        verbose_name=_("proposing organization"),
    )
    contact_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="contact_for_projects", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=300)
    rationale = models.TextField(_("rationale"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    requested_amount = models.DecimalField(
        _("requested amount"), **MONEY, validators=[MinValueValidator(ZERO)]
    )
    approved_amount = models.DecimalField(_("approved amount"), **MONEY, null=True, blank=True)
    reduction_reason = models.TextField(_("reason for a reduced amount"), blank=True)
    co_funding_amount = models.DecimalField(_("co-funding"), **MONEY, default=ZERO)
    co_funding_source = models.CharField(_("co-funding source"), max_length=300, blank=True)
    households = models.PositiveIntegerField(_("beneficiary households"), default=0)
    persons = models.PositiveIntegerField(_("beneficiary persons"), default=0)
    # Fields only some programs need (Baan Mankong: housing units, land tenure; welfare: members,
    # benefits), validated per program kind by the services.
    type_details = models.JSONField(_("program-specific details"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT, db_index=True
    )
    workflow_state = models.JSONField(default=dict, blank=True)
    current_step = models.CharField(_("current step"), max_length=60, blank=True)
    current_step_due = models.DateField(_("current step due"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    evaluation = models.TextField(_("closure evaluation"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for cancellation"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["subdistrict", "id"], name="project_subdistrict_id"),
            models.Index(fields=["fiscal_year", "program", "status"], name="project_fy_program_status"),
            models.Index(fields=["lead_organization", "id"], name="project_org_id"),
            models.Index(fields=["updated_at"], name="project_updated_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0), name="project_requested_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__lte=F("requested_amount")),
                name="project_approved_le_requested",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProjectArea(models.Model):
    """Every subdistrict a project serves (the main one included)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="areas")
    subdistrict = models.ForeignKey(Subdistrict, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "subdistrict"], name="projectarea_unique")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.subdistrict_id}"


class ProjectOrganization(models.Model):
    """Organizations that propose the project together with the lead one."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partner_links")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="partner_projects")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "organization"], name="projectorg_unique")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.organization_id}"


class PortalAccount(models.Model):
    """Which organization a community-leader account acts for in the self-service portal."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_accounts"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="portal_accounts")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="portalaccount_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.organization_id}"


class Activity(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("activity"), max_length=300)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="activity_dates_ordered")
        ]

    def __str__(self) -> str:
        return self.title


class Result(models.Model):
    """Results framework: result → indicator → target per period (rolled up by program and area)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="results")
    title = models.CharField(_("result"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    # A shared code lets indicators of many projects roll up (e.g. "HOUSING_UNITS").
    code = models.CharField(_("indicator code"), max_length=40, blank=True, db_index=True)
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=ZERO)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class IndicatorPeriod(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="periods")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["period_start"]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period_start}–{self.period_end}"


class BeneficiaryGroup(models.Model):
    class Group(models.TextChoices):
        LOW_INCOME = "low_income", _("Low-income households")
        ELDERLY = "elderly", _("Elderly")
        CHILDREN = "children", _("Children and youth")
        DISABLED = "disabled", _("Persons with disabilities")
        WOMEN = "women", _("Women")
        ETHNIC = "ethnic", _("Ethnic groups")
        GENERAL = "general", _("General")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="beneficiary_groups")
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    households = models.PositiveIntegerField(_("households"), default=0)
    persons = models.PositiveIntegerField(_("persons"), default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.group}"


class BudgetCategory(models.TextChoices):
    CONSTRUCTION = "construction", _("Construction and materials")
    LAND = "land", _("Land")
    TRAINING = "training", _("Training and meetings")
    REVOLVING = "revolving", _("Revolving fund")
    EQUIPMENT = "equipment", _("Equipment")
    ADMIN = "admin", _("Administration")
    OTHER = "other", _("Other")


class BudgetItem(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_items")
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(ZERO)])

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class Attachment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="projects/attachments/%Y/%m/")
    title = models.CharField(_("title"), max_length=300)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class InstallmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DISBURSED = "disbursed", _("Disbursed")
    CANCELLED = "cancelled", _("Cancelled")


class Installment(models.Model):
    """One tranche of an approved project; amounts of the live ones sum to the approved amount."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="installments")
    number = models.PositiveSmallIntegerField(_("installment"))
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    conditions = models.TextField(_("conditions"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=InstallmentStatus.choices, default=InstallmentStatus.PLANNED
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["project", "number"]
        indexes = [models.Index(fields=["status", "due_date"], name="installment_status_due")]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="installment_unique_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="installment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} #{self.number}"


class Disbursement(models.Model):
    """A payment of one installment. At most one per installment; ``idempotency_key`` makes a
    retried request find the payment it already made instead of paying again."""

    installment = models.OneToOneField(Installment, on_delete=models.PROTECT, related_name="disbursement")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="disbursements")
    amount = models.DecimalField(_("amount"), **MONEY)
    idempotency_key = models.CharField(max_length=100, unique=True)
    paid_at = models.DateTimeField(_("paid at"))
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive")]

    def __str__(self) -> str:
        return self.idempotency_key


class FundReturn(models.Model):
    """Money a community returns (unspent funds, cancellation); recorded, never netted away."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="fund_returns")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="fund_returns")
    amount = models.DecimalField(_("amount"), **MONEY)
    reason = models.TextField(_("reason"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fundreturn_amount_positive")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.amount}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for changes")


class ProgressReport(models.Model):
    """A report for one tranche (or the final report), sent by the community, reviewed by an officer."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reports")
    installment = models.ForeignKey(
        Installment, on_delete=models.PROTECT, related_name="reports", null=True, blank=True
    )
    is_final = models.BooleanField(_("final report"), default=False)
    narrative = models.TextField(_("what was done"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "project"], name="report_status_project")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.status}"


class ReportIndicatorValue(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="reported_values")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="reportvalue_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_id}={self.value}"


class ExpenseLine(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="expenses")
    spent_on = models.DateField(_("date spent"))
    description = models.CharField(_("description"), max_length=300)
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory.choices)
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    receipt = models.FileField(_("receipt"), upload_to="projects/receipts/%Y/%m/", blank=True)
    receipt_content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["spent_on", "id"]

    def __str__(self) -> str:
        return self.description


class ReportPhoto(models.Model):
    """A field photo; where and when it was taken come from its EXIF data (flagged when missing)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="projects/photos/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    has_exif = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or str(self.image.name)


class ProjectStep(models.Model):
    """One step of the approval process as people see it: who must act, by when, and what they did.

    An open step (``completed_at`` is null) is a task in the inbox of every user who holds
    ``role`` over the project's area (the community leader's steps: their organization's portal).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="steps")
    task_key = models.CharField(max_length=60)  # the BPMN task id
    name = models.CharField(_("step"), max_length=200)
    role = models.CharField(_("role"), max_length=40)
    opened_at = models.DateTimeField()
    due_date = models.DateField(_("due date"), null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=40, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["opened_at", "id"]
        indexes = [
            models.Index(fields=["role", "completed_at", "due_date"], name="step_inbox"),
            models.Index(fields=["project", "completed_at"], name="step_project_open"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.task_key}"
