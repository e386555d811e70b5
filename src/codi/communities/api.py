"""API: community organizations and their members, limited to the caller's areas.

- Organizations: any role with ``communities.view_organization`` in the area.
  The contact phone is personal data: masked, unless ``?unmask=true`` by a role
  with ``communities.view_personal_data`` there (audited).
- Members: only staff who manage organizations or hold the personal-data
  permission in the area (project officers, regional directors, data
  protection officers); others get 403. Lists always show the masked national
  ID; ``GET /members/{id}?unmask=true`` shows it in full to the
  personal-data permission, and each such view is written to the audit trail.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from codi.api.kit import ERRORS, Pages
from codi.api.pagination import json_page, page_slice
from codi.communities import selectors, services
from codi.communities.models import Membership, Organization, OrgStatus, OrgType, Person
from codi.communities.validation import mask_phone
from codi.core.models import AuditEntry

router = Router(tags=["communities"])

TEXT = r"^[^\x00]*$"
AREA_CODE = r"^(\d{2}|\d{4}|\d{6})?$"
REGION = r"^[a-z_-]{0,20}$"
ROLE = r"^(leader|committee|member)?$"
MAX_ID = 2**63 - 1  # ids are 64-bit: a larger number is a 422, never a database error
OrgId = Path(..., ge=1, le=MAX_ID)
PersonId = Path(..., ge=1, le=MAX_ID)
Latitude = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
Longitude = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)


class OrganizationOut(Schema):
    id: int
    name_th: str
    name_en: str
    org_type: str
    registration_no: str
    subdistrict_code: str = Field(..., alias="subdistrict_id")
    founded_on: date | None
    status: str
    address: str
    latitude: Decimal | None = Field(None, description="decimal degrees, 6 places, as text")
    longitude: Decimal | None = Field(None, description="decimal degrees, 6 places, as text")
    location_flag: str = Field(
        "", description="'' (nothing found), 'outside_subdistrict', or 'no_boundary' (not checked)"
    )
    phone: str = Field("", description="masked (xxxxxx5678) unless unmasked on request")
    email: str
    line_id: str
    parent_network_id: int | None
    is_demo: bool

    @staticmethod
    def resolve_phone(obj: Any) -> str:
        return obj.phone if getattr(obj, "phone_unmasked", False) else mask_phone(obj.phone)


class OrganizationIn(Schema):
    name_th: str = Field(..., min_length=1, max_length=255, pattern=TEXT)
    name_en: str = Field("", max_length=255, pattern=TEXT)
    org_type: OrgType
    subdistrict_code: str = Field(..., pattern=r"^\d{6}$")
    registration_no: str = Field("", max_length=50, pattern=TEXT)
    founded_on: date | None = None
    status: OrgStatus = OrgStatus.ACTIVE
    address: str = Field("", max_length=2000, pattern=TEXT)
    latitude: Decimal | None = Latitude
    longitude: Decimal | None = Longitude
    phone: str = Field("", max_length=30, pattern=TEXT)
    email: str = Field("", max_length=254, pattern=TEXT)
    line_id: str = Field("", max_length=50, pattern=TEXT)
    parent_network_id: int | None = Field(None, ge=1, le=MAX_ID)


class OrganizationPatch(Schema):
    """Only the fields sent are changed; the change is recorded in the organization's history."""

    name_th: str | None = Field(None, min_length=1, max_length=255, pattern=TEXT)
    name_en: str | None = Field(None, max_length=255, pattern=TEXT)
    org_type: OrgType | None = None
    subdistrict_code: str | None = Field(None, pattern=r"^\d{6}$")
    registration_no: str | None = Field(None, max_length=50, pattern=TEXT)
    founded_on: date | None = None
    status: OrgStatus | None = None
    address: str | None = Field(None, max_length=2000, pattern=TEXT)
    latitude: Decimal | None = Latitude
    longitude: Decimal | None = Longitude
    phone: str | None = Field(None, max_length=30, pattern=TEXT)
    email: str | None = Field(None, max_length=254, pattern=TEXT)
    line_id: str | None = Field(None, max_length=50, pattern=TEXT)
    parent_network_id: int | None = Field(None, ge=1, le=MAX_ID)


class HistoryOut(Schema):
    id: int
    created_at: datetime
    actor: str = Field(..., alias="actor_label")
    action: str
    changes: dict[str, Any] = Field(..., description="field → [old, new]; personal values masked (•••)")


class MembershipOut(Schema):
    id: int
    person_id: int
    name: str
    national_id_masked: str
    organization_id: int
    role: str
    started_on: date | None
    ended_on: date | None

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_national_id_masked(obj: Membership) -> str:
        return obj.person.national_id_masked


class PersonOut(Schema):
    id: int
    national_id_masked: str = Field(..., description="1-2345-xxxxx-xx-1")
    title_th: str
    first_name_th: str
    last_name_th: str
    birth_year: int | None = Field(None, description="Gregorian year (Buddhist Era = +543)")
    gender: str
    subdistrict_code: str = Field(..., alias="subdistrict_id")


class PersonDetailOut(PersonOut):
    unmasked: bool = Field(False, description="true when national_id, phone and address are shown in full")
    national_id: str = Field("", description="in full only when unmasked")
    phone: str
    address: str
    memberships: list[MembershipOut]


def _org_or_404(request: HttpRequest, org_id: int) -> Organization:
    org = selectors.organization_get(actor=request.user, org_id=org_id)
    if org is None:
        raise HttpError(404, "not found")
    return org


class PagedOrganizationOut(Schema):
    items: list[OrganizationOut]
    count: int
    page: int
    page_size: int


# The list's columns, read with .values() and written as JSON without a schema object per row.
_LIST_COLUMNS = (
    "id", "name_th", "name_en", "org_type", "registration_no", "subdistrict_id", "founded_on", "status",
    "address", "latitude", "longitude", "location_flag", "phone", "email", "line_id", "parent_network_id",
    "is_demo",
)  # fmt: skip


def _list_row(row: dict[str, Any]) -> dict[str, Any]:
    row["subdistrict_code"] = row.pop("subdistrict_id")
    row["phone"] = mask_phone(row["phone"])  # a list never unmasks
    return row


@router.get(
    "/organizations",
    response={200: PagedOrganizationOut, **ERRORS},
    summary="Community organizations in the caller's areas",
)
def organization_list(
    request: HttpRequest,
    province: str = Query("", pattern=r"^(\d{2})?$"),
    subdistrict: str = Query("", pattern=r"^(\d{6})?$"),
    area: str = Query(
        "", pattern=AREA_CODE, description="province (2), district (4) or subdistrict (6) code"
    ),
    region: str = Query("", pattern=REGION, description="CODI region code"),
    org_type: str = Query("", pattern=r"^[a-z_]{0,20}$"),
    status: str = Query("", pattern=r"^[a-z_]{0,20}$"),
    network: int | None = Query(None, ge=1, le=MAX_ID, description="members of this community network"),
    location_flag: str = Query(
        "",
        pattern=r"^(outside_subdistrict|no_boundary)?$",
        description="organizations whose location needs a look",
    ),
    q: str = Query("", max_length=100, pattern=TEXT, description="Thai words of the name, prefixes match"),
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(50, ge=1, le=200),
) -> HttpResponse:
    orgs = selectors.organization_list(
        actor=request.user,
        province_code=province,
        subdistrict_code=subdistrict,
        area_code=area,
        region_code=region,
        org_type=org_type,
        status=status,
        network=str(network or ""),
        location_flag=location_flag,
        search=q,
    )
    rows, count = page_slice(orgs.values(*_LIST_COLUMNS), page=page, page_size=page_size)
    return json_page([_list_row(row) for row in rows], count=count, page=page, page_size=page_size)


@router.get("/organizations/{org_id}", response={200: OrganizationOut, **ERRORS}, summary="One organization")
def organization_detail(
    request: HttpRequest,
    org_id: int = OrgId,
    unmask: bool = Query(
        False, description="show the contact phone in full (personal-data permission; audited)"
    ),
) -> Organization:
    org = _org_or_404(request, org_id)
    if unmask:
        phone = selectors.organization_phone(actor=request.user, organization=org)
        if phone is None:
            raise HttpError(403, "not permitted to see personal data here")
        org.phone_unmasked = True  # type: ignore[attr-defined]
    return org


@router.post("/organizations", response={201: OrganizationOut, **ERRORS}, summary="Register an organization")
def organization_create(request: HttpRequest, payload: OrganizationIn) -> Status[Organization]:
    org = services.organization_create(
        actor=request.user,
        name_th=payload.name_th,
        name_en=payload.name_en,
        org_type=payload.org_type.value,
        subdistrict_code=payload.subdistrict_code,
        registration_no=payload.registration_no,
        founded_on=payload.founded_on,
        status=payload.status.value,
        address=payload.address,
        latitude=payload.latitude,
        longitude=payload.longitude,
        phone=payload.phone,
        email=payload.email,
        line_id=payload.line_id,
        parent_network_id=payload.parent_network_id,
    )
    return Status(201, org)


@router.patch(
    "/organizations/{org_id}",
    response={200: OrganizationOut, **ERRORS},
    summary="Change an organization's fields",
)
def organization_update(
    request: HttpRequest, payload: OrganizationPatch, org_id: int = OrgId
) -> Organization:
    org = _org_or_404(request, org_id)
    changes = payload.dict(exclude_unset=True)
    for key in ("org_type", "status"):
        if changes.get(key) is not None:
            changes[key] = str(getattr(changes[key], "value", changes[key]))
    for key in ("name_th", "org_type", "subdistrict_code", "status"):
        if key in changes and changes[key] is None:
            del changes[key]  # required fields cannot be emptied
    return services.organization_update(actor=request.user, organization=org, changes=changes)


@router.get(
    "/organizations/{org_id}/history",
    response={200: list[HistoryOut], **ERRORS},
    summary="Changes to one organization, newest first (from the audit trail)",
)
@paginate(Pages)
def organization_history(request: HttpRequest, org_id: int = OrgId) -> QuerySet[AuditEntry]:
    org = _org_or_404(request, org_id)
    return selectors.organization_history(actor=request.user, organization=org)


@router.get(
    "/organizations/{org_id}/members",
    response={200: list[MembershipOut], **ERRORS},
    summary="Members of one organization (masked national IDs)",
)
@paginate(Pages)
def organization_members(
    request: HttpRequest,
    org_id: int = OrgId,
    role: str = Query("", pattern=ROLE),
    current: bool = Query(False, description="only memberships that have not ended"),
) -> QuerySet[Membership]:
    org = _org_or_404(request, org_id)
    if not selectors.can_view_members_in(request.user, subdistrict_code=org.subdistrict_id):
        raise HttpError(403, "not permitted to see members here")
    memberships = selectors.membership_list(actor=request.user, organization=org)
    if role:
        memberships = memberships.filter(role=role)
    if current:
        memberships = memberships.filter(ended_on__isnull=True)
    return memberships


@router.get(
    "/members",
    response={200: list[PersonOut], **ERRORS},
    summary="Members (persons) in the caller's areas, national IDs masked",
)
@paginate(Pages)
def member_list(
    request: HttpRequest,
    area: str = Query(
        "", pattern=AREA_CODE, description="home province (2), district (4) or subdistrict (6)"
    ),
    region: str = Query("", pattern=REGION),
    organization: int | None = Query(None, ge=1, le=MAX_ID, description="members of this organization"),
    role: str = Query("", pattern=ROLE),
    q: str = Query("", max_length=100, pattern=TEXT, description="part of the first or last name"),
) -> QuerySet[Person]:
    if not selectors.can_view_members(request.user):
        raise HttpError(403, "not permitted to see members")
    return selectors.person_list(
        actor=request.user,
        area_code=area,
        region_code=region,
        organization_id=organization,
        role=role,
        search=q,
    ).defer("national_id", "phone", "address")


@router.get("/members/{person_id}", response={200: PersonDetailOut, **ERRORS}, summary="One member")
def member_detail(
    request: HttpRequest,
    person_id: int = PersonId,
    unmask: bool = Query(
        False, description="national ID, phone and address in full (personal-data permission; audited)"
    ),
) -> dict[str, Any]:
    person = selectors.person_get(actor=request.user, person_id=person_id)
    if person is None:
        raise HttpError(404, "not found")
    body: dict[str, Any] = {
        **{
            f: getattr(person, f)
            for f in (
                "id",
                "national_id_masked",
                "title_th",
                "first_name_th",
                "last_name_th",
                "birth_year",
                "gender",
                "subdistrict_id",
            )
        },
        "memberships": list(selectors.membership_list(actor=request.user, person=person)),
        "unmasked": False,
        "national_id": "",
        "phone": mask_phone(person.phone),
        "address": "",
    }
    if unmask:
        data = selectors.person_personal_data(actor=request.user, person=person)
        if data is None:
            raise HttpError(403, "not permitted to see personal data here")
        body.update(unmasked=True, national_id=data.national_id, phone=data.phone, address=data.address)
    return body
