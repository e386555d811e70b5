"""Exports of the registry to .xlsx and CSV: the actor's scope, masked unless asked and permitted.

Member exports use the import's columns, so an exported file can be edited and
imported back (an unmasked export re-imports as updates; a masked one cannot,
by design: its national IDs are not there).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from codi.communities.importing import MEMBER_COLUMNS, ORGANIZATION_COLUMNS
from codi.communities.models import (
    Gender,
    LocationFlag,
    MemberRole,
    Membership,
    Organization,
    OrgStatus,
    OrgType,
    Person,
)
from codi.communities.spreadsheet import csv_cell
from codi.communities.validation import format_national_id, mask_phone

GENDER_TH: dict[str, str] = {Gender.MALE: "ชาย", Gender.FEMALE: "หญิง", Gender.OTHER: "อื่น ๆ"}
ROLE_TH: dict[str, str] = {
    MemberRole.LEADER: "ผู้นำ",
    MemberRole.COMMITTEE: "กรรมการ",
    MemberRole.MEMBER: "สมาชิก",
}
TYPE_TH: dict[str, str] = {
    OrgType.COMMUNITY_ORGANIZATION: "องค์กรชุมชน",
    OrgType.NETWORK: "เครือข่ายองค์กรชุมชน",
    OrgType.COUNCIL: "สภาองค์กรชุมชนตำบล",
    OrgType.WELFARE_FUND: "กองทุนสวัสดิการชุมชน",
    OrgType.SAVINGS_GROUP: "กลุ่มออมทรัพย์",
    OrgType.HOUSING_COOP: "บ้านมั่นคง",
    OrgType.ENTERPRISE: "วิสาหกิจชุมชน",
    OrgType.OTHER: "อื่น ๆ",
}
STATUS_TH: dict[str, str] = {
    OrgStatus.ACTIVE: "ใช้งาน",
    OrgStatus.INACTIVE: "ไม่ใช้งาน",
    OrgStatus.DISSOLVED: "เลิกกิจการ",
}
FLAG_TH: dict[str, str] = {
    LocationFlag.OUTSIDE_SUBDISTRICT: "พิกัดอยู่นอกตำบล",
    LocationFlag.NO_BOUNDARY: "ยังไม่ได้ตรวจพิกัด",
}
EXTRA_ORG_COLUMNS = ["ตำบล", "อำเภอ", "จังหวัด", "ผลตรวจพิกัด"]


@dataclass
class Export:
    header: list[str]
    rows: Iterator[Sequence[Any]]


def organizations(orgs: QuerySet[Organization], *, unmasked_phone: bool) -> Export:
    """Organizations with the import's columns first (re-importable), then area names and the location check."""
    header = [c.th for c in ORGANIZATION_COLUMNS] + EXTRA_ORG_COLUMNS
    query = orgs.select_related("subdistrict__district__province", "parent_network").order_by("id")

    def rows() -> Iterator[Sequence[Any]]:
        for org in query.iterator(chunk_size=2000):
            sub = org.subdistrict
            yield [
                org.registration_no,
                org.name_th,
                org.name_en,
                TYPE_TH.get(org.org_type, org.org_type),
                org.subdistrict_id,
                org.address,
                org.latitude,
                org.longitude,
                org.phone if unmasked_phone else mask_phone(org.phone),
                org.email,
                org.line_id,
                STATUS_TH.get(org.status, org.status),
                org.parent_network.registration_no if org.parent_network else "",
                org.founded_on,
                sub.name_th,
                sub.district.name_th,
                sub.district.province.name_th,
                FLAG_TH.get(org.location_flag, ""),
            ]

    return Export(header, rows())


def members(persons: QuerySet[Person], *, unmasked: bool) -> Export:
    """One row per membership (persons without one get a row of their own), in the import's columns."""
    header = [c.th for c in MEMBER_COLUMNS]
    query = persons.select_related(None).order_by("id")
    if not unmasked:
        query = query.defer("national_id", "phone", "address")

    def rows() -> Iterator[Sequence[Any]]:
        batch: list[Person] = []
        for person in query.iterator(chunk_size=2000):
            batch.append(person)
            if len(batch) == 2000:
                yield from _member_rows(batch, unmasked)
                batch = []
        if batch:
            yield from _member_rows(batch, unmasked)

    return Export(header, rows())


def _member_rows(batch: list[Person], unmasked: bool) -> Iterator[Sequence[Any]]:
    memberships: dict[int, list[Membership]] = {}
    for m in (
        Membership.objects.filter(person_id__in=[p.pk for p in batch])
        .select_related("organization")
        .only("person_id", "role", "started_on", "ended_on", "organization__registration_no")
        .order_by("id")
    ):
        memberships.setdefault(m.person_id, []).append(m)
    for person in batch:
        base = [
            format_national_id(person.national_id) if unmasked else person.national_id_masked,
            person.title_th,
            person.first_name_th,
            person.last_name_th,
            person.birth_year_be,
            GENDER_TH.get(person.gender, ""),
            person.phone if unmasked else "",
            person.address if unmasked else "",
            person.subdistrict_id,
        ]
        current = [m for m in memberships.get(person.pk, []) if m.ended_on is None]
        if not current:
            yield [*base, "", "", None]
        for m in current:
            yield [*base, m.organization.registration_no, ROLE_TH.get(m.role, m.role), m.started_on]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(export: Export) -> Iterator[str]:
    """CSV text for a streaming response: UTF-8 with a BOM so that Excel shows Thai correctly."""

    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(export.header)
    for row in export.rows:
        yield writer.writerow([csv_cell(v) for v in row])
