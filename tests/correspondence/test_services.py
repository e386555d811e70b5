"""Saraban rules: numbering, secrecy, routing, acknowledgement, minutes, files."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from codi.core.models import AuditEntry
from codi.correspondence import selectors, services
from codi.correspondence.models import Letter
from codi.identity.models import OrgUnit
from codi.notifications.models import Notification
from tests.correspondence.helpers import letter, registrar, staff, unit
from tests.documents.conftest import blank_pdf

pytestmark = pytest.mark.django_db


def test_numbers_run_per_unit_and_kind_in_thai_digits():
    # given two units with their registrars
    north, south = unit(letter_code="พอช 12.3"), unit(letter_code="พอช 7")
    clerk_n, clerk_s = registrar(north), registrar(south)

    # when letters are registered in both
    first = letter(north, clerk_n)
    second = letter(north, clerk_n)
    memo = letter(north, clerk_n, kind="memo")
    other = letter(south, clerk_s)
    incoming = letter(north, clerk_n, kind="incoming")

    # then each series counts on its own; outgoing letters and memos carry the unit code
    assert [first.register_number, second.register_number, memo.register_number] == [1, 2, 1]
    assert first.document_number == "พอช ๑๒.๓/๑"
    assert second.document_number == "พอช ๑๒.๓/๒"
    assert other.document_number == "พอช ๗/๑"
    # and an incoming letter keeps the sender's number with our receipt number
    assert incoming.register_number == 1
    assert incoming.document_number == "ขก 0017.1/ว 456"
    assert incoming.received_at is not None
    assert first.year == date.today().year + 543


def test_arabic_digits_and_fiscal_year_when_the_book_says_so():
    book_unit = unit(letter_code="CODI-HR", thai_digits=False, year_basis="fiscal")
    clerk = registrar(book_unit)

    registered = letter(book_unit, clerk)

    assert registered.document_number == "CODI-HR/1"
    today = date.today()
    assert registered.year == today.year + 543 + (1 if today.month >= 10 else 0)


def test_a_cancelled_letters_number_is_never_given_again():
    org_unit = unit()
    clerk = registrar(org_unit)
    first = letter(org_unit, clerk)

    services.letter_set_status(actor=clerk, letter=first, status="cancelled")
    second = letter(org_unit, clerk)

    assert second.register_number == 2
    assert Letter.objects.get(pk=first.pk).register_number == 1


def test_only_a_registrar_of_the_unit_registers():
    org_unit, elsewhere = unit(), unit()
    clerk_elsewhere = registrar(elsewhere)
    member = staff(org_unit)

    for actor in (clerk_elsewhere, member):
        with pytest.raises(PermissionDenied):
            letter(org_unit, actor)
    assert Letter.objects.filter(org_unit=org_unit).count() == 0


def test_who_sees_an_unclassified_letter():
    # given a letter of one unit routed to another unit and to a named person
    owner, other, third = unit(), unit(), unit()
    clerk = registrar(owner)
    member, other_member, outsider = staff(owner), staff(other), staff(third)
    named = staff(third)
    registered = letter(owner, clerk)
    services.letter_route(actor=clerk, letter=registered, to_unit_ids=[other.pk], to_user_ids=[named.pk])

    # then the owner unit, the unit routed to and the named person see it; others do not
    assert [selectors.letter_can_view(u, registered) for u in (clerk, member, other_member, named)] == [
        True
    ] * 4
    assert selectors.letter_can_view(outsider, registered) is False
    leader = staff(owner, role="community_leader")
    assert selectors.letter_can_view(leader, registered) is False


def test_a_classified_letter_is_seen_only_by_named_recipients_and_the_registrars():
    # given a secret letter in a unit
    owner = unit()
    clerk, second_clerk = registrar(owner), registrar(owner)
    member, director = staff(owner), staff(owner, role="regional_director")
    secret = letter(owner, clerk, secrecy="secret", subject="เรื่องลับ")

    # when it is routed to the director by name
    services.letter_route(actor=clerk, letter=secret, to_user_ids=[director.pk], instruction="โปรดพิจารณา")

    # then the registrars and the director see it, a plain member of the unit does not
    assert selectors.letter_can_view(clerk, secret)
    assert selectors.letter_can_view(second_clerk, secret)
    assert selectors.letter_can_view(director, secret)
    assert not selectors.letter_can_view(member, secret)
    assert list(selectors.letter_search(member, selectors.LetterFilters(text="ลับ"))) == []
    # and the audit trail does not carry its subject
    entry = AuditEntry.objects.get(action="correspondence.letter.register", object_id=str(secret.pk))
    assert entry.changes["subject"] == "(secret)"


def test_a_classified_letter_cannot_be_routed_to_a_unit():
    owner, other = unit(), unit()
    clerk = registrar(owner)
    secret = letter(owner, clerk, secrecy="top_secret")

    with pytest.raises(services.LetterRefusedError, match="named people only"):
        services.letter_route(actor=clerk, letter=secret, to_unit_ids=[other.pk])
    assert secret.routings.count() == 0


def test_someone_who_cannot_see_a_letter_cannot_route_or_minute_it():
    owner = unit()
    clerk = registrar(owner)
    outsider = staff(unit())
    registered = letter(owner, clerk)

    with pytest.raises(PermissionDenied):
        services.letter_route(actor=outsider, letter=registered, to_user_ids=[outsider.pk])
    with pytest.raises(PermissionDenied):
        services.note_add(actor=outsider, letter=registered, text="ขอดูด้วย")


def test_routing_notifies_and_is_acknowledged_with_a_timestamp(django_capture_on_commit_callbacks):
    # given a letter routed to a unit (whose registrar is told) and to a person
    owner, other = unit(), unit()
    clerk, other_clerk = registrar(owner), registrar(other)
    person = staff(owner)
    registered = letter(owner, clerk, urgency="most_urgent")
    with django_capture_on_commit_callbacks(execute=True):
        to_unit, to_person = services.letter_route(
            actor=clerk,
            letter=registered,
            to_unit_ids=[other.pk],
            to_user_ids=[person.pk],
            instruction="ดำเนินการ",
        )

    # then both got an in-app notification linking to the letter
    sent = Notification.objects.filter(template_key="correspondence.routed").order_by("recipient_user_id")
    assert [n.recipient_user_id for n in sent] == sorted([other_clerk.pk, person.pk])
    assert all(n.link == f"/correspondence/{registered.pk}/" for n in sent)
    assert "ด่วนที่สุด" in sent[0].body
    assert Letter.objects.get(pk=registered.pk).status == "in_progress"

    # when the person acknowledges; someone else cannot acknowledge for them
    with pytest.raises(PermissionDenied):
        services.routing_acknowledge(actor=other_clerk, routing=to_person)
    acknowledged = services.routing_acknowledge(actor=person, routing=to_person)
    by_unit = services.routing_acknowledge(actor=other_clerk, routing=to_unit)

    # then the time and person are recorded, and it cannot be acknowledged twice
    assert acknowledged.acknowledged_by == person and acknowledged.acknowledged_at is not None
    assert by_unit.acknowledged_by == other_clerk
    with pytest.raises(services.LetterRefusedError):
        services.routing_acknowledge(actor=person, routing=to_person)
    assert list(selectors.routings_pending(person)) == []


def test_a_secret_routing_notification_does_not_carry_the_subject(django_capture_on_commit_callbacks):
    owner = unit()
    clerk = registrar(owner)
    director = staff(owner)
    secret = letter(owner, clerk, secrecy="confidential", subject="รายชื่อผู้ถูกร้องเรียน")

    with django_capture_on_commit_callbacks(execute=True):
        services.letter_route(
            actor=clerk, letter=secret, to_user_ids=[director.pk], instruction="สอบข้อเท็จจริง"
        )

    notification = Notification.objects.get(recipient_user=director)
    assert "รายชื่อผู้ถูกร้องเรียน" not in notification.subject + notification.body
    assert "สอบข้อเท็จจริง" not in notification.body


def test_minutes_are_kept_in_order():
    owner = unit()
    clerk = registrar(owner)
    director = staff(owner)
    registered = letter(owner, clerk)

    services.note_add(actor=director, letter=registered, text="มอบงานพัฒนาชุมชนดำเนินการ", kind="instruction")
    services.note_add(actor=clerk, letter=registered, text="รับทราบ")

    notes = list(selectors.letter_notes(clerk, registered).values_list("kind", "text"))
    assert notes == [("instruction", "มอบงานพัฒนาชุมชนดำเนินการ"), ("comment", "รับทราบ")]


def test_attachments_are_kept_with_a_checksum_and_only_for_readers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    owner = unit()
    clerk = registrar(owner)
    outsider = staff(unit())
    registered = letter(owner, clerk, kind="incoming")
    scan = blank_pdf(1)

    attachment = services.attachment_add(
        actor=clerk,
        letter=registered,
        filename="../scan.html",
        content=scan,
        content_type="text/html",
    )

    assert (
        attachment.filename == ".._scan.html"
    )  # for display; the type and the stored name come from the bytes
    assert attachment.content_type == "application/pdf"
    assert attachment.file.name.endswith(".pdf") and "scan" not in attachment.file.name
    assert attachment.size == len(scan)
    assert attachment.sha256 == hashlib.sha256(scan).hexdigest()
    assert attachment.file.read() == scan
    assert selectors.attachment_get(clerk, attachment_id=attachment.pk) == attachment
    assert selectors.attachment_get(outsider, attachment_id=attachment.pk) is None
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=outsider, letter=registered, filename="x.pdf", content=b"x")


def test_search_filters_and_text():
    owner = unit()
    clerk = registrar(owner)
    body = "รายละเอียดตามสิ่งที่ส่งมาด้วย"
    letter(owner, clerk, subject="ขอเชิญประชุมสภาองค์กรชุมชน", urgency="urgent", body=body)
    letter(owner, clerk, subject="ส่งรายงานการเงินไตรมาส", body=body)
    letter(owner, clerk, kind="incoming", subject="แจ้งกำหนดการตรวจราชการ", body=body)

    def subjects(**filters: object) -> list[str]:
        return sorted(
            selectors.letter_search(clerk, selectors.LetterFilters(**filters)).values_list(
                "subject", flat=True
            )
        )  # type: ignore[arg-type]

    assert subjects(text="ประชุม") == ["ขอเชิญประชุมสภาองค์กรชุมชน"]
    assert subjects(kind="incoming") == ["แจ้งกำหนดการตรวจราชการ"]
    assert subjects(urgency="urgent") == ["ขอเชิญประชุมสภาองค์กรชุมชน"]
    assert subjects(text="พอช ๑๒.๓/๒") == ["ส่งรายงานการเงินไตรมาส"]
    assert len(subjects()) == 3


def test_the_setup_command_sets_the_book_and_registrars():
    from io import StringIO

    from django.core.management import call_command

    org_unit = OrgUnit.objects.create(code="KK-SETUP", name_th="สำนักงานภาคอีสาน")
    clerk = staff(org_unit)
    out = StringIO()

    call_command(
        "correspondence_setup",
        "--unit",
        "KK-SETUP",
        "--letter-code",
        "พอช 12.3",
        "--fiscal-year",
        "--registrar",
        clerk.username,
        stdout=out,
    )

    assert org_unit.register_book.letter_code == "พอช 12.3"
    assert org_unit.register_book.year_basis == "fiscal"
    assert selectors.user_is_registrar(clerk, org_unit_id=org_unit.pk)
    assert out.getvalue().splitlines() == [
        "KK-SETUP: letter code พอช 12.3, fiscal year",
        f"KK-SETUP: registrar {clerk.username}",
    ]
