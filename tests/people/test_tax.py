"""The tax engine against hand-computed cases (baht; the arithmetic of each case in its comment).

Default rules (tax year 2026): expense 50 % capped at 100,000; personal 60,000; brackets
0 % to 150,000, 5 % to 300,000, 10 % to 500,000, 15 % to 750,000, 20 % to 1,000,000,
25 % to 2,000,000, 30 % to 5,000,000, 35 % above. Cumulative tax at each bracket top:
150,000 → 0; 300,000 → 7,500; 500,000 → 27,500; 750,000 → 65,000; 1,000,000 → 115,000;
2,000,000 → 365,000; 5,000,000 → 1,265,000.
"""

from __future__ import annotations

from datetime import date

import pytest

from codi.people import tax
from codi.people.tax import TaxInput, annual_tax, baht_text, to_satang

# (case, salary, bonus, sso, pvd, spouse, children, parents, expense, allowances, net, tax)
CASES = [
    # nothing earned: nothing taxed
    ("zero", "0", "0", "0", "0", 0, "", 0, "0.00", "60000.00", "0.00", "0.00"),
    # 1,000.01: expense floor(100001/2) = 50000 satang = 500.00 (rounded down); net 0
    ("expense-round-down", "1000.01", "0", "0", "0", 0, "", 0, "500.00", "60000.00", "0.00", "0.00"),
    # 100,000: expense 50,000 (below the cap); 100,000-50,000-60,000 < 0 → net 0
    ("low", "100000", "0", "0", "0", 0, "", 0, "50000.00", "60000.00", "0.00", "0.00"),
    # 199,998: expense 99,999; net 39,999 → 0 %
    ("under-cap", "199998", "0", "0", "0", 0, "", 0, "99999.00", "60000.00", "39999.00", "0.00"),
    # 200,000: expense exactly 100,000 (the cap); net 40,000
    ("at-cap", "200000", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "40000.00", "0.00"),
    # 300,000: 150,000 capped to 100,000; net 140,000 → 0
    ("cap", "300000", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "140000.00", "0.00"),
    # net 150,000 exactly: top of the 0 % bracket
    ("edge-150k", "310000", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "150000.00", "0.00"),
    # net 150,000.09: 0.09 × 5 % = 0.0045 baht = 0.45 satang → rounds to 0
    ("half-down", "310000.09", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "150000.09", "0.00"),
    # net 150,000.10: 0.10 × 5 % = 0.5 satang → half-up to 0.01
    ("half-up", "310000.10", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "150000.10", "0.01"),
    # net 150,001: 1 × 5 % = 0.05
    ("edge-150k+1", "310001", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "150001.00", "0.05"),
    # net 150,010: 10 × 5 % = 0.50
    ("150010", "310010", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "150010.00", "0.50"),
    # net 300,000: 150,000 × 5 % = 7,500
    ("edge-300k", "460000", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "300000.00", "7500.00"),
    # net 300,001: 7,500 + 1 × 10 % = 7,500.10
    ("edge-300k+1", "460001", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "300001.00", "7500.10"),
    # net 500,000: 7,500 + 200,000 × 10 % = 27,500
    ("edge-500k", "660000", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "500000.00", "27500.00"),
    # net 500,001: 27,500 + 0.15 = 27,500.15
    ("edge-500k+1", "660001", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "500001.00", "27500.15"),
    # net 750,000: 27,500 + 250,000 × 15 % = 65,000
    ("edge-750k", "910000", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "750000.00", "65000.00"),
    # net 750,001: 65,000 + 0.20
    ("edge-750k+1", "910001", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "750001.00", "65000.20"),
    # net 1,000,000: 65,000 + 250,000 × 20 % = 115,000
    ("edge-1m", "1160000", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "1000000.00", "115000.00"),
    # net 1,000,001: 115,000 + 0.25
    ("edge-1m+1", "1160001", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "1000001.00", "115000.25"),
    # net 2,000,000: 115,000 + 1,000,000 × 25 % = 365,000
    ("edge-2m", "2160000", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "2000000.00", "365000.00"),
    # net 2,000,001: 365,000 + 0.30
    ("edge-2m+1", "2160001", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "2000001.00", "365000.30"),
    # net 5,000,000: 365,000 + 3,000,000 × 30 % = 1,265,000
    ("edge-5m", "5160000", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "5000000.00", "1265000.00"),
    # net 5,000,001: 1,265,000 + 0.35
    ("edge-5m+1", "5160001", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "5000001.00", "1265000.35"),
    # net 6,000,000: 1,265,000 + 1,000,000 × 35 % = 1,615,000
    ("top", "6160000", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "6000000.00", "1615000.00"),
    # spouse: allowances 60,000 + 60,000; 520,000 - 100,000 - 120,000 = 300,000 → 7,500
    ("spouse", "520000", "0", "0", "0", 1, "", 0, "100000.00", "120000.00", "300000.00", "7500.00"),
    # one child (2019): 30,000 (a first child is never doubled); net 490,000-100,000-90,000 = 300,000
    ("child-1", "490000", "0", "0", "0", 0, "2019", 0, "100000.00", "90000.00", "300000.00", "7500.00"),
    # 2015;2019: 30,000 + 60,000 (second, born 2018+); net 550,000-100,000-150,000 = 300,000
    (
        "children-2nd-2019",
        "550000",
        "0",
        "0",
        "0",
        0,
        "2015;2019",
        0,
        "100000.00",
        "150000.00",
        "300000.00",
        "7500.00",
    ),
    # 2015;2017: second born before 2018 → 30,000 + 30,000; net 520,000-100,000-120,000 = 300,000
    (
        "children-2nd-2017",
        "520000",
        "0",
        "0",
        "0",
        0,
        "2015;2017",
        0,
        "100000.00",
        "120000.00",
        "300000.00",
        "7500.00",
    ),
    # 2019;2020: first 30,000, second 60,000; net 550,000-100,000-150,000 = 300,000
    (
        "children-both-new",
        "550000",
        "0",
        "0",
        "0",
        0,
        "2019;2020",
        0,
        "100000.00",
        "150000.00",
        "300000.00",
        "7500.00",
    ),
    # 2016;2018;2021: 30,000 + 60,000 + 60,000 (2018 itself counts); net 610,000-100,000-210,000 = 300,000
    (
        "children-3",
        "610000",
        "0",
        "0",
        "0",
        0,
        "2016;2018;2021",
        0,
        "100000.00",
        "210000.00",
        "300000.00",
        "7500.00",
    ),
    # 2019;2017: the second child born 2017 → 30,000 + 30,000
    (
        "children-order",
        "520000",
        "0",
        "0",
        "0",
        0,
        "2019;2017",
        0,
        "100000.00",
        "120000.00",
        "300000.00",
        "7500.00",
    ),
    # two parents: 2 × 30,000; net 520,000-100,000-120,000 = 300,000
    ("parents-2", "520000", "0", "0", "0", 0, "", 2, "100000.00", "120000.00", "300000.00", "7500.00"),
    # SSO 10,500 (875 × 12) as paid: allowances 70,500; net 429,500 → 7,500 + 129,500 × 10 % = 20,450
    ("sso", "600000", "0", "10500", "0", 0, "", 0, "100000.00", "70500.00", "429500.00", "20450.00"),
    # PVD 10,000: all of it the allowance; net 430,000 → 7,500 + 13,000 = 20,500
    ("pvd-10k", "600000", "0", "0", "10000", 0, "", 0, "100000.00", "70000.00", "430000.00", "20500.00"),
    # PVD 60,000: 10,000 + min(50,000, 15 % × 600,000 = 90,000); allowances 120,000; net 380,000 → 15,500
    ("pvd-60k", "600000", "0", "0", "60000", 0, "", 0, "100000.00", "120000.00", "380000.00", "15500.00"),
    # PVD 80,000 on 400,000: 10,000 + min(70,000, 60,000) = 70,000; net 170,000 → 20,000 × 5 % = 1,000
    (
        "pvd-15pct-cap",
        "400000",
        "0",
        "0",
        "80000",
        0,
        "",
        0,
        "100000.00",
        "130000.00",
        "170000.00",
        "1000.00",
    ),
    # PVD 600,000 on 4,000,000: 10,000 + min(590,000, 600,000, 490,000) = 500,000; net 3,340,000
    # → 365,000 + 1,340,000 × 30 % = 767,000
    (
        "pvd-490k-cap",
        "4000000",
        "0",
        "0",
        "600000",
        0,
        "",
        0,
        "100000.00",
        "560000.00",
        "3340000.00",
        "767000.00",
    ),
    # bonus 100,000 is income but not in the PVD 15 % base: 10,000 + min(60,000, 60,000);
    # income 500,000; net 500,000-100,000-130,000 = 270,000 → 120,000 × 5 % = 6,000
    (
        "bonus-pvd-base",
        "400000",
        "100000",
        "0",
        "70000",
        0,
        "",
        0,
        "100000.00",
        "130000.00",
        "270000.00",
        "6000.00",
    ),
    # everything: income 780,000; allowances 60,000 + 60,000 + (30,000 + 60,000) + 30,000 + 10,500
    # + (10,000 + 26,000) = 286,500; net 393,500 → 7,500 + 93,500 × 10 % = 16,850
    (
        "all",
        "720000",
        "60000",
        "10500",
        "36000",
        1,
        "2016;2020",
        1,
        "100000.00",
        "286500.00",
        "393500.00",
        "16850.00",
    ),
    # satang salary: 460,000.50 → expense 100,000; net 300,000.50 → 7,500 + 0.05 = 7,500.05
    ("satang", "460000.50", "0", "0", "0", 0, "", 0, "100000.00", "60000.00", "300000.50", "7500.05"),
]


@pytest.mark.parametrize(
    "case,salary,bonus,sso,pvd,spouse,children,parents,expense,allowances,net,annual",
    CASES,
    ids=[c[0] for c in CASES],
)
def test_annual_tax_matches_hand_computation(
    case, salary, bonus, sso, pvd, spouse, children, parents, expense, allowances, net, annual
):
    result = annual_tax(
        TaxInput(
            year=2026, salary=to_satang(salary), bonus=to_satang(bonus), sso=to_satang(sso), pvd=to_satang(pvd),
            spouse=bool(spouse), children_birth_years=tax.parse_birth_years(children), parents=parents,
        )
    )  # fmt: skip
    assert baht_text(result.expense_deduction) == expense
    assert baht_text(result.allowances) == allowances
    assert baht_text(result.net_income) == net
    assert baht_text(result.annual_tax) == annual


def test_at_least_forty_cases():
    assert len(CASES) >= 40


def test_a_year_before_the_table_is_a_gap():
    with pytest.raises(tax.TableGap) as caught:
        annual_tax(TaxInput(year=2023, salary=100))
    assert "2566" in caught.value.message_th


def test_monthly_withholding_is_a_twelfth_of_the_projected_year():
    # 50,000 × 12 = 600,000, SSO 875 × 12 = 10,500 → tax 20,450 (case "sso"); / 12 = 1,704.1666 → 1,704.17
    assert tax.monthly_withholding(year=2026, monthly_salary=5_000_000, monthly_sso=87_500) == 170_417
    # 30,000 × 12 = 360,000; SSO 10,500; PVD 1,500 × 12 = 18,000 (10,000 + 8,000 ≤ 15 % × 360,000)
    # net 360,000 - 100,000 - 88,500 = 171,500 → 21,500 × 5 % = 1,075 / 12 = 89.583 → 89.58
    assert (
        tax.monthly_withholding(year=2026, monthly_salary=3_000_000, monthly_sso=87_500, monthly_pvd=150_000)
        == 8_958
    )
    # 15,000 × 12 = 180,000: net 180,000 - 90,000 - 60,000 - 9,000 ≤ 150,000 → nothing withheld
    assert tax.monthly_withholding(year=2026, monthly_salary=1_500_000, monthly_sso=75_000) == 0


@pytest.mark.parametrize(
    "day,wage,expected",
    [
        (date(2025, 12, 25), 3_000_000, 75_000),  # old ceiling 15,000 × 5 % = 750
        (date(2026, 1, 25), 3_000_000, 87_500),  # 17,500 × 5 % = 875 from 1 Jan 2026
        (date(2028, 12, 31), 3_000_000, 87_500),
        (date(2029, 1, 1), 3_000_000, 100_000),  # 20,000 × 5 % = 1,000
        (date(2032, 6, 1), 3_000_000, 115_000),  # 23,000 × 5 % = 1,150
        (date(2026, 1, 25), 100_000, 8_300),  # floor 1,650 × 5 % = 82.50 → 83 (50 satang up)
        (date(2026, 1, 25), 1_001_000, 50_100),  # 10,010 × 5 % = 500.50 → 501
        (date(2026, 1, 25), 1_000_900, 50_000),  # 10,009 × 5 % = 500.45 → 500
        (date(2026, 1, 25), 0, 0),  # no wage, no contribution
    ],
)
def test_social_security_uses_the_ceiling_valid_on_the_pay_date(day, wage, expected):
    assert tax.sso_contribution(wage, tax.sso_rate_on(day)) == expected


def test_a_date_before_any_sso_row_is_a_gap():
    with pytest.raises(tax.TableGap):
        tax.sso_rate_on(date(1990, 1, 1))


# Parents (s.47(1)(ฎ)): one with a recorded birth year counts when aged 60 in the tax year (tax year −
# birth year ≥ 60); one without a year counts as declared. Salary 520,000.50 → expense 100,000 (capped).
PARENT_CASES = [
    # born 1967, 59 in 2026: not counted; allowances 60,000; net 520,000.50 − 160,000 = 360,000.50
    # → 7,500 + 10 % × 60,000.50 = 7,500 + 6,000.05 = 13,500.05
    ("under-60", 2026, 0, (1967,), 6_000_000, 36_000_050, 1_350_005),
    # born 1966, turns 60 in 2026: counted; allowances 90,000; net 330,000.50 → 7,500 + 3,000.05
    ("turns-60", 2026, 0, (1966,), 9_000_000, 33_000_050, 1_050_005),
    # the same parent born 1967 in tax year 2027 (turns 60): counted, as "turns-60"
    ("turns-60-next-year", 2027, 0, (1967,), 9_000_000, 33_000_050, 1_050_005),
    # no recorded year: counted as declared, as "turns-60"
    ("no-year", 2026, 1, (), 9_000_000, 33_000_050, 1_050_005),
    # one without a year, 1967 (59) and 1950 (76): 60,000 + 2 × 30,000 = 120,000; net 300,000.50
    # → 7,500 + 10 % × 0.50 = 7,500.05
    ("mixed", 2026, 1, (1967, 1950), 12_000_000, 30_000_050, 750_005),
]


@pytest.mark.parametrize(
    "case,year,declared,years,allowances,net,annual", PARENT_CASES, ids=[c[0] for c in PARENT_CASES]
)
def test_a_parent_counts_from_the_tax_year_they_are_sixty(
    case, year, declared, years, allowances, net, annual
):
    result = annual_tax(TaxInput(year=year, salary=52_000_050, parents=declared, parents_birth_years=years))
    assert (result.expense_deduction, result.allowances, result.net_income, result.annual_tax) == (
        10_000_000,
        allowances,
        net,
        annual,
    )
