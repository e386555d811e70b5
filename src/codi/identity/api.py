"""API: who am I, and what may I do where."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from codi.api.kit import ERRORS
from codi.identity.selectors import user_grants

router = Router(tags=["identity"])


class GrantOut(Schema):
    role: str
    scope_level: str
    scope_code: str


class MeOut(Schema):
    username: str
    name_th: str
    name_en: str
    grants: list[GrantOut]


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The signed-in user and their roles")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        username=user.get_username(),
        name_th=getattr(user, "name_th", ""),
        name_en=getattr(user, "name_en", ""),
        grants=[
            GrantOut(role=g.role, scope_level=g.scope_level, scope_code=g.scope_code)
            for g in user_grants(user)
        ],
    )
