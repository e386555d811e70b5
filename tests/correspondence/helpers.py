"""Shared set-up for the correspondence tests: units, registrars, staff and letters."""

from __future__ import annotations

import itertools
from datetime import date

from codi.correspondence import services
from codi.correspondence.models import Letter
from codi.identity.models import OrgUnit, RoleAssignment, User
from tests.factories import UserFactory

_codes = itertools.count(1)


def unit(name: str = "สำนักงานภาคอีสาน", *, letter_code: str = "พอช 12.3", **book: object) -> OrgUnit:
    org_unit = OrgUnit.objects.create(code=f"U{next(_codes):04d}", name_th=name)
    services.register_book_set(actor=None, org_unit=org_unit, letter_code=letter_code, **book)  # type: ignore[arg-type]
    return org_unit


def staff(org_unit: OrgUnit | None = None, *, role: str = "project_officer", **fields: object) -> User:
    user = UserFactory(org_unit=org_unit, **fields)
    RoleAssignment.objects.create(user=user, role=role, scope_level="country", scope_code="")
    return user


def registrar(org_unit: OrgUnit) -> User:
    user = staff(org_unit, position="เจ้าหน้าที่ธุรการ")
    services.registrar_assign(actor=None, user=user, org_unit=org_unit)
    return user


def letter(
    org_unit: OrgUnit, clerk: User, *, kind: str = "outgoing", secrecy: str = "normal", **data: object
) -> Letter:
    values: dict[str, object] = {
        "kind": kind,
        "subject": "ขอเชิญประชุมสภาองค์กรชุมชนตำบลท่าพระ",
        "letter_date": date(2026, 11, 29),
        "secrecy": secrecy,
        "recipient": "นายกองค์การบริหารส่วนตำบลท่าพระ",
        "body": "ด้วยสถาบันพัฒนาองค์กรชุมชนจะจัดประชุม\n\nจึงเรียนมาเพื่อโปรดทราบ",
    }
    if kind == "incoming":
        values |= {"sender": "จังหวัดขอนแก่น", "document_number": "ขก 0017.1/ว 456"}
    values |= data
    return services.letter_register(actor=clerk, org_unit=org_unit, data=services.LetterData(**values))  # type: ignore[arg-type]
