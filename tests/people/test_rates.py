from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from codi.people import payroll, rates, tax
from codi.people.models import SocialSecurityRate


def test_a_new_row_closes_the_open_one_and_payroll_reads_it(staff):
    row = rates.sso_rate_add(
        actor=staff["hr_all"], valid_from=date(2040, 1, 1), rate_percent=5, wage_floor="1650", wage_ceiling="25000",
        source="กฎกระทรวง (ตัวอย่าง)",
    )  # fmt: skip
    previous = SocialSecurityRate.objects.get(valid_from=date(2032, 1, 1))
    assert previous.valid_to == date(2039, 12, 31) and row.valid_to is None
    rate = tax.sso_rate_on(date(2040, 6, 1), payroll.sso_rates())
    assert tax.sso_contribution(3_000_000, rate) == 125_000  # 25,000 × 5 % = 1,250
    assert tax.sso_contribution(3_000_000, tax.sso_rate_on(date(2039, 6, 1), payroll.sso_rates())) == 115_000


def test_refusals(staff):
    with pytest.raises(PermissionDenied):
        rates.sso_rate_add(
            actor=staff["hr_north"], valid_from=date(2040, 1, 1), rate_percent=5, wage_floor="1650",
            wage_ceiling="25000", source="x",
        )  # fmt: skip
    with pytest.raises(rates.PeopleError):  # ceiling below floor
        rates.sso_rate_add(
            actor=staff["hr_all"], valid_from=date(2040, 1, 1), rate_percent=5, wage_floor="1650",
            wage_ceiling="1000", source="x",
        )  # fmt: skip
    with pytest.raises(rates.PeopleError):  # inside the table
        rates.sso_rate_add(
            actor=staff["hr_all"], valid_from=date(2027, 1, 1), rate_percent=5, wage_floor="1650",
            wage_ceiling=Decimal("18000"), source="x",
        )  # fmt: skip
    assert SocialSecurityRate.objects.count() == 4
