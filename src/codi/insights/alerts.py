"""Alert rules over the audit trail and the host, judged by the anomaly detector where a metric
has a usual level, and by CODI's stated policy where it has none (office hours, disk, task lag).

``alerts_evaluate`` is idempotent: an alert is keyed by rule, subject and window, so evaluating the
same hour again adds nothing. Each new alert is sent to every security operator (in-app and
e-mail) through the notification service.

Rules:
- ``failed_logins``: failed and locked-out sign-ins per hour. With two weeks of history the
  baseline is the same hour of the week (period 168); before that, the median of the previous
  24 hours (a young system has no weekly rhythm yet). Only rises alert.
- ``exports``: per user, data exports (audit actions containing ``export``) per day against that
  user's previous 14 days. Only rises alert.
- ``out_of_hours``: unmasked personal-data views outside 07:00–19:00 Bangkok time, at weekends or
  on public holidays (CODI's working-day calendar) — one alert per user per hour.
- ``task_lag``: the oldest background task ready to run has waited more than
  ``ALERT_TASK_LAG_SECONDS`` (900).
- ``disk``: free space of the data directory below ``ALERT_DISK_FREE_PERCENT`` (10 %).
- ``http_5xx``: the share of 5xx responses over the last ``ALERT_5XX_WINDOW_SECONDS`` above
  ``ALERT_5XX_PERCENT`` (``codi.insights.http_errors``).
"""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from codi.calendar.selectors import holiday_dates
from codi.core.audit import audit_record
from codi.core.models import AuditEntry
from codi.insights.anomaly import detect
from codi.insights.http_errors import http_5xx
from codi.insights.models import Alert, Rule, Severity
from codi.insights.selectors import operators
from codi.notifications.services import notification_send

BANGKOK = ZoneInfo("Asia/Bangkok")
FAILED_LOGIN_ACTIONS = ("identity.login_failed", "identity.login_locked", "identity.login_refused_locked")
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
WEEK_HOURS = 168
OFFICE_HOURS = (7, 19)
SEVERITY_TH = {"low": "ต่ำ", "medium": "ปานกลาง", "high": "สูง", "critical": "วิกฤต"}


def _floor_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _counts(times: list[datetime], start: datetime, buckets: int, width: timedelta) -> np.ndarray:
    series = np.zeros(buckets)
    for moment in times:
        index = int((moment - start) / width)
        if 0 <= index < buckets:
            series[index] += 1
    return series


def _failed_logins(now: datetime, lookback: int) -> list[dict[str, Any]]:
    end = _floor_hour(now) + HOUR  # the current (partial) hour is judged too
    first = (
        AuditEntry.objects.filter(action__in=FAILED_LOGIN_ACTIONS)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    oldest = AuditEntry.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if first is None or oldest is None:
        return []
    weekly = (end - oldest) >= timedelta(weeks=2)
    buckets = 6 * WEEK_HOURS if weekly else 48
    start = end - buckets * HOUR
    times = list(
        AuditEntry.objects.filter(action__in=FAILED_LOGIN_ACTIONS, created_at__gte=start).values_list(
            "created_at", flat=True
        )
    )
    series = _counts(times, start, buckets, HOUR)
    if weekly:
        result = detect(series, period=WEEK_HOURS, history=4, min_history=2)
    else:
        result = detect(series, period=1, history=24, min_history=1)
    found = []
    for anomaly in result.anomalies:
        if anomaly.index < buckets - lookback or anomaly.score <= 0:
            continue
        window = start + anomaly.index * HOUR
        found.append(
            {
                "rule": Rule.FAILED_LOGINS,
                "subject": "",
                "window_start": window,
                "window_end": window + HOUR,
                "value": anomaly.value,
                "baseline": anomaly.baseline,
                "severity": Severity.HIGH if anomaly.score > 3 * 4.5 else Severity.MEDIUM,
                "detail": {"score": round(anomaly.score, 2), "baseline_kind": "weekly" if weekly else "24h"},
            }
        )
    return found


def _exports(now: datetime) -> list[dict[str, Any]]:
    end = timezone.localtime(now, BANGKOK).replace(hour=0, minute=0, second=0, microsecond=0) + DAY
    start = end - 15 * DAY
    rows = AuditEntry.objects.filter(action__contains="export", created_at__gte=start).values_list(
        "actor_label", "created_at"
    )
    by_actor: dict[str, list[datetime]] = {}
    for actor, moment in rows:
        by_actor.setdefault(actor or "system", []).append(moment)
    found = []
    for actor, times in by_actor.items():
        series = _counts(times, start, 15, DAY)
        result = detect(series, period=1, history=14, min_history=3)
        last = [a for a in result.anomalies if a.index == 14 and a.score > 0]
        for anomaly in last:
            found.append(
                {
                    "rule": Rule.EXPORTS,
                    "subject": actor[:150],
                    "window_start": end - DAY,
                    "window_end": end,
                    "value": anomaly.value,
                    "baseline": anomaly.baseline,
                    "severity": Severity.MEDIUM,
                    "detail": {"score": round(anomaly.score, 2)},
                }
            )
    return found


def _out_of_hours(now: datetime, lookback: int) -> list[dict[str, Any]]:
    start = _floor_hour(now) - (lookback - 1) * HOUR
    holidays = set(holiday_dates())
    hits: Counter[tuple[str, datetime]] = Counter()
    for actor, moment in AuditEntry.objects.filter(
        action="personal_data.view", created_at__gte=start
    ).values_list("actor_label", "created_at"):
        local = timezone.localtime(moment, BANGKOK)
        off = (
            local.weekday() >= 5
            or local.date() in holidays
            or not OFFICE_HOURS[0] <= local.hour < OFFICE_HOURS[1]
        )
        if off:
            hits[(actor or "system", _floor_hour(moment))] += 1
    return [
        {
            "rule": Rule.OUT_OF_HOURS,
            "subject": actor[:150],
            "window_start": hour,
            "window_end": hour + HOUR,
            "value": float(count),
            "baseline": None,
            "severity": Severity.MEDIUM,
            "detail": {},
        }
        for (actor, hour), count in sorted(hits.items())
    ]


def _task_lag(now: datetime) -> list[dict[str, Any]]:
    limit = int(getattr(settings, "ALERT_TASK_LAG_SECONDS", 900))
    oldest = (
        DBTaskResult.objects.filter(status="READY", run_after__lte=now)
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    if oldest is None or (now - oldest).total_seconds() <= limit:
        return []
    hour = _floor_hour(now)
    return [
        {
            "rule": Rule.TASK_LAG,
            "subject": "tasks",
            "window_start": hour,
            "window_end": hour + HOUR,
            "value": round((now - oldest).total_seconds()),
            "baseline": float(limit),
            "severity": Severity.HIGH,
            "detail": {},
        }
    ]


def _disk(now: datetime) -> list[dict[str, Any]]:
    limit = float(getattr(settings, "ALERT_DISK_FREE_PERCENT", 10))
    usage = shutil.disk_usage(settings.VAR_DIR)
    free = 100.0 * usage.free / usage.total
    if free >= limit:
        return []
    hour = _floor_hour(now)
    return [
        {
            "rule": Rule.DISK,
            "subject": str(settings.VAR_DIR)[:150],
            "window_start": hour,
            "window_end": hour + HOUR,
            "value": round(free, 1),
            "baseline": limit,
            "severity": Severity.CRITICAL,
            "detail": {},
        }
    ]


def _notify(alert: Alert) -> None:
    label = alert.get_rule_display()
    window = (
        f"{timezone.localtime(alert.window_start, BANGKOK):%Y-%m-%d %H:%M}–"
        f"{timezone.localtime(alert.window_end, BANGKOK):%H:%M}"
    )
    detail_th = (
        f"{label}: ค่าที่พบ {alert.value:g}"
        + (f" (ระดับปกติ {alert.baseline:g})" if alert.baseline is not None else "")
        + (f" ผู้ใช้/ทรัพยากร {alert.subject}" if alert.subject else "")
    )
    detail_en = (
        f"{alert.rule}: value {alert.value:g}"
        + (f" (usual {alert.baseline:g})" if alert.baseline is not None else "")
        + (f" subject {alert.subject}" if alert.subject else "")
    )
    for user in operators():
        for channel in ("in_app", "email"):
            if channel == "email" and not user.email:
                continue
            notification_send(
                recipient_user=user,
                template_key="insights.alert",
                channel=channel,
                link="/insights/security/",
                context={
                    "title_th": str(label),
                    "title_en": alert.rule,
                    "detail_th": detail_th,
                    "detail_en": detail_en,
                    "severity": alert.severity,
                    "severity_th": SEVERITY_TH[alert.severity],
                    "window": window,
                },
            )


def alerts_evaluate(*, now: datetime | None = None, lookback_hours: int = 2) -> list[Alert]:
    """Run every rule; store and notify the alerts not raised before. Returns the new ones."""
    now = now or timezone.now()
    candidates = (
        _failed_logins(now, lookback_hours)
        + _exports(now)
        + _out_of_hours(now, lookback_hours)
        + _task_lag(now)
        + _disk(now)
        + http_5xx(now)
    )
    created: list[Alert] = []
    for fields in candidates:
        if Alert.objects.filter(
            rule=fields["rule"], subject=fields["subject"], window_start=fields["window_start"]
        ).exists():
            continue
        try:
            with transaction.atomic():
                alert = Alert.objects.create(**fields)
                audit_record(
                    actor=None,
                    action="insights.alert",
                    object_type="insights.alert",
                    object_id=alert.pk,
                    changes={"rule": alert.rule, "value": alert.value, "subject": alert.subject},
                )
                _notify(alert)
        except IntegrityError:  # raised by a concurrent evaluation a moment ago
            continue
        created.append(alert)
    return created
