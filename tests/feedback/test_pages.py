"""Pages and API: permission matrix per endpoint, the public form's defences, the LINE webhook,
and the rule that personal data in a report never reaches a public page."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from stdnum.th import pin

from codi.feedback import services
from codi.feedback.connectors import line_signature
from codi.feedback.models import IntakeChannel, Status, Ticket
from tests.permissions import Matrix

pytestmark = pytest.mark.django_db
NID = "110170012345" + pin.calc_check_digit("110170012345")
SECRET = "line-channel-secret-for-tests"


def _ticket(text: str = "ถนนพังเป็นหลุมใหญ่หน้าโรงเรียน", code: str = "400104", **kwargs) -> tuple[Ticket, str]:
    submission = services.ticket_submit(
        text=text, channel=IntakeChannel.WEB, subdistrict_code=code, has_consent=True, **kwargs
    )
    return submission.ticket, submission.token


def _form(**overrides) -> dict[str, str]:
    return {
        "text": "น้ำประปาไม่ไหลมาสามวันแล้ว",
        "subdistrict_code": "400104",
        "postal_code": "",
        "category": "",
        "reporter_name": "",
        "reporter_email": "",
        "reporter_phone": "",
        "consent": "on",
        "website": "",
        **overrides,
    }


# --- the public form -----------------------------------------------------------------------------


def test_public_form_needs_no_account_and_gives_a_reference_and_secret_link(officer):
    client = Client()
    assert client.get("/feedback/report/").status_code == 200

    response = client.post("/feedback/report/", _form())

    ticket = Ticket.objects.get()
    body = response.content.decode()
    assert response.status_code == 200
    assert ticket.reference in body
    assert "/feedback/t/" in body
    assert ticket.assigned_to == officer


def test_consent_is_required():
    response = Client().post("/feedback/report/", _form(consent=""))
    assert response.status_code == 400
    assert Ticket.objects.count() == 0


def test_honeypot_drops_the_submission_quietly():
    response = Client().post("/feedback/report/", _form(website="http://spam.example"))
    assert response.status_code == 200
    assert Ticket.objects.count() == 0


def test_a_flood_from_one_address_is_rate_limited(settings):
    settings.FEEDBACK_SUBMISSIONS_PER_HOUR = 3
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        client.post("/feedback/report/", _form(text=f"ปัญหาที่ {i} ถนนพัง")).status_code for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    assert Ticket.objects.count() == 3
    assert Client(REMOTE_ADDR="203.0.113.10").post("/feedback/report/", _form()).status_code == 200


def test_overlong_text_gets_a_clear_error():
    response = Client().post("/feedback/report/", _form(text="ก" * 20000))
    assert response.status_code == 400
    assert Ticket.objects.count() == 0


def test_personal_data_never_appears_on_the_public_page(officer):
    text = f"ชื่อสมชาย บัตร {NID} โทร 081-234-5678 อีเมล somchai@example.org ถนนพัง <b>หนัก</b>"
    ticket, token = _ticket(
        text=text,
        reporter_name="สมชาย ใจดี",
        reporter_email="somchai@example.org",
        reporter_phone="0812345678",
    )
    services.ticket_transition(
        actor=officer, ticket_id=ticket.pk, to_status=Status.TRIAGED, note="โทรกลับ 081-234-5678 แล้ว"
    )

    body = Client().get(f"/feedback/t/{token}/").content.decode()

    for secret in (NID, "081-234-5678", "0812345678", "somchai@example.org", "สมชาย ใจดี", "<b>"):
        assert secret not in body
    assert "[เลขบัตรประชาชน]" in body and "[เบอร์โทรศัพท์]" in body and "&lt;b&gt;" in body
    assert ticket.reference in body


def test_a_wrong_secret_link_is_not_found(officer):
    _ticket()
    assert Client().get("/feedback/t/not-a-real-token/").status_code == 404


# --- staff pages: permission matrix ----------------------------------------------------------------


def test_list_page_matrix(matrix: Matrix):
    ticket, _ = _ticket()
    matrix.check(
        lambda c: c.get("/feedback/"),
        allowed=matrix.user("project_officer", "province", "40"),
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: r.status_code == 200 and ticket.reference in r.content.decode(),
        refused=lambda r: r.status_code in {403, 404} or ticket.reference not in r.content.decode(),
        anonymous_refused=lambda r: r.status_code == 302,
    )


def test_list_filters_by_status_and_area(officer):
    ticket, _ = _ticket()
    client = Client()
    from tests.permissions import signed_in_client

    client = signed_in_client(officer)
    assert ticket.reference in client.get("/feedback/?status=new&area=4001").content.decode()
    assert ticket.reference not in client.get("/feedback/?status=closed").content.decode()
    assert ticket.reference not in client.get("/feedback/?area=4002").content.decode()


def test_detail_page_matrix(matrix: Matrix):
    ticket, _ = _ticket()
    matrix.check(
        lambda c: c.get(f"/feedback/{ticket.pk}/"),
        allowed=matrix.user("regional_director", "region", "northeast"),
        wrong_role=matrix.user("knowledge_officer", "country"),
        out_of_scope=matrix.user("regional_director", "region", "south"),
        anonymous_refused=lambda r: r.status_code == 302,
    )


def test_transition_matrix(matrix: Matrix):
    ticket, _ = _ticket()
    matrix.check(
        lambda c: c.post(f"/feedback/{ticket.pk}/transition/", {"to_status": "triaged"}),
        allowed=matrix.user("project_officer", "district", "4001"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=matrix.user("project_officer", "district", "4002"),
        allowed_ok=lambda r: (
            r.status_code == 302 and Ticket.objects.get(pk=ticket.pk).status == Status.TRIAGED
        ),
        anonymous_refused=lambda r: (
            r.status_code == 302 and Ticket.objects.get(pk=ticket.pk).status == Status.NEW
        ),
    )


def _materialised(response):
    """A streamed download read once, so the checks below can look at its content."""
    from django.http import HttpResponse

    if not response.streaming:
        return response
    return HttpResponse(response.getvalue(), status=response.status_code)


def test_export_matrix_and_bom(matrix: Matrix):
    ticket, _ = _ticket(text=f"บัตร {NID} ถนนพัง")
    matrix.check(
        lambda c: _materialised(c.get("/feedback/export.csv")),
        allowed=matrix.user("internal_auditor", "country"),
        wrong_role=matrix.user("procurement_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: (
            r.status_code == 200
            and r.content.startswith("\ufeff".encode())
            and ticket.reference in r.content.decode()
            and NID not in r.content.decode()
        ),
        refused=lambda r: r.status_code in {403, 404} or ticket.reference not in r.content.decode(),
        anonymous_refused=lambda r: r.status_code == 302,
    )


@pytest.mark.parametrize("path", ["/feedback/new/", "/feedback/import/"])
def test_staff_entry_and_import_matrix(matrix: Matrix, path):
    matrix.check(
        lambda c: c.get(path),
        allowed=matrix.user("project_officer", "province", "40"),
        wrong_role=matrix.user("executive", "country"),
        out_of_scope=None,  # forms: the area is checked when saving (below)
        anonymous_refused=lambda r: r.status_code == 302,
    )


def test_staff_entry_outside_scope_is_refused(matrix: Matrix):
    from tests.permissions import signed_in_client

    client = signed_in_client(matrix.user("project_officer", "province", "10"))
    response = client.post("/feedback/new/", {**_form(), "channel": "phone"})
    assert response.status_code == 403
    assert Ticket.objects.count() == 0


def test_staff_entry_records_a_phone_report(officer):
    from tests.permissions import signed_in_client

    response = signed_in_client(officer).post("/feedback/new/", {**_form(consent=""), "channel": "phone"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert ticket.channel == IntakeChannel.PHONE and ticket.created_by == officer


def test_import_page_creates_tickets(officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.permissions import signed_in_client

    payload = "text,id,postal_code\nน้ำท่วมถนนหน้าบ้าน,a1,40000\n,a2,40000\n".encode()
    response = signed_in_client(officer).post(
        "/feedback/import/", {"file": SimpleUploadedFile("posts.csv", payload), "source": "fb"}
    )
    assert response.status_code == 200
    assert "1" in response.content.decode()
    assert Ticket.objects.filter(channel=IntakeChannel.SOCIAL).count() == 1


def test_dashboard_matrix(matrix: Matrix):
    _ticket()
    matrix.check(
        lambda c: c.get("/feedback/dashboard/"),
        allowed=matrix.user("executive", "country"),
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=None,  # everyone allowed sees their own areas' numbers
        anonymous_refused=lambda r: r.status_code == 302,
    )


# --- LINE webhook ---------------------------------------------------------------------------------


def _line_body() -> bytes:
    event = {
        "type": "message",
        "message": {"type": "text", "id": "m-1", "text": "ไฟไหม้บ้านในซอย 3 ช่วยด้วย"},
        "source": {"userId": "U123"},
    }
    return json.dumps({"events": [event]}).encode()


def test_line_webhook_refuses_a_forged_signature(settings):
    settings.FEEDBACK_LINE_CHANNEL_SECRET = SECRET
    body = _line_body()
    forged = line_signature(body, "someone-elses-secret")
    response = Client().post(
        "/feedback/line/webhook", body, content_type="application/json", HTTP_X_LINE_SIGNATURE=forged
    )
    missing = Client().post("/feedback/line/webhook", body, content_type="application/json")
    assert (response.status_code, missing.status_code) == (403, 403)
    assert Ticket.objects.count() == 0


def test_line_webhook_accepts_a_signed_message(settings):
    settings.FEEDBACK_LINE_CHANNEL_SECRET = SECRET
    body = _line_body()
    response = Client().post(
        "/feedback/line/webhook",
        body,
        content_type="application/json",
        HTTP_X_LINE_SIGNATURE=line_signature(body, SECRET),
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 200
    assert (ticket.channel, ticket.external_id, ticket.is_urgent) == (IntakeChannel.LINE, "line:m-1", True)


def test_line_webhook_is_off_without_a_secret(settings):
    settings.FEEDBACK_LINE_CHANNEL_SECRET = ""
    assert Client().post("/feedback/line/webhook", b"{}", content_type="application/json").status_code == 404


# --- API ------------------------------------------------------------------------------------------


def _api_ids(response) -> set[int]:
    return {item["id"] for item in response.json()["items"]} if response.status_code == 200 else set()


def test_api_ticket_list_matrix(matrix: Matrix):
    ticket, _ = _ticket(text=f"บัตร {NID} ถนนพัง")
    matrix.check(
        lambda c: c.get("/api/v1/feedback/tickets"),
        allowed=matrix.user("project_officer", "province", "40"),
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: ticket.pk in _api_ids(r) and NID not in r.content.decode(),
        refused=lambda r: ticket.pk not in _api_ids(r),
    )


def test_api_ticket_detail_matrix(matrix: Matrix):
    ticket, _ = _ticket()
    matrix.check(
        lambda c: c.get(f"/api/v1/feedback/tickets/{ticket.pk}"),
        allowed=matrix.user("data_protection_officer", "country"),
        wrong_role=matrix.user("finance_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
    )


def test_api_transition_matrix(matrix: Matrix):
    ticket, _ = _ticket()
    matrix.check(
        lambda c: c.post(
            f"/api/v1/feedback/tickets/{ticket.pk}/transition",
            {"to_status": "triaged"},
            content_type="application/json",
        ),
        allowed=matrix.user("project_officer", "province", "40"),
        wrong_role=matrix.user("internal_auditor", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: r.status_code == 200 and r.json()["status"] == "triaged",
    )


def test_api_invalid_transition_is_a_problem_response(officer):
    from tests.permissions import signed_in_client

    ticket, _ = _ticket()
    response = signed_in_client(officer).post(
        f"/api/v1/feedback/tickets/{ticket.pk}/transition",
        {"to_status": "closed"},
        content_type="application/json",
    )
    response_bad = signed_in_client(officer).post(
        f"/api/v1/feedback/tickets/{ticket.pk}/transition",
        {"to_status": "resolved"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response_bad.status_code == 422
    assert response_bad["Content-Type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("get", "/api/v1/feedback/stats", None), ("post", "/api/v1/feedback/classify", {"texts": ["น้ำท่วมบ้าน"]})],
)
def test_api_stats_and_classify_matrix(matrix: Matrix, method, path, body):
    _ticket()

    def call(c):
        if method == "get":
            return c.get(path)
        return c.post(path, body, content_type="application/json")

    matrix.check(
        call,
        allowed=matrix.user("executive", "country"),
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=None,
    )


def test_area_panel_and_indicator_are_scoped(officer, matrix: Matrix):
    from codi.areas.registry import AreaRef, indicator, panels

    _ticket()
    panel = next(p for p in panels() if p.key == "feedback")
    outsider = matrix.user("project_officer", "province", "10")

    assert panel.context(officer, AreaRef("province", "40"))["feedback"]["total"] == 1
    assert panel.context(outsider, AreaRef("province", "40"))["feedback"]["total"] == 0
    feedback_indicator = indicator("feedback")
    assert feedback_indicator is not None
    assert feedback_indicator.values(officer, "province") == {"40": 1.0}
    assert feedback_indicator.values(outsider, "province") == {}


def test_list_page_query_count_does_not_grow_with_tickets(officer, django_assert_max_num_queries):
    from tests.permissions import signed_in_client

    for i in range(25):
        _ticket(text=f"ปัญหาที่ {i}: ถนนพังหน้าบ้านเลขที่ {i}")
    client = signed_in_client(officer)
    with django_assert_max_num_queries(15):
        response = client.get("/feedback/")
    assert response.status_code == 200


def test_reporter_contact_is_shown_to_the_handler_only_and_audited(officer, matrix: Matrix):
    from codi.core.models import AuditEntry
    from tests.permissions import signed_in_client

    ticket, _ = _ticket(reporter_name="สมศรี มีสุข", reporter_phone="0812345678")
    auditor = signed_in_client(matrix.user("internal_auditor", "country"))

    assert "สมศรี มีสุข" in signed_in_client(officer).get(f"/feedback/{ticket.pk}/").content.decode()
    assert "สมศรี มีสุข" not in auditor.get(f"/feedback/{ticket.pk}/").content.decode()
    assert AuditEntry.objects.filter(action="personal_data.view", object_id=str(ticket.pk)).count() == 1


def test_staff_entry_links_an_organization_and_takes_its_area(officer):
    from tests.factories import OrganizationFactory
    from tests.permissions import signed_in_client

    org = OrganizationFactory(subdistrict_id="400105")
    outside = OrganizationFactory(subdistrict_id="500101")
    client = signed_in_client(officer)
    form = {**_form(consent=""), "channel": "walk_in", "subdistrict_code": "", "organization": org.pk}

    refused = client.post("/feedback/new/", {**form, "organization": outside.pk})
    response = client.post("/feedback/new/", form)

    ticket = Ticket.objects.get()
    assert refused.status_code == 400
    assert response.status_code == 302
    assert (ticket.organization_id, ticket.subdistrict_id, ticket.assigned_to) == (org.pk, "400105", officer)


def test_a_signed_in_community_leader_reports_through_the_portal(officer, matrix: Matrix):
    from tests.permissions import signed_in_client

    leader = matrix.user("community_leader", "subdistrict", "400104")
    signed_in_client(leader).post("/feedback/report/", _form())
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.created_by) == (IntakeChannel.PORTAL, leader)


def _real_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _real_png()  # a real photo: attachments are opened, not only sniffed


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


def test_a_photo_sent_with_a_report_reaches_staff_only(officer, matrix: Matrix, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = Client().post(
        "/feedback/report/",
        {**_form(), "attachment": SimpleUploadedFile("บ้านนายสมชาย.png", PNG, "image/png")},
    )
    ticket = Ticket.objects.get()
    attachment = ticket.attachments.get()
    url = f"/feedback/{ticket.pk}/attachments/{attachment.pk}/"

    assert response.status_code == 200
    assert "สมชาย" not in attachment.file.name  # stored under a random name
    assert (attachment.content_type, attachment.size) == ("image/png", len(PNG))
    matrix.check(
        lambda c: c.get(url),
        allowed=officer,
        wrong_role=matrix.user("hr_officer", "country"),
        out_of_scope=matrix.user("project_officer", "province", "10"),
        allowed_ok=lambda r: r.status_code == 200 and b"".join(r.streaming_content) == PNG,
        anonymous_refused=lambda r: r.status_code == 302,
    )


def test_a_file_that_is_not_a_photo_or_pdf_is_refused(media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script>", "image/png")
    response = Client().post("/feedback/report/", {**_form(), "attachment": fake})
    assert response.status_code == 400
    assert Ticket.objects.count() == 0


def test_an_attachment_that_only_starts_like_a_photo_is_refused(media):
    """The photo check reads the whole file through codi.core.uploads, not only its first bytes:
    a PNG signature followed by HTML (a polyglot) is refused and no ticket is written."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    polyglot = b"\x89PNG\r\n\x1a\n" + b"<html><script>alert(1)</script></html>"
    fake = SimpleUploadedFile("photo.png", polyglot, "image/png")
    response = Client().post("/feedback/report/", {**_form(), "attachment": fake})
    assert response.status_code == 400
    assert Ticket.objects.count() == 0
    assert "PNG" in response.content.decode()
