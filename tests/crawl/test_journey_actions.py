"""Every demo role sends the actions its pages offer, through the forms as served, on the demo data.

The data are made by the loaders ``make run`` calls (fewer projects than its 5,000: every step is
still present). For each role the crawler opens the projects its home page and task lists point to,
and posts each journey form it finds once with the default choice: the officer's screening, the
director's committee and approval decisions, the finance officer's payment, the leader's progress
report and more. A 5xx fails the test; so does a main journey that the platform did not accept.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command

from codi.identity.models import User
from codi.web.demo import ACCOUNTS
from tests.crawl.crawler import Form, fill, page_forms, submit_journey_actions
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(os.environ.get("CODI_TEST_ARTIFACTS", "var/test-artifacts")) / "crawl"
# The journeys the README advertises, by role: each must be accepted at least once on the demo data.
MUST_BE_DONE = {
    "demo_officer": {"screen"},
    "demo_finance": {"disburse"},
    "demo_leader": {"report"},
}
START = ["/", "/projects/inbox/", "/projects/overdue/", "/projects/portal/"]


@pytest.fixture
def demo_data() -> None:
    call_command("load_demo", verbosity=0)
    call_command("load_projects_demo", count=40, verbosity=0)
    call_command("load_feedback_demo", count=20, verbosity=0)
    # load_finance_demo is left out: on fewer projects than make run's 5,000 it breaks its own
    # budget check (finance_budgetline_within_allocation); the payment journey is the project's.


def test_form_defaults_are_what_a_browser_sends() -> None:
    html = """
    <form method="post" action="/projects/7/act/screen/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
    <select name="decision"><option value="pass">ผ่าน</option><option value="revise" selected>แก้ไข</option></select>
    <textarea name="comment"></textarea><textarea name="evaluation" required></textarea>
    <input type="radio" name="r" value="a"><input type="radio" name="r" value="b" checked>
    <input type="checkbox" name="c" value="1"><input type="file" name="f"><button>บันทึก</button></form>
    <a href="/projects/7/report/">รายงาน</a>"""
    forms, links = page_forms("/projects/7/", html)
    assert links == ["/projects/7/report/"]
    assert forms == [
        Form(
            action="/projects/7/act/screen/",
            method="post",
            fields={
                "csrfmiddlewaretoken": "t",
                "decision": "revise",
                "comment": "",
                "evaluation": "",
                "r": "b",
            },
            required_empty=["evaluation"],
        )
    ]
    sent = fill(forms[0])
    assert sent["evaluation"].startswith("บันทึก") and sent["comment"] == "" and "c" not in sent


def test_every_role_sends_its_journey_actions(demo_data: None) -> None:
    lines: list[str] = []
    failures: list[str] = []
    done: dict[str, set[str]] = defaultdict(set)
    for account in ACCOUNTS:
        user = User.objects.get(username=account.username)
        client = signed_in_client(user)
        for sub in submit_journey_actions(client, role=account.username, start=START):
            lines.append(f"{sub.role} {sub.action} {sub.url}: {sub.outcome} {sub.detail}")
            if sub.outcome == "5xx":
                failures.append(lines[-1])
            if sub.outcome == "done":
                done[sub.role].add(sub.action)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "actions.txt").write_text("\n".join(lines) + "\n")
    assert not failures, "\n".join(failures)
    for role, actions in MUST_BE_DONE.items():
        assert actions <= done[role], f"{role} could not do {actions - done[role]}:\n" + "\n".join(lines)
