"""Every demo role, on data made by the real demo loaders, walks its menu and the first items of each list.

Fails on any 5xx, a menu entry that refuses its own user, untranslated English, raw codes
(role codes, usernames, snake_case keys) and ISO dates on a Thai page. The browser's language
is English on purpose: Thai stays the default until the person switches.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from codi.identity.models import User
from codi.web.context import MAX_TOP_ENTRIES, nav_tree
from codi.web.demo import ACCOUNTS
from tests.crawl.crawler import crawl
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(os.environ.get("CODI_TEST_ARTIFACTS", "var/test-artifacts")) / "crawl"
DEMO_PROJECTS = 40  # enough for every step and every list; the 5,000 of `make run` add no page kind


@pytest.fixture
def demo_data() -> None:
    call_command("load_demo", verbosity=0)
    call_command("load_projects_demo", count=DEMO_PROJECTS, verbosity=0)
    call_command("load_feedback_demo", count=30, verbosity=0)
    call_command("load_knowledge_demo", verbosity=0)


def _menu_urls(user: User) -> list[str]:
    urls = []
    for item in nav_tree(user):
        urls += [child.url for child in item.children] if item.children else [item.url]
    return [u for u in urls if not u.startswith("/api/")]


def test_every_role_crawls_clean(demo_data: None) -> None:
    # Every sign-in name in the database (demo accounts and any other test's users on a shared
    # PostgreSQL run), so the user administration page may list them and no other page may.
    usernames = set(User.objects.values_list("username", flat=True)) | {a.username for a in ACCOUNTS}
    started = time.monotonic()
    report: list[str] = []
    problems: list[str] = []
    for account in ACCOUNTS:
        user = User.objects.get(username=account.username)
        menu = nav_tree(user)
        assert len(menu) <= MAX_TOP_ENTRIES, account.username
        client = signed_in_client(user, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        result = crawl(client, role=account.username, start=_menu_urls(user), usernames=usernames)
        kinds = Counter(f.kind for f in result.findings)
        report.append(f"{account.username}: {len(result.visited)} pages, findings {dict(kinds)}")
        problems += [f"{account.username} {f.kind} {f.url}: {f.detail}" for f in result.findings]
    elapsed = time.monotonic() - started
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "coverage.txt").write_text("\n".join([*report, f"crawl took {elapsed:.1f} s"]) + "\n")
    (ARTIFACTS / "findings.txt").write_text("\n".join(sorted(set(problems))) + "\n")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(sorted(set(problems))[:400])
