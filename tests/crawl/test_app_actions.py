"""Every demo role sends the action forms of finance, feedback, privacy, procurement, people and lending.

The data are made by the loaders ``make run`` calls (the finance, procurement, people and lending
demos on top of the projects and feedback demos). Each role walks from its menu, sends each kind of
action form once with its default choice, and every page it sees — the one the action leads to, or
the form shown again with its message — must be free of 5xx, untranslated English and raw codes.
The browser asks for English on purpose: Thai stays the default until the person switches.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from codi.communities import services as communities
from codi.identity.models import User
from codi.privacy.models import ConsentChannel, RequestKind
from codi.privacy.services.requests import dsr_create, dsr_verify_identity
from codi.web.context import nav_tree
from codi.web.demo import ACCOUNTS
from tests.crawl.actions import Sent, form_key, submit_action_forms
from tests.crawl.crawler import page_forms
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db

NATIONAL_ID = "1101700230708"  # a valid check digit; no real person's
ARTIFACTS = Path(os.environ.get("CODI_TEST_ARTIFACTS", "var/test-artifacts")) / "crawl"
# The actions each role's demo data has due: each must be accepted at least once.
MUST_BE_DONE = {
    "demo_finance": ("/finance/vouchers/N/action/",),
    "demo_hr": ("/people/",),
    "demo_procurement": ("/procurement/requisitions/N/action/",),
    "demo_dpo": ("/privacy/requests/N/action/",),
}


@pytest.fixture
def demo_data() -> None:
    call_command("load_demo", verbosity=0)
    call_command("load_projects_demo", count=40, verbosity=0)
    call_command("load_feedback_demo", count=20, verbosity=0)
    call_command("load_finance_demo", verbosity=0)
    call_command("load_procurement_demo", verbosity=0)
    call_command("load_people_demo", verbosity=0)
    call_command("load_lending_demo", verbosity=0)
    _privacy_requests()


def _privacy_requests() -> None:
    """Requests a data-protection officer has due (no demo loader makes them): one of each kind.

    Made through the services a person uses: the officer registers a member, the DPO logs the
    requests and checks identity for all but one, so each kind's next step is on its page.
    """
    officer = User.objects.get(username="demo_officer")
    dpo = User.objects.get(username="demo_dpo")
    communities.person_create(
        actor=officer,
        national_id=NATIONAL_ID,
        first_name_th="สมศรี",
        last_name_th="ใจดี",
        subdistrict_code="400104",
        is_demo=True,
    )
    for n, kind in enumerate(RequestKind.values):
        request = dsr_create(
            actor=dpo,
            kind=kind,
            national_id=NATIONAL_ID,
            requester_name="สมศรี ใจดี",
            channel=ConsentChannel.PAPER,
        )
        if n:
            dsr_verify_identity(actor=dpo, request=request, method="บัตรประชาชนตัวจริง")


def _menu_urls(user: User) -> list[str]:
    urls = []
    for item in nav_tree(user):
        urls += [child.url for child in item.children] if item.children else [item.url]
    return [u for u in urls if not u.startswith("/api/")]


def test_form_kind_names_the_action_and_the_default_button() -> None:
    html = """
    <form method="post" action="/people/leave/9/decide/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
    <input name="comment"><button name="decision" value="approve">อนุมัติ</button>
    <button name="decision" value="reject">ไม่อนุมัติ</button></form>
    <form method="post" action="/lending/loans/3/action/"><input type="hidden" name="action" value="repay">
    <input name="amount" inputmode="decimal" required><input type="date" name="on" required>
    <select name="channel" required><option value="">—</option><option value="bank">ธนาคาร</option></select></form>"""
    forms, _links = page_forms("/people/leave/9/", html)
    assert form_key(forms[0], "/people/leave/9/") == "/people/leave/N/decide/ approve"
    assert forms[0].fields["decision"] == "approve"
    assert form_key(forms[1], "/lending/loans/3/") == "/lending/loans/N/action/ repay"
    assert forms[1].fields["channel"] == "bank"
    assert forms[1].required_empty == ["amount", "on"]


def test_every_role_sends_the_apps_action_forms(demo_data: None) -> None:
    usernames = set(User.objects.values_list("username", flat=True)) | {a.username for a in ACCOUNTS}
    lines: list[str] = []
    problems: list[str] = []
    coverage: list[str] = []
    sent: dict[str, list[Sent]] = {}
    for account in ACCOUNTS:
        user = User.objects.get(username=account.username)
        client = signed_in_client(user, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        run = submit_action_forms(client, role=account.username, start=_menu_urls(user), usernames=usernames)
        sent[account.username] = run.sent
        outcomes = Counter(s.outcome for s in run.sent)
        coverage.append(
            f"{account.username}: {len(run.visited)} pages, {len(run.sent)} action forms sent {dict(outcomes)}"
        )
        lines += [f"{s.role} {s.key} {s.url}: {s.outcome} {s.detail}" for s in run.sent]
        problems += [f"{account.username} {f.kind} {f.url}: {f.detail}" for f in run.findings]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "app-actions.txt").write_text("\n".join([*coverage, "", *lines]) + "\n")
    (ARTIFACTS / "app-action-findings.txt").write_text("\n".join(sorted(set(problems))) + "\n")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(sorted(set(problems))[:300])
    for role, prefixes in MUST_BE_DONE.items():
        done = [s for s in sent[role] if s.outcome == "done"]
        for prefix in prefixes:
            assert any(s.key.startswith(prefix) for s in done), (
                f"{role}: nothing done under {prefix}:\n" + "\n".join(lines)
            )
