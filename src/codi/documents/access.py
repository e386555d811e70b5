"""Who may open a document: classification × area scope × role, and named readers.

The rule, in one place (selectors, the search filter and the pages all use it):

- a **named reader** of a document may open it, whatever its class and area;
- **secret**: named readers only — no role opens a secret document (its creator
  is made a named reader when it is created or reclassified as secret);
- **public**: anyone holding ``documents.view`` (any scope);
- **internal**: ``documents.view`` over the document's area (a document with no
  area is open to every holder of ``documents.view``);
- **confidential**: ``documents.view_confidential`` over the document's area (a
  document with no area needs that permission country-wide).

Changing a document (metadata, new version, readers) needs ``documents.manage``
over its area (country-wide for a document with no area) and being able to
open it. "Over its area" is a role scope (country, region, province, district,
subdistrict) that contains the subdistrict.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from codi.areas.selectors import region_province_codes
from codi.documents.models import Classification, Document
from codi.identity.roles import Perm, ScopeLevel
from codi.identity.selectors import user_grants, user_has_perm
from codi.search.query import Access, AreaGrant

AnyUser = Any


def area_prefixes(user: AnyUser, perm: str) -> list[str] | None:
    """DOPA code prefixes where ``user`` holds ``perm``: ``None`` for country-wide, ``[]`` for nowhere."""
    prefixes: set[str] = set()
    for grant in user_grants(user):
        if perm not in grant.permissions:
            continue
        if grant.scope_level == ScopeLevel.COUNTRY:
            return None
        if grant.scope_level == ScopeLevel.REGION:
            prefixes.update(region_province_codes(region_code=grant.scope_code))
        elif grant.scope_code:
            prefixes.add(grant.scope_code)
    return sorted(prefixes)


def _covers(prefixes: list[str] | None, area_code: str, *, unassigned: bool) -> bool:
    if prefixes is None:
        return True
    if not area_code:
        return unassigned
    return any(area_code.startswith(p) for p in prefixes)


def can_view(user: AnyUser, document: Document, *, is_reader: bool | None = None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_reader is None:
        is_reader = document.readers.filter(pk=user.pk).exists()
    if is_reader:
        return True
    classification = document.classification
    if classification == Classification.SECRET:
        return False
    if classification == Classification.PUBLIC:
        return user_has_perm(user, Perm.DOCUMENTS_VIEW)
    if classification == Classification.INTERNAL:
        return user_has_perm(user, Perm.DOCUMENTS_VIEW) and _covers(
            area_prefixes(user, Perm.DOCUMENTS_VIEW), document.area_code, unassigned=True
        )
    return user_has_perm(user, Perm.DOCUMENTS_VIEW_CONFIDENTIAL) and _covers(
        area_prefixes(user, Perm.DOCUMENTS_VIEW_CONFIDENTIAL), document.area_code, unassigned=False
    )


def can_create_in(user: AnyUser, area_code: str) -> bool:
    """Whether ``user`` may add a document in ``area_code`` ("" = organization-wide)."""
    return (
        user.is_authenticated
        and user_has_perm(user, Perm.DOCUMENTS_MANAGE)
        and _covers(area_prefixes(user, Perm.DOCUMENTS_MANAGE), area_code, unassigned=False)
    )


def can_manage(user: AnyUser, document: Document) -> bool:
    return can_create_in(user, document.area_code) and can_view(user, document)


def _prefix_q(prefixes: list[str], *, unassigned: bool) -> Q:
    condition = Q(area_code="") if unassigned else Q(pk__in=[])
    for prefix in prefixes:
        condition |= Q(area_code__startswith=prefix)
    return condition


def visible_q(user: AnyUser) -> Q:
    """The documents ``user`` may open, as one condition on ``Document`` (the rule above)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    is_reader = Exists(Document.readers.through.objects.filter(document_id=OuterRef("pk"), user_id=user.pk))
    condition = Q(is_reader)
    if user_has_perm(user, Perm.DOCUMENTS_VIEW):
        condition |= Q(classification=Classification.PUBLIC)
        view = area_prefixes(user, Perm.DOCUMENTS_VIEW)
        internal = Q(classification=Classification.INTERNAL)
        condition |= internal if view is None else internal & _prefix_q(view, unassigned=True)
    confidential_prefixes = area_prefixes(user, Perm.DOCUMENTS_VIEW_CONFIDENTIAL)
    confidential = Q(classification=Classification.CONFIDENTIAL)
    if confidential_prefixes is None:
        condition |= confidential
    elif confidential_prefixes:
        condition |= confidential & _prefix_q(confidential_prefixes, unassigned=False)
    return condition


def search_access(user: AnyUser) -> Access:
    """The same rule in the search service's terms, for ``codi.search.query.search``."""
    if not user.is_authenticated or not user.is_active:
        return Access()
    grants: list[AreaGrant] = []
    if user_has_perm(user, Perm.DOCUMENTS_VIEW):
        grants.append(AreaGrant(classifications=frozenset({Classification.PUBLIC.value})))
        view = area_prefixes(user, Perm.DOCUMENTS_VIEW)
        grants.append(
            AreaGrant(
                classifications=frozenset({Classification.INTERNAL.value}),
                area_prefixes=None if view is None else tuple(view),
                include_unassigned=True,
            )
        )
    confidential = area_prefixes(user, Perm.DOCUMENTS_VIEW_CONFIDENTIAL)
    if confidential is None or confidential:
        grants.append(
            AreaGrant(
                classifications=frozenset({Classification.CONFIDENTIAL.value}),
                area_prefixes=None if confidential is None else tuple(confidential),
                include_unassigned=confidential is None,
            )
        )
    return Access(grants=tuple(grants), principals=frozenset({reader_principal(user.pk)}))


def reader_principal(user_id: int) -> str:
    return f"user:{user_id}"
