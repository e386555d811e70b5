"""The plan's systems and "systems delivered on time": loaded from the plan, go-live dates recorded by
a system administrator (validated, audited), the KPI counted from them, and the pages refused to
people without the right."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from codi.core.models import AuditEntry
from codi.insights.eis import board as eis_board
from codi.insights.eis import systems
from codi.insights.eis.registry import kpi_get
from codi.insights.eis.scope import scope_for
from codi.insights.models import PlannedSystem
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db


def test_plan_load_records_and_the_kpi(matrix: Matrix) -> None:
    admin = matrix.user("system_admin", "country")
    assert systems.plan_load(actor=admin) == len(systems.PLAN) and systems.plan_load(actor=admin) == 0
    first = PlannedSystem.objects.filter(plan_year=2568).order_by("code")
    assert first.count() == 3 and all(s.planned_on == date(2025, 9, 30) for s in first)
    a, b, _late = first
    systems.system_update(actor=admin, system=a, planned_on=a.planned_on, delivered_on=date(2025, 9, 1))
    systems.system_update(
        actor=admin, system=b, planned_on=b.planned_on, delivered_on=date(2025, 12, 1), note="ช้า"
    )
    assert AuditEntry.objects.filter(action="insights.system.update").count() == 2

    kpi = kpi_get("systems_on_time")
    scope = scope_for(matrix.user("executive", "country"))
    assert kpi is not None and scope is not None
    view = eis_board.kpi_view(kpi, scope=scope, fiscal_year=2568, area="")
    # c is past its date and not delivered: late. One of three on time.
    assert (view.line.fact.numerator, view.line.fact.denominator) == (1, 3)
    assert view.line.status == "behind" and view.line.value is not None
    future = eis_board.kpi_view(kpi, scope=scope, fiscal_year=2570, area="")
    if timezone.localdate() < date(2027, 9, 30):
        assert future.line.status == "no_data" and future.line.reason  # nothing due yet: said, not zero
    assert eis_board.kpi_view(kpi, scope=scope, fiscal_year=2566, area="").line.status == "no_data"


def test_bad_dates_are_refused_and_only_admins_write(matrix: Matrix) -> None:
    admin = matrix.user("system_admin", "country")
    systems.plan_load(actor=admin)
    system = PlannedSystem.objects.get(code="gis")
    with pytest.raises(ValidationError) as caught:
        systems.system_update(actor=admin, system=system, planned_on=None,
                              delivered_on=timezone.localdate() + timedelta(days=1))  # fmt: skip
    assert set(caught.value.message_dict) == {"planned_on", "delivered_on"}
    with pytest.raises(PermissionDenied):
        systems.system_update(actor=matrix.user("executive", "country"), system=system,
                              planned_on=system.planned_on, delivered_on=None)  # fmt: skip

    client = signed_in_client(admin)
    url = f"/insights/eis/systems/{system.pk}/"
    page = client.post(url, {"planned_on": "2026-09-30", "delivered_on": "not a date", "note": "x"})
    assert page.status_code == 200 and page.context["errors"]["delivered_on"]
    assert b'value="not a date"' in page.content  # the input is kept beside the error
    done = client.post(url, {"planned_on": "2026-09-30", "delivered_on": "2026-08-01", "note": ""})
    assert done.status_code == 302
    system.refresh_from_db()
    assert system.delivered_on == date(2026, 8, 1) and system.on_time is True
    listing = client.get("/insights/eis/systems/")
    assert listing.status_code == 200 and url.encode() in listing.content


def test_pages_refused_outside_the_right(matrix: Matrix) -> None:
    admin = matrix.user("system_admin", "country")
    systems.plan_load(actor=admin)
    system = PlannedSystem.objects.first()
    assert system is not None
    outsider = signed_in_client(matrix.user("hr_officer", "country"))
    assert outsider.get("/insights/eis/systems/").status_code == 403
    assert outsider.get(f"/insights/eis/systems/{system.pk}/").status_code == 403
    executive = signed_in_client(matrix.user("executive", "region", "northeast"))
    assert executive.get("/insights/eis/systems/").status_code == 200  # may read the list
    assert executive.get(f"/insights/eis/systems/{system.pk}/").status_code == 403  # may not edit
    assert (
        executive.post(f"/insights/eis/systems/{system.pk}/", {"planned_on": "2026-01-01"}).status_code == 403
    )
