"""Procurement under the Public Procurement and Supplies Administration Act B.E. 2560, and assets.

plan line → requisition (รายงานขอซื้อขอจ้าง, budget committed in finance at approval) → method
(from the dated thresholds table) → committees (with conflict-of-interest declarations) →
quotations → contract / purchase order → deliveries and inspection (ตรวจรับ) → payment; accepted
items at or above their class's capitalisation threshold become assets, depreciated monthly.

Money is Decimal (satang). Budget lines live in finance; this app points at them by foreign key
and changes them only through ``codi.finance.ledger``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")
MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


class Category(models.TextChoices):
    GOODS = "goods", _("Goods (ซื้อ)")
    SERVICES = "services", _("Services (จ้าง)")
    CONSTRUCTION = "construction", _("Construction (จ้างก่อสร้าง)")


class Method(models.TextChoices):
    """Methods of s.55 of the Act; e-market and e-bidding are the two forms of open invitation."""

    E_MARKET = "e_market", _("e-market (ตลาดอิเล็กทรอนิกส์)")
    E_BIDDING = "e_bidding", _("e-bidding (ประกวดราคาอิเล็กทรอนิกส์)")
    SELECTION = "selection", _("Selection (วิธีคัดเลือก)")
    SPECIFIC = "specific", _("Specific method (วิธีเฉพาะเจาะจง)")


class MethodThreshold(models.Model):
    """One row of the editable, dated table that suggests and allows a method by amount.

    An amount ``a`` matches when ``min_amount < a`` and (no ``max_amount`` or ``a <= max_amount``);
    ``needs_e_catalog`` rows apply only to items listed in the e-GP catalogue. ``source`` cites the
    law the row comes from. Seeded by migration 0002 from the 2560 ministerial regulation.
    """

    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    min_amount = models.DecimalField(_("above (baht)"), **MONEY, default=ZERO)
    max_amount = models.DecimalField(_("up to (baht)"), **MONEY, null=True, blank=True)
    needs_e_catalog = models.BooleanField(_("only for e-catalogue items"), default=False)
    priority = models.PositiveSmallIntegerField(_("order of preference"), default=10)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    source = models.CharField(_("legal source"), max_length=300)

    class Meta:
        ordering = ["priority", "min_amount"]

    def __str__(self) -> str:
        return f"{self.method} {self.min_amount}-{self.max_amount or '∞'}"


class PlanLine(models.Model):
    """A line of the annual procurement plan (แผนการจัดซื้อจัดจ้างประจำปี), published in e-GP."""

    fiscal_year_be = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    unit = models.ForeignKey("identity.OrgUnit", on_delete=models.PROTECT, related_name="+")
    budget_line = models.ForeignKey("finance.BudgetLine", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    estimated_amount = models.DecimalField(
        _("estimated amount"), **MONEY, validators=[MinValueValidator(ZERO)]
    )
    expected_method = models.CharField(_("expected method"), max_length=20, choices=Method.choices)
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["fiscal_year_be", "quarter", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="proc_plan_quarter")
        ]

    def __str__(self) -> str:
        return self.title


class RequisitionStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    APPROVAL = "approval", _("Awaiting approval")
    PROCURING = "procuring", _("Procuring (committees, quotations, contract)")
    INSPECTION = "inspection", _("Delivery and inspection")
    PAYMENT = "payment", _("To pay")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")


class Requisition(models.Model):
    """A procurement report (รายงานขอซื้อขอจ้าง) run through ``processes/procurement_tobe.bpmn``."""

    fiscal_year_be = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    sequence = models.PositiveIntegerField()
    budget_line = models.ForeignKey("finance.BudgetLine", on_delete=models.PROTECT, related_name="+")
    plan_line = models.ForeignKey(
        PlanLine, null=True, blank=True, on_delete=models.PROTECT, related_name="requisitions"
    )
    title = models.CharField(_("title"), max_length=300)
    reason = models.TextField(_("reason"))
    specification = models.TextField(_("specification"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    in_e_catalog = models.BooleanField(_("listed in the e-GP catalogue"), default=False)
    reference_price = models.DecimalField(_("reference price"), **MONEY, default=ZERO)
    reference_source = models.CharField(_("source of the reference price"), max_length=300)
    suggested_method = models.CharField(_("suggested method"), max_length=20, choices=Method.choices)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    method_reason = models.CharField(_("reason for the method"), max_length=500, blank=True)
    red_flags = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=20, choices=RequisitionStatus.choices, default=RequisitionStatus.DRAFT
    )
    workflow_state = models.JSONField(default=dict, blank=True)
    current_step = models.CharField(max_length=40, blank=True)
    current_step_due = models.DateField(null=True, blank=True)
    submissions = models.PositiveSmallIntegerField(default=0)
    commitment_key = models.CharField(max_length=120, blank=True)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["-fiscal_year_be", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year_be", "sequence"], name="proc_requisition_number")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"PR{self.fiscal_year_be}-{self.sequence:05d}"


class RequisitionItem(models.Model):
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="items")
    description = models.CharField(_("item"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit_name = models.CharField(_("unit of count"), max_length=40)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    asset_class = models.ForeignKey(
        "AssetClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(unit_price__gt=0), name="proc_item_positive"
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def total(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


class RequisitionStep(models.Model):
    """One user task of a requisition's process: who acts, by when, and the outcome."""

    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="steps")
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


class Committee(models.TextChoices):
    TOR = "tor", _("Specification / reference price committee (กรรมการ TOR/ราคากลาง)")
    PROCUREMENT = "procurement", _("Procurement / consideration committee (กรรมการซื้อหรือจ้าง)")
    INSPECTION = "inspection", _("Inspection committee (กรรมการตรวจรับพัสดุ)")


class CommitteeMember(models.Model):
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="committee")
    committee = models.CharField(_("committee"), max_length=20, choices=Committee.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_chair = models.BooleanField(_("chair"), default=False)
    declared_no_conflict = models.BooleanField(_("declared no conflict of interest"), default=False)
    declaration = models.CharField(_("declaration"), max_length=500, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["committee", "-is_chair", "id"]
        constraints = [
            models.UniqueConstraint(fields=["requisition", "committee", "user"], name="proc_committee_once")
        ]

    def __str__(self) -> str:
        return f"{self.committee}:{self.user_id}"


class Quotation(models.Model):
    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="quotations")
    vendor_name = models.CharField(_("vendor"), max_length=200)
    vendor_tax_id = models.CharField(_("vendor tax ID"), max_length=13)
    amount = models.DecimalField(_("price offered"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    is_awarded = models.BooleanField(_("awarded"), default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["amount", "id"]

    def __str__(self) -> str:
        return f"{self.vendor_name} {self.amount}"


class Contract(models.Model):
    """The purchase order or contract (ใบสั่งซื้อ/สัญญา) with the awarded vendor."""

    requisition = models.OneToOneField(Requisition, on_delete=models.PROTECT, related_name="contract")
    quotation = models.OneToOneField(Quotation, on_delete=models.PROTECT, related_name="+")
    vendor_name = models.CharField(_("vendor"), max_length=200)
    vendor_tax_id = models.CharField(_("vendor tax ID"), max_length=13)
    amount = models.DecimalField(_("contract amount"), **MONEY)
    signed_on = models.DateField(_("signed on"))
    delivery_due = models.DateField(_("delivery due"))
    warranty_months = models.PositiveSmallIntegerField(_("warranty (months)"), default=0)
    guarantee_amount = models.DecimalField(_("performance guarantee"), **MONEY, default=ZERO)
    penalty_rate_percent = models.DecimalField(_("late penalty (% per day)"), max_digits=5, decimal_places=3)
    egp_project_no = models.CharField(_("e-GP project number"), max_length=30, blank=True)
    egp_contract_no = models.CharField(_("e-GP contract number"), max_length=30, blank=True)
    commitment_key = models.CharField(max_length=120)

    def __str__(self) -> str:
        return f"{self.requisition.number} {self.vendor_name}"


class Delivery(models.Model):
    """A (possibly partial) delivery and the inspection committee's decision on it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting inspection")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="deliveries")
    delivered_on = models.DateField(_("delivered on"))
    amount = models.DecimalField(
        _("value delivered"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    inspected_on = models.DateField(null=True, blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late_days = models.PositiveIntegerField(default=0)
    penalty = models.DecimalField(_("late penalty"), **MONEY, default=ZERO)
    late_inspection_reason = models.CharField(max_length=500, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    is_final = models.BooleanField(default=False)

    class Meta:
        ordering = ["delivered_on", "id"]

    def __str__(self) -> str:
        return f"{self.contract_id}:{self.delivered_on}"

    @property
    def net_payable(self) -> Decimal:
        return self.amount - self.penalty


# --- assets (ครุภัณฑ์) ----------------------------------------------------------------------


class AssetClass(models.Model):
    """An asset class with its straight-line life and its accounts (editable table).

    ``capitalisation_threshold``: an accepted item whose unit price is at least this becomes an
    asset (CODI's policy, default 10,000 baht per unit); below it the item is expensed.
    """

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=200)
    useful_life_years = models.PositiveSmallIntegerField(_("useful life (years)"))
    capitalisation_threshold = models.DecimalField(
        _("capitalise from (baht per unit)"), **MONEY, default=Decimal("10000.00")
    )
    residual_value = models.DecimalField(_("residual value kept (baht)"), **MONEY, default=Decimal("1.00"))
    asset_account = models.CharField(_("asset account"), max_length=20)
    accumulated_account = models.CharField(_("accumulated depreciation account"), max_length=20)
    expense_account = models.CharField(_("depreciation expense account"), max_length=20)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_th


class AssetStatus(models.TextChoices):
    IN_USE = "in_use", _("In use")
    DISPOSED = "disposed", _("Disposed")


class DisposalMethod(models.TextChoices):
    SALE = "sale", _("Sale (ขาย)")
    TRANSFER = "transfer", _("Transfer out (โอน)")
    WRITE_OFF = "write_off", _("Write-off (แทงจำหน่ายเป็นสูญ)")


class Asset(models.Model):
    code = models.CharField(_("asset code"), max_length=40, unique=True)
    asset_class = models.ForeignKey(AssetClass, on_delete=models.PROTECT, related_name="assets")
    description = models.CharField(_("description"), max_length=300)
    unit = models.ForeignKey("identity.OrgUnit", on_delete=models.PROTECT, related_name="+")
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    cost = models.DecimalField(_("cost"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    accumulated = models.DecimalField(_("accumulated depreciation"), **MONEY, default=ZERO)
    acquired_on = models.DateField(_("acquired on"))
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.PROTECT, related_name="assets"
    )
    status = models.CharField(max_length=20, choices=AssetStatus.choices, default=AssetStatus.IN_USE)
    disposed_on = models.DateField(null=True, blank=True)
    disposal_method = models.CharField(max_length=20, choices=DisposalMethod.choices, blank=True)
    disposal_reason = models.CharField(max_length=500, blank=True)
    disposal_proceeds = models.DecimalField(_("proceeds of the disposal"), **MONEY, default=ZERO)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accumulated__gte=0) & Q(accumulated__lte=models.F("cost")),
                name="proc_asset_accumulated",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"

    @property
    def book_value(self) -> Decimal:
        return self.cost - self.accumulated


class DepreciationRun(models.Model):
    """The monthly depreciation of one period (first day of the month); at most one per period."""

    period = models.DateField(unique=True)
    total = models.DecimalField(**MONEY)
    asset_count = models.PositiveIntegerField()
    journal_entry_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-period"]

    def __str__(self) -> str:
        return self.period.strftime("%Y-%m")


class DepreciationLine(models.Model):
    run = models.ForeignKey(DepreciationRun, on_delete=models.CASCADE, related_name="lines")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="depreciation")
    amount = models.DecimalField(**MONEY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "asset"], name="proc_depreciation_once")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.asset_id}"


class AssetCount(models.Model):
    """The annual physical count (ตรวจนับพัสดุประจำปี) of one unit's assets."""

    year_be = models.PositiveSmallIntegerField(_("year (B.E.)"))
    unit = models.ForeignKey("identity.OrgUnit", on_delete=models.PROTECT, related_name="+")
    is_closed = models.BooleanField(default=False)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year_be", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["year_be", "unit"], name="proc_count_once_a_year")]

    def __str__(self) -> str:
        return f"{self.year_be} {self.unit_id}"


class Condition(models.TextChoices):
    GOOD = "good", _("Good, in use")
    DAMAGED = "damaged", _("Damaged")
    UNUSED = "unused", _("No longer needed")


class CountLine(models.Model):
    count = models.ForeignKey(AssetCount, on_delete=models.CASCADE, related_name="lines")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="count_lines")
    condition = models.CharField(max_length=20, choices=Condition.choices, default=Condition.GOOD)
    location = models.CharField(max_length=200, blank=True)
    scanned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scanned_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["count", "asset"], name="proc_count_line_once")]

    def __str__(self) -> str:
        return f"{self.count_id}:{self.asset_id}"


class AssetTransfer(models.Model):
    """A move of an asset to another unit, custodian or location (โอนย้ายครุภัณฑ์): the history."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="transfers")
    transferred_on = models.DateField(_("transferred on"))
    from_unit = models.ForeignKey("identity.OrgUnit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("identity.OrgUnit", on_delete=models.PROTECT, related_name="+")
    from_custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_location = models.CharField(max_length=200, blank=True)
    to_location = models.CharField(max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-transferred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.asset_id}:{self.transferred_on}"


# --- supplies (วัสดุ) ------------------------------------------------------------------------


class Store(models.Model):
    """A store room (คลังวัสดุ) of a unit."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=200)
    unit = models.ForeignKey("identity.OrgUnit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_th


class SupplyItem(models.Model):
    """A kind of supplies kept in stock, with its minimum level and accounts."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name_th = models.CharField(_("Thai name"), max_length=200)
    unit_name = models.CharField(_("unit of count"), max_length=40)
    min_level = models.DecimalField(_("minimum level"), max_digits=12, decimal_places=2, default=ZERO)
    inventory_account = models.CharField(_("inventory account"), max_length=20, default="1105010101")
    expense_account = models.CharField(_("expense account on issue"), max_length=20, default="5104010104")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_th}"


class StockBalance(models.Model):
    """The balance of one item in one store; its row lock serialises receipts and issues."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="balances")
    item = models.ForeignKey(SupplyItem, on_delete=models.PROTECT, related_name="balances")
    quantity = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    value = models.DecimalField(**MONEY, default=ZERO)

    class Meta:
        ordering = ["store__code", "item__code"]
        constraints = [
            models.UniqueConstraint(fields=["store", "item"], name="proc_stock_balance_once"),
            models.CheckConstraint(
                condition=Q(quantity__gte=0) & Q(value__gte=0), name="proc_stock_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store_id}:{self.item_id}={self.quantity}"


class StockLayer(models.Model):
    """A FIFO cost layer: one receipt's quantity at its unit cost, consumed oldest first."""

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(SupplyItem, on_delete=models.PROTECT, related_name="layers")
    received_on = models.DateField()
    unit_cost = models.DecimalField(max_digits=18, decimal_places=4)
    quantity_in = models.DecimalField(max_digits=14, decimal_places=2)
    quantity_left = models.DecimalField(max_digits=14, decimal_places=2)
    value_left = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_left__gte=0) & Q(value_left__gte=0), name="proc_layer_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id}@{self.unit_cost}×{self.quantity_left}"


class StockMove(models.Model):
    """One line of the stock card (บัญชีวัสดุ): a receipt or an issue, with the balance after it."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt (รับ)")
        ISSUE = "issue", _("Issue (จ่าย)")

    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="moves")
    item = models.ForeignKey(SupplyItem, on_delete=models.PROTECT, related_name="moves")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    moved_on = models.DateField(_("date"))
    quantity = models.DecimalField(max_digits=14, decimal_places=2)
    value = models.DecimalField(**MONEY)
    unit_cost = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    to_unit = models.ForeignKey(
        "identity.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(_("document reference"), max_length=100, blank=True)
    layers = models.JSONField(default=list, blank=True)
    balance_quantity = models.DecimalField(max_digits=14, decimal_places=2)
    balance_value = models.DecimalField(**MONEY)
    journal_entry_id = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0) & Q(value__gte=0), name="proc_move_positive")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.item_id} {self.quantity}"
