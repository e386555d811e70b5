"""Demo saraban: the demo officer keeps the Northeast office's register and can write a letter;
the demo letters are registered, numbered and routed through the services; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from codi.correspondence.demo import DEMO_MARK, LETTERS, correspondence_demo_load
from codi.correspondence.models import Letter, Routing
from codi.identity.models import OrgUnit, User
from codi.web.demo import demo_load
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    demo_load()
    return correspondence_demo_load()


def test_demo_letters_are_registered_numbered_and_routed_once(demo):
    assert demo.letters == len(LETTERS) == Letter.objects.filter(subject__endswith=DEMO_MARK).count()
    outgoing = Letter.objects.filter(kind="outgoing", org_unit__code="REG-NE")
    assert outgoing and all(letter.document_number.startswith("พอช ๐๔/") for letter in outgoing)
    assert Routing.objects.filter(acknowledged_at__isnull=False).exists()
    assert Routing.objects.filter(acknowledged_at__isnull=True).exists()
    assert correspondence_demo_load().letters == 0
    assert Letter.objects.count() == len(LETTERS)


def test_the_demo_officer_writes_a_new_letter(demo):
    client = signed_in_client(User.objects.get(username="demo_officer"))
    url = reverse("correspondence:letter_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "org_unit": OrgUnit.objects.get(code="REG-NE").pk,
            "kind": "outgoing",
            "urgency": "normal",
            "secrecy": "normal",
            "letter_date": timezone.localdate().isoformat(),
            "recipient": "นายอำเภอเมืองขอนแก่น",
            "subject": "ขอเชิญร่วมเวทีประชาคมตำบลท่าพระ",
            "salutation": "เรียน",
            "body": "ขอเชิญร่วมเวทีประชาคม",
            "closing": "ขอแสดงความนับถือ",
        },
    )
    assert response.status_code == 302, response.content[:600]
    assert Letter.objects.filter(subject="ขอเชิญร่วมเวทีประชาคมตำบลท่าพระ", org_unit__code="REG-NE").exists()


def test_staff_who_keep_no_register_are_still_refused(demo):
    client = signed_in_client(User.objects.get(username="demo_hr"))
    assert client.get(reverse("correspondence:letter_create")).status_code == 403
    leader = signed_in_client(User.objects.get(username="demo_leader"))
    assert leader.get(reverse("correspondence:letter_create")).status_code == 403


def test_the_demo_letters_show_in_the_officers_list(demo):
    response = signed_in_client(User.objects.get(username="demo_officer")).get(
        reverse("correspondence:letter_list")
    )
    assert response.status_code == 200
    assert "ขอรับการสนับสนุนโครงการบ้านมั่นคงชุมชนท่าพระ" in response.content.decode()
