"""The community organization dimension of the analytics store (read-only; only this app's tables).

One row per organization of the registry: its id, Thai name, type, status and subdistrict (the store
adds district, province and CODI region), so a fact that records an organization id (the people
app's ``training``: the leader's organization) is placed in its area by a DuckDB join. No person's
data. Rebuilt when an organization is added or changed. See ``codi.core.marts``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Max

from codi.communities.models import Organization
from codi.core.marts import Column, MartSource, fingerprint

_ORGS = (
    ("id", "int", "communities.Organization.id", "id"),
    ("name_th", "str", "communities.Organization.name_th", "name_th"),
    ("org_type", "str", "communities.Organization.org_type", "org_type"),
    ("status", "str", "communities.Organization.status", "status"),
    ("subdistrict", "str", "communities.Organization.subdistrict", "subdistrict_id"),
)


def community_organizations(after: Any) -> Iterator[tuple[Any, ...]]:
    fields = [f[3] for f in _ORGS]
    return Organization.objects.order_by("id").values_list(*fields).iterator(chunk_size=10000)


def organizations_fingerprint() -> str:
    return fingerprint(Organization.objects, t=Max("updated_at"))


MARTS = [
    MartSource(
        name="community_organizations",
        title_en="Community organizations (registry id, area)",
        app_label="communities",
        selector="codi.communities.marts.community_organizations",
        columns=tuple(Column(n, k, s) for n, k, s, _f in _ORGS),
        rows=community_organizations,
        fingerprint=organizations_fingerprint,
        kind="dimension",
    ),
]
