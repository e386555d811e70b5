"""CODI's books: chart of accounts, fiscal years, budget lines with commitments, the journal,
payment vouchers, payment batches and bank statement lines.

Invariants the database keeps as well as the services: a journal line is a debit or a credit,
never both; an entry's header totals balance; posted entries and their lines are never updated
or deleted (triggers in migration 0002, SQLite and PostgreSQL); a budget line never commits or
spends beyond its allocation.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from codi.finance.dimensions import Fund

ZERO = Decimal("0.00")
MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


class AccountType(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    NET_ASSETS = "net_assets", _("Net assets / equity")
    REVENUE = "revenue", _("Revenue")
    EXPENSE = "expense", _("Expense")


DEBIT_NORMAL = frozenset({AccountType.ASSET, AccountType.EXPENSE})


class Account(models.Model):
    """An account of the chart (government-style CODI codes, e.g. 1101010101)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    account_type = models.CharField(_("type"), max_length=20, choices=AccountType.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"

    @property
    def is_debit_normal(self) -> bool:
        return self.account_type in DEBIT_NORMAL


class FiscalYear(models.Model):
    """A Thai government fiscal year: 1 October (B.E. year − 1) to 30 September (B.E. year)."""

    year_be = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"), unique=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    is_closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        ordering = ["-year_be"]

    def __str__(self) -> str:
        return f"ปีงบประมาณ {self.year_be}"


class BudgetCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel (งบบุคลากร)")
    OPERATING = "operating", _("Operating (งบดำเนินงาน)")
    INVESTMENT = "investment", _("Investment (งบลงทุน)")
    SUBSIDY = "subsidy", _("Subsidies (งบเงินอุดหนุน)")
    OTHER = "other", _("Other (งบรายจ่ายอื่น)")


class BudgetLine(models.Model):
    """An annual budget for a unit × category × plan, with what is committed and spent.

    available = allocated − committed − actual; the services check it under the row lock.
    A line tied to a PMS budget line carries its id in ``pms_budget_line_id`` (one set of numbers).
    """

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="budget_lines")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        "identity.OrgUnit", on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("unit")
    )
    region = models.ForeignKey(
        "areas.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="finance_budget_lines"
    )
    category = models.CharField(_("budget category"), max_length=20, choices=BudgetCategory.choices)
    plan = models.CharField(_("plan / program"), max_length=100, blank=True)
    fund = models.CharField(_("fund / source"), max_length=20, choices=Fund.choices, default=Fund.SUBSIDY)
    expense_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="budget_lines")
    allocated = models.DecimalField(_("allocated"), **MONEY, validators=[MinValueValidator(ZERO)])
    committed = models.DecimalField(_("committed"), **MONEY, default=ZERO)
    actual = models.DecimalField(_("actual"), **MONEY, default=ZERO)
    pms_budget_line_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["fiscal_year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="finance_budgetline_code_per_year"),
            models.CheckConstraint(
                condition=Q(committed__gte=0)
                & Q(actual__gte=0)
                & Q(allocated__gte=F("committed") + F("actual")),
                name="finance_budgetline_within_allocation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def available(self) -> Decimal:
        return self.allocated - self.committed - self.actual


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONSUMED = "consumed", _("Turned into actual")
    RELEASED = "released", _("Released")


class Commitment(models.Model):
    """An encumbrance on a budget line, keyed by its source document so a retry never doubles it."""

    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="commitments")
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    source_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.source_key


class JournalEntry(models.Model):
    """A posted journal entry; numbered per book per fiscal year; never changed after posting."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="entries")
    book = models.CharField(_("book"), max_length=10, default="GL")
    sequence = models.PositiveIntegerField()
    entry_date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300)
    source_type = models.CharField(_("source document type"), max_length=40)
    source_id = models.CharField(_("source document"), max_length=80)
    total = models.DecimalField(_("total"), **MONEY)
    total_debit = models.DecimalField(**MONEY)
    total_credit = models.DecimalField(**MONEY)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    posted_at = models.DateTimeField(auto_now_add=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-fiscal_year__year_be", "book", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "book", "sequence"], name="finance_entry_number"),
            models.UniqueConstraint(fields=["source_type", "source_id"], name="finance_entry_one_per_source"),
            models.CheckConstraint(
                condition=Q(total_debit=F("total_credit")) & Q(total=F("total_debit")) & Q(total__gt=0),
                name="finance_entry_balanced",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.book}{self.fiscal_year.year_be}-{self.sequence:06d}"


class JournalLine(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    debit = models.DecimalField(_("debit"), **MONEY, default=ZERO)
    credit = models.DecimalField(_("credit"), **MONEY, default=ZERO)
    budget_line = models.ForeignKey(
        BudgetLine, null=True, blank=True, on_delete=models.PROTECT, related_name="journal_lines"
    )
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    # Dimensions (codes; see codi.finance.dimensions). Nullable with no default so that adding them
    # is a plain ALTER TABLE ADD COLUMN on SQLite, which keeps the journal's guard triggers.
    org_unit = models.CharField(_("org unit"), max_length=100, null=True, blank=True)
    fund = models.CharField(_("fund / source"), max_length=20, null=True, blank=True, choices=Fund.choices)
    program = models.CharField(_("program"), max_length=100, null=True, blank=True)
    project = models.CharField(_("project"), max_length=100, null=True, blank=True)
    region = models.CharField(_("CODI region"), max_length=100, null=True, blank=True)
    province = models.CharField(_("province"), max_length=100, null=True, blank=True)
    # True when posting the line moved its budget line's actual (``LineSpec.spend``), so that its
    # reversal gives the money back; null on lines posted before this column existed.
    spends_budget = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["program", "account"], name="finance_line_program"),
            models.Index(fields=["province", "account"], name="finance_line_province"),
            models.Index(fields=["fund", "account"], name="finance_line_fund"),
            models.Index(fields=["org_unit", "account"], name="finance_line_org_unit"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="finance_line_debit_or_credit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} Dr {self.debit} Cr {self.credit}"


class AccountBalance(models.Model):
    """Debits and credits summed per fiscal period × book × account × budget line × dimensions.

    Kept by the posting path (``balances.upsert``, called by ``ledger.entry_post``) in the same transaction as the
    journal lines, as ``debit = debit + delta`` upserts on ``key`` (a digest of every other key
    column), so concurrent postings add up instead of overwriting. Reports read it instead of
    grouping the million journal lines; ``codi.finance.balances`` rebuilds it from the lines and
    checks it. Dimensions are '' (never NULL) here so that the key is one value per combination.
    """

    key = models.CharField(max_length=64, unique=True)
    # CASCADE: the rows are derived data; the journal's own PROTECT keys are what keep a year,
    # account or budget line with postings from being deleted.
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="+")
    month = models.PositiveSmallIntegerField(_("period"))  # 1 = October … 12 = September
    book = models.CharField(max_length=10)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    budget_line = models.ForeignKey(
        BudgetLine, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    org_unit = models.CharField(max_length=100, default="", blank=True)
    fund = models.CharField(max_length=20, default="", blank=True)
    program = models.CharField(max_length=100, default="", blank=True)
    project = models.CharField(max_length=100, default="", blank=True)
    region = models.CharField(max_length=100, default="", blank=True)
    province = models.CharField(max_length=100, default="", blank=True)
    debit = models.DecimalField(**MONEY, default=ZERO)
    credit = models.DecimalField(**MONEY, default=ZERO)
    lines = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["fiscal_year", "month", "account"]
        indexes = [models.Index(fields=["fiscal_year", "account"], name="finance_balance_year_account")]

    def __str__(self) -> str:
        return f"{self.fiscal_year_id}/{self.month} {self.account_id} Dr {self.debit} Cr {self.credit}"


class VoucherStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    CHECKING = "checking", _("Being checked")
    APPROVAL = "approval", _("Awaiting approval")
    APPROVED = "approved", _("Approved, to pay")
    SENT = "sent", _("Sent to the bank")
    PAID = "paid", _("Paid (reconciled)")
    REJECTED = "rejected", _("Rejected")


class PaymentVoucher(models.Model):
    """A payment voucher (ใบสำคัญจ่าย) run through ``processes/voucher_tobe.bpmn``."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="vouchers")
    sequence = models.PositiveIntegerField()
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="vouchers")
    payee_name = models.CharField(_("payee"), max_length=200)
    payee_bank_code = models.CharField(_("bank code"), max_length=3)
    payee_account_no = models.CharField(_("account number"), max_length=20)
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    description = models.CharField(_("description"), max_length=300)
    status = models.CharField(max_length=20, choices=VoucherStatus.choices, default=VoucherStatus.DRAFT)
    workflow_state = models.JSONField(default=dict, blank=True)
    current_step = models.CharField(max_length=40, blank=True)
    current_step_due = models.DateField(null=True, blank=True)
    submissions = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        "PaymentBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="vouchers"
    )
    bank_reference = models.CharField(max_length=60, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-fiscal_year__year_be", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "sequence"], name="finance_voucher_number"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"PV{self.fiscal_year.year_be}-{self.sequence:05d}"


class VoucherStep(models.Model):
    """One user task of a voucher's process: who acts, by when, and the outcome."""

    voucher = models.ForeignKey(PaymentVoucher, on_delete=models.CASCADE, related_name="steps")
    task_key = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=40)
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


class PaymentBatch(models.Model):
    """A bulk-transfer file generated from approved vouchers."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="batches")
    sequence = models.PositiveIntegerField()
    value_date = models.DateField(_("value date"))
    total = models.DecimalField(_("total"), **MONEY)
    count = models.PositiveIntegerField()
    file_text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "sequence"], name="finance_batch_number")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"PB{self.fiscal_year.year_be}-{self.sequence:04d}"


class StatementLine(models.Model):
    """A line of an imported bank statement, matched to a voucher or left in the queue."""

    value_date = models.DateField(_("value date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    reference = models.CharField(_("reference"), max_length=60)
    description = models.CharField(_("description"), max_length=200, blank=True)
    fingerprint = models.CharField(max_length=64, unique=True)
    voucher = models.OneToOneField(
        PaymentVoucher, null=True, blank=True, on_delete=models.PROTECT, related_name="statement_line"
    )
    receipt = models.OneToOneField(
        "Receipt", null=True, blank=True, on_delete=models.PROTECT, related_name="statement_line"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-value_date", "id"]

    def __str__(self) -> str:
        return f"{self.value_date} {self.amount} {self.reference}"


class Period(models.Model):
    """A month of a fiscal year (1 = October … 12 = September); posting into a closed one is refused."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="periods")
    month = models.PositiveSmallIntegerField(_("period"))
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    is_closed = models.BooleanField(_("closed"), default=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["fiscal_year__year_be", "month"]
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "month"], name="finance_period_month")]

    def __str__(self) -> str:
        return f"{self.fiscal_year.year_be}/{self.month:02d}"


class PayeeType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual (ภ.ง.ด.3)")
    JURISTIC = "juristic", _("Juristic person (ภ.ง.ด.53)")
    GOVERNMENT = "government", _("Government agency (exempt)")


class Vendor(models.Model):
    """A payee: tax ID checked (13-digit citizen or juristic ID), the bank account to pay into."""

    name = models.CharField(_("name"), max_length=200)
    tax_id = models.CharField(_("tax ID"), max_length=13, unique=True)
    branch = models.CharField(_("branch"), max_length=5, default="00000")
    payee_type = models.CharField(_("payee type"), max_length=20, choices=PayeeType.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    bank_code = models.CharField(_("bank code"), max_length=3)
    account_no = models.CharField(_("account number"), max_length=20)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VendorInvoice(models.Model):
    """A vendor's invoice: amount before VAT, input VAT, withholding by income type; posted once."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="invoices")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="invoices")
    invoice_number = models.CharField(_("vendor invoice number"), max_length=40)
    invoice_date = models.DateField(_("invoice date"))
    description = models.CharField(_("description"), max_length=300)
    expense_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    budget_line = models.ForeignKey(
        BudgetLine, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    income_type = models.CharField(_("income type"), max_length=20)
    amount = models.DecimalField(_("amount before VAT"), **MONEY)
    vat = models.DecimalField(_("VAT"), **MONEY, default=ZERO)
    wht_rate = models.DecimalField(_("withholding rate %"), max_digits=5, decimal_places=2, default=ZERO)
    withholding = models.DecimalField(_("withholding tax"), **MONEY, default=ZERO)
    payable = models.DecimalField(_("net payable"), **MONEY)
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="+")
    certificate_year = models.PositiveSmallIntegerField(null=True, blank=True)
    certificate_sequence = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-invoice_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "invoice_number"], name="finance_invoice_once_per_vendor"
            ),
            models.UniqueConstraint(
                fields=["certificate_year", "certificate_sequence"], name="finance_wht_certificate_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} {self.invoice_number}"

    @property
    def certificate_number(self) -> str:
        if self.certificate_sequence is None:
            return ""
        return f"{self.certificate_year}/{self.certificate_sequence:05d}"


class Receipt(models.Model):
    """Money CODI expects or received (a fee, a project return, a loan repayment), numbered per year.

    ``reference`` is what the payer quotes (Bill Payment Ref1); a bank statement credit with that
    reference and amount posts the receipt (Dr bank, Cr ``credit_account``)."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="receipts")
    sequence = models.PositiveIntegerField()
    payer_name = models.CharField(_("payer"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    credit_account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(null=True, blank=True)
    entry = models.OneToOneField(
        JournalEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-fiscal_year__year_be", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "sequence"], name="finance_receipt_number")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"RC{self.fiscal_year.year_be}-{self.sequence:05d}"


class BudgetRequestKind(models.TextChoices):
    ALLOCATE = "allocate", _("Additional allocation")
    TRANSFER = "transfer", _("Transfer between lines")


class BudgetRequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class BudgetRequest(models.Model):
    """An allocation or transfer, applied to the lines only when someone other than the maker approves."""

    kind = models.CharField(max_length=20, choices=BudgetRequestKind.choices)
    from_line = models.ForeignKey(
        BudgetLine, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="requests_in")
    amount = models.DecimalField(_("amount"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        max_length=20, choices=BudgetRequestStatus.choices, default=BudgetRequestStatus.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class DelegationStep(models.TextChoices):
    CHECK = "check", _("Check (final approval within the chief accountant's limit)")
    APPROVE = "approve", _("Authorised approval")


class ApprovalDelegation(models.Model):
    """An approver's authority lent to a named user for a date range (delegation of authority).

    The delegate may act on the step for vouchers up to ``max_amount`` (never above the
    delegator's own limit) from ``starts_on`` to ``ends_on`` inclusive, unless revoked; never on
    a voucher they made or checked (segregation of duties holds for delegates too)."""

    delegator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    step = models.CharField(_("authority"), max_length=20, choices=DelegationStep.choices)
    max_amount = models.DecimalField(
        _("up to (baht)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("approval delegation")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="finance_delegation_range"),
            models.CheckConstraint(condition=~Q(delegate=F("delegator")), name="finance_delegation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.delegator_id}→{self.delegate_id} {self.starts_on}–{self.ends_on}"
