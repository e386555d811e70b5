"""The plan's systems and their go-live dates (the source of "systems delivered on time"): the list
for holders of the insights view right and the system administrators, and the edit page for the
system administrators (the security operations right, held country-wide)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from codi.core.thaidate import thai_date
from codi.insights.eis import scope as eis_scope
from codi.insights.eis import systems
from codi.insights.models import PlannedSystem
from codi.insights.selectors import can_operate


def _may_see(request: HttpRequest) -> bool:
    return eis_scope.scope_for(request.user) is not None or can_operate(request.user)


@login_required
def system_list(request: HttpRequest) -> HttpResponse:
    if not _may_see(request):
        raise PermissionDenied
    rows = [
        {
            "s": s,
            "planned": thai_date(s.planned_on),
            "delivered": thai_date(s.delivered_on) if s.delivered_on else "",
        }
        for s in systems.system_list()
    ]
    return render(request, "insights/eis_systems.html", {"rows": rows, "can_edit": can_operate(request.user)})


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@login_required
def system_edit(request: HttpRequest, system_id: int) -> HttpResponseBase:
    if not can_operate(request.user):
        raise PermissionDenied
    system = get_object_or_404(PlannedSystem, pk=system_id)
    errors: dict[str, str] = {}
    values = {"planned_on": system.planned_on.isoformat(),
              "delivered_on": system.delivered_on.isoformat() if system.delivered_on else "", "note": system.note}  # fmt: skip
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in ("planned_on", "delivered_on", "note")}
        planned, delivered = _date(values["planned_on"]), _date(values["delivered_on"])
        if values["delivered_on"] and delivered is None:
            errors["delivered_on"] = _("Enter a valid date.")
        if not errors:
            try:
                systems.system_update(actor=request.user, system=system, planned_on=planned,
                                      delivered_on=delivered, note=values["note"])  # fmt: skip
                return redirect("insights:eis_systems")
            except ValidationError as exc:
                errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
    return render(
        request, "insights/eis_system_edit.html", {"system": system, "values": values, "errors": errors}
    )
