from __future__ import annotations

from decimal import Decimal

import pytest

from codi.gis.layers import area_points
from codi.identity.models import RoleAssignment
from codi.projects.models import Program, Project, ProjectStatus
from tests.factories import OrganizationFactory, UserFactory

# A point inside each subdistrict's polygon (the polygons are the committed boundaries).
KK = area_points("subdistrict")["400101"]  # ในเมือง, เมืองขอนแก่น
BKK = area_points("subdistrict")["100101"]  # พระบรมมหาราชวัง, พระนคร


def square(lon: float, lat: float, half: float = 0.001) -> dict:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def make_user(role: str, scope_level: str = "country", scope_code: str = ""):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=role, scope_level=scope_level, scope_code=scope_code)
    return user


@pytest.fixture
def world(db) -> dict:
    program = Program.objects.create(code="BMK", kind="housing", name_th="บ้านมั่นคง")
    welfare = Program.objects.create(code="WEL", kind="welfare", name_th="สวัสดิการชุมชน")
    kk_org = OrganizationFactory(
        subdistrict_id="400101", latitude=Decimal(f"{KK[1]:.6f}"), longitude=Decimal(f"{KK[0]:.6f}")
    )
    bkk_org = OrganizationFactory(
        subdistrict_id="100101", latitude=Decimal(f"{BKK[1]:.6f}"), longitude=Decimal(f"{BKK[0]:.6f}")
    )

    def project(code: str, org, subdistrict: str, status: str, year: int = 2569, prog=program) -> Project:
        return Project.objects.create(
            code=code, program=prog, fiscal_year=year, subdistrict_id=subdistrict, lead_organization=org,
            title=f"โครงการ {code}", requested_amount=Decimal("100000"), approved_amount=Decimal("90000"),
            households=20, status=status,
        )  # fmt: skip

    return {
        "program": program,
        "kk_org": kk_org,
        "bkk_org": bkk_org,
        "kk_project": project("P-KK-1", kk_org, "400101", ProjectStatus.APPROVED),
        "kk_welfare": project("P-KK-2", kk_org, "400101", ProjectStatus.IN_PROGRESS, 2568, welfare),
        "kk_draft": project("P-KK-3", kk_org, "400101", ProjectStatus.DRAFT),
        "bkk_project": project("P-BKK-1", bkk_org, "100101", ProjectStatus.IN_PROGRESS),
        "kk_officer": make_user("project_officer", "province", "40"),
        "bkk_officer": make_user("project_officer", "province", "10"),
        "national": make_user("project_officer"),
        "hr": make_user("hr_officer"),
    }
