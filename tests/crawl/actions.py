"""Submitting the action forms of the back-office apps, once each, the way a person would.

The crawler walks a role's pages from its menu (bounded, a few of each kind), and on every page
reads the forms as served. Each form that sends to an app's action address (a voucher's action, a
ticket's status, a data-subject request's step, a loan's decision, a leave request's decision…) is
sent once per kind — its address shape and the action it carries — with the default choice and what
a person must type in its required fields. What comes back (the page it leads to, or the form shown
again with its message) is checked like every other page: no 5xx, no untranslated English, no raw
codes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

from django.test import Client

from tests.crawl.crawler import (
    ALLOWED_WORDS,
    SKIP,
    USERNAME_PAGES,
    Finding,
    Form,
    fill,
    page_findings,
    page_forms,
)

# The apps whose forms are sent. The projects' journey has its own walk (submit_journey_actions).
APPS = ("finance", "feedback", "privacy", "procurement", "people", "lending")
ACTION_FORM = re.compile(rf"^/({'|'.join(APPS)})/")
# Forms never sent: the public report form (anonymous, its own tests), and uploads of files a
# person brings (a bank statement, a spreadsheet of posts), which the default choice cannot make.
NEVER_SEND = re.compile(r"^/feedback/(report|import)/|^/finance/reconcile/")


@dataclass
class Sent:
    role: str
    key: str  # the form's kind: address shape and the action it carries
    url: str
    outcome: str  # done | refused | 5xx
    detail: str = ""


@dataclass
class ActionRun:
    role: str
    visited: list[str] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _path(href: str, base: str) -> str:
    link, _fragment = urldefrag(href)
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return ""
    path = parts.path or base
    if not path.startswith("/"):
        return ""
    return path + (f"?{parts.query}" if parts.query and "page=" not in parts.query else "")


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path.split("?")[0])


def form_key(form: Form, page: str) -> str:
    """One kind of action: where the form sends and which action or decision it carries."""
    action = _path(form.action, page).split("?")[0] or page
    what = form.fields.get("action") or form.fields.get("decision") or form.fields.get("to_status") or ""
    return f"{_shape(action)} {what}".strip()


def submit_action_forms(
    client: Client,
    *,
    role: str,
    start: list[str],
    usernames: set[str],
    max_pages: int = 80,
    per_shape: int = 3,
) -> ActionRun:
    """Walk from the menu, send every app action form once, and check every page seen."""
    run = ActionRun(role=role)
    queue = list(dict.fromkeys(start))
    seen = set(queue)
    shapes: dict[str, int] = defaultdict(int)
    tried: set[str] = set()

    def check(url: str, html: str) -> None:
        run.findings.extend(
            page_findings(
                url,
                html,
                usernames=usernames,
                allowed=ALLOWED_WORDS,
                show_usernames=USERNAME_PAGES.match(url) is not None,
            )
        )

    def enqueue(links: list[str], base: str) -> None:
        for href in links:
            path = _path(href, base)
            if not path or path in seen or SKIP.search(path):
                continue
            shape = _shape(path)
            if shapes[shape] >= per_shape:
                continue
            shapes[shape] += 1
            seen.add(path)
            queue.append(path)

    def send(url: str, html: str) -> None:
        """Send this page's app action forms not sent yet; check and follow what each leads to."""
        forms, links = page_forms(url, html)
        enqueue(links, url)
        for form in forms:
            target = _path(form.action, url).split("?")[0] or url.split("?")[0]
            if form.method != "post" or not ACTION_FORM.match(target) or NEVER_SEND.match(target):
                continue
            if form.has_file:
                continue
            key = form_key(form, url)
            if key in tried:
                continue
            tried.add(key)
            answer = client.post(target, fill(form))
            status = answer.status_code
            if status >= 500:
                run.sent.append(Sent(role, key, target, "5xx", str(status)))
                run.findings.append(Finding(target, "5xx", f"POST {key}: {status}"))
                continue
            if status in (301, 302, 303):
                landing = _path(answer["Location"], target)
                page = client.get(landing)
                if page.status_code >= 500:
                    run.sent.append(Sent(role, key, target, "5xx", f"then {landing} {page.status_code}"))
                    run.findings.append(Finding(landing, "5xx", f"after POST {key}"))
                    continue
                run.sent.append(Sent(role, key, target, "done", f"then {landing} {page.status_code}"))
                if page.status_code == 200 and "html" in page.get("Content-Type", ""):
                    landed = page.content.decode(errors="replace")
                    check(landing, landed)
                    send(landing, landed)  # the next step's form, now due
                continue
            body = answer.content.decode(errors="replace")
            if status == 200 and "html" in answer.get("Content-Type", ""):
                check(f"{target} (POST {key})", body)
            alert = re.search(r'class="[^"]*(?:error|alert)[^"]*"[^>]*>\s*([^<]{1,200})', body)
            note = alert.group(1).strip() if alert else answer.get("Content-Type", "")
            run.sent.append(
                Sent(
                    role,
                    key,
                    target,
                    "refused" if status >= 400 or "html" in note or alert else "done",
                    f"{status}: {note}",
                )
            )

    while queue and len(run.visited) < max_pages:
        url = queue.pop(0)
        response = client.get(url)
        run.visited.append(url)
        if response.status_code >= 500:
            run.findings.append(Finding(url, "5xx", str(response.status_code)))
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode(errors="replace")
        check(url, html)
        send(url, html)
    return run
