"""Issue 12, item 6: a strict Content-Security-Policy and a Permissions-Policy on every page.

Two checks. The templates themselves hold no inline script, no on*= handler and no
javascript: URL (the CSP would block them, so the page would silently break). And every kind
of page a signed-in person reaches (the crawler's breadth walk, for several roles on demo
data), plus the public and error pages, answers with the policy and a body that runs only
scripts from our own static files.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from codi.identity.models import User
from tests.crawl.crawler import crawl
from tests.crawl.test_crawl import _menu_urls
from tests.permissions import signed_in_client

SRC = Path(__file__).resolve().parents[2] / "src" / "codi"
# Templates rendered to PDF by WeasyPrint are never served as pages (no scripts there either).
PDF_TEMPLATE = re.compile(r"(_pdf|pdf_base)\.html$")
INERT_SCRIPT_TYPES = {"application/json", "application/ld+json"}
ROLES = ("demo_admin", "demo_officer", "demo_finance", "demo_dpo", "demo_leader")


class _InlineCode(HTMLParser):
    """Collects what a strict CSP refuses to run: inline scripts, handlers, javascript: URLs, <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src") and (values.get("type") or "") not in INERT_SCRIPT_TYPES:
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> element at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> at line {self.getpos()[0]}")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…> at line {self.getpos()[0]}")


def inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    return parser.found


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def header_problems(response) -> list[str]:  # type: ignore[no-untyped-def]
    found = []
    policy = directives(response.get("Content-Security-Policy", ""))
    if policy.get("script-src") != ["'self'"]:
        found.append(f"script-src {policy.get('script-src')}")
    if policy.get("default-src") != ["'self'"]:
        found.append(f"default-src {policy.get('default-src')}")
    if policy.get("style-src") != ["'self'"]:
        found.append(f"style-src {policy.get('style-src')}")
    if policy.get("object-src") != ["'none'"]:
        found.append(f"object-src {policy.get('object-src')}")
    if "geolocation=(self)" not in response.get("Permissions-Policy", "") or "camera=()" not in response.get(
        "Permissions-Policy", ""
    ):
        found.append(f"Permissions-Policy {response.get('Permissions-Policy')!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        found.append("no nosniff")
    if response.get("X-Frame-Options") != "DENY":
        found.append("no X-Frame-Options DENY")
    return found


def test_the_checker_finds_what_the_policy_blocks() -> None:
    html = (
        '<script>alert(1)</script><script type="application/json">{}</script><script src="/static/a.js"></script>'
        '<button onclick="x()">b</button><a href="javascript:x()">a</a><style>p{}</style>'
    )
    assert len(inline_code(html)) == 4


def test_no_served_template_holds_inline_script_or_handlers() -> None:
    findings = []
    templates = [p for p in SRC.glob("*/templates/**/*.html") if not PDF_TEMPLATE.search(p.name)]
    assert len(templates) > 100
    for template in templates:
        for finding in inline_code(template.read_text()):
            findings.append(f"{template.relative_to(SRC)}: {finding}")
        if re.search(r"\son[a-z]+\s*=", template.read_text()):  # also inside {% if %} branches
            findings.append(f"{template.relative_to(SRC)}: on*= attribute")
    assert findings == []


class RecordingClient(Client):
    """A test client that keeps every answer it got, so the crawl's pages can be checked afterwards."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.answers: list[tuple[str, object]] = []

    def get(self, path, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        response = super().get(path, *args, **kwargs)
        self.answers.append((path, response))
        return response


def _check(answers: list[tuple[str, object]]) -> list[str]:
    problems = []
    for url, response in answers:
        problems += [f"{url}: {p}" for p in header_problems(response)]
        if "html" in response.get("Content-Type", ""):  # type: ignore[attr-defined]
            body = response.content.decode(errors="replace")  # type: ignore[attr-defined]
            problems += [f"{url}: {p}" for p in inline_code(body)]
    return problems


@pytest.mark.django_db
def test_public_and_error_pages_carry_the_policy() -> None:
    client = RecordingClient(HTTP_HOST="127.0.0.1")
    for url in (
        "/accounts/login/",
        "/feedback/report/",
        "/open-data/",
        "/api/docs",
        "/no-such-page/",
        "/healthz",
    ):
        client.get(url)
    statuses = {url: response.status_code for url, response in client.answers}  # type: ignore[attr-defined]
    assert statuses["/no-such-page/"] == 404
    assert statuses["/accounts/login/"] == statuses["/api/docs"] == 200
    assert _check(client.answers) == []


@pytest.mark.django_db
def test_every_page_kind_carries_the_policy_and_runs_no_inline_code() -> None:
    call_command("load_demo", verbosity=0)
    call_command("load_projects_demo", count=12, verbosity=0)
    call_command("load_feedback_demo", count=10, verbosity=0)
    visited = 0
    problems: list[str] = []
    for username in ROLES:
        user = User.objects.get(username=username)
        client = signed_in_client(user)
        recording = RecordingClient(HTTP_HOST="127.0.0.1")
        recording.cookies = client.cookies
        crawl(recording, role=username, start=_menu_urls(user), usernames=set(), max_pages=60)
        visited += len(recording.answers)
        problems += [f"{username} {p}" for p in _check(recording.answers)]
    assert visited > 150
    assert sorted(set(problems)) == []


@pytest.mark.django_db
def test_the_sign_on_consent_page_may_post_to_a_client_but_runs_only_our_scripts(client) -> None:
    policy = directives(client.get("/o/authorize/")["Content-Security-Policy"])
    assert "form-action" not in policy
    assert policy["script-src"] == ["'self'"]
    assert directives(client.get("/accounts/login/")["Content-Security-Policy"])["form-action"] == ["'self'"]
