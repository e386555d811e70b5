"""Buddhist-Era dates, fiscal years and baht formatting."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from codi.core.thaidate import baht, english_date, fiscal_year_be, thai_date


def test_thai_date_is_buddhist_era():
    assert thai_date(date(2026, 11, 25)) == "25 พ.ย. 2569"
    assert thai_date(date(2026, 11, 25), full_month=True) == "25 พฤศจิกายน 2569"
    assert thai_date(None) == "-"


def test_aware_datetimes_are_shown_in_bangkok_time():
    # 18:30 UTC on 31 Dec is already 1 Jan in Bangkok (UTC+7).
    assert thai_date(datetime(2026, 12, 31, 18, 30, tzinfo=UTC), with_time=True) == "1 ม.ค. 2570 01:30 น."
    assert english_date(datetime(2026, 12, 31, 18, 30, tzinfo=UTC)) == "1 Jan 2027"


def test_fiscal_year_starts_in_october():
    assert fiscal_year_be(date(2025, 9, 30)) == 2568
    assert fiscal_year_be(date(2025, 10, 1)) == 2569


def test_baht_has_separators_and_two_decimals():
    assert baht(Decimal("1234567.5")) == "1,234,567.50"
    assert baht(Decimal("0.005")) == "0.01"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2400, 12, 31)))
def test_thai_date_year_is_always_gregorian_plus_543(day):
    assert thai_date(day).endswith(str(day.year + 543))
    assert fiscal_year_be(day) - (day.year + 543) in {0, 1}


@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2))
def test_baht_round_trips(amount):
    assert Decimal(baht(amount).replace(",", "")) == amount


def test_be_year_of_a_moment_is_its_bangkok_date_and_ce_year_inverts_it():
    from datetime import UTC, datetime

    from codi.core.thaidate import be_year, ce_year

    # 31 Dec 2025 18:00 UTC is already 1 Jan 2026 in Bangkok: B.E. 2569.
    assert be_year(datetime(2025, 12, 31, 18, 0, tzinfo=UTC)) == 2569
    assert be_year(datetime(2025, 12, 31, 16, 0, tzinfo=UTC)) == 2568
    assert ce_year(2569) == 2026
