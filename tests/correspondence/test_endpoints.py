"""Every saraban page and API endpoint through the permission matrix: anonymous, wrong role
(community leader: no correspondence), out of scope (staff of an unrelated unit), allowed."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from codi.correspondence import services
from codi.correspondence.models import Letter, Note, Routing
from codi.identity.models import OrgUnit, User
from tests.correspondence.helpers import letter, registrar, staff, unit
from tests.documents.conftest import blank_pdf
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db


@dataclass
class World:
    owner: OrgUnit
    clerk: User
    member: User
    leader: User
    outsider: User
    letter: Letter


@pytest.fixture
def world(settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    owner = unit("สำนักงานภาคอีสาน")
    clerk = registrar(owner)
    return World(
        owner=owner,
        clerk=clerk,
        member=staff(owner),
        leader=staff(owner, role="community_leader"),
        outsider=staff(unit("สำนักงานภาคใต้")),
        letter=letter(owner, clerk, subject="ขอเชิญประชุมสภาองค์กรชุมชน"),
    )


def _redirected(response) -> bool:
    """Page actions answer with a redirect (to the letter, or back to it with a message)."""
    return response.status_code == 302 and "/accounts/login/" not in response["Location"]


def _ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]] if response.status_code == 200 else []


# --- pages -----------------------------------------------------------------------------------


def test_register_list_page(matrix: Matrix, world: World):
    matrix.check(
        lambda c: c.get("/correspondence/"),
        allowed=world.member,
        wrong_role=world.leader,
        out_of_scope=world.outsider,
        allowed_ok=lambda r: r.status_code == 200 and "ขอเชิญประชุมสภาองค์กรชุมชน" in r.content.decode(),
        refused=lambda r: r.status_code == 403 or "ขอเชิญประชุมสภาองค์กรชุมชน" not in r.content.decode(),
    )


def test_register_list_query_count_does_not_grow_with_letters(world: World, django_assert_max_num_queries):
    for n in range(30):
        letter(world.owner, world.clerk, subject=f"หนังสือที่ {n}")
    client = signed_in_client(world.clerk)
    with django_assert_max_num_queries(16):
        response = client.get("/correspondence/?q=หนังสือ")
    assert response.status_code == 200
    assert response.content.decode().count("หนังสือที่ ") == 25


def test_inbox_page(matrix: Matrix, world: World):
    services.letter_route(actor=world.clerk, letter=world.letter, to_user_ids=[world.member.pk])
    matrix.check(
        lambda c: c.get("/correspondence/inbox/"),
        allowed=world.member,
        wrong_role=world.leader,
        out_of_scope=world.outsider,
        allowed_ok=lambda r: r.status_code == 200 and "ขอเชิญประชุมสภาองค์กรชุมชน" in r.content.decode(),
        refused=lambda r: r.status_code == 403 or "ขอเชิญประชุมสภาองค์กรชุมชน" not in r.content.decode(),
    )


def test_register_form_page_registers_and_numbers(matrix: Matrix, world: World):
    form = {
        "org_unit": world.owner.pk,
        "kind": "outgoing",
        "urgency": "urgent",
        "secrecy": "normal",
        "letter_date": "2026-11-29",
        "subject": "ขอความอนุเคราะห์ข้อมูล",
        "closing": "ขอแสดงความนับถือ",
    }
    matrix.check(
        lambda c: c.post("/correspondence/new/", form),
        allowed_ok=_redirected,
        allowed=world.clerk,
        wrong_role=world.leader,
        out_of_scope=world.member,  # a member of the unit who is not its registrar
    )
    registered = Letter.objects.get(subject="ขอความอนุเคราะห์ข้อมูล")
    assert registered.document_number == "พอช ๑๒.๓/๒"
    assert registered.urgency == "urgent"
    assert signed_in_client(world.clerk).get("/correspondence/new/").status_code == 200


def test_letter_detail_page(matrix: Matrix, world: World):
    matrix.check(
        lambda c: c.get(f"/correspondence/{world.letter.pk}/"),
        allowed=world.member,
        wrong_role=world.leader,
        out_of_scope=world.outsider,
        allowed_ok=lambda r: r.status_code == 200 and "พอช ๑๒.๓/๑" in r.content.decode(),
    )


def test_route_page_action(matrix: Matrix, world: World):
    matrix.check(
        lambda c: c.post(
            f"/correspondence/{world.letter.pk}/route/",
            {"to_users": [world.member.pk], "instruction": "ดำเนินการ"},
        ),
        allowed_ok=_redirected,
        allowed=world.clerk,
        wrong_role=world.leader,
        out_of_scope=world.outsider,
    )
    assert list(Routing.objects.values_list("to_user_id", "instruction")) == [(world.member.pk, "ดำเนินการ")]


def test_note_page_action(matrix: Matrix, world: World):
    matrix.check(
        lambda c: c.post(
            f"/correspondence/{world.letter.pk}/notes/", {"kind": "instruction", "text": "ทราบ มอบงานพัฒนา"}
        ),
        allowed_ok=_redirected,
        allowed=world.member,
        wrong_role=world.leader,
        out_of_scope=world.outsider,
    )
    assert list(Note.objects.values_list("author_id", "text")) == [(world.member.pk, "ทราบ มอบงานพัฒนา")]


PDF_BYTES = blank_pdf(1)


def test_attach_page_action_and_download(matrix: Matrix, world: World):
    matrix.check(
        lambda c: c.post(
            f"/correspondence/{world.letter.pk}/attachments/",
            {"file": SimpleUploadedFile("สำเนา.pdf", PDF_BYTES, content_type="application/pdf")},
        ),
        allowed_ok=_redirected,
        allowed=world.clerk,
        wrong_role=world.leader,
        out_of_scope=world.member,  # may read the letter, may not add files to the register
    )
    attachment = world.letter.attachments.get()
    matrix.check(
        lambda c: c.get(f"/correspondence/attachments/{attachment.pk}/"),
        allowed=world.member,
        wrong_role=world.leader,
        out_of_scope=world.outsider,
        allowed_ok=lambda r: r.status_code == 200 and b"".join(r.streaming_content) == PDF_BYTES,
    )
    assert attachment.filename == "สำเนา.pdf" and attachment.file.name.endswith(".pdf")
    assert "สำเนา" not in attachment.file.name  # stored under a generated name


def test_status_page_action(matrix: Matrix, world: World):
    matrix.check(
        lambda c: c.post(f"/correspondence/{world.letter.pk}/status/", {"status": "closed"}),
        allowed_ok=_redirected,
        allowed=world.clerk,
        wrong_role=world.leader,
        out_of_scope=world.member,
    )
    assert Letter.objects.get(pk=world.letter.pk).status == "closed"


def test_acknowledge_page_action(matrix: Matrix, world: World):
    routing = services.letter_route(actor=world.clerk, letter=world.letter, to_user_ids=[world.member.pk])[0]
    matrix.check(
        lambda c: c.post(f"/correspondence/routings/{routing.pk}/acknowledge/"),
        allowed_ok=_redirected,
        allowed=world.member,
        wrong_role=world.leader,
        out_of_scope=world.outsider,
    )
    routing.refresh_from_db()
    assert routing.acknowledged_by == world.member
    # the registrar can read the letter but cannot acknowledge for the named person
    assert (
        signed_in_client(world.clerk).post(f"/correspondence/routings/{routing.pk}/acknowledge/").status_code
        == 403
    )


def test_letter_pdf_page(matrix: Matrix, world: World):
    matrix.check(
        lambda c: c.get(f"/correspondence/{world.letter.pk}/letter.pdf"),
        allowed=world.member,
        wrong_role=world.leader,
        out_of_scope=world.outsider,
        allowed_ok=lambda r: r.status_code == 200 and r.content.startswith(b"%PDF"),
    )


def test_pdf_generate_page_action(matrix: Matrix, world: World):
    matrix.check(
        lambda c: c.post(f"/correspondence/{world.letter.pk}/pdf/"),
        allowed_ok=_redirected,
        allowed=world.clerk,
        wrong_role=world.leader,
        out_of_scope=world.member,
    )
    assert Letter.objects.get(pk=world.letter.pk).pdf.name.endswith(".pdf")


def test_sign_page_action_refuses_all_but_the_signer(matrix: Matrix, world: World):
    # the signer has no certificate here: the page reports the PKI's refusal and keeps nothing
    signer = staff(world.owner)
    to_sign = letter(world.owner, world.clerk, signer_id=signer.pk)
    matrix.check(
        lambda c: c.post(f"/correspondence/{to_sign.pk}/sign/"),
        allowed_ok=_redirected,
        allowed=signer,
        wrong_role=world.leader,
        out_of_scope=world.clerk,
    )
    assert Letter.objects.get(pk=to_sign.pk).pdf_signed_at is None


def test_register_reports_pdf_and_excel(matrix: Matrix, world: World):
    matrix.check(
        lambda c: c.get("/correspondence/register.pdf?kind=outgoing"),
        allowed=world.member,
        wrong_role=world.leader,
        out_of_scope=None,  # an unrelated unit gets an empty register (checked below)
        allowed_ok=lambda r: r.status_code == 200 and r.content.startswith(b"%PDF"),
    )
    matrix.check(
        lambda c: c.get("/correspondence/register.xlsx?kind=outgoing"),
        allowed=world.member,
        wrong_role=world.leader,
        out_of_scope=None,
    )
    rows = list(
        load_workbook(
            io.BytesIO(signed_in_client(world.member).get("/correspondence/register.xlsx").getvalue())
        ).active.values
    )
    assert rows[0][:4] == ("เลขทะเบียน", "ปี", "ประเภท", "ที่")
    assert rows[1][3] == "พอช ๑๒.๓/๑" and rows[1][7] == "ขอเชิญประชุมสภาองค์กรชุมชน"
    outsider_rows = list(
        load_workbook(
            io.BytesIO(signed_in_client(world.outsider).get("/correspondence/register.xlsx").getvalue())
        ).active.values
    )
    assert len(outsider_rows) == 1


def test_a_secret_letter_is_not_listed_or_opened_by_a_member_of_the_unit(world: World):
    secret = letter(world.owner, world.clerk, secrecy="secret", subject="เรื่องร้องเรียนลับ")
    member = signed_in_client(world.member)

    assert "เรื่องร้องเรียนลับ" not in member.get("/correspondence/").content.decode()
    assert member.get(f"/correspondence/{secret.pk}/").status_code == 404
    assert member.get(f"/correspondence/{secret.pk}/letter.pdf").status_code == 404
    assert secret.pk not in _ids(member.get("/api/v1/correspondence/letters"))
    assert "เรื่องร้องเรียนลับ" in signed_in_client(world.clerk).get("/correspondence/").content.decode()


# --- API -------------------------------------------------------------------------------------


def test_api_letter_list(matrix: Matrix, world: World):
    matrix.check(
        lambda c: c.get("/api/v1/correspondence/letters?kind=outgoing"),
        allowed=world.member,
        wrong_role=world.leader,
        out_of_scope=world.outsider,
        allowed_ok=lambda r: _ids(r) == [world.letter.pk],
        refused=lambda r: world.letter.pk not in _ids(r),
    )


def test_api_letter_create(matrix: Matrix, world: World):
    body = {
        "org_unit_id": world.owner.pk,
        "kind": "incoming",
        "subject": "แจ้งผลการพิจารณา",
        "letter_date": "2026-11-20",
        "sender": "กรมการพัฒนาชุมชน",
        "document_number": "มท 0403/ว 12",
        "urgency": "very_urgent",
    }
    matrix.check(
        lambda c: c.post("/api/v1/correspondence/letters", body, content_type="application/json"),
        allowed=world.clerk,
        wrong_role=world.leader,
        out_of_scope=world.member,
        allowed_ok=lambda r: (
            r.status_code == 201
            and r.json()["document_number"] == "มท 0403/ว 12"
            and r.json()["register_number"] == 1
        ),
    )


def test_api_letter_create_refuses_bad_input(world: World):
    client = signed_in_client(world.clerk)
    bad_kind = client.post(
        "/api/v1/correspondence/letters",
        {"org_unit_id": world.owner.pk, "kind": "fax", "subject": "x", "letter_date": "2026-11-20"},
        content_type="application/json",
    )
    no_sender = client.post(
        "/api/v1/correspondence/letters",
        {"org_unit_id": world.owner.pk, "kind": "incoming", "subject": "x", "letter_date": "2026-11-20"},
        content_type="application/json",
    )
    assert bad_kind.status_code == 422
    assert no_sender.status_code == 422
    assert "sender" in no_sender.json()["errors"][0]["message"]


def test_api_letter_detail(matrix: Matrix, world: World):
    matrix.check(
        lambda c: c.get(f"/api/v1/correspondence/letters/{world.letter.pk}"),
        allowed=world.member,
        wrong_role=world.leader,
        out_of_scope=world.outsider,
        allowed_ok=lambda r: r.status_code == 200 and r.json()["subject"] == "ขอเชิญประชุมสภาองค์กรชุมชน",
    )


def test_api_routing_create_and_list(matrix: Matrix, world: World):
    other = unit("สำนักงานภาคเหนือ")
    matrix.check(
        lambda c: c.post(
            f"/api/v1/correspondence/letters/{world.letter.pk}/routings",
            {"to_unit_ids": [other.pk], "instruction": "เพื่อทราบ"},
            content_type="application/json",
        ),
        allowed=world.clerk,
        wrong_role=world.leader,
        out_of_scope=world.outsider,
        allowed_ok=lambda r: r.status_code == 201 and r.json()[0]["to_unit_id"] == other.pk,
    )
    matrix.check(
        lambda c: c.get(f"/api/v1/correspondence/letters/{world.letter.pk}/routings"),
        allowed=world.member,
        wrong_role=world.leader,
        out_of_scope=world.outsider,
        allowed_ok=lambda r: r.status_code == 200 and [x["instruction"] for x in r.json()] == ["เพื่อทราบ"],
    )


def test_api_routing_to_a_unit_refused_for_a_secret_letter(world: World):
    secret = letter(world.owner, world.clerk, secrecy="top_secret")
    response = signed_in_client(world.clerk).post(
        f"/api/v1/correspondence/letters/{secret.pk}/routings",
        {"to_unit_ids": [world.owner.pk]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Routing.objects.count() == 0


def test_api_acknowledge(matrix: Matrix, world: World):
    routing = services.letter_route(actor=world.clerk, letter=world.letter, to_user_ids=[world.member.pk])[0]
    matrix.check(
        lambda c: c.post(f"/api/v1/correspondence/routings/{routing.pk}/acknowledge"),
        allowed=world.member,
        wrong_role=world.leader,
        out_of_scope=world.outsider,
        allowed_ok=lambda r: r.status_code == 200 and r.json()["acknowledged_by_id"] == world.member.pk,
    )


def test_api_notes(matrix: Matrix, world: World):
    matrix.check(
        lambda c: c.post(
            f"/api/v1/correspondence/letters/{world.letter.pk}/notes",
            {"kind": "comment", "text": "รับทราบ"},
            content_type="application/json",
        ),
        allowed=world.member,
        wrong_role=world.leader,
        out_of_scope=world.outsider,
        allowed_ok=lambda r: r.status_code == 201,
    )
    matrix.check(
        lambda c: c.get(f"/api/v1/correspondence/letters/{world.letter.pk}/notes"),
        allowed=world.clerk,
        wrong_role=world.leader,
        out_of_scope=world.outsider,
        allowed_ok=lambda r: r.status_code == 200 and [n["text"] for n in r.json()] == ["รับทราบ"],
    )


def test_inbox_query_count_does_not_grow_with_routings(world: World, django_assert_max_num_queries):
    for n in range(12):
        services.letter_route(
            actor=world.clerk,
            letter=letter(world.owner, world.clerk, subject=f"เรื่องที่ {n}"),
            to_user_ids=[world.member.pk],
            instruction="เพื่อทราบ",
        )
    client = signed_in_client(world.member)
    with django_assert_max_num_queries(14):
        response = client.get("/correspondence/inbox/")
    assert response.content.decode().count("เรื่องที่ ") == 12
