"""The continuous-audit analytics engine: a registry of rules over plain records.

Pure Python, no database: the same rules run over an exported CSV (``manage.py audit_analytics``)
and over live platform data (``codi.audit.feeds`` builds the same records from the finance,
procurement, people and projects feeds). Each rule takes a :class:`Dataset` and its parameters
and returns :class:`Flag` rows ``(rule, payment_id, group_id, reason)`` plus the source record the
flag points at (the evidence link).

Rules as the issue defines them for the shell form (issue 20, item 4):

* ``duplicate_payment`` — same vendor tax ID and same invoice number, or same vendor tax ID and
  same amount paid within 14 calendar days of each other; every payment of such a group is
  flagged and the group shares a ``group_id`` (groups are the connected payments: A~B and B~C
  put A, B and C in one group).
* ``split_purchase`` — payments of the same vendor, category and org unit requested within any
  30-day window (requested dates at most 29 days apart), each below the threshold (default
  500,000 baht) and together above it; every payment of the group is flagged.
* ``paid_before_approval`` / ``paid_before_inspection`` — ``paid_at`` earlier than
  ``approved_at`` / ``inspected_at`` (when one side is a date without a time, the dates are
  compared, so a payment on the day of approval is not flagged).

Further rules of the registry (run on demand by name, and over live data): round amounts,
weekend/holiday postings, Benford's first-digit test per vendor or unit, gaps in document
numbering, a vendor sharing a bank account with an employee, employees paid with no attendance
or leave record, PMS disbursements without an accepted report.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import IO, Any
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")

COLUMNS = (
    "payment_id", "vendor_tax_id", "vendor_name", "invoice_no", "amount", "category", "org_unit",
    "requested_at", "approved_at", "inspected_at", "paid_at",
)  # fmt: skip
OUTPUT_COLUMNS = ("rule", "payment_id", "group_id", "reason")
TIME_COLUMNS = ("requested_at", "approved_at", "inspected_at", "paid_at")
_AMOUNT = re.compile(r"^\d{1,13}(\.\d{1,2})?$")

When = date | datetime | None


@dataclass(slots=True)
class Payment:
    """One payment. Times are ``datetime`` (with a time) or ``date`` (date only) or ``None``."""

    payment_id: str
    vendor_tax_id: str
    vendor_name: str
    invoice_no: str
    amount: Decimal
    category: str
    org_unit: str
    requested_at: When = None
    approved_at: When = None
    inspected_at: When = None
    paid_at: When = None
    # The evidence: the source record ("finance.PaymentVoucher:12") and where to open it.
    source: str = ""
    # The amount in satang: what the rules group and add (an int hashes and adds faster than a Decimal).
    cents: int = -1

    def __post_init__(self) -> None:
        if self.cents < 0:
            self.cents = int(self.amount * 100)


@dataclass(frozen=True, slots=True)
class BankAccount:
    owner_kind: str  # "vendor" or "employee"
    owner_id: str
    owner_name: str
    bank_code: str
    account_no: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class EmployeeYear:
    """An employee paid in a year, and whether any attendance or leave was recorded that year."""

    employee_id: str
    name: str
    year: int
    paid_total: Decimal
    attendance_days: int
    leave_days: int
    source: str = ""


@dataclass(frozen=True, slots=True)
class Disbursement:
    """A PMS disbursement (an instalment paid to a community project) and its report status."""

    disbursement_id: str
    project: str
    amount: Decimal
    paid_at: When
    report_accepted: bool
    source: str = ""


@dataclass
class Dataset:
    payments: list[Payment] = field(default_factory=list)
    bank_accounts: list[BankAccount] = field(default_factory=list)
    employee_years: list[EmployeeYear] = field(default_factory=list)
    disbursements: list[Disbursement] = field(default_factory=list)
    # Numbered document series: series name -> [(number, record id, source)]
    numbered: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)
    holidays: frozenset[date] = frozenset()


@dataclass(frozen=True, slots=True)
class Flag:
    rule: str
    payment_id: str
    group_id: str
    reason: str
    source: str = ""

    def row(self) -> tuple[str, str, str, str]:
        return (self.rule, self.payment_id, self.group_id, self.reason)


class AnalyticsError(ValueError):
    """Bad input: a malformed row, an unknown rule, a parameter out of range."""

    def __init__(self, message_th: str, message_en: str, *, errors: list[str] | None = None) -> None:
        super().__init__(message_en)
        self.message_th = message_th
        self.message_en = message_en
        self.errors = errors or []


# --- parameters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    default: Decimal
    minimum: Decimal
    maximum: Decimal
    label_th: str
    label_en: str
    integer: bool = False

    def check(self, rule: str, name: str, raw: object) -> Decimal:
        try:
            value = Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            raise AnalyticsError(
                f"ค่าพารามิเตอร์ {rule}.{name} ต้องเป็นตัวเลข: {raw!r}",
                f"Parameter {rule}.{name} must be a number: {raw!r}",
            ) from None
        if (
            not value.is_finite()
            or not (self.minimum <= value <= self.maximum)
            or (self.integer and value != value.to_integral_value())
        ):
            kind = "จำนวนเต็ม" if self.integer else "ค่า"
            raise AnalyticsError(
                f"พารามิเตอร์ {rule}.{name} = {raw} อยู่นอกช่วง: ต้องเป็น{kind}ตั้งแต่ {self.minimum} ถึง {self.maximum}",
                f"Parameter {rule}.{name} = {raw} is out of range: {self.minimum} to {self.maximum}"
                + (" (a whole number)" if self.integer else ""),
            )
        return value


@dataclass(frozen=True)
class Rule:
    name: str
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    params: dict[str, Param]
    run: Callable[[Dataset, dict[str, Decimal]], list[Flag]]
    # Which records it reads (a live run skips a rule whose feed is absent).
    reads: str = "payments"
    # Where it runs: in the CSV shell form by default, or only by name.
    shell_default: bool = False

    def resolve(self, overrides: dict[str, object] | None = None) -> dict[str, Decimal]:
        overrides = overrides or {}
        unknown = set(overrides) - set(self.params)
        if unknown:
            name = sorted(unknown)[0]
            raise AnalyticsError(
                f"กฎ {self.name} ไม่มีพารามิเตอร์ {name}", f"Rule {self.name} has no parameter {name}"
            )
        return {
            key: param.check(self.name, key, overrides[key]) if key in overrides else param.default
            for key, param in self.params.items()
        }


# --- time helpers -------------------------------------------------------------------------------


def _naive(value: datetime) -> datetime:
    return value.astimezone(BANGKOK).replace(tzinfo=None) if value.tzinfo else value


def _before(a: When, b: When) -> bool:
    """``a`` strictly earlier than ``b``; dates are compared when either has no time."""
    if a is None or b is None:
        return False
    if type(a) is date or type(b) is date:
        return _day(a) < _day(b)
    return a < b


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _fmt(value: When) -> str:
    if value is None:
        return ""
    return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, datetime) else value.isoformat()


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


class _Groups:
    """Union-find over record indexes; the groups are numbered by their first record."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.why: dict[int, set[str]] = defaultdict(set)

    def find(self, i: int) -> int:
        parent = self.parent
        parent.setdefault(i, i)
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def join(self, members: list[int], why: str) -> None:
        first = self.find(members[0])
        for other in members[1:]:
            root = self.find(other)
            if root != first:
                low, high = min(first, root), max(first, root)
                self.parent[high] = low
                self.why[low] |= self.why.pop(high, set())
                first = low
        self.why[first].add(why)

    def groups(self) -> list[tuple[list[int], set[str]]]:
        members: dict[int, list[int]] = defaultdict(list)
        for i in list(self.parent):
            members[self.find(i)].append(i)
        return [(sorted(m), self.why[root]) for root, m in sorted(members.items())]


# --- the shell-form rules -----------------------------------------------------------------------


def duplicate_payment(data: Dataset, params: dict[str, Decimal]) -> list[Flag]:
    window = int(params["days"])
    payments = data.payments
    groups = _Groups()
    # Keys counted first (in C); only keys seen twice collect their payments.
    invoice_keys = [
        (p.vendor_tax_id, p.invoice_no.upper()) if p.vendor_tax_id and p.invoice_no else None
        for p in payments
    ]
    amount_keys = [
        (p.vendor_tax_id, p.cents) if p.vendor_tax_id and p.paid_at is not None else None for p in payments
    ]
    twice_invoice = {k for k, n in Counter(invoice_keys).items() if n > 1 and k is not None}
    twice_amount = {k for k, n in Counter(amount_keys).items() if n > 1 and k is not None}
    by_invoice: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_amount: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    if twice_invoice:
        for i, invoice_key in enumerate(invoice_keys):
            if invoice_key is not None and invoice_key in twice_invoice:
                by_invoice[invoice_key].append(i)
    if twice_amount:
        for i, amount_key in enumerate(amount_keys):
            if amount_key is not None and amount_key in twice_amount:
                by_amount[amount_key].append((payments[i].paid_at.toordinal(), i))  # type: ignore[union-attr]
    for (tax_id, invoice), members in by_invoice.items():
        if len(members) > 1:
            groups.join(members, f"same vendor {tax_id} and invoice {invoice}")
    for (tax_id, cents), dated in by_amount.items():
        if len(dated) < 2:
            continue
        dated.sort()
        why = f"same vendor {tax_id} and amount {_money(Decimal(cents) / 100)} paid within {window} days"
        run = [dated[0][1]]
        for (prev_day, _), (day, cur) in pairwise(dated):
            if day - prev_day <= window:
                run.append(cur)
                continue
            if len(run) > 1:
                groups.join(run, why)
            run = [cur]
        if len(run) > 1:
            groups.join(run, why)
    flags: list[Flag] = []
    for n, (members, reasons) in enumerate(groups.groups(), start=1):
        group_id = f"DUP-{n:04d}"
        ids = ", ".join(payments[i].payment_id for i in members[:6]) + (" …" if len(members) > 6 else "")
        reason = "; ".join(sorted(reasons)) + f" ({len(members)} payments: {ids})"
        flags.extend(
            Flag("duplicate_payment", payments[i].payment_id, group_id, reason, payments[i].source)
            for i in members
        )
    return flags


def split_purchase(data: Dataset, params: dict[str, Decimal]) -> list[Flag]:
    threshold = params["threshold"]
    limit = int(threshold * 100)
    span = int(params["days"])
    payments = data.payments
    keyed: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)
    for i, p in enumerate(payments):
        requested = p.requested_at
        if p.cents < limit and p.vendor_tax_id and requested is not None:
            keyed[(p.vendor_tax_id, p.category, p.org_unit)].append((requested.toordinal(), i))
    flags: list[Flag] = []
    n = 0
    for (tax_id, category, unit), dated in keyed.items():
        if len(dated) < 2:
            continue
        dated.sort()  # by requested day, then by position
        ordinals = [day for day, _i in dated]
        members = [i for _day, i in dated]
        intervals: list[list[int]] = []  # merged [start, end] positions of windows over the threshold
        left, total = 0, 0
        for right, i in enumerate(members):
            total += payments[i].cents
            while ordinals[right] - ordinals[left] >= span:
                total -= payments[members[left]].cents
                left += 1
            if total > limit and right > left:
                if intervals and left <= intervals[-1][1]:
                    intervals[-1][1] = right
                else:
                    intervals.append([left, right])
        for start, end in intervals:
            n += 1
            group = members[start : end + 1]
            group_total = sum((payments[i].amount for i in group), Decimal(0))
            reason = (
                f"{len(group)} payments to vendor {tax_id}, category {category or '-'}, unit {unit or '-'} "
                f"requested {date.fromordinal(ordinals[start]).isoformat()}.."
                f"{date.fromordinal(ordinals[end]).isoformat()}, each below "
                f"{_money(threshold)}, together {_money(group_total)}"
            )
            flags.extend(
                Flag("split_purchase", payments[i].payment_id, f"SPL-{n:04d}", reason, payments[i].source)
                for i in group
            )
    return flags


def _paid_before(
    field_name: str, rule: str, label: str
) -> Callable[[Dataset, dict[str, Decimal]], list[Flag]]:
    def check(data: Dataset, params: dict[str, Decimal]) -> list[Flag]:
        flags = []
        for p in data.payments:
            other = getattr(p, field_name)
            if _before(p.paid_at, other):
                reason = f"paid {_fmt(p.paid_at)} before {label} {_fmt(other)}"
                flags.append(Flag(rule, p.payment_id, "", reason, p.source))
        return flags

    return check


# --- further rules ------------------------------------------------------------------------------


def round_amount(data: Dataset, params: dict[str, Decimal]) -> list[Flag]:
    unit, floor = params["unit"], params["min_amount"]
    return [
        Flag(
            "round_amount",
            p.payment_id,
            "",
            f"amount {_money(p.amount)} is a multiple of {_money(unit)}",
            p.source,
        )
        for p in data.payments
        if p.amount >= floor and p.amount % unit == 0
    ]


def weekend_holiday(data: Dataset, params: dict[str, Decimal]) -> list[Flag]:
    holidays = data.holidays
    kinds: dict[When, str] = {}  # each distinct value classified once: "" or what the day is

    def kind_of(when: date | datetime) -> str:
        day = _day(when)
        kind = ""
        if day in holidays:
            kind = "a holiday"
        elif day.weekday() >= 5:
            kind = day.strftime("a %A")
        kinds[when] = kind
        return kind

    flags = []
    for p in data.payments:
        for name, when in (("approved_at", p.approved_at), ("paid_at", p.paid_at)):
            if when is None:
                continue
            kind = kinds.get(when)
            if kind is None:
                kind = kind_of(when)
            if kind:
                flags.append(
                    Flag(
                        "weekend_holiday",
                        p.payment_id,
                        "",
                        f"{name} {_day(when).isoformat()} is {kind}",
                        p.source,
                    )
                )
                break
    return flags


BENFORD = [math.log10(1 + 1 / d) for d in range(1, 10)]


def chi_square_p(statistic: float) -> float:
    """Upper tail of the chi-square distribution with 8 degrees of freedom (first digits 1-9).

    For an even number of degrees 2k the tail is exp(-x/2) * sum_{i<k} (x/2)^i / i!, exact."""
    half = statistic / 2
    term, total = 1.0, 1.0
    for i in range(1, 4):
        term *= half / i
        total += term
    return math.exp(-half) * total


def benford(data: Dataset, params: dict[str, Decimal]) -> list[Flag]:
    minimum, alpha, mad_limit = int(params["min_count"]), float(params["alpha"]), float(params["mad"])
    flags: list[Flag] = []
    # The first digit of the amount is the first digit of its satang (amounts of 10 baht or more);
    # digits tallied per key in C (Counter), payments listed only for a key that fails.
    payments = [p for p in data.payments if p.cents >= 1000]
    digits = [int(text[0]) for text in map(str, (p.cents for p in payments))]
    for key_name in ("vendor_tax_id", "org_unit"):
        keys = [getattr(p, key_name) for p in payments]
        per_key: dict[str, list[int]] = defaultdict(lambda: [0] * 9)
        for (key, digit), n in Counter(zip(keys, digits, strict=True)).items():
            if key:
                per_key[key][digit - 1] = n
        for key, counts in sorted(per_key.items()):
            total = sum(counts)
            if total < minimum:
                continue
            chi = sum((counts[d] - total * BENFORD[d]) ** 2 / (total * BENFORD[d]) for d in range(9))
            p_value = chi_square_p(chi)
            mad = sum(abs(counts[d] / total - BENFORD[d]) for d in range(9)) / 9
            if p_value >= alpha or mad <= mad_limit:
                continue
            excess = max(range(9), key=lambda d: counts[d] / total - BENFORD[d])
            group_id = f"BEN-{key_name.split('_')[0]}-{key}"
            reason = (
                f"{key_name} {key}: first digit {excess + 1} in {counts[excess] / total:.1%} of {total} "
                f"payments (Benford {BENFORD[excess]:.1%}); chi2={chi:.1f} p={p_value:.4f} MAD={mad:.4f}"
            )
            flags.extend(
                Flag("benford", p.payment_id, group_id, reason, p.source)
                for p, k, digit in zip(payments, keys, digits, strict=True)
                if k == key and digit == excess + 1
            )
    return flags


_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def numbering_gap(data: Dataset, params: dict[str, Decimal]) -> list[Flag]:
    limit = int(params["max_reported"])
    series = {k: list(v) for k, v in data.numbered.items()}
    if not series:
        for p in data.payments:
            match = _NUMBERED.match(p.payment_id)
            if match:
                series.setdefault(match.group(1), []).append((int(match.group(2)), p.payment_id, p.source))
    flags = []
    for prefix, numbered in sorted(series.items()):
        numbered.sort()
        for (prev, _, _), (cur, record, source) in pairwise(numbered):
            if cur - prev > 1:
                missing = f"{prev + 1}" if cur - prev == 2 else f"{prev + 1}-{cur - 1}"
                reason = f"series {prefix or '-'}: number(s) {missing} missing before {record}"
                flags.append(Flag("numbering_gap", record, f"GAP-{prefix}", reason, source))
                if len(flags) >= limit:
                    return flags
    return flags


def vendor_employee_bank(data: Dataset, params: dict[str, Decimal]) -> list[Flag]:
    accounts: dict[tuple[str, str], list[BankAccount]] = defaultdict(list)
    for account in data.bank_accounts:
        number = re.sub(r"\D", "", account.account_no)
        if number:
            accounts[(account.bank_code, number)].append(account)
    flags: list[Flag] = []
    for n, ((bank, number), owners) in enumerate(sorted(accounts.items()), start=1):
        kinds = {o.owner_kind for o in owners}
        if {"vendor", "employee"} <= kinds:
            names = ", ".join(f"{o.owner_kind} {o.owner_name}" for o in owners)
            reason = f"bank {bank} account ending {number[-4:]} is shared: {names}"
            flags.extend(
                Flag(
                    "vendor_employee_bank", f"{o.owner_kind}:{o.owner_id}", f"BANK-{n:04d}", reason, o.source
                )
                for o in owners
            )
    return flags


def employee_no_attendance(data: Dataset, params: dict[str, Decimal]) -> list[Flag]:
    return [
        Flag(
            "employee_no_attendance",
            f"employee:{e.employee_id}",
            "",
            f"{e.name} paid {_money(e.paid_total)} in {e.year} with no attendance or leave record",
            e.source,
        )
        for e in data.employee_years
        if e.paid_total > 0 and e.attendance_days == 0 and e.leave_days == 0
    ]


def disbursed_without_report(data: Dataset, params: dict[str, Decimal]) -> list[Flag]:
    return [
        Flag(
            "disbursed_without_report",
            d.disbursement_id,
            "",
            f"project {d.project}: {_money(d.amount)} paid {_fmt(d.paid_at)} with no accepted progress report",
            d.source,
        )
        for d in data.disbursements
        if not d.report_accepted
    ]


def _p(default: str, low: str, high: str, th: str, en: str, integer: bool = False) -> Param:
    return Param(Decimal(default), Decimal(low), Decimal(high), th, en, integer)


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "duplicate_payment", "จ่ายซ้ำ", "Duplicate payment",
            "ผู้ขายเลขประจำตัวผู้เสียภาษีเดียวกันและเลขที่ใบแจ้งหนี้เดียวกัน หรือผู้ขายเดียวกันและจำนวนเงินเท่ากันจ่ายห่างกันไม่เกิน 14 วัน",
            "Same vendor tax ID and invoice number, or same vendor and amount paid within 14 days of each other.",
            {"days": _p("14", "0", "366", "จำนวนวันที่ถือว่าจ่ายซ้ำ", "Days apart", integer=True)},
            duplicate_payment, shell_default=True,
        ),
        Rule(
            "split_purchase", "แบ่งซื้อแบ่งจ้าง", "Split purchase",
            "ผู้ขาย หมวด และหน่วยงานเดียวกัน ขอซื้อภายในช่วง 30 วัน แต่ละรายการต่ำกว่าวงเงิน แต่รวมกันเกินวงเงิน",
            "Same vendor, category and unit, requested within a 30-day window, each below the method "
            "threshold and together above it.",
            {
                "threshold": _p("500000", "1", "1000000000", "วงเงินตามวิธีซื้อ (บาท)", "Method threshold (baht)"),
                "days": _p("30", "1", "366", "ช่วงวัน", "Window (days)", integer=True),
            },
            split_purchase, shell_default=True,
        ),
        Rule(
            "paid_before_approval", "จ่ายก่อนอนุมัติ", "Paid before approval",
            "วันที่จ่ายเงินก่อนวันที่อนุมัติ", "Paid earlier than approved.", {},
            _paid_before("approved_at", "paid_before_approval", "approval"), shell_default=True,
        ),
        Rule(
            "paid_before_inspection", "จ่ายก่อนตรวจรับ", "Paid before inspection",
            "วันที่จ่ายเงินก่อนวันที่คณะกรรมการตรวจรับ", "Paid earlier than inspected and accepted.", {},
            _paid_before("inspected_at", "paid_before_inspection", "inspection"), shell_default=True,
        ),
        Rule(
            "round_amount", "จำนวนเงินลงตัว", "Round amount",
            "จำนวนเงินลงตัวตามหน่วยที่กำหนด และไม่น้อยกว่าขั้นต่ำ", "Amount a multiple of the unit, at least the minimum.",
            {
                "unit": _p("10000", "1", "10000000", "หน่วยลงตัว (บาท)", "Round unit (baht)"),
                "min_amount": _p("100000", "0", "1000000000", "ขั้นต่ำ (บาท)", "Minimum amount (baht)"),
            },
            round_amount,
        ),
        Rule(
            "weekend_holiday", "บันทึกวันหยุด", "Weekend or holiday posting",
            "อนุมัติหรือจ่ายเงินในวันเสาร์ อาทิตย์ หรือวันหยุดราชการ", "Approved or paid on a weekend or public holiday.",
            {}, weekend_holiday,
        ),
        Rule(
            "benford", "กฎของเบนฟอร์ด", "Benford first digit",
            "การกระจายของเลขหลักแรกรายผู้ขายหรือหน่วยงานต่างจากกฎของเบนฟอร์ด (ทดสอบไคสแควร์และค่าเบี่ยงเบนสัมบูรณ์เฉลี่ย)",
            "First-digit distribution per vendor or unit departs from Benford's law (chi-square and MAD).",
            {
                "min_count": _p("100", "30", "1000000", "จำนวนรายการขั้นต่ำ", "Minimum payments", integer=True),
                "alpha": _p("0.05", "0.0001", "0.2", "ระดับนัยสำคัญ", "Significance level"),
                "mad": _p("0.015", "0.001", "0.1", "เกณฑ์ค่าเบี่ยงเบนสัมบูรณ์เฉลี่ย", "MAD limit"),
            },
            benford,
        ),
        Rule(
            "numbering_gap", "เลขที่เอกสารขาดช่วง", "Gap in document numbering",
            "เลขที่เอกสารในชุดเดียวกันข้ามไม่ต่อเนื่อง", "A numbered document series skips numbers.",
            {"max_reported": _p("1000", "1", "100000", "จำนวนที่รายงานสูงสุด", "Most gaps reported", integer=True)},
            numbering_gap,
        ),
        Rule(
            "vendor_employee_bank", "ผู้ขายใช้บัญชีเดียวกับพนักงาน", "Vendor shares a bank account with an employee",
            "บัญชีธนาคารของผู้ขายตรงกับบัญชีเงินเดือนของพนักงาน", "A vendor's bank account is an employee's salary account.",
            {}, vendor_employee_bank, reads="bank_accounts",
        ),
        Rule(
            "employee_no_attendance", "จ่ายเงินเดือนโดยไม่มีการลงเวลา", "Paid with no attendance",
            "พนักงานได้รับเงินเดือนทั้งปีโดยไม่มีบันทึกการลงเวลาหรือการลา",
            "An employee paid in a year with no attendance or leave record that year.",
            {}, employee_no_attendance, reads="employee_years",
        ),
        Rule(
            "disbursed_without_report", "เบิกจ่ายโดยไม่มีรายงาน", "Disbursed without an accepted report",
            "โครงการได้รับเงินงวดโดยยังไม่มีรายงานความก้าวหน้าที่รับรองแล้ว",
            "A PMS instalment paid while the project has no accepted progress report.",
            {}, disbursed_without_report, reads="disbursements",
        ),
    )
}  # fmt: skip

SHELL_RULES = tuple(name for name, rule in RULES.items() if rule.shell_default)


def resolve_rules(names: Iterable[str]) -> list[Rule]:
    rules = []
    for name in names:
        rule = RULES.get(name.strip())
        if rule is None:
            known = ", ".join(RULES)
            raise AnalyticsError(f"ไม่รู้จักกฎ {name!r} (มี: {known})", f"Unknown rule {name!r} (known: {known})")
        rules.append(rule)
    return rules


def run_rules(
    data: Dataset, rules: Iterable[Rule], params: dict[str, dict[str, object]] | None = None
) -> list[Flag]:
    params = params or {}
    flags: list[Flag] = []
    resolved = [(rule, rule.resolve(params.get(rule.name))) for rule in rules]  # all checked first
    for rule, values in resolved:
        flags.extend(rule.run(data, values))
    return flags


# --- the CSV form -------------------------------------------------------------------------------


def _when(value: str) -> When:
    if not value:
        return None
    value = value.strip()
    if len(value) == 10:
        return date.fromisoformat(value)
    if not value:
        return None
    parsed = datetime.fromisoformat(value)  # Python 3.11 reads "Z" and offsets
    return parsed if parsed.tzinfo is None else _naive(parsed)


def read_payments(stream: IO[str], *, max_errors: int = 20) -> list[Payment]:
    """Parse the payments CSV; any malformed row raises with its line and column, nothing returned."""
    reader = csv.reader(stream)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        raise AnalyticsError("ไฟล์ว่าง", "The file is empty") from None
    except csv.Error as exc:
        raise AnalyticsError(f"บรรทัด 1: {exc}", f"line 1: {exc}") from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise AnalyticsError(
            f"บรรทัด 1: ไม่มีคอลัมน์ {', '.join(missing)}", f"line 1: missing column(s) {', '.join(missing)}"
        )
    index = [header.index(c) for c in COLUMNS]
    width = len(header)
    payments: list[Payment] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != width:
                errors.append(f"line {line}: expected {width} fields, found {len(row)}")
            else:
                payment = _payment(row, index, line, errors, seen)
                if payment is not None:
                    payments.append(payment)
            if len(errors) >= max_errors:
                break
    except csv.Error as exc:
        errors.append(f"line {reader.line_num}: {exc}")
    if errors:
        raise AnalyticsError(
            f"ข้อมูลไม่ถูกต้อง {len(errors)} แห่ง: {errors[0]}",
            f"{len(errors)} error(s): {errors[0]}",
            errors=errors,
        )
    return payments


def _payment(
    row: list[str], index: list[int], line: int, errors: list[str], seen: dict[str, int]
) -> Payment | None:
    values = [row[i] for i in index]
    before = len(errors)
    payment_id = values[0].strip()
    if not payment_id:
        errors.append(f"line {line}, column payment_id: empty")
    elif payment_id in seen:
        errors.append(f"line {line}, column payment_id: {payment_id!r} already on line {seen[payment_id]}")
    else:
        seen[payment_id] = line
    raw_amount = values[4].strip()
    amount, cents = Decimal(0), 0
    if not _AMOUNT.match(raw_amount):
        errors.append(f"line {line}, column amount: {raw_amount!r} is not an amount (e.g. 12500.00)")
    else:
        amount = Decimal(raw_amount)
        whole, _, fraction = raw_amount.partition(".")
        cents = int(whole) * 100 + (int(fraction) * (10 if len(fraction) == 1 else 1) if fraction else 0)
        if cents <= 0:
            errors.append(f"line {line}, column amount: must be above zero")
    times: list[When] = []
    for offset, name in enumerate(TIME_COLUMNS, start=7):
        try:
            times.append(_when(values[offset]))
        except ValueError:
            errors.append(f"line {line}, column {name}: {values[offset].strip()!r} is not an ISO date/time")
            times.append(None)
    if len(errors) > before:
        return None
    return Payment(
        payment_id, values[1].strip(), values[2].strip(), values[3].strip(), amount, values[5].strip(),
        values[6].strip(), times[0], times[1], times[2], times[3], "", cents,
    )  # fmt: skip


def write_flags(stream: IO[str], flags: Iterable[Flag]) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    count = 0
    for flag in flags:
        writer.writerow(flag.row())
        count += 1
    return count


def params_from_options(pairs: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``rule.param=value`` options into the nested parameter mapping."""
    params: dict[str, dict[str, Any]] = defaultdict(dict)
    for pair in pairs:
        key, sep, value = pair.partition("=")
        rule, dot, name = key.partition(".")
        if not sep or not dot:
            raise AnalyticsError(
                f"พารามิเตอร์ต้องอยู่ในรูป กฎ.ชื่อ=ค่า: {pair!r}", f"A parameter is rule.name=value: {pair!r}"
            )
        resolve_rules([rule])
        params[rule.strip()][name.strip()] = value
    return dict(params)
