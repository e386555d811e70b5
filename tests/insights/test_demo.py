"""The insights demo loader, run after the demo accounts exist: its records work through the services."""

from __future__ import annotations

import pytest

from codi.core.audit import audit_record
from codi.identity.models import User
from codi.insights import demo, services
from codi.insights.eis import systems as eis_systems
from codi.insights.models import Incident, PlannedSystem, SatisfactionResponse, Stage
from codi.web.demo import demo_load

pytestmark = pytest.mark.django_db


def test_demo_loads_through_the_services_and_is_idempotent() -> None:
    demo_load()
    finance = User.objects.get(username="demo_finance")
    audit_record(actor=finance, action="finance.voucher.submit", object_type="finance.voucher", object_id=1)
    first = demo.load()
    assert first["answers"] >= 1 and first["incident"] is not None
    assert first["systems"] == len(eis_systems.PLAN) == PlannedSystem.objects.count()
    on_time = {s.code: s.on_time for s in PlannedSystem.objects.filter(plan_year=2568)}
    assert on_time == {"pms-area": True, "governance": True, "dts-1": False}
    assert SatisfactionResponse.objects.filter(module="finance").count() == 1
    second = demo.load()
    assert second["answers"] == 0 and second["incident"] == first["incident"] and second["systems"] == 0
    assert Incident.objects.filter(title=demo.DEMO_TITLE).count() == 1
    # The demo incident can be acted on: the admin moves it on.
    incident = Incident.objects.get(pk=first["incident"])
    assert incident.stage == Stage.TRIAGE
    moved = services.incident_advance(
        actor=User.objects.get(username="demo_admin"), incident=incident, note="ควบคุมแล้ว"
    )
    assert moved.stage == Stage.CONTAINMENT
