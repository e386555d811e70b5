"""HR e-mails an approved run's payslips and follows the progress (``codi.people.payslip_mail``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from codi.identity.roles import Perm
from codi.people import payslip_mail, selectors
from codi.people.models import MailingStatus, PayrollStatus, PayslipMailing
from codi.people.payslips import THAI_MONTHS


@login_required
@require_http_methods(["GET", "POST"])
def run_mailing(request: HttpRequest, run_id: int) -> HttpResponseBase:
    if selectors.hr_unit_scope(request.user, Perm.PEOPLE_MANAGE) is not None:  # organisation-wide HR only
        raise PermissionDenied
    run = selectors.payroll_run_get(actor=request.user, run_id=run_id)
    if run is None:
        raise Http404
    if request.method == "POST":
        try:
            payslip_mail.mailing_start(actor=request.user, run=run)
        except ValidationError as exc:
            th = getattr(exc, "message_th", "; ".join(exc.messages))
            messages.error(request, th if request.LANGUAGE_CODE == "th" else getattr(exc, "message_en", th))
        else:
            messages.success(request, _("The payslips are being e-mailed."))
        return redirect("people:run_mailing", run_id=run.pk)
    mailing = PayslipMailing.objects.filter(run=run).first()
    response: HttpResponse = render(
        request,
        "people/run_mailing.html",
        {
            "run": run,
            "month_name": THAI_MONTHS[run.month],
            "mailing": mailing,
            "progress": payslip_mail.mailing_progress(mailing) if mailing else None,
            "can_start": run.status == PayrollStatus.APPROVED
            and (mailing is None or mailing.status != MailingStatus.DONE),
            "refresh": mailing is not None and mailing.status != MailingStatus.DONE,
        },
    )
    return response
