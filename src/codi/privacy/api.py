"""API of the PDPA module: current notices (public), the DPO's clocks, requests, consents, breaches, register."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from codi.api.kit import ERRORS, need
from codi.privacy import selectors, services
from codi.privacy.models import Breach, Consent, DataSubjectRequest, PrivacyNotice

router = Router(tags=["privacy"])

NATIONAL_ID = Field(..., min_length=13, max_length=17, description="13 digits (dashes allowed)")


class NoticeOut(Schema):
    purpose: str
    version: int
    title_th: str
    title_en: str
    body_th: str
    body_en: str
    published_at: datetime


class RequestIn(Schema):
    kind: str = Field(..., pattern=r"^(access|rectification|erasure|objection|restriction)$")
    national_id: str = NATIONAL_ID
    requester_name: str = Field(..., min_length=1, max_length=200)
    channel: str = Field(..., pattern=r"^(web|paper|phone|line|in_person)$")
    details: str = Field("", max_length=5000)


class RequestOut(Schema):
    id: int
    kind: str
    status: str
    person_id: int | None
    received_at: datetime
    due_at: datetime
    extension_count: int
    identity_verified_at: datetime | None
    completed_at: datetime | None
    is_overdue: bool


class VerifyIn(Schema):
    method: str = Field(..., min_length=1, max_length=200)


class ExtendIn(Schema):
    days: int = Field(..., ge=1, le=30)
    reason: str = Field(..., min_length=1, max_length=2000)


class ConsentIn(Schema):
    national_id: str = NATIONAL_ID
    purpose: str = Field(..., max_length=30)
    channel: str = Field(..., pattern=r"^(web|paper|phone|line|in_person)$")
    evidence_text: str = Field(..., min_length=1, max_length=5000)


class WithdrawIn(Schema):
    national_id: str = NATIONAL_ID
    purpose: str = Field(..., max_length=30)
    channel: str = Field(..., pattern=r"^(web|paper|phone|line|in_person)$")
    evidence: str = Field("", max_length=5000)


class ConsentOut(Schema):
    id: int
    person_id: int
    purpose: str
    notice_version: int = Field(..., alias="notice.version")
    channel: str
    given_at: datetime
    withdrawn_at: datetime | None


class BreachIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=10000)
    discovered_at: datetime
    occurred_at: datetime | None = None
    affected_records: int = Field(0, ge=0)
    data_categories: str = Field("", max_length=2000)


class BreachOut(Schema):
    id: int
    title: str
    status: str
    risk_level: str
    discovered_at: datetime
    regulator_due_at: datetime
    regulator_notified_at: datetime | None
    affected_records: int
    is_overdue: bool


class ClockOut(Schema):
    kind: str
    object_id: int
    label: str
    due_at: datetime
    is_overdue: bool


class PrivacyDashboardOut(Schema):
    clocks: list[ClockOut]
    overdue: int
    open_requests: int
    open_breaches: int


def _need(request: HttpRequest) -> None:
    need(request, selectors.can_manage_privacy)


def _request(request: HttpRequest, request_id: int) -> DataSubjectRequest:
    _need(request)
    found = selectors.request_get(actor=request.user, request_id=request_id)
    if found is None:
        raise HttpError(404, "not found")
    return found


def _person(national_id: str) -> Any:
    return services.person_for(national_id)


@router.get(
    "/notices", response={200: list[NoticeOut]}, auth=None, summary="The current notice of each purpose"
)
def notices(request: HttpRequest) -> list[PrivacyNotice]:
    return selectors.current_notices()


@router.get(
    "/dashboard", response={200: PrivacyDashboardOut, **ERRORS}, summary="Every legal clock, overdue first"
)
def dashboard(request: HttpRequest) -> dict[str, Any]:
    _need(request)
    data = selectors.dashboard(actor=request.user)
    return {
        "clocks": data["clocks"],
        "overdue": len(data["overdue"]),
        "open_requests": data["open_requests"],
        "open_breaches": data["open_breaches"],
    }


@router.get("/requests", response={200: list[RequestOut], **ERRORS}, summary="Data-subject requests")
def request_list(request: HttpRequest, status: str = "", overdue: bool = False) -> list[DataSubjectRequest]:
    _need(request)
    return list(selectors.request_list(actor=request.user, status=status, is_overdue=overdue)[:500])


@router.post(
    "/requests", response={201: RequestOut, **ERRORS}, summary="Log a request (starts the 30-day clock)"
)
def request_create(request: HttpRequest, body: RequestIn) -> Status:
    _need(request)
    created = services.dsr_create(actor=request.user, **body.dict())
    return Status(201, created)


@router.get("/requests/{request_id}", response={200: RequestOut, **ERRORS}, summary="One request")
def request_detail(request: HttpRequest, request_id: int) -> DataSubjectRequest:
    return _request(request, request_id)


@router.post(
    "/requests/{request_id}/verify", response={200: RequestOut, **ERRORS}, summary="Record the identity check"
)
def request_verify(request: HttpRequest, request_id: int, body: VerifyIn) -> DataSubjectRequest:
    return services.dsr_verify_identity(
        actor=request.user, request=_request(request, request_id), method=body.method
    )


@router.post(
    "/requests/{request_id}/extend", response={200: RequestOut, **ERRORS}, summary="Extend the deadline"
)
def request_extend(request: HttpRequest, request_id: int, body: ExtendIn) -> DataSubjectRequest:
    return services.dsr_extend(
        actor=request.user, request=_request(request, request_id), days=body.days, reason=body.reason
    )


@router.post(
    "/requests/{request_id}/access",
    response={200: dict[str, Any], **ERRORS},
    summary="Answer a verified access request: everything about the person",
)
def request_access(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return services.dsr_access(actor=request.user, request=_request(request, request_id))


@router.get("/consents", response={200: list[ConsentOut], **ERRORS}, summary="Consents of one person")
def consent_list(request: HttpRequest, national_id: str) -> list[Consent]:
    _need(request)
    return list(selectors.consent_list(actor=request.user, person=_person(national_id)))


@router.post("/consents", response={201: ConsentOut, **ERRORS}, summary="Record a consent")
def consent_create(request: HttpRequest, body: ConsentIn) -> Status:
    _need(request)
    consent = services.consent_record(
        actor=request.user,
        person=_person(body.national_id),
        purpose=body.purpose,
        channel=body.channel,
        evidence_text=body.evidence_text,
    )
    return Status(201, consent)


@router.post("/consents/withdraw", response={200: ConsentOut, **ERRORS}, summary="Withdraw a consent")
def consent_withdraw(request: HttpRequest, body: WithdrawIn) -> Consent:
    _need(request)
    return services.consent_withdraw(
        actor=request.user,
        person=_person(body.national_id),
        purpose=body.purpose,
        channel=body.channel,
        evidence=body.evidence,
    )


@router.get("/breaches", response={200: list[BreachOut], **ERRORS}, summary="The breach register")
def breach_list(request: HttpRequest) -> list[Breach]:
    _need(request)
    return list(selectors.breach_list(actor=request.user)[:500])


@router.post(
    "/breaches", response={201: BreachOut, **ERRORS}, summary="Register a breach (starts the 72-hour clock)"
)
def breach_create(request: HttpRequest, body: BreachIn) -> Status:
    _need(request)
    return Status(201, services.breach_record(actor=request.user, **body.dict()))
