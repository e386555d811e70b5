"""How fresh each mart is: the last refresh (time, rows, duration, what it did) and a state the page
shows as a Thai indicator: fresh (refreshed within ``FRESH_HOURS``), stale, or never built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from codi.core.marts import MartSource
from codi.insights.marts import store
from codi.insights.marts.labels import KINDS, MODES, title

FRESH_HOURS = 26  # a daily schedule with some slack
STATES: dict[str, Promise] = {
    "fresh": _("Up to date"),
    "stale": _("Older than a day"),
    "never": _("Not built yet"),
}


@dataclass(frozen=True)
class Freshness:
    name: str
    title: str
    kind: str
    app_label: str
    state: str
    refreshed_at: datetime | None
    rows: int
    duration_s: float
    mode: str
    scoped: bool  # rows filtered by the reader's provinces
    province_column: bool

    @property
    def state_label(self) -> str:
        return str(STATES[self.state])

    @property
    def mode_label(self) -> str:
        return str(MODES.get(self.mode, self.mode))

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))


def freshness(src: MartSource, *, now: datetime | None = None) -> Freshness:
    m = store.manifest(src.name)
    at = m.refreshed if m is not None else None
    now = now or timezone.now()
    if at is None:
        state = "never"
    elif now - at <= timedelta(hours=FRESH_HOURS):
        state = "fresh"
    else:
        state = "stale"
    has_province = "province" in {c.name for c in store.all_columns(src)}
    return Freshness(
        name=src.name,
        title=title(src.name, src.title_en),
        kind=src.kind,
        app_label=src.app_label,
        state=state,
        refreshed_at=at,
        rows=m.rows if m is not None else 0,
        duration_s=m.duration_s if m is not None else 0.0,
        mode=m.mode if m is not None else "",
        scoped=src.kind == "fact" and has_province,
        province_column=has_province,
    )


def all_freshness() -> list[Freshness]:
    return [freshness(s) for s in store.sources().values()]
