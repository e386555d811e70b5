"""Filters ask for places by name (the area picker, scoped to the user), never for typed codes."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from codi.areas.selectors import subdistrict_names
from codi.identity.models import User
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db

PAGES = ["/communities/organizations/", "/communities/members/", "/governance/masterdata/duplicates/"]


@pytest.mark.parametrize("url", PAGES)
def test_the_filter_picks_areas_by_name_within_the_users_area(url: str) -> None:
    call_command("load_demo", verbosity=0)
    officer = User.objects.get(username="demo_officer")  # Khon Kaen province only
    admin = User.objects.get(username="demo_admin")
    client = signed_in_client(admin if "governance" in url else officer)
    html = client.get(url).content.decode()
    assert 'data-area-level="province"' in html or 'data-area-level="subdistrict"' in html
    assert not re.search(r'<input[^>]+name="area"', html), "a typed area code is still asked for"
    if "governance" not in url:
        assert "ขอนแก่น" in html and "เชียงใหม่" not in html  # the officer's province only
        district = client.get(url, {"province": "40", "district": "4001"}).content.decode()
        assert "ท่าพระ" in district  # the subdistricts of the chosen district, by name


def test_subdistricts_are_named_with_their_district() -> None:
    call_command("load_demo", verbosity=0)
    assert subdistrict_names(codes=["400104"]) == {"400104": "ท่าพระ อ.เมืองขอนแก่น"}
