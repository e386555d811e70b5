"""Schedules, exact to the satang: hand-checked examples (the arithmetic is in the comments and was
done by hand / with bc, not by running the code) and properties over many inputs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codi.lending.schedule import ScheduleError, build, due_dates, to_csv


def table(rows):
    return [
        (r.n, r.due_date.isoformat(), str(r.payment), str(r.principal), str(r.interest), str(r.balance))
        for r in rows
    ]


def test_annuity_30_360_hand_checked():
    # P = 12,000.00, R = 12 % → r = 0.01, N = 3.
    # A = P·r·(1+r)^3 / ((1+r)^3 − 1) = 120 × 1.030301 / 0.030301 = 4,080.26534 → 4,080.27 (half-up).
    # 1: interest 12,000.00 × 0.01 = 120.00; principal 4,080.27 − 120.00 = 3,960.27; balance 8,039.73
    # 2: interest 8,039.73 × 0.01 = 80.3973 → 80.40; principal 3,999.87; balance 4,039.86
    # 3: interest 4,039.86 × 0.01 = 40.3986 → 40.40; principal = the balance 4,039.86;
    #    payment 4,080.26 (the last absorbs rounding); principal sum 3,960.27 + 3,999.87 + 4,039.86 = 12,000.00
    # Due dates from 31 Jan 2025: 28 Feb (clamped), 31 Mar, 30 Apr.
    rows = build(
        principal="12000",
        annual_rate="12",
        months=3,
        method="annuity",
        day_count="30/360",
        start=date(2025, 1, 31),
    )
    assert table(rows) == [
        (1, "2025-02-28", "4080.27", "3960.27", "120.00", "8039.73"),
        (2, "2025-03-31", "4080.27", "3999.87", "80.40", "4039.86"),
        (3, "2025-04-30", "4080.26", "4039.86", "40.40", "0.00"),
    ]


def test_annuity_actual_365_hand_checked():
    # Same loan, actual/365. A = 4,080.27 as above. Days: 31 Jan→28 Feb 28, →31 Mar 31, →30 Apr 30.
    # 1: 12,000.00 × 0.12 × 28 / 365 = 40,320 / 365 = 110.4657 → 110.47; principal 3,969.80; balance 8,030.20
    # 2: 8,030.20 × 0.12 × 31 / 365 = 29,872.344 / 365 = 81.8420 → 81.84; principal 3,998.43; balance 4,031.77
    # 3: 4,031.77 × 0.12 × 30 / 365 = 14,514.372 / 365 = 39.7654 → 39.77; principal 4,031.77; payment 4,071.54
    # principal sum 3,969.80 + 3,998.43 + 4,031.77 = 12,000.00
    rows = build(
        principal="12000.00",
        annual_rate="12",
        months=3,
        method="annuity",
        day_count="actual/365",
        start=date(2025, 1, 31),
    )
    assert table(rows) == [
        (1, "2025-02-28", "4080.27", "3969.80", "110.47", "8030.20"),
        (2, "2025-03-31", "4080.27", "3998.43", "81.84", "4031.77"),
        (3, "2025-04-30", "4071.54", "4031.77", "39.77", "0.00"),
    ]


def test_equal_principal_30_360_hand_checked():
    # P = 10,000.00, R = 6 % → 0.5 % a month, N = 3. P / N = 3,333.333 → 3,333.33.
    # 1: 10,000.00 × 0.005 = 50.00; payment 3,383.33; balance 6,666.67
    # 2: 6,666.67 × 0.005 = 33.33335 → 33.33; payment 3,366.66; balance 3,333.34
    # 3: 3,333.34 × 0.005 = 16.6667 → 16.67; principal 3,333.34 (absorbs the satang); payment 3,350.01
    rows = build(
        principal="10000",
        annual_rate="6",
        months=3,
        method="equal_principal",
        day_count="30/360",
        start=date(2024, 1, 15),
    )
    assert table(rows) == [
        (1, "2024-02-15", "3383.33", "3333.33", "50.00", "6666.67"),
        (2, "2024-03-15", "3366.66", "3333.33", "33.33", "3333.34"),
        (3, "2024-04-15", "3350.01", "3333.34", "16.67", "0.00"),
    ]


def test_equal_principal_actual_365_leap_february_hand_checked():
    # P = 10,000.00, R = 6 %, N = 3 from 31 Jan 2024 (leap year): due 29 Feb (29 days), 31 Mar (31), 30 Apr (30).
    # 1: 10,000.00 × 0.06 × 29 / 365 = 17,400 / 365 = 47.6712 → 47.67; payment 3,381.00; balance 6,666.67
    # 2: 6,666.67 × 0.06 × 31 / 365 = 12,400.0062 / 365 = 33.9726 → 33.97; payment 3,367.30; balance 3,333.34
    # 3: 3,333.34 × 0.06 × 30 / 365 = 6,000.012 / 365 = 16.4384 → 16.44; payment 3,349.78
    rows = build(
        principal="10000",
        annual_rate="6",
        months=3,
        method="equal_principal",
        day_count="actual/365",
        start=date(2024, 1, 31),
    )
    assert table(rows) == [
        (1, "2024-02-29", "3381.00", "3333.33", "47.67", "6666.67"),
        (2, "2024-03-31", "3367.30", "3333.33", "33.97", "3333.34"),
        (3, "2024-04-30", "3349.78", "3333.34", "16.44", "0.00"),
    ]


@pytest.mark.parametrize("day_count", ["30/360", "actual/365"])
def test_flat_hand_checked_day_count_does_not_matter(day_count):
    # P = 10,000.00, R = 5 %, N = 3: total interest 10,000 × 5 × 3 / 1,200 = 125.00 on the original principal.
    # Spread evenly: 125.00 / 3 = 41.6667 → 41.67, 41.67, and the last 125.00 − 83.34 = 41.66.
    # Principal 3,333.33, 3,333.33, 3,333.34 → every payment 3,375.00.
    rows = build(
        principal="10000",
        annual_rate="5",
        months=3,
        method="flat",
        day_count=day_count,
        start=date(2025, 3, 31),
    )
    assert table(rows) == [
        (1, "2025-04-30", "3375.00", "3333.33", "41.67", "6666.67"),
        (2, "2025-05-31", "3375.00", "3333.33", "41.67", "3333.34"),
        (3, "2025-06-30", "3375.00", "3333.34", "41.66", "0.00"),
    ]


def test_rounding_is_half_up_not_half_even():
    # P = 3,003.00, R = 6 %, N = 3 equal principal: 1,001.00 a month.
    # 1: 3,003.00 × 0.005 = 15.015 → 15.02;  2: 2,002.00 × 0.005 = 10.01;
    # 3: 1,001.00 × 0.005 = 5.005 → 5.01 half-up (half-even would give 5.00).
    rows = build(
        principal="3003",
        annual_rate="6",
        months=3,
        method="equal_principal",
        day_count="30/360",
        start=date(2025, 1, 1),
    )
    assert [str(r.interest) for r in rows] == ["15.02", "10.01", "5.01"]


def test_zero_rate_annuity_is_equal_principal():
    # 1,000.00 / 3 = 333.33, 333.33 and the last 333.34; no interest.
    rows = build(
        principal="1000",
        annual_rate="0",
        months=3,
        method="annuity",
        day_count="30/360",
        start=date(2025, 1, 1),
    )
    assert [str(r.payment) for r in rows] == ["333.33", "333.33", "333.34"]
    assert all(r.interest == 0 for r in rows)


def test_due_dates_are_counted_from_the_start_and_clamped():
    # 31 Jan 2024 + k months: Feb 29 (leap), Mar 31 (not 29: counted from the start), ..., Feb 28 2025.
    dates = due_dates(date(2024, 1, 31), 13)
    assert dates[0] == date(2024, 2, 29)
    assert dates[1] == date(2024, 3, 31)
    assert dates[2] == date(2024, 4, 30)
    assert dates[12] == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("kwargs", "english"),
    [
        ({"principal": "999.99"}, "principal must be between"),
        ({"principal": "1000000000.01"}, "principal must be between"),
        ({"principal": "1000.005"}, "at most two decimals"),
        ({"principal": "abc"}, "not a number"),
        ({"annual_rate": "-1"}, "interest rate must be"),
        ({"annual_rate": "12.5"}, "interest rate must be"),
        ({"annual_rate": "NaN"}, "not a number"),
        ({"months": 0}, "term must be"),
        ({"months": 361}, "term must be"),
        ({"months": "1.5"}, "whole number"),
        ({"method": "balloon"}, "Unknown method"),
        ({"day_count": "actual/360"}, "Unknown day count"),
    ],
)
def test_bad_input_is_refused_in_thai_and_english(kwargs, english):
    args = {
        "principal": "10000",
        "annual_rate": "6",
        "months": 12,
        "method": "annuity",
        "day_count": "30/360",
        "start": date(2025, 1, 1),
    }
    args.update(kwargs)
    with pytest.raises(ScheduleError) as caught:
        build(**args)
    assert english in caught.value.message_en
    assert caught.value.message_th


def test_csv_header_and_rows():
    rows = build(
        principal="10000",
        annual_rate="5",
        months=3,
        method="flat",
        day_count="30/360",
        start=date(2025, 3, 31),
    )
    lines = to_csv(rows).splitlines()
    assert lines[0] == "n,due_date,payment,principal,interest,balance"
    assert lines[3] == "3,2025-06-30,3375.00,3333.34,41.66,0.00"


@settings(max_examples=300, deadline=None)
@given(
    principal=st.decimals(min_value=Decimal("1000.00"), max_value=Decimal("1000000000.00"), places=2),
    rate=st.decimals(min_value=Decimal("0"), max_value=Decimal("12"), places=4),
    months=st.integers(min_value=1, max_value=360),
    method=st.sampled_from(["annuity", "equal_principal", "flat"]),
    day_count=st.sampled_from(["30/360", "actual/365"]),
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
)
def test_schedule_properties(principal, rate, months, method, day_count, start):
    try:
        rows = build(
            principal=principal,
            annual_rate=rate,
            months=months,
            method=method,
            day_count=day_count,
            start=start,
        )
    except ScheduleError as refused:  # only the documented rounding guard may refuse an in-range input
        assert "too small" in refused.message_en
        return
    assert len(rows) == months
    assert sum(r.principal for r in rows) == principal
    assert rows[-1].balance == Decimal("0.00")
    assert all(r.balance >= 0 and r.principal >= 0 and r.interest >= 0 for r in rows)
    assert all(r.payment == r.principal + r.interest for r in rows)
    assert all(r.payment.as_tuple().exponent == -2 and r.balance.as_tuple().exponent == -2 for r in rows)
    assert [r.due_date for r in rows] == sorted({r.due_date for r in rows})
    if method == "annuity" and months > 1:
        assert len({r.payment for r in rows[:-1]}) == 1


def test_command_writes_the_csv(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "s.csv"
    call_command(
        "loan_schedule", "--principal", "12000", "--annual-rate", "12", "--months", "3", "--method", "annuity",
        "--day-count", "actual/365", "--start", "2025-01-31", "--output", str(out),
    )  # fmt: skip
    assert out.read_text(encoding="utf-8").splitlines() == [
        "n,due_date,payment,principal,interest,balance",
        "1,2025-02-28,4080.27,3969.80,110.47,8030.20",
        "2,2025-03-31,4080.27,3998.43,81.84,4031.77",
        "3,2025-04-30,4071.54,4031.77,39.77,0.00",
    ]


@pytest.mark.parametrize(
    ("option", "value", "english"),
    [("--annual-rate", "13", "interest rate must be"), ("--months", "0", "term must be"),
     ("--principal", "10", "principal must be"), ("--start", "2025-02-30", "Invalid start date"),
     ("--start", "2568-13-01", "Invalid start date")],
)  # fmt: skip
def test_command_bad_input_writes_nothing(tmp_path, option, value, english):
    from django.core.management import CommandError, call_command

    out = tmp_path / "s.csv"
    args = {"--principal": "12000", "--annual-rate": "6", "--months": "12", "--method": "annuity",
            "--day-count": "30/360", "--start": "2025-01-31", "--output": str(out)}  # fmt: skip
    args[option] = value
    with pytest.raises(CommandError) as caught:
        call_command("loan_schedule", *[part for pair in args.items() for part in pair])
    assert english in str(caught.value)
    assert not out.exists()
