"""Test helpers for community projects: programs, budget lines, the people of each step, and a
project driven through the real services to any step of the process.

    cast = Cast.create()                      # officer/director/finance/leader for Khon Kaen
    line = budget_line(amount=Decimal("1000000.00"))
    project = project_at("report_review", cast=cast)   # any key of STATES

Everything goes through ``codi.projects.services`` (no hand-made states), so a project at
a step is exactly what the process would produce. Amounts default to a 300,000 baht request
approved at 270,000 in three installments of 90,000.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import factory

from codi.identity.models import RoleAssignment, User
from codi.projects import services
from codi.projects.models import BudgetLine, Installment, Program, ProgramKind, Project
from tests.factories import OrganizationFactory, UserFactory

SUBDISTRICT = "400104"  # ท่าพระ, Mueang Khon Kaen (province 40, region northeast)
REGION = "northeast"
FISCAL_YEAR = 2569
REQUESTED = Decimal("300000.00")
APPROVED = Decimal("270000.00")
INSTALLMENTS = (Decimal("90000.00"), Decimal("90000.00"), Decimal("90000.00"))


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PRG{n:03d}")
    kind = ProgramKind.ECONOMY
    name_th = factory.Sequence(lambda n: f"แผนงานเศรษฐกิจชุมชน {n}")
    name_en = factory.Sequence(lambda n: f"Community economy {n}")


def staff(role: str, scope_level: str = "country", scope_code: str = "", **user_fields: Any) -> User:
    """A user holding one role over one scope."""
    user = UserFactory(**user_fields)
    RoleAssignment.objects.create(user=user, role=role, scope_level=scope_level, scope_code=scope_code)
    return user


def leader_for(organization: Any, **user_fields: Any) -> User:
    """A community leader whose portal acts for ``organization``."""
    from codi.projects.models import PortalAccount

    user = staff("community_leader", "subdistrict", organization.subdistrict_id, **user_fields)
    PortalAccount.objects.create(user=user, organization=organization)
    return user


@dataclass
class Cast:
    """The people of the process for one area (Khon Kaen by default)."""

    officer: User
    director: User
    finance: User
    leader: User
    organization: Any
    admin: User

    @classmethod
    def create(cls, subdistrict: str = SUBDISTRICT) -> Cast:
        organization = OrganizationFactory(subdistrict_id=subdistrict)
        return cls(
            officer=staff("project_officer", "province", subdistrict[:2], email="officer@example.org"),
            director=staff("regional_director", "region", REGION),
            finance=staff("finance_officer", "country"),
            leader=leader_for(organization, email="leader@example.org"),
            organization=organization,
            admin=staff("system_admin", "country"),
        )


def budget_line(
    *,
    program: Program | None = None,
    region: str = REGION,
    fiscal_year: int = FISCAL_YEAR,
    amount: Decimal = Decimal("10000000.00"),
    actor: User | None = None,
) -> BudgetLine:
    program = program or ProgramFactory()
    actor = actor or staff("system_admin", "country")
    return services.budget_line_allocate(
        actor=actor, program=program, region_code=region, fiscal_year=fiscal_year, amount=amount
    )


def new_project(
    *,
    cast: Cast,
    program: Program | None = None,
    requested: Decimal = REQUESTED,
    line_amount: Decimal = Decimal("10000000.00"),
    **fields: Any,
) -> Project:
    """A draft proposal by the cast's organization, with a budget line for its program."""
    if program is None:
        program = ProgramFactory()
    if not BudgetLine.objects.filter(program=program, region_id=REGION, fiscal_year=FISCAL_YEAR).exists():
        budget_line(program=program, amount=line_amount, actor=cast.admin)
    defaults: dict[str, Any] = {
        "title": "ตลาดชุมชนท่าพระ",
        "rationale": "ชุมชนต้องการพื้นที่ขายสินค้า",
        "objectives": "เพิ่มรายได้ครัวเรือน",
        "start_date": date(2025, 11, 1),
        "end_date": date(2026, 9, 30),
        "households": 120,
        "persons": 400,
    }
    defaults.update(fields)
    return services.project_create(
        actor=cast.leader,
        program=program,
        lead_organization=cast.organization,
        subdistrict_code=SUBDISTRICT,
        requested_amount=requested,
        fiscal_year=FISCAL_YEAR,
        **defaults,
    )


def tiny_png() -> bytes:
    """A valid 1×1 PNG without EXIF."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1, 1), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_with_exif(
    *, lat: tuple = (16, 26, 30), lon: tuple = (102, 49, 12), when: str = "2026:01:15 09:30:00"
) -> bytes:
    """A small JPEG carrying GPS (north/east) and DateTimeOriginal."""
    from PIL import Image

    image = Image.new("RGB", (8, 8), (10, 120, 40))
    exif = image.getexif()
    exif.get_ifd(0x8769)[36867] = when
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = tuple(float(x) for x in lat)
    gps[3] = "E"
    gps[4] = tuple(float(x) for x in lon)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def _next_installment(project: Project) -> Installment | None:
    return Installment.objects.filter(project=project, status="planned").order_by("number").first()


def report(project: Project, cast: Cast, *, final: bool = False) -> Any:
    return services.report_submit(
        actor=cast.leader, project=project, narrative="ดำเนินการตามแผน", is_final=final
    )


def disburse(project: Project, cast: Cast, key: str | None = None) -> Any:
    """Pay the project's next planned installment (``None`` when none is left)."""
    installment = _next_installment(project)
    if installment is None:
        return None
    return services.installment_disburse(
        actor=cast.finance, installment=installment, idempotency_key=key or f"pay-{installment.pk}"
    )


# The steps a project can be brought to, in process order ("revision" = returned at screening).
STATES = (
    "draft",
    "revision",
    "screening",
    "committee",
    "approval",
    "agreement",
    "disburse",
    "progress_report",
    "report_review",
    "final_report",
    "final_review",
    "closure",
    "closed",
    "rejected",
    "cancelled",
)


def project_at(
    state: str,
    *,
    cast: Cast | None = None,
    approved: Decimal = APPROVED,
    installments: tuple[Decimal, ...] = INSTALLMENTS,
    paid: int = 1,
    **fields: Any,
) -> Project:
    """A project brought through the services to ``state`` (one of ``STATES``).

    For the installment states, ``paid`` says how many installments were paid (the
    progress report / review is of the last one paid; final_* states pay them all).
    """
    if state not in STATES:
        raise ValueError(f"unknown state {state!r}; one of {STATES}")
    cast = cast or Cast.create()
    project = new_project(cast=cast, **fields)
    if state == "draft":
        return project
    project = services.project_submit(actor=cast.leader, project=project)
    if state == "revision":
        return services.project_screen(
            actor=cast.officer, project=project, decision="revise", comment="เพิ่มรายละเอียด"
        )
    if state == "screening":
        return project
    if state == "rejected":
        return services.project_screen(
            actor=cast.officer, project=project, decision="reject", comment="ไม่ตรงแผนงาน"
        )
    project = services.project_screen(actor=cast.officer, project=project, decision="pass")
    if state == "committee":
        return project
    project = services.project_committee_review(actor=cast.director, project=project, decision="recommend")
    if state == "approval":
        return project
    project = services.project_approve(
        actor=cast.director,
        project=project,
        decision="approve",
        approved_amount=approved,
        reduction_reason="ปรับลดค่าครุภัณฑ์" if approved < project.requested_amount else "",
        installments=[
            services.InstallmentPlan(amount=a, conditions=f"งวดที่ {i}") for i, a in enumerate(installments, 1)
        ],
    )
    if state == "agreement":
        return project
    if state == "cancelled":
        return services.project_cancel(actor=cast.director, project=project, reason="ชุมชนขอยกเลิก")
    project = services.project_agreement_sign(actor=cast.officer, project=project)
    if state == "disburse":
        return project
    if state in ("progress_report", "report_review"):
        if not 1 <= paid < len(installments):
            raise ValueError("progress states need 1 <= paid < number of installments")
        _pay_and_report(project, cast, paid)
        if state == "report_review":
            report(project, cast)
        return Project.objects.get(pk=project.pk)
    _pay_and_report(project, cast, len(installments))
    if state == "final_report":
        return Project.objects.get(pk=project.pk)
    rep = report(project, cast, final=True)
    if state == "final_review":
        return Project.objects.get(pk=project.pk)
    services.report_review(actor=cast.officer, report=rep, decision="accept")
    project = Project.objects.get(pk=project.pk)
    if state == "closure":
        return project
    return services.project_close(actor=cast.officer, project=project, evaluation="บรรลุเป้าหมาย")


def _pay_and_report(project: Project, cast: Cast, count: int) -> None:
    """Pay installments 1..count; every one but the last gets an accepted report."""
    for number in range(1, count + 1):
        disburse(project, cast)
        if number < count:
            services.report_review(actor=cast.officer, report=report(project, cast), decision="accept")
