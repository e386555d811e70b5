"""The in-app satisfaction survey (issue 24, item 3): 5 points and a comment per module.

Sampling: a person is asked about a module at most once per fiscal quarter, and only after they
completed a task in it — an audited write under the module's action prefix this quarter (the audit
trail already records every completed task, so no module needs a hook). A person may answer
anonymously: the answer then keeps no user, and the once-per-quarter rule is kept by a keyed hash
of (user, module, quarter) that cannot be turned back into the user.

Results: per module and quarter, the share satisfied (4–5) against the plan's 80 % target; the
comments go through the feedback app's Thai sentiment and topic models.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from codi.core.audit import audit_record
from codi.core.models import AuditEntry
from codi.core.thaidate import fiscal_year_be
from codi.insights.models import SatisfactionResponse

TARGET = 0.80
MAX_COMMENT = 1000


@dataclass(frozen=True)
class Module:
    code: str
    label: Any
    app_names: frozenset[str]
    action_prefixes: tuple[str, ...]


MODULES = {
    m.code: m
    for m in [
        Module("projects", _("Community projects (PMS)"), frozenset({"projects"}), ("projects.",)),
        Module("finance", _("Finance and accounting"), frozenset({"finance"}), ("finance.",)),
        Module("procurement", _("Procurement and assets"), frozenset({"procurement"}), ("procurement.",)),
        Module("people", _("HR and payroll"), frozenset({"people"}), ("people.",)),
        Module("lending", _("Community lending"), frozenset({"lending"}), ("lending.",)),
        Module("feedback", _("Community feedback"), frozenset({"feedback"}), ("feedback.",)),
        Module("documents", _("Documents"), frozenset({"documents"}), ("documents.",)),
        Module("correspondence", _("Correspondence"), frozenset({"correspondence"}), ("correspondence.",)),
        Module("communities", _("Community registry"), frozenset({"communities"}), ("communities.",)),
        Module("eaudit", _("e-Audit and risk"), frozenset({"eaudit"}), ("eaudit.", "audit.")),
        Module("gis", _("GIS and informal settlements"), frozenset({"gis"}), ("gis.",)),
    ]
}


def quarter_of(day: date) -> str:
    """Thai fiscal quarter: October–December is Q1 of the next B.E. fiscal year."""
    return f"{fiscal_year_be(day)}-Q{((day.month - 10) % 12) // 3 + 1}"


def _quarter_start(day: date) -> datetime:
    first_month = [10, 1, 4, 7][((day.month - 10) % 12) // 3]
    year = day.year - 1 if first_month == 10 and day.month < 10 else day.year
    return timezone.make_aware(datetime(year, first_month, 1))


def _key(user_id: int, module: str, quarter: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"satisfaction:{user_id}:{module}:{quarter}".encode(), hashlib.sha256).hexdigest()


def module_for_app(app_name: str) -> str:
    for module in MODULES.values():
        if app_name in module.app_names:
            return module.code
    return ""


def eligible(user: Any, module: str, *, today: date | None = None) -> bool:
    """Whether to ask: a task completed in the module this quarter, and no answer yet."""
    if not getattr(user, "is_authenticated", False) or module not in MODULES:
        return False
    today = today or timezone.localdate()
    quarter = quarter_of(today)
    if SatisfactionResponse.objects.filter(respondent_key=_key(user.pk, module, quarter)).exists():
        return False
    prefixes = Q()
    for prefix in MODULES[module].action_prefixes:
        prefixes |= Q(action__startswith=prefix)
    return AuditEntry.objects.filter(
        prefixes, actor_id=user.pk, created_at__gte=_quarter_start(today)
    ).exists()


def satisfaction_record(
    *,
    actor: Any,
    module: str,
    score: Any,
    comment: str = "",
    anonymous: bool = False,
    today: date | None = None,
) -> SatisfactionResponse:
    errors: dict[str, str] = {}
    if module not in MODULES:
        errors["module"] = "ไม่รู้จักระบบนี้ / Unknown module"
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        errors["score"] = "เลือกคะแนน 1 ถึง 5 / Choose a score from 1 to 5"
    if len(comment) > MAX_COMMENT:
        errors["comment"] = f"ความเห็นยาวได้ไม่เกิน {MAX_COMMENT} ตัวอักษร / At most {MAX_COMMENT} characters"
    if errors:
        raise ValidationError(errors)
    if not eligible(actor, module, today=today):
        raise ValidationError(
            {"module": "ตอบแบบสอบถามของระบบนี้ได้ไตรมาสละครั้ง หลังจากใช้งานเสร็จ / "
                       "The survey is answered once a quarter, after a completed task"}
        )  # fmt: skip
    today = today or timezone.localdate()
    quarter = quarter_of(today)
    sentiment = topic = ""
    if comment.strip():
        from codi.feedback.nlp import analyse_many  # heavy: the Thai models load only for a comment

        analysis = analyse_many([comment.strip()])[0]
        sentiment, topic = analysis.sentiment, analysis.topic
    try:
        with transaction.atomic():
            answer = SatisfactionResponse.objects.create(
                module=module, quarter=quarter, score=value, comment=comment.strip(), anonymous=anonymous,
                user=None if anonymous else actor, respondent_key=_key(actor.pk, module, quarter),
                sentiment=sentiment, topic=topic,
            )  # fmt: skip
            audit_record(
                actor=None if anonymous else actor, action="insights.satisfaction.answer",
                object_type="insights.satisfaction", object_id=answer.pk,
                changes={"module": module, "quarter": quarter, "score": value, "anonymous": anonymous},
            )  # fmt: skip
    except IntegrityError as exc:  # a double click: the first answer counts
        raise ValidationError({"module": "บันทึกคำตอบไว้แล้ว / Already answered"}) from exc
    return answer


def results(*, quarter: str = "") -> list[dict[str, Any]]:
    """Per module and quarter: answers, mean, share satisfied (4–5) against the 80 % target,
    and the comments' sentiment counts."""
    rows = SatisfactionResponse.objects.all()
    if quarter:
        rows = rows.filter(quarter=quarter)
    grouped = (
        rows.values("module", "quarter")
        .annotate(
            n=Count("id"), mean=Avg("score"), satisfied=Count("id", filter=Q(score__gte=4)),
            negative=Count("id", filter=Q(sentiment="neg")), positive=Count("id", filter=Q(sentiment="pos")),
            comments=Count("id", filter=~Q(comment="")),
        )
        .order_by("-quarter", "module")
    )  # fmt: skip
    out = []
    for row in grouped:
        share = row["satisfied"] / row["n"]
        module = MODULES.get(row["module"])
        out.append(
            {
                **row, "label": module.label if module else row["module"], "share": share,
                "met": share >= TARGET, "mean": round(float(row["mean"]), 2),
            }
        )  # fmt: skip
    return out


def quarters() -> list[str]:
    return list(
        SatisfactionResponse.objects.values_list("quarter", flat=True).distinct().order_by("-quarter")
    )
