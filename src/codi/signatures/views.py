"""Pages of the PKI: my certificates, the administrator's list, PDF verification, and the public
objects validators fetch (CA certificates, CRLs, the timestamp authority)."""

from __future__ import annotations

import io
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from ninja.errors import HttpError

from codi.api.kit import RateLimitedError, api_key_auth
from codi.core.problems import problem
from codi.identity.models import User
from codi.signatures import pki, selectors, services
from codi.signatures.forms import AdminIssueForm, CertificateRequestForm, RevokeForm, VerifyForm
from codi.signatures.models import AuthorityKind, CertificateStatus, RevocationReason

PAGE_SIZE = 50
_TSA_MAX_REQUEST = 4096


def _me(request: HttpRequest) -> User:
    """The signed-in user (every page that calls this is behind login_required)."""
    return cast(User, request.user)


def _is_verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


def _refusal_message(exc: services.PkiError | services.PdfRejectedError) -> str:
    return exc.thai if (get_language() or "th").startswith("th") else exc.english


@login_required
@require_GET
def my_certificates(request: HttpRequest) -> HttpResponse:
    if not selectors.can_sign(request.user) and not selectors.can_manage(request.user):
        raise PermissionDenied
    certificates = selectors.certificate_list(actor=request.user).filter(user=_me(request))[:20]
    return render(
        request,
        "signatures/my_certificates.html",
        {
            "certificates": certificates,
            "active": selectors.certificate_active_for(user=request.user),
            "form": CertificateRequestForm(initial={"position": getattr(request.user, "position", "")}),
            "revoke_form": RevokeForm(),
            "is_verified": _is_verified(request),
            "can_manage": selectors.can_manage(request.user),
            "pki_ready": selectors.authority_active(kind=AuthorityKind.ISSUING) is not None,
        },
    )


@login_required
@require_POST
def certificate_request(request: HttpRequest) -> HttpResponse:
    if not selectors.can_sign(request.user):
        raise PermissionDenied
    form = CertificateRequestForm(request.POST)
    if form.is_valid():
        user = _me(request)
        try:
            certificate = services.certificate_issue(
                actor=user,
                user=user,
                position=form.cleaned_data["position"],
                second_factor_verified=_is_verified(request),
            )
        except services.PkiError as exc:
            messages.error(request, _refusal_message(exc))
        else:
            messages.success(
                request,
                _("Your signing certificate %(serial)s is issued.") % {"serial": certificate.serial_number},
            )
    return redirect("signatures:my_certificates")


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = selectors.certificate_get(actor=request.user, certificate_id=certificate_id)
    if certificate is None:
        raise Http404
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else RevocationReason.UNSPECIFIED
    try:
        services.certificate_revoke(actor=_me(request), certificate=certificate, reason=reason)
    except services.PkiError as exc:
        messages.error(request, _refusal_message(exc))
    else:
        messages.success(request, _("The certificate is revoked; the CRL is updated."))
    if request.POST.get("next") == "admin" and selectors.can_manage(request.user):
        return redirect("signatures:admin_certificates")
    return redirect("signatures:my_certificates")


@login_required
@require_GET
def certificate_download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = selectors.certificate_get(actor=request.user, certificate_id=certificate_id)
    if certificate is None:
        raise Http404
    response = HttpResponse(certificate.certificate_pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = f'attachment; filename="codi-{certificate.serial_number[:16]}.pem"'
    return response


@login_required
@require_GET
def admin_certificates(request: HttpRequest) -> HttpResponse:
    if not selectors.can_manage(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    search = request.GET.get("q", "").strip()[:100]
    certificates = selectors.certificate_list(actor=request.user, status=status, search=search)
    if request.GET.get("format") == "xlsx":
        return _export_xlsx(certificates)
    page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "signatures/admin_certificates.html",
        {
            "page": page,
            "status": status,
            "search": search,
            "statuses": CertificateStatus.choices,
            "issue_form": AdminIssueForm(),
            "revoke_form": RevokeForm(),
            "query": request.GET.urlencode(),
        },
    )


def _export_xlsx(certificates: Any) -> HttpResponse:
    # heavy: openpyxl is loaded only when a workbook is written
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("certificates")
    sheet.append(
        [
            "serial_number",
            "username",
            "name",
            "position",
            "status",
            "not_before",
            "not_after",
            "revoked_at",
            "reason",
        ]
    )
    for c in certificates.iterator():
        sheet.append(
            [
                c.serial_number,
                c.user.username,
                c.subject_name,
                c.position,
                c.status,
                c.not_before.replace(tzinfo=None),
                c.not_after.replace(tzinfo=None),
                c.revoked_at.replace(tzinfo=None) if c.revoked_at else None,
                c.revocation_reason,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="signing-certificates.xlsx"'
    return response


@login_required
@require_POST
def admin_issue(request: HttpRequest) -> HttpResponse:
    if not selectors.can_manage(request.user):
        raise PermissionDenied
    form = AdminIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a username."))
        return redirect("signatures:admin_certificates")
    user = User.objects.filter(username=form.cleaned_data["username"], is_active=True).first()
    if user is None:
        messages.error(request, _("No active user has that username."))
        return redirect("signatures:admin_certificates")
    try:
        certificate = services.certificate_issue(
            actor=_me(request),
            user=user,
            position=form.cleaned_data["position"],
            second_factor_verified=_is_verified(request),
        )
    except services.PkiError as exc:
        messages.error(request, _refusal_message(exc))
    else:
        messages.success(
            request,
            _("Certificate %(serial)s issued to %(name)s.")
            % {"serial": certificate.serial_number, "name": certificate.subject_name},
        )
    return redirect("signatures:admin_certificates")


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None, request.FILES or None)
    report = None
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            report = services.pdf_verify(pdf=form.cleaned_data["file"], actor=_me(request))
        except (services.PdfRejectedError, services.PkiError) as exc:
            error = _refusal_message(exc)
    status = 422 if error else 200
    return render(
        request, "signatures/verify.html", {"form": form, "report": report, "error": error}, status=status
    )


# Public objects: validators outside the platform fetch these without signing in.


def _authority_der(kind: str) -> bytes:
    authority = selectors.authority_active(kind=kind)
    if authority is None:
        raise Http404
    return pki.cert_der(pki.load_pem(authority.certificate_pem))


@require_GET
def root_crt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_authority_der(AuthorityKind.ROOT), content_type="application/pkix-cert")


@require_GET
def root_pem(request: HttpRequest) -> HttpResponse:
    authority = selectors.authority_active(kind=AuthorityKind.ROOT)
    if authority is None:
        raise Http404
    return HttpResponse(authority.certificate_pem, content_type="application/x-pem-file")


@require_GET
def issuing_crt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_authority_der(AuthorityKind.ISSUING), content_type="application/pkix-cert")


@require_GET
def tsa_crt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_authority_der(AuthorityKind.TSA), content_type="application/pkix-cert")


def _crl(kind: str) -> HttpResponse:
    if selectors.authority_active(kind=kind) is None:
        raise Http404
    response = HttpResponse(services.crl_current(kind=kind), content_type="application/pkix-crl")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def root_crl(request: HttpRequest) -> HttpResponse:
    return _crl(AuthorityKind.ROOT)


@require_GET
def issuing_crl(request: HttpRequest) -> HttpResponse:
    return _crl(AuthorityKind.ISSUING)


@csrf_exempt  # an RFC 3161 client authenticates with X-API-Key, never with a browser session
@require_POST
def tsa(request: HttpRequest) -> HttpResponse:
    try:
        user = api_key_auth.authenticate(request, request.headers.get("X-API-Key"))
    except RateLimitedError as exc:
        return problem(429, headers={"Retry-After": str(exc.retry_after)})
    except HttpError as exc:
        return problem(exc.status_code)
    if user is None:
        return problem(
            401,
            detail_th="ส่ง API key ที่ใช้งานได้ในส่วนหัว X-API-Key",
            detail_en="Send a valid, unrevoked API key in the X-API-Key header",
            headers={"WWW-Authenticate": 'ApiKey header="X-API-Key"'},
        )
    if request.content_type != "application/timestamp-query":
        return problem(
            415,
            detail_th="ต้องส่งเป็น application/timestamp-query",
            detail_en="Send an RFC 3161 request as application/timestamp-query",
        )
    if len(request.body) > _TSA_MAX_REQUEST:
        return problem(413)
    if selectors.authority_active(kind=AuthorityKind.TSA) is None:
        raise Http404
    reply = services.timestamp_issue(actor=user, request_der=request.body)
    return HttpResponse(reply, content_type="application/timestamp-reply")
