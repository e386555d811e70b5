"""The community-strength block on subdistrict pages: the subdistrict's index and the scores of
the organizations there that the user may see, each linking to its parts."""

from __future__ import annotations

from typing import Any

from codi.areas.registry import AreaRef, Panel, register_panel
from codi.communities.selectors import organization_list
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.scoring import selectors
from codi.scoring.models import Level

MAX_ORGS = 10


def _panel_context(user: Any, area: AreaRef) -> dict[str, Any]:
    # Subdistrict pages only: the organizations are listed where they are; province and district
    # pages keep their query budget (tests/areas/test_pages.py).
    if area.level != "subdistrict" or not user_has_perm(user, Perm.ORGS_VIEW):
        return {"scoring": None}
    area_score = selectors.subdistrict_score(code=area.code)
    run = selectors.latest_run(level=Level.ORGANIZATION)
    rows: list[tuple[Any, float | None]] = []
    if run is not None:
        orgs = list(organization_list(actor=user, area_code=area.code)[:500])
        scores = dict(
            run.scores.filter(entity__in=[str(o.pk) for o in orgs], score__isnull=False).values_list(
                "entity", "score"
            )
        )
        ranked = sorted((o for o in orgs if str(o.pk) in scores), key=lambda o: -(scores[str(o.pk)] or 0))
        rows = [(o, scores[str(o.pk)]) for o in ranked[:MAX_ORGS]]
    return {"scoring": {"area": area_score, "rows": rows, "period": run.period if run else None}}


def register() -> None:
    register_panel(
        Panel(
            key="scoring",
            title="ดัชนีความเข้มแข็งของชุมชน",
            template="scoring/area_panel.html",
            context=_panel_context,
            order=85,
        )
    )
