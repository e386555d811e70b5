"""The Official Information Act page: every s.7 and s.9 item, where it is published and its evidence date;
the missing ones on the page and on the open-information checklist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from codi.core.thaidate import fiscal_year_be, thai_date
from codi.website import oia
from codi.website.demo_oia import DEMO_OIA
from codi.website.models import OfficialInfoPage, OpenInfoIndexPage

pytestmark = pytest.mark.django_db


def _row(html: str, code: str) -> str:
    return html.split(f'<tr data-item="{code}">', 1)[1].split("</tr>", 1)[0]


def test_the_demo_loader_publishes_the_act_page_with_every_item(site):
    page = OfficialInfoPage.objects.get(locale__language_code="th")
    assert page.live and isinstance(page.get_parent().specific, OpenInfoIndexPage)
    assert page.published_codes() == {code for code, *_ in DEMO_OIA}
    html = Client(HTTP_HOST="localhost").get(page.url).content.decode()
    assert html.count("<tr data-item=") == len(oia.OIA_ITEMS) == 13
    assert 'data-section="7"' in html and 'data-section="9"' in html
    contact = _row(html, "7.3")
    assert 'href="/contact/"' in contact and 'href="/directory/"' in contact
    days = next(d for code, _slug, d, _note in DEMO_OIA if code == "7.3")
    assert thai_date(timezone.localdate() - timedelta(days=days)) in contact  # the evidence date, B.E.
    missing = set(oia.OIA_CODES) - page.published_codes()
    assert missing == {"7.5", "9.1", "9.2", "9.4", "9.5", "9.7"}
    for code in missing:
        assert 'class="missing"' in _row(html, code)
    assert 'class="missing"' not in _row(html, "9.8")


def test_the_checklist_lists_the_items_of_the_act_still_missing(site):
    index = OpenInfoIndexPage.objects.get(locale__language_code="th")
    client = Client(HTTP_HOST="localhost")
    year = fiscal_year_be(timezone.localdate())
    html = client.get(f"{index.url}checklist/{year}/").content.decode()
    act = html.split('class="missing-list act-missing">', 1)[1].split("</ul>", 1)[0]
    assert act.count("<li>") == 6 and "9.7" in act and "7.1" not in act
    page = OfficialInfoPage.objects.get(locale__language_code="th")
    page.unpublish()
    html = client.get(f"{index.url}checklist/{year}/").content.decode()
    act = html.split('class="missing-list act-missing">', 1)[1].split("</ul>", 1)[0]
    assert act.count("<li>") == len(oia.OIA_ITEMS)  # no page for the Act: every item is missing
