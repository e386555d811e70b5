from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core import mail  # noqa: F401  (locmem outbox)
from django.utils import timezone
from stdnum.th import pin

from codi.communities import services as communities
from codi.communities.models import ImportJob, Membership, Organization, Person
from codi.core.audit import audit_record
from codi.feedback.models import Ticket
from codi.identity.models import User
from codi.notifications.models import Notification
from codi.notifications.services import notification_send
from codi.projects.models import Program, Project
from tests.permissions import Matrix

NATIONAL_ID_BODY = "310060049876"
NATIONAL_ID = NATIONAL_ID_BODY + pin.calc_check_digit(NATIONAL_ID_BODY)
FIRST_NAME = "สมหญิงทดสอบลบ"
LAST_NAME = "ใจดีเป็นพิเศษ"
PHONE = "0812345679"
ADDRESS = "99/9 หมู่ 9 ถนนทดสอบลบข้อมูล"
EMAIL = "somying.erase@example.com"
LINE_ID = "somying_erase"


def national_id(n: int) -> str:
    body = f"31006005{n:04d}"
    return body + pin.calc_check_digit(body)


@pytest.fixture(autouse=True)
def quiet_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def dpo(matrix: Matrix) -> User:
    return matrix.user("data_protection_officer", "country")


@pytest.fixture
def officer(matrix: Matrix) -> User:
    return matrix.user("project_officer", "province", "40")


@dataclass
class Seeded:
    person: Person
    organization: Organization
    membership: Membership
    project: Project
    ticket: Ticket
    notification_ids: set[int]
    import_job: ImportJob


def make_project(org: Organization, person: Person, *, status: str = "draft") -> Project:
    program, _ = Program.objects.get_or_create(code="BMK", defaults={"kind": "housing", "name_th": "บ้านมั่นคง"})
    return Project.objects.create(
        code=f"P-{uuid.uuid4().hex[:8]}",
        program=program,
        fiscal_year=2569,
        subdistrict_id="400104",
        lead_organization=org,
        contact_person=person,
        title="ซ่อมบ้านชุมชนท่าพระ",
        requested_amount=Decimal("150000.00"),
        status=status,
    )


@pytest.fixture
def seeded(officer: User) -> Seeded:
    """One person in the registry (member and contact of an organization), a project, a report and a message."""
    person = communities.person_create(
        actor=officer,
        national_id=NATIONAL_ID,
        first_name_th=FIRST_NAME,
        last_name_th=LAST_NAME,
        title_th="นาง",
        birth_year=1975,
        gender="female",
        subdistrict_code="400104",
        phone=PHONE,
        address=ADDRESS,
    )
    org = communities.organization_create(
        actor=officer,
        name_th="กลุ่มออมทรัพย์ท่าพระร่วมใจ",
        org_type="savings_group",
        subdistrict_code="400104",
        phone=PHONE,
    )
    membership = communities.membership_add(actor=officer, person=person, organization=org, role="committee")
    project = make_project(org, person)
    # a member import whose stored preview shows the person (as the importer keeps it)
    job = ImportJob.objects.create(
        kind="members",
        file_name="members.xlsx",
        file_format="xlsx",
        file_sha256="0" * 64,
        created_by=officer,
        status="committed",
        preview=[
            {"row": 2, "national_id": person.national_id_masked, "name": person.full_name, "action": "new"}
        ],
    )
    # The report as the feedback intake stores it (written here directly: that module is being reworked).
    ticket = Ticket.objects.create(
        reference="FB-2569-000777",
        token_hash=uuid.uuid4().hex,
        channel="web",
        text=f"ถนนในหมู่บ้านชำรุด ติดต่อ{FIRST_NAME} {LAST_NAME} เลขบัตร {NATIONAL_ID} โทร 081-234-5679",
        subdistrict_id="400104",
        reporter_name=f"{FIRST_NAME} {LAST_NAME}",
        reporter_email=EMAIL,
        reporter_phone="081-234-5679",
        reporter_line_id=LINE_ID,
        consent_at=timezone.now(),
    )
    audit_record(
        actor=None,
        action="feedback.ticket.create",
        object_type="feedback.ticket",
        object_id=ticket.pk,
        changes={
            "reference": ticket.reference,
            "reporter_name": ticket.reporter_name,
            "reporter_email": EMAIL,
        },
        personal_fields=("reporter_name", "reporter_email"),
    )
    for channel, address in (("email", {"recipient_email": EMAIL}), ("line", {"recipient_line_id": LINE_ID})):
        notification_send(
            template_key="generic",
            context={"subject": "ได้รับเรื่องแล้ว", "body": f"เรื่อง {ticket.reference}"},
            channel=channel,
            **address,
        )
    # the reporter is told by e-mail and by LINE
    notification_ids = set(Notification.objects.values_list("pk", flat=True))
    assert len(notification_ids) == 2
    return Seeded(person, org, membership, project, ticket, notification_ids, job)
