"""The data-subject kit: how an app tells privacy where a person's data lives and how it goes.

Each app that holds personal data keeps a ``privacy.py`` with a collector and registers it from
its ``AppConfig.ready`` (``register(MyCollector(), order=...)``), the way search sources and area
panels are registered. ``codi.privacy`` orchestrates access (``collect_all``) and erasure
(``erase_all``) requests over the registry and never writes another app's tables: each collector
anonymises its own rows.

A collector has ``name``, ``collect(subject)`` (read-only: ``{"app.Model": [rows]}``) and
``erase(subject, dry_run=...)`` (a list of ``Outcome``, applied unless ``dry_run``), and may have
``identify(subject)`` (add what identifies the person in its data: e-mails, LINE IDs, ticket ids,
spellings), ``retained_by(subject)`` (the retention rule that keeps the person's identity, or "")
and ``audit_entries(subject)`` (audit entries about its records that concern the person).

Collectors run in ``order`` for ``identify`` and ``collect`` and in reverse for ``erase``, so that
the person row (which the others match on, order 10) is anonymised last.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

ERASED_NAME = "(ลบข้อมูลแล้ว)"
MASK = "•••"

ERASE = "erase"
ANONYMISE = "anonymise"
KEEP = "keep"

# Retention rules a collector may cite (their legal text: ``codi.privacy.retention.LEGAL_RULES``).
RULE_AUDIT_LOG = "audit_log"
RULE_PROJECT_FINANCE = "project_finance"
RULE_CONSENT_EVIDENCE = "consent_evidence"
RULE_DSR_RECORD = "dsr_record"
RULE_BREACH_RECORD = "breach_record"
RULE_OFFICIAL_RECORD = "official_record"


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row(obj: Any, fields: Sequence[str]) -> dict[str, Any]:
    return {name: plain(getattr(obj, name)) for name in fields}


def phone_digits(raw: str) -> str:
    """A phone number as national digits (``+66 81-234 5678`` → ``0812345678``); "" when none."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    if digits.startswith("66") and len(digits) in (10, 11):
        digits = "0" + digits[2:]
    return digits


@dataclass
class Subject:
    """The person of a request (a ``communities.Person``) and what identifies them across apps."""

    person: Any
    national_id: str
    phone: str
    emails: set[str] = field(default_factory=set)
    line_ids: set[str] = field(default_factory=set)
    ticket_ids: set[int] = field(default_factory=set)
    # Other spellings of the person's values (e.g. the national ID written with dashes).
    aliases: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, person: Any) -> Subject:
        subject = cls(
            person=person, national_id=person.national_id or "", phone=phone_digits(person.phone or "")
        )
        for collector in registered():
            identify = getattr(collector, "identify", None)
            if identify is not None:
                identify(subject)
        return subject

    def needles(self) -> list[str]:
        """Values whose presence anywhere means the person's data is still there."""
        values = [self.national_id, self.phone, self.person.first_name_th, self.person.last_name_th]
        if self.person.address:
            values.append(self.person.address)
        values.extend(sorted(self.aliases))
        values.extend(sorted(self.emails))
        values.extend(sorted(self.line_ids))
        return [v for v in values if v and len(v) >= 4]

    def full_name(self) -> str:
        return f"{self.person.first_name_th} {self.person.last_name_th}".strip()

    def text_needles(self) -> list[str]:
        """What marks free text (a letter, a document's words) as about this person.

        The national ID in either spelling, the phone number, and the full name (first and last
        name together, so that a common first name alone does not match).
        """
        values = [self.national_id, *sorted(self.aliases)]
        if len(self.phone) >= 9:
            values.append(self.phone)
        if self.person.first_name_th and self.person.last_name_th:
            values.append(self.full_name())
        return [v for v in values if v and len(v) >= 4]


@dataclass(frozen=True)
class Outcome:
    """What an erasure does (or would do) to one record."""

    dataset: str
    record: str
    action: str  # erase | anonymise | keep
    fields: tuple[str, ...] = ()
    rule: str = ""  # the retention rule that keeps the record (KEEP only)
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["fields"] = list(self.fields)
        return data


class Collector(Protocol):
    name: str

    def collect(self, subject: Subject) -> dict[str, list[dict[str, Any]]]: ...

    def erase(self, subject: Subject, *, dry_run: bool) -> list[Outcome]: ...


_REGISTRY: dict[str, tuple[int, Collector]] = {}


def register(collector: Collector, *, order: int) -> None:
    """Add (or replace) an app's collector; called from the app's ``AppConfig.ready``."""
    _REGISTRY[collector.name] = (order, collector)


def registered() -> list[Collector]:
    return [c for _, c in sorted(_REGISTRY.values(), key=lambda item: (item[0], item[1].name))]


def collector(name: str) -> Collector:
    return _REGISTRY[name][1]


def retained_by(subject: Subject) -> str:
    """The first retention rule any app holds on the person's identity ("" when none)."""
    for c in registered():
        check = getattr(c, "retained_by", None)
        rule = check(subject) if check is not None else ""
        if rule:
            return str(rule)
    return ""


def audit_entries(subject: Subject) -> list[Any]:
    """Audit entries that concern the person, as each app finds them about its own records."""
    entries: dict[int, Any] = {}
    for c in registered():
        finder = getattr(c, "audit_entries", None)
        if finder is not None:
            entries |= {e.id: e for e in finder(subject)}
    return [entries[k] for k in sorted(entries)]


def values_of(changes: dict[str, Any]) -> Iterable[Any]:
    for value in changes.values():
        if isinstance(value, list):
            yield from value
        else:
            yield value


def raw_values_in(entry: Any, needles: Iterable[str]) -> list[str]:
    """Which of the person's raw values an audit entry holds (it should hold none: they are masked)."""

    blob = json.dumps(entry.changes, ensure_ascii=False)
    return [n for n in needles if n in blob]
