"""The contact form: consent, a honeypot and a rate limit; every message becomes a feedback ticket.

Complaints, questions and suggestions all reach the feedback app (``ticket_submit``), which
analyses, routes and answers them with its SLA; the website keeps no copy of the message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from codi.feedback import services as feedback

if TYPE_CHECKING:
    from codi.website.models import ContactPage

log = logging.getLogger(__name__)

KINDS = [("complaint", _("A complaint")), ("question", _("A question")), ("suggestion", _("A suggestion"))]
RATE_LIMITED = _("You have sent several messages in a short time. Please wait a moment and try again.")


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is your message about?"),
        choices=KINDS,
        error_messages={"required": _("Please choose what your message is about."),
                        "invalid_choice": _("Please choose one of the kinds listed.")},
    )  # fmt: skip
    message = forms.CharField(
        label=_("Your message"),
        help_text=_("At least 10 characters. Please do not include other people's personal data."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        min_length=10,
        error_messages={"required": _("Please write your message."),
                        "min_length": _("Please write at least %(limit_value)d characters."),
                        "max_length": _("Please keep your message within %(limit_value)d characters.")},
    )  # fmt: skip
    name = forms.CharField(label=_("Full name (optional)"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Email (optional)"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Please enter an email address such as name@example.com.")},
    )
    phone = forms.CharField(label=_("Phone (optional)"), max_length=30, required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that CODI may use this information to answer my message, as the privacy notice says"
        ),
        required=True,
        error_messages={"required": _("Please agree to the privacy notice before sending your message.")},
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by form-filling robots.
    website = forms.CharField(required=False, label=_("Your website"))


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def over_limit(request: HttpRequest) -> bool:
    """Count this post against the client's window; True when the window is already full."""
    limit, window = getattr(settings, "WEBSITE_CONTACT_RATE", (5, 600))
    key = f"website:contact:{client_address(request)}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit


def submit(data: dict[str, Any]) -> str:
    """Send one message to the feedback app; return the tracking path for the sender."""
    with translation.override("th"):  # the ticket is read by CODI's staff: its prefix stays Thai
        prefix = f"[{dict(KINDS)[data['kind']]} จากเว็บไซต์]"
    result = feedback.ticket_submit(
        text=f"{prefix} {data['message']}",
        channel="web",
        reporter_name=data.get("name", ""),
        reporter_email=data.get("email", ""),
        reporter_phone=data.get("phone", ""),
        has_consent=bool(data.get("consent")),
    )
    return feedback.tracking_path(result.token)


@dataclass
class Outcome:
    """What one visit to a contact form came to: the form to show, its status, and whether it was sent."""

    form: ContactForm
    status: int = 200
    sent: bool = False
    tracking: str = ""


def handle(request: HttpRequest) -> Outcome:
    """The contact form's protections and its submission, shared by the contact page and the
    feedback block (``views.feedback_form``): honeypot, rate limit, consent, then a feedback ticket."""
    if request.method != "POST":
        return Outcome(form=ContactForm())
    form = ContactForm(request.POST)
    if form.data.get("website"):
        # A robot filled the hidden field: thank it and drop the message.
        return Outcome(form=ContactForm(), sent=True)
    if over_limit(request):
        form.add_error(None, RATE_LIMITED)
        return Outcome(form=form, status=429)
    if not form.is_valid():
        return Outcome(form=form, status=400)
    try:
        tracking = submit(form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, " ".join(exc.messages))
        return Outcome(form=form, status=400)
    return Outcome(form=ContactForm(), sent=True, tracking=tracking)


def serve(page: ContactPage, request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = page.get_context(request)
    outcome = handle(request)
    context.update(form=outcome.form, sent=outcome.sent, tracking=outcome.tracking)
    return TemplateResponse(request, page.get_template(request), context, status=outcome.status)
