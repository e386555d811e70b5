"""Demo state for insights, made through the real services (idempotent):

- satisfaction answers from the demo staff who completed a task in a module this quarter
  (after the other demo loaders have run), so the results page has figures;
- one demo incident opened by ``demo_admin`` and moved to triage;
- the alert rules evaluated once over the demo audit trail;
- the digital plan's systems (chapter 3) with go-live dates for fiscal 2568 (two on time, one late).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from codi.core.models import AuditEntry
from codi.identity.models import User
from codi.insights import satisfaction as survey
from codi.insights import services
from codi.insights.alerts import alerts_evaluate
from codi.insights.eis import systems as eis_systems
from codi.insights.models import Incident, PlannedSystem

DEMO_TITLE = "[ตัวอย่าง] ลองรหัสผ่านบัญชีผู้ใช้จากหลายที่อยู่"
# (score, comment) by turn: most satisfied, some not, comments in Thai.
ANSWERS = [
    (5, "ใช้งานง่าย ค้นหาข้อมูลได้เร็ว"),
    (4, ""),
    (4, "ดีขึ้นกว่าการใช้ไฟล์ Excel มาก"),
    (2, "หน้าจอช้าในช่วงสิ้นเดือน อยากให้ปรับปรุง"),
    (5, ""),
]


def load() -> dict[str, Any]:
    answered = 0
    users = User.objects.filter(username__startswith="demo_", is_active=True).order_by("username")
    turn = 0
    for user in users:
        for code, module in survey.MODULES.items():
            prefixes = Q()
            for prefix in module.action_prefixes:
                prefixes |= Q(action__startswith=prefix)
            if not AuditEntry.objects.filter(prefixes, actor_id=user.pk).exists() or not survey.eligible(
                user, code
            ):
                continue
            score, comment = ANSWERS[turn % len(ANSWERS)]
            turn += 1
            survey.satisfaction_record(
                actor=user, module=code, score=score, comment=comment, anonymous=turn % 3 == 0
            )
            answered += 1
    admin = User.objects.filter(username="demo_admin").first()
    incident = Incident.objects.filter(title=DEMO_TITLE).first()
    if admin is not None and incident is None:
        incident = services.incident_open(
            actor=admin, title=DEMO_TITLE, severity="medium",
            description="[ข้อมูลตัวอย่าง] การแจ้งเตือนพบการลงชื่อเข้าใช้ไม่สำเร็จจำนวนมากจากหลายที่อยู่ในชั่วโมงเดียว",
        )  # fmt: skip
        services.incident_advance(
            actor=admin, incident=incident, note="[ตัวอย่าง] ตรวจที่อยู่ต้นทางแล้ว ไม่พบการเข้าใช้สำเร็จ"
        )
    alerts = alerts_evaluate()
    systems_created = _systems(admin) if admin is not None else 0
    return {"answers": answered, "incident": incident.pk if incident else None, "alerts": len(alerts),
            "systems": systems_created}  # fmt: skip


# Go-live dates of the plan's fiscal-2568 systems as the demo records them: two on time, one late.
DELIVERED = {
    "pms-area": (date(2025, 9, 15), ""),
    "governance": (date(2025, 9, 30), ""),
    "dts-1": (date(2025, 11, 20), "[ตัวอย่าง] ย้ายเครื่องแม่ข่ายล่าช้า"),
}


def _systems(admin: User) -> int:
    """The plan's systems with the demo's go-live dates (only those not recorded yet)."""
    created = eis_systems.plan_load(actor=admin)
    for code, (delivered, note) in DELIVERED.items():
        system = PlannedSystem.objects.get(code=code)
        if system.delivered_on is None and delivered <= timezone.localdate():
            eis_systems.system_update(actor=admin, system=system, planned_on=system.planned_on,
                                      delivered_on=delivered, note=note)  # fmt: skip
    return created
