"""The data catalog's page on the analytics store: each mart's columns and the catalogued table and
field each one is read from (``codi.governance.lineage``). For holders of the governance view right."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from codi.governance.lineage import mart_lineage
from codi.identity.guards import need
from codi.identity.roles import Perm


@login_required
@require_GET
def mart_lineage_page(request: HttpRequest) -> HttpResponse:
    need(request, Perm.GOVERNANCE_VIEW)
    marts = [(m, _(m.title_en)) for m in mart_lineage()]
    return render(request, "governance/mart_lineage.html", {"marts": marts})
