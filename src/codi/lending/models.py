"""Credit to community organizations: loan products, loans, schedule versions, instalments and
repayments.

A loan's borrower is an organization (codi.communities); the loan keeps the organization's
subdistrict so that every read is area-scoped in one place (``codi.lending.selectors``). Money is
Decimal to the satang. A schedule version is never edited once superseded: a prepayment or a
restructuring writes a new version and marks the old one not current.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codi.lending.schedule import DayCount, Method

ZERO = Decimal("0.00")
MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}
RATE: dict[str, Any] = {"max_digits": 7, "decimal_places": 4}


class ProductKind(models.TextChoices):
    HOUSING = "housing", _("Housing (Baan Mankong)")
    LAND = "land", _("Land")
    LIVELIHOOD = "livelihood", _("Livelihood")
    REVOLVING = "revolving", _("Revolving fund")


class MethodChoice(models.TextChoices):
    ANNUITY = Method.ANNUITY, _("Equal instalments (annuity)")
    EQUAL_PRINCIPAL = Method.EQUAL_PRINCIPAL, _("Equal principal")
    FLAT = Method.FLAT, _("Flat rate")


class DayCountChoice(models.TextChoices):
    THIRTY_360 = DayCount.THIRTY_360, "30/360"
    ACTUAL_365 = DayCount.ACTUAL_365, "actual/365"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")


class LoanProduct(models.Model):
    """What the board offers: ranges, how the schedule is computed, and the penalty on arrears."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProductKind.choices)
    method = models.CharField(_("schedule method"), max_length=20, choices=MethodChoice.choices)
    day_count = models.CharField(_("day count"), max_length=12, choices=DayCountChoice.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default="monthly")
    min_principal = models.DecimalField(_("minimum principal"), **MONEY)
    max_principal = models.DecimalField(_("maximum principal"), **MONEY)
    min_months = models.PositiveSmallIntegerField(_("shortest term (months)"))
    max_months = models.PositiveSmallIntegerField(_("longest term (months)"))
    # Days after a due date before penalty interest runs on what is still unpaid.
    grace_days = models.PositiveSmallIntegerField(_("grace period (days)"), default=0)
    penalty_rate = models.DecimalField(_("penalty interest (% a year)"), default=ZERO, **RATE)
    collateral_required = models.BooleanField(_("collateral required"), default=False)
    guarantee_required = models.BooleanField(_("guarantee required"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_principal__gt=0) & Q(max_principal__gte=models.F("min_principal")),
                name="lending_product_principal_range",
            ),
            models.CheckConstraint(
                condition=Q(min_months__gte=1) & Q(max_months__gte=models.F("min_months")),
                name="lending_product_term_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name_th


class ProductRate(models.Model):
    """The product's fixed rate from a date on; a loan takes the rate in force on its application."""

    product = models.ForeignKey(LoanProduct, on_delete=models.CASCADE, related_name="rates")
    effective_from = models.DateField(_("effective from"))
    annual_rate = models.DecimalField(_("interest (% a year)"), **RATE)

    class Meta:
        ordering = ["product", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["product", "effective_from"], name="lending_rate_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.annual_rate} % ({self.effective_from})"


class LoanStatus(models.TextChoices):
    REVIEW = "review", _("Under review")
    COMMITTEE = "committee", _("Committee approval")
    APPROVED = "approved", _("Approved, awaiting disbursement")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed (repaid)")
    REJECTED = "rejected", _("Rejected")
    WRITTEN_OFF = "written_off", _("Written off")


class Loan(models.Model):
    number = models.CharField(_("loan number"), max_length=20, unique=True)
    product = models.ForeignKey(LoanProduct, on_delete=models.PROTECT, related_name="loans")
    organization = models.ForeignKey(
        "communities.Organization", on_delete=models.PROTECT, related_name="loans"
    )
    subdistrict = models.ForeignKey("areas.Subdistrict", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=300)
    principal = models.DecimalField(_("principal"), **MONEY)
    annual_rate = models.DecimalField(_("interest (% a year)"), **RATE)
    months = models.PositiveSmallIntegerField(_("term (months)"))
    method = models.CharField(max_length=20, choices=MethodChoice.choices)
    day_count = models.CharField(max_length=12, choices=DayCountChoice.choices)
    applied_on = models.DateField(_("applied on"))
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LoanStatus.choices, default=LoanStatus.REVIEW
    )
    collateral = models.CharField(_("collateral"), max_length=300, blank=True)
    guarantee = models.CharField(_("guarantee"), max_length=300, blank=True)
    # The borrower's account the tranches are transferred to (Bank of Thailand bank code + number).
    bank_code = models.CharField(_("bank code"), max_length=3, blank=True)
    account_no = models.CharField(_("account number"), max_length=15, blank=True)
    # Where the current schedule counts its due dates from: instalment n falls due
    # (n - schedule_first_n + 1) months after schedule_start (the disbursement, or a restructuring).
    schedule_start = models.DateField(null=True, blank=True)
    schedule_first_n = models.PositiveSmallIntegerField(default=1)
    workflow_state = models.JSONField(default=dict, blank=True)
    current_step = models.CharField(max_length=40, blank=True)
    current_step_due = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "subdistrict"], name="lending_loan_status_area")]
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0), name="lending_loan_principal_positive")
        ]

    def __str__(self) -> str:
        return self.number


class ScheduleVersion(models.Model):
    """One version of a loan's schedule; the current one holds every instalment, paid or not."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=200)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["loan", "version"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "version"], name="lending_version_unique"),
            models.UniqueConstraint(
                fields=["loan"], condition=Q(is_current=True), name="lending_one_current_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} v{self.version}"


class Instalment(models.Model):
    version = models.ForeignKey(ScheduleVersion, on_delete=models.CASCADE, related_name="instalments")
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="instalments")
    is_current = models.BooleanField(default=True)  # mirrors the version, for one-table arrears queries
    n = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    principal_due = models.DecimalField(**MONEY)
    interest_due = models.DecimalField(**MONEY)
    principal_paid = models.DecimalField(default=ZERO, **MONEY)
    interest_paid = models.DecimalField(default=ZERO, **MONEY)
    penalty_charged = models.DecimalField(default=ZERO, **MONEY)
    penalty_paid = models.DecimalField(default=ZERO, **MONEY)
    penalty_to = models.DateField(null=True, blank=True)  # penalty charged up to this date

    class Meta:
        ordering = ["loan", "n"]
        constraints = [
            models.UniqueConstraint(fields=["version", "n"], name="lending_instalment_unique"),
            models.CheckConstraint(
                condition=Q(principal_paid__lte=models.F("principal_due"))
                & Q(interest_paid__lte=models.F("interest_due"))
                & Q(penalty_paid__lte=models.F("penalty_charged")),
                name="lending_instalment_not_overpaid",
            ),
        ]
        indexes = [models.Index(fields=["is_current", "loan", "due_date"], name="lending_inst_current")]

    def __str__(self) -> str:
        return f"{self.loan_id} #{self.n}"

    @property
    def payment(self) -> Decimal:
        return self.principal_due + self.interest_due

    @property
    def unpaid(self) -> Decimal:
        return self.principal_due - self.principal_paid + self.interest_due - self.interest_paid


class Channel(models.TextChoices):
    QR = "qr", _("Thai QR bill payment")
    BANK = "bank", _("Bank transfer (statement)")
    COUNTER = "counter", _("Counter receipt")


class Repayment(models.Model):
    """Money received for a loan and how it was allocated (penalty → interest → principal).

    amount = penalty_part + interest_part + principal_part, checked by the service (SQLite compares
    decimals as floats, so a database CHECK on a sum would be wrong there).
    """

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    reference = models.CharField(_("reference"), max_length=60)
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount"), **MONEY)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    penalty_part = models.DecimalField(default=ZERO, **MONEY)
    interest_part = models.DecimalField(default=ZERO, **MONEY)
    principal_part = models.DecimalField(default=ZERO, **MONEY)
    prepaid_part = models.DecimalField(default=ZERO, **MONEY)  # principal paid ahead of its due date
    journal_entry_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["loan", "received_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "reference"], name="lending_repayment_once"),
        ]

    def __str__(self) -> str:
        return self.reference


class LoanStep(models.Model):
    """One user task of a loan's approval process: who acts, by when, and the outcome."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="steps")
    task_key = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    opened_at = models.DateTimeField()
    due_date = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=40, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["opened_at", "id"]

    def __str__(self) -> str:
        return self.name


class NoticeStatus(models.TextChoices):
    MATCHED = "matched", _("Matched to a loan")
    QUEUED = "queued", _("Waiting for a person")


class PaymentNotice(models.Model):
    """A payment reported by the bank (Thai QR bill payment: Ref1 = loan number, Ref2 = instalment).

    Matched to the loan whose number is Ref1 exactly; anything else is queued for a person, never
    guessed. The bank's transaction id makes a repeated notice harmless.
    """

    transaction_id = models.CharField(_("bank transaction id"), max_length=60, unique=True)
    ref1 = models.CharField("Ref1", max_length=40)
    ref2 = models.CharField("Ref2", max_length=40, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    received_on = models.DateField(_("received on"))
    status = models.CharField(_("status"), max_length=10, choices=NoticeStatus.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    repayment = models.OneToOneField(
        Repayment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.transaction_id


class Tranche(models.Model):
    """One payment of the loan's money to the borrower, sent as a pain.001 credit transfer and
    posted Dr loans receivable / Cr bank; the sum of the tranches never exceeds the principal."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="tranches")
    n = models.PositiveSmallIntegerField()
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=35, unique=True)
    bank_code = models.CharField(_("bank code"), max_length=3)
    account_no = models.CharField(_("account number"), max_length=15)
    payment_file = models.TextField(blank=True)  # the schema-valid pain.001.001.09 XML
    journal_entry_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["loan", "n"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "n"], name="lending_tranche_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="lending_tranche_positive"),
        ]

    def __str__(self) -> str:
        return self.reference


class InterestAccrual(models.Model):
    """Interest earned but not yet received at a month's end, posted Dr accrued interest / Cr
    interest income and reversed the next day (repayments keep crediting income as received)."""

    month_end = models.DateField(_("month end"), unique=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    loans = models.PositiveIntegerField(default=0)
    journal_entry_id = models.PositiveBigIntegerField(null=True, blank=True)
    reversal_entry_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month_end"]

    def __str__(self) -> str:
        return self.month_end.isoformat()


class AccrualLine(models.Model):
    accrual = models.ForeignKey(InterestAccrual, on_delete=models.CASCADE, related_name="lines")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="accruals")
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["accrual", "loan"]
        constraints = [models.UniqueConstraint(fields=["accrual", "loan"], name="lending_accrual_line_once")]

    def __str__(self) -> str:
        return f"{self.accrual_id}/{self.loan_id}"


class ChangeKind(models.TextChoices):
    RESTRUCTURE = "restructure", _("Restructuring")
    WRITE_OFF = "write_off", _("Write-off")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class LoanChange(models.Model):
    """A restructuring or write-off: requested by a credit officer, approved by someone else.

    ``new_principal + write_off`` is always the outstanding principal at the request: principal is
    never lowered without a write-off posted to the ledger.
    """

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("kind"), max_length=12, choices=ChangeKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    effective_on = models.DateField(_("effective on"))
    outstanding = models.DecimalField(_("outstanding principal"), **MONEY)
    new_principal = models.DecimalField(_("new principal"), default=ZERO, **MONEY)
    write_off = models.DecimalField(_("written off"), default=ZERO, **MONEY)
    months = models.PositiveSmallIntegerField(_("new term (months)"), null=True, blank=True)
    annual_rate = models.DecimalField(_("new rate (% a year)"), null=True, blank=True, **RATE)
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    interest_forgiven = models.DecimalField(default=ZERO, **MONEY)  # unpaid interest and penalty dropped
    journal_entry_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan"], condition=Q(status="pending"), name="lending_one_pending_change"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id} {self.kind}"


class LoanContract(models.Model):
    """The loan contract as PDF, signed for CODI through the platform PKI (PAdES); kept once signed."""

    loan = models.OneToOneField(Loan, on_delete=models.PROTECT, related_name="contract")
    pdf = models.FileField(upload_to="lending/contracts/")
    sha256 = models.CharField(max_length=64)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.loan_id} contract"


# Baan Mankong housing and community welfare funds, project stages, fund reports and NPL snapshots
# live in their own modules, registered here.
from codi.lending.models_community import *  # noqa: E402, F403
from codi.lending.models_reports import *  # noqa: E402, F403
