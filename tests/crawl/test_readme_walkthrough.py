"""The README's "What to try" tables, row by row, against the demo pages.

Each row names an account (its section, or the row's own account column), the page to open and,
in «…», words that page must show. Signed in as that account on the demo loaders' data, the
page must answer 200 and show every one of them. The actions the rows describe are sent by
``test_journey_actions``; this test holds the README to the pages as they are.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from codi.identity.models import User
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


def walkthrough_rows() -> list[tuple[str, str, list[str]]]:
    """(account, path, words) for every row of the section that opens a page and promises words."""
    text = README.read_text()
    section = text.split("### What to try", 1)[1].split("\n## ", 1)[0]
    rows: list[tuple[str, str, list[str]]] = []
    account = ""
    for line in section.splitlines():
        heading = re.match(r"\*\*`(demo_\w+)`\*\*", line)
        if heading:
            account = heading.group(1)
            continue
        if not line.startswith("| ") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        own = re.fullmatch(r"`(demo_\w+)`", cells[0])
        who, cells = (own.group(1), cells[1:]) if own else (account, cells)
        path = re.fullmatch(r"`(/[^`]*)`", cells[0])
        words = re.findall(r"«([^»]+)»", cells[-1])
        if path and words:
            rows.append((who, path.group(1), words))
    return rows


def test_the_walkthrough_has_a_table_for_every_demo_role() -> None:
    from codi.web.demo import ACCOUNTS

    rows = walkthrough_rows()
    assert {who for who, _path, _words in rows} == {a.username for a in ACCOUNTS}
    assert len(rows) >= 18


def test_every_walkthrough_row_shows_what_the_readme_promises() -> None:
    call_command("load_demo", verbosity=0)
    call_command("load_projects_demo", count=40, verbosity=0)
    call_command("load_feedback_demo", count=20, verbosity=0)
    missing: list[str] = []
    for who, path, words in walkthrough_rows():
        client = signed_in_client(User.objects.get(username=who))
        response = client.get(path)
        if response.status_code != 200:
            missing.append(f"{who} {path}: answered {response.status_code}")
            continue
        html = response.content.decode()
        missing += [f"{who} {path}: «{w}» not on the page" for w in words if w not in html]
    assert not missing, "\n".join(missing)
