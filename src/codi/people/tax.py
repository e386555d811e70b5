"""Thai personal income tax on employment income, and social-security contributions: pure functions.

Every amount is an ``int`` of satang (1 baht = 100 satang); nothing here touches the database.
Rules are kept in dated tables (``TAX_RULES`` by tax year, ``SSO_RATES`` by date) so that a new
year is a new row, not a code change; a date or year that no row covers raises ``TableGap``.

Revenue Code (ประมวลรัษฎากร) sections the rules come from:

* Section 40(1) — employment income (salary, wages, bonus, allowances paid by the employer).
* Section 42 bis (มาตรา 42 ทวิ) — the expense deduction for 40(1) income: 50 % of it, at most
  100,000 baht a year (amended by Revenue Code Amendment Act No. 44 B.E. 2560, from tax year 2560/2017).
* Section 47(1) — allowances: (ก) the taxpayer 60,000; (ข) a spouse without income 60,000;
  (ค) 30,000 for each child, and 60,000 for each child from the second on born in 2561 B.E.
  (2018) or later; (ฎ) each parent aged 60 or over whose own income is under 30,000 baht a year,
  30,000 (see "Parents" below); social-security
  contributions as paid (Section 47(1)(ฑ)); the first 10,000 baht of provident-fund contributions
  (Section 47(1)(ฏ)).
* Section 42(17) with Ministerial Regulation No. 126 (B.E. 2509), clause 2(53) — provident-fund
  contributions above 10,000 baht are exempt up to 15 % of wages and 490,000 baht a year.
* Section 48(1) with Royal Decree No. 470 (B.E. 2560) — the progressive rates: 0 % to 150,000,
  5 % to 300,000, 10 % to 500,000, 15 % to 750,000, 20 % to 1,000,000, 25 % to 2,000,000,
  30 % to 5,000,000, 35 % above.
* Section 50(1) — withholding on employment income: the employer estimates the year's income
  from the payment (× the number of payments in the year), computes the year's tax after
  deductions and allowances, and withholds that tax divided by the number of payments.

Parents (s.47(1)(ฎ)): a parent counts when aged sixty or over in the tax year. Only the birth
year is recorded, so the reading here — the Revenue Department's — is that a parent who turns 60 on
any day of the tax year counts for that year: ``tax year − birth year ≥ 60`` (``TaxRules.parent_min_age``).
``TaxInput.parents_birth_years`` holds the years of the parents recorded with one, and only those
aged 60 count; ``TaxInput.parents`` is the number claimed *without* a recorded year, counted as
declared (records and imports from before the year was asked, and ``pit_calculate``'s
``parents`` column, which is by definition the number qualifying). The income condition (under
30,000 baht a year) is not in the record: the staff member's dependants declaration, which HR
approves (``codi.people.dependants``), is where it is affirmed, as on the ล.ย.01 form.

Rounding (documented and tested):

* Percent-of-income amounts that are capped by law (the 50 % expense deduction, the 15 %
  provident-fund limit) are rounded *down* to the satang: a deduction never exceeds the law's.
* The tax of each bracket is summed exactly (satang × percent), and the year's tax is rounded
  half-up to the satang once, at the end.
* Monthly withholding is the year's tax ÷ 12, rounded half-up to the satang.
* Social security (Social Security Act B.E. 2533, section 33; contribution = rate × wage, the
  wage clipped to the floor and ceiling valid on the pay date): the Social Security Office
  rounds the contribution to whole baht — 50 satang and above up, below 50 satang down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

BAHT = 100  # satang in a baht


class TableGap(ValueError):  # noqa: N818 — a gap in a table, raised with its two messages
    """No rule row covers the date or year asked for."""

    def __init__(self, message_th: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_th = message_th
        self.message_en = message_en


def _half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half-up (both non-negative)."""
    return (2 * numerator + denominator) // (2 * denominator)


# --- the dated tables ---------------------------------------------------------------------


@dataclass(frozen=True)
class TaxRules:
    """The rules of one range of tax years (Gregorian), amounts in satang."""

    first_year: int
    expense_percent: int = 50
    expense_cap: int = 100_000 * BAHT
    personal: int = 60_000 * BAHT
    spouse: int = 60_000 * BAHT
    child: int = 30_000 * BAHT
    # From the second child on, a child born in this year or later counts double.
    child_second_on_born_from: int = 2018
    child_second_on: int = 60_000 * BAHT
    parent: int = 30_000 * BAHT
    parent_min_age: int = 60  # in the tax year: tax year − birth year ≥ this
    pvd_allowance: int = 10_000 * BAHT
    pvd_exempt_percent: int = 15
    pvd_exempt_cap: int = 490_000 * BAHT
    # (upper bound of the bracket in satang or None for the last, rate in percent)
    brackets: tuple[tuple[int | None, int], ...] = (
        (150_000 * BAHT, 0),
        (300_000 * BAHT, 5),
        (500_000 * BAHT, 10),
        (750_000 * BAHT, 15),
        (1_000_000 * BAHT, 20),
        (2_000_000 * BAHT, 25),
        (5_000_000 * BAHT, 30),
        (None, 35),
    )


TAX_RULES: tuple[TaxRules, ...] = (TaxRules(first_year=2024),)


def rules_for(year: int) -> TaxRules:
    """The rules of tax year ``year`` (Gregorian), or ``TableGap``."""
    candidates = [r for r in TAX_RULES if r.first_year <= year]
    if not candidates:
        raise TableGap(f"ไม่มีตารางภาษีสำหรับปีภาษี {year + 543}", f"No tax table for tax year {year}")
    return max(candidates, key=lambda r: r.first_year)


@dataclass(frozen=True)
class SsoRate:
    """Social security (section 33): rate and the wage floor/ceiling valid from a date, in satang."""

    valid_from: date
    valid_to: date | None
    rate_percent: int
    wage_floor: int
    wage_ceiling: int


# Ministerial regulation on the wage base for contributions (Royal Gazette, in force 1 Jan 2026):
# ceiling 17,500 baht 2026-2028, 20,000 2029-2031, 23,000 from 2032; floor 1,650 throughout;
# before 2026 the 1995 regulation's 15,000 ceiling. These rows seed the editable table
# ``people.SocialSecurityRate`` (the payroll reads the table; this tuple is the default).
SSO_RATES: tuple[SsoRate, ...] = (
    SsoRate(date(1995, 1, 1), date(2025, 12, 31), 5, 1_650 * BAHT, 15_000 * BAHT),
    SsoRate(date(2026, 1, 1), date(2028, 12, 31), 5, 1_650 * BAHT, 17_500 * BAHT),
    SsoRate(date(2029, 1, 1), date(2031, 12, 31), 5, 1_650 * BAHT, 20_000 * BAHT),
    SsoRate(date(2032, 1, 1), None, 5, 1_650 * BAHT, 23_000 * BAHT),
)


def sso_rate_on(day: date, rates: Sequence[SsoRate] = SSO_RATES) -> SsoRate:
    for rate in rates:
        if rate.valid_from <= day and (rate.valid_to is None or day <= rate.valid_to):
            return rate
    raise TableGap(
        f"ไม่มีอัตราเงินสมทบประกันสังคมสำหรับวันที่ {day.isoformat()}",
        f"No social-security rate for {day.isoformat()}",
    )


def sso_contribution(wage: int, rate: SsoRate) -> int:
    """One side's monthly contribution in satang, rounded to whole baht (≥ 50 satang up)."""
    if wage <= 0:
        return 0
    base = min(max(wage, rate.wage_floor), rate.wage_ceiling)
    exact_baht_x100 = base * rate.rate_percent  # satang × percent = baht × 100 × percent / 100
    # contribution in satang = base * rate / 100; in baht = base * rate / 10_000
    whole_baht = _half_up(exact_baht_x100, 100 * BAHT)
    return whole_baht * BAHT


# --- the annual tax -----------------------------------------------------------------------


@dataclass(frozen=True)
class TaxInput:
    """One taxpayer's year, amounts in satang."""

    year: int
    salary: int  # the year's salary (provident-fund 15 % limit is of this)
    bonus: int = 0  # other 40(1) income: bonus, taxable allowances
    sso: int = 0
    pvd: int = 0
    spouse: bool = False
    children_birth_years: Sequence[int] = field(default_factory=tuple)
    parents: int = 0  # parents claimed with no recorded birth year: counted as declared
    parents_birth_years: Sequence[int] = field(default_factory=tuple)  # counted when aged 60 in ``year``


@dataclass(frozen=True)
class TaxResult:
    income: int
    expense_deduction: int
    allowances: int
    net_income: int
    annual_tax: int


def _children(rules: TaxRules, birth_years: Sequence[int]) -> int:
    total = 0
    for order, born in enumerate(birth_years, start=1):
        if order >= 2 and born >= rules.child_second_on_born_from:
            total += rules.child_second_on
        else:
            total += rules.child
    return total


def qualifying_parents(rules: TaxRules, year: int, declared: int, birth_years: Sequence[int]) -> int:
    """Parents giving the s.47(1)(ฎ) allowance in tax ``year``: those ``declared`` without a year,
    and those of ``birth_years`` who are ``parent_min_age`` or over in the year."""
    return declared + sum(1 for born in birth_years if year - born >= rules.parent_min_age)


def _pvd(rules: TaxRules, pvd: int, salary: int) -> int:
    allowance = min(pvd, rules.pvd_allowance)
    limit = min(salary * rules.pvd_exempt_percent // 100, rules.pvd_exempt_cap)
    return allowance + min(pvd - allowance, limit)


def progressive_tax(net_income: int, rules: TaxRules) -> int:
    """Tax in satang on ``net_income`` satang: exact per bracket, rounded half-up once."""
    exact = 0  # satang × percent
    lower = 0
    for upper, rate in rules.brackets:
        if net_income <= lower:
            break
        top = net_income if upper is None else min(net_income, upper)
        exact += (top - lower) * rate
        if upper is None:
            break
        lower = upper
    return _half_up(exact, 100)


def annual_tax(data: TaxInput) -> TaxResult:
    """The year's tax on employment income (sections 40(1), 42 bis, 47(1), 48(1))."""
    if min(data.salary, data.bonus, data.sso, data.pvd, data.parents) < 0:
        raise ValueError("amounts and counts cannot be negative")
    rules = rules_for(data.year)
    income = data.salary + data.bonus
    expense = min(income * rules.expense_percent // 100, rules.expense_cap)
    allowances = (
        rules.personal
        + (rules.spouse if data.spouse else 0)
        + _children(rules, data.children_birth_years)
        + rules.parent * qualifying_parents(rules, data.year, data.parents, data.parents_birth_years)
        + data.sso
        + _pvd(rules, data.pvd, data.salary)
    )
    net = max(income - expense - allowances, 0)
    return TaxResult(income, expense, allowances, net, progressive_tax(net, rules))


def monthly_withholding(
    *,
    year: int,
    monthly_salary: int,
    monthly_taxable_allowances: int = 0,
    monthly_sso: int = 0,
    monthly_pvd: int = 0,
    spouse: bool = False,
    children_birth_years: Sequence[int] = (),
    parents: int = 0,
    parents_birth_years: Sequence[int] = (),
) -> int:
    """Section 50(1) annualised withholding for one month's regular pay, in satang.

    The month's pay, social security and provident fund are projected over 12 payments, the
    year's tax computed, and one twelfth of it (half-up to the satang) withheld.
    """
    result = annual_tax(
        TaxInput(
            year=year,
            salary=monthly_salary * 12,
            bonus=monthly_taxable_allowances * 12,
            sso=monthly_sso * 12,
            pvd=monthly_pvd * 12,
            spouse=spouse,
            children_birth_years=tuple(children_birth_years),
            parents=parents,
            parents_birth_years=tuple(parents_birth_years),
        )
    )
    return _half_up(result.annual_tax, 12)


def irregular_withholding(*, regular: TaxInput, irregular: int, irregular_sso: int = 0) -> int:
    """Extra tax on a one-off payment in a month (overtime, bonus), Section 50(1) as the Revenue
    Department's withholding guide applies it: the year's tax with the payment added to the
    projected year, less the year's tax without it — withheld whole in the month it is paid."""
    if irregular <= 0:
        return 0
    base = annual_tax(regular)
    more = annual_tax(
        TaxInput(
            year=regular.year, salary=regular.salary, bonus=regular.bonus + irregular,
            sso=regular.sso + irregular_sso, pvd=regular.pvd, spouse=regular.spouse,
            children_birth_years=regular.children_birth_years, parents=regular.parents,
            parents_birth_years=regular.parents_birth_years,
        )
    )  # fmt: skip
    return more.annual_tax - base.annual_tax


# Labour Protection Act B.E. 2541: the hourly wage of a monthly-paid employee is the month ÷ 30
# (s.68) ÷ 8 normal hours; overtime on a working day is paid 1.5× it (s.61), work on a holiday
# in normal hours 1× more on top of the month's pay (s.62(1)), overtime on a holiday 3× (s.63).
# Multipliers in halves, so the sum stays an integer.
OVERTIME_HALVES = {"workday": 3, "holiday": 2, "holiday_ot": 6}
HOURS_IN_A_MONTH = 30 * 8


def overtime_pay(monthly_wage: int, entries: Sequence[tuple[str, int]]) -> int:
    """Overtime pay in satang for ``entries`` of (kind, hours in hundredths): exact, rounded
    half-up once for the month."""
    halves_hundredths = sum(OVERTIME_HALVES[kind] * hours for kind, hours in entries)
    if halves_hundredths <= 0 or monthly_wage <= 0:
        return 0
    return _half_up(monthly_wage * halves_hundredths, HOURS_IN_A_MONTH * 2 * 100)


def split_by_percent(amount: int, shares: Sequence[tuple[str, int]]) -> dict[str, int]:
    """``amount`` satang split by ``shares`` of (key, percent in hundredths, 10,000 in all) with the
    largest-remainder rule: every part is within a satang of exact and the parts add up to ``amount``."""
    total = sum(share for _key, share in shares)
    if total != 10_000:
        raise ValueError("shares must add up to 100 %")
    parts = {key: amount * share // total for key, share in shares}
    left = amount - sum(parts.values())
    by_remainder = sorted(shares, key=lambda s: (-(amount * s[1] % total), s[0]))
    for key, _share in by_remainder[:left]:
        parts[key] += 1
    return parts


def parse_birth_years(text: str) -> tuple[int, ...]:
    """``"2015;2019"`` → ``(2015, 2019)``; raises ValueError on anything else."""
    parts = [p.strip() for p in (text or "").replace(",", ";").split(";") if p.strip()]
    years = tuple(int(p) for p in parts)
    if any(y < 1900 or y > 2200 for y in years):
        raise ValueError("birth years are Gregorian years")
    return years


def to_satang(baht: str | int | float) -> int:
    """A baht amount written as text (``"1234.5"``) to satang, exact; at most 2 decimals."""
    try:
        value = Decimal(str(baht).replace(",", "").strip())
    except InvalidOperation:
        raise ValueError(f"not an amount: {baht!r}") from None
    satang = value * 100
    if satang != satang.to_integral_value():
        raise ValueError(f"more than two decimals: {baht!r}")
    return int(satang)


def baht_text(satang: int) -> str:
    """Satang as a baht string with two decimals (``123456`` → ``"1234.56"``)."""
    sign = "-" if satang < 0 else ""
    whole, cents = divmod(abs(satang), 100)
    return f"{sign}{whole}.{cents:02d}"
