"""Reads of the community registry, always limited to the acting user's areas.

Who sees what:

- organizations: ``Perm.ORGS_VIEW`` in the organization's area;
- members (persons and memberships): only staff who work with them —
  ``Perm.ORGS_MANAGE`` or ``Perm.PERSONAL_DATA_VIEW`` in the area of the
  person's home subdistrict or of an organization they belong to. Lists show
  names and the masked national ID; read-only roles (executives, finance,
  partner systems, community leaders) see counts, never names;
- unmasked national ID, phone and address: ``Perm.PERSONAL_DATA_VIEW`` in the
  area, one person at a time, each view written to the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from codi.areas.registry import AreaRef
from codi.communities import search as name_search
from codi.communities.models import ImportJob, Membership, Organization, OrgType, Person
from codi.communities.validation import format_national_id
from codi.core.audit import audit_read
from codi.core.models import AuditEntry
from codi.identity.roles import Perm
from codi.identity.selectors import AnyUser, scope_filter, scoped, user_can_in_area, user_has_perm

MEMBER_PERMS = (Perm.ORGS_MANAGE, Perm.PERSONAL_DATA_VIEW)
LEVEL_DIGITS = {"province": 2, "district": 4, "subdistrict": 6}


def _area_filter(field: str, *, region_code: str = "", area_code: str = "") -> Q:
    """Admit rows whose subdistrict lies in a CODI region and/or under a 2/4/6-digit DOPA code."""
    condition = Q()
    if region_code:
        condition &= Q(**{f"{field}__district__province__region_id": region_code})
    if len(area_code) == 6:
        condition &= Q(**{f"{field}_id": area_code})
    elif area_code:
        condition &= Q(**{f"{field}__code__startswith": area_code})
    return condition


# --- organizations -------------------------------------------------------------------------------


def organization_list(
    *,
    actor: AnyUser,
    province_code: str = "",
    subdistrict_code: str = "",
    area_code: str = "",
    region_code: str = "",
    org_type: str = "",
    status: str = "",
    network: str = "",
    location_flag: str = "",
    search: str = "",
) -> QuerySet[Organization]:
    """Organizations in the actor's areas, filtered; ``search`` matches Thai words by prefix."""
    orgs = scoped(Organization.objects.all(), actor, Perm.ORGS_VIEW)
    code = subdistrict_code or area_code or province_code
    if code or region_code:
        orgs = orgs.filter(_area_filter("subdistrict", region_code=region_code, area_code=code))
    if org_type:
        orgs = orgs.filter(org_type=org_type)
    if status:
        orgs = orgs.filter(status=status)
    if network.isdigit():
        orgs = orgs.filter(parent_network_id=int(network))
    if location_flag:
        orgs = orgs.filter(location_flag=location_flag)
    if search.strip():
        orgs = orgs.filter(name_search_condition(search))
    return orgs.order_by("id")


def name_search_condition(query: str) -> Q:
    """The name contains the query as typed, or every word of the query starts a word of the name."""
    query = query.strip()
    condition = Q(name_th__icontains=query) | Q(name_en__icontains=query)
    words = name_search.words(query)
    if words:
        every_word = Q()
        for word in words:
            every_word &= Q(name_search__contains=f" {word}")
        condition |= every_word
    return condition


def organization_get(*, actor: AnyUser, org_id: int) -> Organization | None:
    return (
        organization_list(actor=actor)
        .select_related("subdistrict__district__province", "parent_network")
        .filter(pk=org_id)
        .first()
    )


def organization_count(*, actor: AnyUser) -> int:
    return organization_list(actor=actor).count()


def network_list(*, actor: AnyUser) -> QuerySet[Organization]:
    """Community networks the actor may see: the choices for an organization's parent network."""
    return organization_list(actor=actor, org_type=OrgType.NETWORK).only("pk", "name_th")


def organization_history(*, actor: AnyUser, organization: Organization) -> QuerySet[AuditEntry]:
    """The audit entries about one organization, newest first (personal values stay masked)."""
    if not user_can_in_area(actor, Perm.ORGS_VIEW, subdistrict_code=organization.subdistrict_id):
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(
        object_type="communities.organization", object_id=str(organization.pk)
    ).order_by("-id")


def organization_phone(*, actor: AnyUser, organization: Organization) -> str | None:
    """The contact phone unmasked, recorded in the audit trail; ``None`` when the actor may not see it."""
    if not user_can_in_area(actor, Perm.PERSONAL_DATA_VIEW, subdistrict_code=organization.subdistrict_id):
        return None
    if organization.phone:
        audit_read(
            actor=actor, object_type="communities.organization", object_id=organization.pk, fields=["phone"]
        )
    return organization.phone


# --- members ----------------------------------------------------------------------------------------


def _member_scope(actor: AnyUser, field: str, perms: tuple[str, ...] = MEMBER_PERMS) -> Q | None:
    parts = [q for perm in perms if (q := scope_filter(actor, perm, subdistrict_field=field)) is not None]
    if not parts:
        return None
    condition = parts[0]
    for part in parts[1:]:
        if not part or not condition:  # a country-wide grant admits everything
            return Q()
        condition |= part
    return condition


def can_view_members(actor: AnyUser) -> bool:
    """Whether the actor may see member lists anywhere (masked)."""
    return any(user_has_perm(actor, perm) for perm in MEMBER_PERMS)


def can_view_members_in(actor: AnyUser, *, subdistrict_code: str) -> bool:
    return any(user_can_in_area(actor, perm, subdistrict_code=subdistrict_code) for perm in MEMBER_PERMS)


def person_list(
    *,
    actor: AnyUser,
    personal_data: bool = False,
    area_code: str = "",
    region_code: str = "",
    organization_id: int | None = None,
    role: str = "",
    search: str = "",
) -> QuerySet[Person]:
    """Persons the actor may see: home subdistrict in their areas, or member of an organization there.

    With ``personal_data``, only where the actor may see personal data unmasked.
    """
    perms = (Perm.PERSONAL_DATA_VIEW,) if personal_data else MEMBER_PERMS
    home = _member_scope(actor, "subdistrict", perms)
    if home is None:
        return Person.objects.none()
    persons = Person.objects.all()
    if home:
        via_org = _member_scope(actor, "organization__subdistrict", perms) or Q()
        persons = persons.filter(home | Exists(Membership.objects.filter(via_org, person=OuterRef("pk"))))
    if area_code or region_code:
        persons = persons.filter(_area_filter("subdistrict", region_code=region_code, area_code=area_code))
    if organization_id is not None or role:
        memberships = Membership.objects.filter(person=OuterRef("pk"))
        if organization_id is not None:
            memberships = memberships.filter(organization_id=organization_id)
        if role:
            memberships = memberships.filter(role=role)
        persons = persons.filter(Exists(memberships))
    if search.strip():
        for word in search.split():
            persons = persons.filter(Q(first_name_th__icontains=word) | Q(last_name_th__icontains=word))
    return persons.order_by("id")


def person_get(*, actor: AnyUser, person_id: int) -> Person | None:
    return (
        person_list(actor=actor)
        .select_related("subdistrict__district__province")
        .filter(pk=person_id)
        .first()
    )


@dataclass(frozen=True)
class PersonalData:
    national_id: str  # formatted 1-2345-67890-12-1
    phone: str
    address: str


def can_manage_person(actor: AnyUser, person: Person) -> bool:
    """Whether the actor may change a person: their home area, or an organization of theirs, is the actor's."""
    if user_can_in_area(actor, Perm.ORGS_MANAGE, subdistrict_code=person.subdistrict_id):
        return True
    codes = Membership.objects.filter(person=person).values_list("organization__subdistrict_id", flat=True)
    return any(user_can_in_area(actor, Perm.ORGS_MANAGE, subdistrict_code=c) for c in codes)


def organizations_managed(*, actor: AnyUser) -> QuerySet[Organization]:
    """Organizations the actor may change (and add members to)."""
    return (
        scoped(Organization.objects.all(), actor, Perm.ORGS_MANAGE).only("pk", "name_th").order_by("name_th")
    )


def can_unmask(actor: AnyUser, person: Person) -> bool:
    if user_can_in_area(actor, Perm.PERSONAL_DATA_VIEW, subdistrict_code=person.subdistrict_id):
        return True
    codes = Membership.objects.filter(person=person).values_list("organization__subdistrict_id", flat=True)
    return any(user_can_in_area(actor, Perm.PERSONAL_DATA_VIEW, subdistrict_code=c) for c in codes)


def person_personal_data(*, actor: AnyUser, person: Person) -> PersonalData | None:
    """The unmasked national ID, phone and address, recorded in the audit trail.

    ``None`` when the actor lacks ``Perm.PERSONAL_DATA_VIEW`` in the person's areas.
    """
    if not can_unmask(actor, person):
        return None
    audit_read(
        actor=actor,
        object_type="communities.person",
        object_id=person.pk,
        fields=["national_id", "phone", "address"],
    )
    return PersonalData(format_national_id(person.national_id), person.phone, person.address)


def membership_list(
    *, actor: AnyUser, organization: Organization | None = None, person: Person | None = None
) -> QuerySet[Membership]:
    """Memberships the actor may see (their organizations' areas), with person and organization loaded."""
    condition = _member_scope(actor, "organization__subdistrict")
    if condition is None:
        return Membership.objects.none()
    memberships = Membership.objects.filter(condition).select_related("person", "organization")
    if organization is not None:
        memberships = memberships.filter(organization=organization)
    if person is not None:
        memberships = memberships.filter(person=person)
    return memberships.defer("person__national_id", "person__phone", "person__address").order_by(
        "ended_on", "role", "person__last_name_th", "id"
    )


# --- area pages and maps -------------------------------------------------------------------------------


def area_summary(*, actor: AnyUser, area: AreaRef) -> dict[str, Any]:
    """Organizations by type and current members in one area, within the actor's scope."""
    orgs = organization_list(actor=actor, area_code=area.code)
    labels = dict(OrgType.choices)
    by_type = [
        {
            "org_type": row["org_type"],
            "label": labels.get(row["org_type"], row["org_type"]),
            "count": row["n"],
        }
        for row in orgs.order_by().values("org_type").annotate(n=Count("id")).order_by("-n", "org_type")
    ]
    members = (
        Membership.objects.filter(organization__in=orgs.values("pk"), ended_on__isnull=True)
        .values("person_id")
        .distinct()
        .count()
    )
    return {
        "area": area,
        "can_view": user_has_perm(actor, Perm.ORGS_VIEW),
        "organization_total": sum(row["count"] for row in by_type),
        "organizations_by_type": by_type,
        "member_total": members,
    }


def organization_counts_by_area(*, actor: AnyUser, level: str) -> dict[str, float]:
    """Organizations per area code at ``level`` (province/district/subdistrict), in the actor's scope."""
    digits = LEVEL_DIGITS[level]
    rows = (
        organization_list(actor=actor)
        .order_by()
        .annotate(code=Substr("subdistrict_id", 1, digits))
        .values("code")
        .annotate(n=Count("id"))
    )
    return {row["code"]: float(row["n"]) for row in rows}


def member_counts_by_area(*, actor: AnyUser, level: str) -> dict[str, float]:
    """Current members (distinct persons) of organizations per area code, in the actor's ORGS_VIEW scope."""
    digits = LEVEL_DIGITS[level]
    condition = scope_filter(actor, Perm.ORGS_VIEW, subdistrict_field="organization__subdistrict")
    if condition is None:
        return {}
    rows = (
        Membership.objects.filter(condition, ended_on__isnull=True)
        .annotate(code=Substr("organization__subdistrict_id", 1, digits))
        .values("code")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    return {row["code"]: float(row["n"]) for row in rows}


# --- imports ------------------------------------------------------------------------------------------------


def import_job_list(*, actor: AnyUser) -> QuerySet[ImportJob]:
    """The actor's own imports (the reports name rows of files only their uploader has seen)."""
    if not actor.is_authenticated:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(created_by_id=actor.pk).defer("errors", "preview")


def import_job_get(*, actor: AnyUser, job_id: int) -> ImportJob | None:
    if not actor.is_authenticated:
        return None
    return ImportJob.objects.filter(created_by_id=actor.pk, pk=job_id).first()
