"""The contact form: consent, honeypot, rate limit, escaping; a message becomes a feedback ticket."""

from __future__ import annotations

import pytest
from django.test import Client

from codi.feedback.models import Ticket
from codi.website.models import ContactPage

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, **data: str):
    form = {"kind": "complaint", "message": "ถนนในชุมชนชำรุดมานานหลายเดือน ขอให้ช่วยประสานงาน", "consent": "on"}
    form.update(data)
    return client.post(url, form)


def test_a_complaint_becomes_a_feedback_ticket_with_a_tracking_link(site):
    url = ContactPage.objects.get(locale__language_code="th").url
    response = _post(Client(HTTP_HOST="localhost"), url, name="สมชาย ใจดี", phone="0812345678")
    html = response.content.decode()
    assert response.status_code == 200 and "ได้รับเรื่องของท่านแล้ว" in html and "/feedback/t/" in html
    ticket = Ticket.objects.get(text__contains="ถนนในชุมชนชำรุด")
    assert ticket.channel == "web" and ticket.reporter_name == "สมชาย ใจดี"
    assert ticket.text.startswith("[เรื่องร้องเรียน จากเว็บไซต์]")


def test_without_consent_nothing_is_sent(site):
    url = ContactPage.objects.get(locale__language_code="th").url
    response = _post(Client(HTTP_HOST="localhost"), url, consent="")
    assert response.status_code == 400 and "กรุณายินยอม" in response.content.decode()
    assert not Ticket.objects.exists()


def test_honeypot_drops_the_message_quietly(site):
    url = ContactPage.objects.get(locale__language_code="th").url
    response = _post(Client(HTTP_HOST="localhost"), url, website="http://spam.example")
    assert response.status_code == 200 and "ได้รับเรื่องของท่านแล้ว" in response.content.decode()
    assert not Ticket.objects.exists()


def test_script_is_escaped_when_the_form_is_shown_again(site):
    url = ContactPage.objects.get(locale__language_code="th").url
    response = _post(Client(HTTP_HOST="localhost"), url, message="<script>alert(1)</script>", consent="")
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_rate_limit_refuses_the_sixth_post_in_the_window(site, settings):
    settings.WEBSITE_CONTACT_RATE = (2, 600)
    url = ContactPage.objects.get(locale__language_code="th").url
    client = Client(HTTP_HOST="localhost")
    assert _post(client, url, message="ข้อความที่หนึ่ง ขอสอบถามเรื่องโครงการ").status_code == 200
    assert _post(client, url, message="ข้อความที่สอง ขอสอบถามเรื่องโครงการ").status_code == 200
    third = _post(client, url, message="ข้อความที่สาม ขอสอบถามเรื่องโครงการ")
    assert third.status_code == 429 and "ส่งเรื่องบ่อยเกินไป" in third.content.decode()
    assert Ticket.objects.count() == 2


def test_the_form_page_has_labels_for_every_field(site):
    html = (
        Client(HTTP_HOST="localhost")
        .get(ContactPage.objects.get(locale__language_code="th").url)
        .content.decode()
    )
    for name in ("kind", "message", "name", "email", "phone", "consent"):
        assert f'for="id_{name}"' in html
