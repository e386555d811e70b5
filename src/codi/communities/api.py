"""API: community organizations, limited to the caller's areas."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from codi.api.pagination import Pages
from codi.api.schemas import ERRORS
from codi.communities import selectors, services
from codi.communities.models import Organization, OrgType

router = Router(tags=["communities"])


class OrganizationOut(Schema):
    id: int
    name_th: str
    name_en: str
    org_type: str
    registration_no: str
    subdistrict_code: str = Field(..., alias="subdistrict_id")
    founded_on: date | None
    status: str
    is_demo: bool


class OrganizationIn(Schema):
    name_th: str = Field(..., min_length=1, max_length=255)
    name_en: str = Field("", max_length=255)
    org_type: OrgType
    subdistrict_code: str = Field(..., pattern=r"^\d{6}$")
    registration_no: str = Field("", max_length=50)
    founded_on: date | None = None


@router.get(
    "/organizations",
    response={200: list[OrganizationOut], **ERRORS},
    summary="Community organizations in the caller's areas",
)
@paginate(Pages)
def organization_list(
    request: HttpRequest,
    province: str = Query("", pattern=r"^(\d{2})?$"),
    subdistrict: str = Query("", pattern=r"^(\d{6})?$"),
    org_type: str = "",
    status: str = "",
    q: str = Query("", max_length=100),
) -> QuerySet[Organization]:
    return selectors.organization_list(
        actor=request.user,
        province_code=province,
        subdistrict_code=subdistrict,
        org_type=org_type,
        status=status,
        search=q,
    )


@router.get("/organizations/{org_id}", response={200: OrganizationOut, **ERRORS}, summary="One organization")
def organization_detail(request: HttpRequest, org_id: int) -> Organization:
    org = selectors.organization_get(actor=request.user, org_id=org_id)
    if org is None:
        raise HttpError(404, "not found")
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
    )
    return Status(201, org)
