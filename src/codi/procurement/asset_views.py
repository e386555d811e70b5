"""Asset pages beyond the register: one asset with its transfer history (transfer and dispose
forms), the import of an existing register (.xlsx/CSV, dry run first, errors by line/column), and
the phone scanner of an annual count (reads the QR label in the browser, records the asset)."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from codi.core.spreadsheet import xlsx_response
from codi.finance.ledger import FinanceError
from codi.identity.guards import need
from codi.identity.models import OrgUnit
from codi.identity.roles import Perm
from codi.identity.selectors import user_has_perm
from codi.procurement import assets, imports, selectors
from codi.procurement.citations import cite
from codi.procurement.models import Condition, DisposalMethod
from codi.procurement.views import _amount, _date, _int, _refused

# a label's QR holds the scan page's address (``views.asset_labels``); a bare code is accepted too
LABEL_URL = re.compile(r"/procurement/scan/([^/?#]{1,40})/?(?:[?#]|$)")


@login_required
@require_http_methods(["GET", "POST"])
def asset_detail(request: HttpRequest, code: str) -> HttpResponseBase:
    need(request, Perm.PROCUREMENT_VIEW)
    asset = selectors.asset_list(actor=request.user).filter(code=code[:40]).first()
    if asset is None:
        raise Http404
    if request.method == "POST":
        need(request, Perm.PROCUREMENT_MANAGE)
        post = request.POST
        try:
            if post.get("action") == "transfer":
                unit = OrgUnit.objects.filter(pk=_int(post.get("unit", "")) or 0).first()
                name = post.get("custodian", "").strip()[:150]
                custodian = (
                    get_user_model().objects.filter(username=name, is_active=True).first() if name else None
                )
                if name and custodian is None:
                    raise FinanceError("ไม่พบผู้ใช้ชื่อนี้", "No such user")
                assets.asset_transfer(
                    actor=request.user, asset=asset, to_unit=unit, to_custodian=custodian,
                    to_location=post.get("location", ""), reason=post.get("reason", ""),
                    transferred_on=_date(post["transferred_on"]) if post.get("transferred_on") else None,
                )  # fmt: skip
            elif post.get("action") == "dispose":
                assets.asset_dispose(
                    actor=request.user, asset=asset, method=post.get("method", ""),
                    disposed_on=_date(post.get("disposed_on", "")), reason=post.get("reason", ""),
                    proceeds=_amount(post.get("proceeds", "")),
                )  # fmt: skip
            else:
                raise FinanceError("คำสั่งไม่ถูกต้อง", "Unknown action")
            messages.success(request, _("Saved."))
        except FinanceError as exc:
            _refused(request, exc)
        return redirect("procurement:asset_detail", code=asset.code)
    return render(
        request,
        "procurement/asset_detail.html",
        {
            "asset": asset,
            "transfers": asset.transfers.select_related(
                "from_unit", "to_unit", "from_custodian", "to_custodian", "recorded_by"
            ),
            "units": OrgUnit.objects.all()[:500],
            "methods": DisposalMethod.choices,
            "can_manage": user_has_perm(request.user, Perm.PROCUREMENT_MANAGE),
            "citations": cite("custody", "disposal"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def asset_import(request: HttpRequest) -> HttpResponseBase:
    need(request, Perm.PROCUREMENT_MANAGE)
    if request.GET.get("template") == "xlsx":
        header, rows = imports.template_rows()
        return xlsx_response(filename="asset-register-template", sheets=[("ทะเบียนครุภัณฑ์", header, rows)])
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise imports.RegisterFileError("กรุณาเลือกไฟล์", "Choose a file")
            report = imports.assets_import(
                actor=request.user, content=upload.read(imports.MAX_BYTES + 1), filename=upload.name or "",
                dry_run=request.POST.get("dry_run") == "on",
            )  # fmt: skip
        except imports.RegisterFileError as exc:
            messages.error(request, exc.message_th if request.LANGUAGE_CODE == "th" else exc.message_en)
    return render(
        request,
        "procurement/asset_import.html",
        {"report": report, "columns": imports.TITLES.values(), "citations": cite("custody")},
    )


def label_code(text: str) -> str:
    """The asset code a scanned label carries: from the scan page's address, or the code itself."""
    text = text.strip()[:300]
    match = LABEL_URL.search(text)
    return match.group(1) if match else text[:40]


@login_required
@require_http_methods(["GET", "POST"])
def count_scanner(request: HttpRequest, count_id: int) -> HttpResponseBase:
    """The mobile count page: the phone photographs a QR label (or watches the live camera), the
    browser decodes it (jsQR, ``static/procurement/count_scan.js``) and the asset is recorded in
    this count with its condition and location. Another unit's asset, an unknown code or a closed
    count is refused by ``assets.count_scan`` with its reason; nothing is written."""
    need(request, Perm.PROCUREMENT_MANAGE)
    count = selectors.count_list(actor=request.user).filter(pk=count_id).first()
    if count is None:
        raise Http404
    if request.method == "POST":
        code = label_code(request.POST.get("code", ""))
        try:
            if not code:
                raise FinanceError("กรุณาสแกนป้ายหรือกรอกรหัสครุภัณฑ์", "Scan a label or type the asset code")
            line = assets.count_scan(
                actor=request.user, count=count, asset_code=code, condition=request.POST.get("condition", ""),
                location=request.POST.get("location", ""),
            )  # fmt: skip
            messages.success(request, _("Recorded in the count: %(code)s") % {"code": line.asset.code})
        except FinanceError as exc:
            _refused(request, exc)
        return redirect("procurement:count_scanner", count_id=count.pk)
    response = render(
        request,
        "procurement/count_scan.html",
        {
            "count": count,
            "conditions": Condition.choices,
            "recent": count.lines.select_related("asset").order_by("-scanned_at")[:20],
        },
    )
    # this page alone may use the camera (the site-wide policy denies it)
    response["Permissions-Policy"] = settings.PERMISSIONS_POLICY.replace("camera=()", "camera=(self)")
    return response
