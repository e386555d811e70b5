"""The labelled demo data set: one account per role and community organizations.

Everything here is marked ``is_demo`` and generated from a fixed seed, so a
reload produces the same rows and never duplicates them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from codi.areas.models import Subdistrict
from codi.communities.models import Organization, OrgType
from codi.core.audit import audit_record
from codi.identity.models import OrgUnit, User
from codi.identity.roles import Role, ScopeLevel
from codi.identity.services import role_assign, user_create

DEMO_PASSWORD = "codi-demo-2569"  # noqa: S105 — documented in the README; demo accounts only
DEMO_SEED = 2569
DEMO_ORGANIZATIONS = 600
LEADER_SUBDISTRICT = "400104"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name_th: str
    role: str
    scope_level: str
    scope_code: str
    unit: str


ACCOUNTS: list[DemoAccount] = [
    DemoAccount("demo_admin", "ผู้ดูแลระบบ (ตัวอย่าง)", Role.SYSTEM_ADMIN, ScopeLevel.COUNTRY, "", "HQ-IT"),
    DemoAccount("demo_executive", "ผู้บริหาร (ตัวอย่าง)", Role.EXECUTIVE, ScopeLevel.COUNTRY, "", "HQ"),
    DemoAccount("demo_director", "ผู้อำนวยการภาคอีสาน (ตัวอย่าง)", Role.REGIONAL_DIRECTOR, ScopeLevel.REGION, "northeast", "REG-NE"),
    DemoAccount("demo_officer", "เจ้าหน้าที่โครงการขอนแก่น (ตัวอย่าง)", Role.PROJECT_OFFICER, ScopeLevel.PROVINCE, "40", "REG-NE"),
    DemoAccount("demo_finance", "เจ้าหน้าที่การเงิน (ตัวอย่าง)", Role.FINANCE_OFFICER, ScopeLevel.COUNTRY, "", "HQ-FIN"),
    DemoAccount("demo_procurement", "เจ้าหน้าที่พัสดุ (ตัวอย่าง)", Role.PROCUREMENT_OFFICER, ScopeLevel.COUNTRY, "", "HQ-FIN"),
    DemoAccount("demo_hr", "เจ้าหน้าที่บุคคล (ตัวอย่าง)", Role.HR_OFFICER, ScopeLevel.COUNTRY, "", "HQ-HR"),
    DemoAccount("demo_auditor", "ผู้ตรวจสอบภายใน (ตัวอย่าง)", Role.INTERNAL_AUDITOR, ScopeLevel.COUNTRY, "", "HQ-AUDIT"),
    DemoAccount("demo_dpo", "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล (ตัวอย่าง)", Role.DATA_PROTECTION_OFFICER, ScopeLevel.COUNTRY, "", "HQ"),
    DemoAccount("demo_knowledge", "เจ้าหน้าที่จัดการความรู้ (ตัวอย่าง)", Role.KNOWLEDGE_OFFICER, ScopeLevel.COUNTRY, "", "HQ"),
    DemoAccount("demo_leader", "ผู้นำชุมชนตำบลท่าพระ (ตัวอย่าง)", Role.COMMUNITY_LEADER, ScopeLevel.SUBDISTRICT, LEADER_SUBDISTRICT, "REG-NE"),
    DemoAccount("demo_partner", "หน่วยงานภาคี จ.ขอนแก่น (ตัวอย่าง)", Role.PARTNER_AGENCY, ScopeLevel.PROVINCE, "40", "REG-NE"),
]  # fmt: skip

ORG_UNITS = [
    ("HQ", "สำนักงานใหญ่", "Head office", None),
    ("HQ-IT", "ฝ่ายเทคโนโลยีสารสนเทศ", "IT department", "HQ"),
    ("HQ-FIN", "ฝ่ายการเงินและบัญชี", "Finance and accounting", "HQ"),
    ("HQ-HR", "ฝ่ายทรัพยากรบุคคล", "Human resources", "HQ"),
    ("HQ-AUDIT", "สำนักตรวจสอบภายใน", "Internal audit", "HQ"),
    ("REG-NE", "สำนักงานภาคตะวันออกเฉียงเหนือ", "Northeast regional office", "HQ"),
]

_PREFIX = {
    OrgType.COMMUNITY_ORGANIZATION: "องค์กรชุมชน",
    OrgType.NETWORK: "เครือข่ายองค์กรชุมชน",
    OrgType.COUNCIL: "สภาองค์กรชุมชนตำบล",
    OrgType.WELFARE_FUND: "กองทุนสวัสดิการชุมชนตำบล",
    OrgType.SAVINGS_GROUP: "กลุ่มออมทรัพย์",
    OrgType.HOUSING_COOP: "สหกรณ์เคหสถานบ้านมั่นคง",
    OrgType.ENTERPRISE: "วิสาหกิจชุมชน",
    OrgType.OTHER: "กลุ่ม",
}
_TOPICS = ["พัฒนาชุมชน", "เกษตรอินทรีย์", "ทอผ้า", "แปรรูปอาหาร", "ท่องเที่ยวชุมชน", "ป่าชุมชน", "ประมงพื้นบ้าน", "ผู้สูงอายุ"]


@dataclass
class DemoSummary:
    users_created: list[str]
    organizations_created: int


def demo_load() -> DemoSummary:
    """Create what is missing of the demo data set; existing rows are left as they are."""
    created_users: list[str] = []
    with transaction.atomic():
        units: dict[str, OrgUnit] = {}
        for code, name_th, name_en, parent in ORG_UNITS:
            units[code], _ = OrgUnit.objects.get_or_create(
                code=code,
                defaults={"name_th": name_th, "name_en": name_en, "parent": units.get(parent or "")},
            )
        for account in ACCOUNTS:
            user = User.objects.filter(username=account.username).first()
            if user is None:
                user = user_create(
                    actor=None,
                    username=account.username,
                    password=DEMO_PASSWORD,
                    name_th=account.name_th,
                    org_unit=units[account.unit],
                    is_demo=True,
                )
                created_users.append(account.username)
            role_assign(
                actor=None,
                user=user,
                role=account.role,
                scope_level=account.scope_level,
                scope_code=account.scope_code,
            )
        organizations = _demo_organizations()
    return DemoSummary(created_users, organizations)


def _demo_organizations() -> int:
    if Organization.objects.filter(is_demo=True).exists():
        return 0
    rng = random.Random(DEMO_SEED)  # noqa: S311 — reproducible demo data, not security
    codes = list(Subdistrict.objects.order_by("code").values_list("code", "name_th"))
    # Khon Kaen (40) gets a dense cluster so the demo officer and leader see real lists.
    khon_kaen = [c for c in codes if c[0].startswith("40")]
    types = list(OrgType)
    rows = []
    for i in range(DEMO_ORGANIZATIONS):
        if i < 8:  # the demo community leader's own subdistrict
            code, tambon = next(c for c in khon_kaen if c[0] == LEADER_SUBDISTRICT)
        else:
            code, tambon = rng.choice(khon_kaen if i % 3 == 0 else codes)
        org_type = rng.choice(types)
        name = (
            f"{_PREFIX[org_type]}{rng.choice(_TOPICS)} ต.{tambon}"
            if org_type != OrgType.COUNCIL
            else f"{_PREFIX[org_type]}{tambon}"
        )
        rows.append(
            Organization(
                name_th=name,
                org_type=org_type,
                registration_no=f"DEMO-{i + 1:05d}",
                subdistrict_id=code,
                founded_on=date(rng.randint(2535, 2568) - 543, rng.randint(1, 12), rng.randint(1, 28)),
                is_demo=True,
            )
        )
    Organization.objects.bulk_create(rows, batch_size=500)
    audit_record(
        actor=None,
        action="demo.load",
        object_type="communities.organization",
        changes={"organizations": len(rows)},
    )
    return len(rows)
