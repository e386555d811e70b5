"""The analytics store's page and the catalog's lineage page read in Thai (the crawler's checks:
no English words, no raw codes outside <code>, no ISO dates), with the marts built and not built.
What the site's frame (menu, footer) shows on every page is another page's business: it is taken
from a page of the same reader and left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from codi.insights.marts import store
from tests.crawl.crawler import page_findings
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db


def _problems(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    findings = page_findings(url, response.content.decode(), usernames=set(), allowed=set())
    return {f"{f.kind}: {f.detail}" for f in findings}


def test_pages_are_thai(matrix: Matrix, settings, tmp_path: Path) -> None:
    settings.CODI_MARTS_DIR = tmp_path
    client = signed_in_client(matrix.user("executive", "country"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    frame = _problems(client, "/insights/satisfaction/")
    assert _problems(client, "/insights/marts/") - frame == set()  # nothing built yet
    store.refresh(names=["area_hierarchy", "org_units"])
    page = client.get("/insights/marts/").content.decode()
    assert "เป็นปัจจุบัน" in page and "คลังข้อมูลเพื่อการวิเคราะห์" in page  # the Thai freshness indicator
    assert _problems(client, "/insights/marts/") - frame == set()
    assert _problems(client, "/governance/catalog/marts/") - frame == set()
