"""The contact form: consent, a honeypot and a rate limit; every message becomes a feedback ticket.

Complaints, questions and suggestions all reach the feedback app (``ticket_submit``), which
analyses, routes and answers them with its SLA; the website keeps no copy of the message.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from codi.feedback import services as feedback

if TYPE_CHECKING:
    from codi.website.models import ContactPage

log = logging.getLogger(__name__)

KINDS = [("complaint", "เรื่องร้องเรียน"), ("question", "สอบถาม"), ("suggestion", "ข้อเสนอแนะ")]


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label="ประเภทเรื่อง", choices=KINDS)
    message = forms.CharField(label="รายละเอียด", widget=forms.Textarea(attrs={"rows": 6}), max_length=4000,
                              min_length=10)  # fmt: skip
    name = forms.CharField(label="ชื่อ-นามสกุล (ไม่บังคับ)", max_length=200, required=False)
    email = forms.EmailField(label="อีเมล (ไม่บังคับ)", max_length=254, required=False)
    phone = forms.CharField(label="โทรศัพท์ (ไม่บังคับ)", max_length=30, required=False)
    consent = forms.BooleanField(
        label="ข้าพเจ้ายินยอมให้ พอช. ใช้ข้อมูลนี้เพื่อตอบเรื่องของข้าพเจ้าตามประกาศความเป็นส่วนตัว",
        required=True,
        error_messages={"required": "กรุณายินยอมตามประกาศความเป็นส่วนตัวก่อนส่งเรื่อง"},
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by form-filling robots.
    website = forms.CharField(required=False, label="เว็บไซต์ของท่าน")


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
    kind_label = dict(KINDS)[data["kind"]]
    result = feedback.ticket_submit(
        text=f"[{kind_label} จากเว็บไซต์] {data['message']}",
        channel="web",
        reporter_name=data.get("name", ""),
        reporter_email=data.get("email", ""),
        reporter_phone=data.get("phone", ""),
        has_consent=bool(data.get("consent")),
    )
    return feedback.tracking_path(result.token)


def serve(page: ContactPage, request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = page.get_context(request)
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.data.get("website"):
            # A robot filled the hidden field: thank it and drop the message.
            context.update(form=ContactForm(), sent=True, tracking="")
            return TemplateResponse(request, page.get_template(request), context)
        if over_limit(request):
            form.add_error(None, "ส่งเรื่องบ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่")
            status = 429
        elif form.is_valid():
            try:
                tracking = submit(form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
                status = 400
            else:
                context.update(form=ContactForm(), sent=True, tracking=tracking)
                return TemplateResponse(request, page.get_template(request), context)
        else:
            status = 400
    else:
        form = ContactForm()
    context["form"] = form
    return TemplateResponse(request, page.get_template(request), context, status=status)
