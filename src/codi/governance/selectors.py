"""Reads of data governance, for the acting user."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet

from codi.communities.models import Organization
from codi.governance.ai import AIModelCard, model_card, registered_models
from codi.governance.catalog import DatasetEntry, catalog_entries
from codi.governance.codes import CodeListInfo, code_lists_in_code, managed_code_lists
from codi.governance.masterdata import DuplicatePair, OrgRecord, find_duplicates
from codi.governance.models import (
    AIModelReview,
    DuplicateDismissal,
    OrganizationMerge,
    QualityFailure,
    QualityResult,
    QualityRun,
    QualityScore,
)
from codi.governance.services import organization_references
from codi.identity.roles import Perm
from codi.identity.selectors import scoped, user_grants, user_has_perm


def can_view(user: Any) -> bool:
    return user_has_perm(user, Perm.GOVERNANCE_VIEW)


def can_manage(user: Any) -> bool:
    return user_has_perm(user, Perm.GOVERNANCE_MANAGE)


# --- catalog ----------------------------------------------------------------------------------


def catalog_search(
    *,
    actor: Any,
    query: str = "",
    app_label: str = "",
    classification: str = "",
    personal: str = "",
) -> list[DatasetEntry]:
    """Catalog datasets matching a text (names, descriptions, field names) and filters."""
    if not can_view(actor):
        return []
    needle = query.strip().lower()
    out = []
    for entry in catalog_entries():
        if app_label and entry.app_label != app_label:
            continue
        if classification and entry.classification != classification:
            continue
        if personal == "yes" and not entry.personal:
            continue
        if personal == "no" and entry.personal:
            continue
        if personal == "sensitive" and not entry.has_sensitive_data:
            continue
        if needle and needle not in _haystack(entry):
            continue
        out.append(entry)
    return out


def _haystack(entry: DatasetEntry) -> str:
    parts = [
        entry.label,
        entry.db_table,
        entry.name_th,
        entry.name_en,
        entry.description,
        entry.owner_unit,
        entry.steward,
    ]
    for f in entry.fields:
        parts += [f.name, f.name_th, f.name_en, f.description]
    return "\n".join(parts).lower()


def catalog_dataset(*, actor: Any, label: str) -> DatasetEntry | None:
    if not can_view(actor):
        return None
    for entry in catalog_entries():
        if entry.label == label:
            return entry
    return None


# --- master data ------------------------------------------------------------------------------


def organizations_in_scope(*, actor: Any, perm: str = Perm.GOVERNANCE_VIEW) -> QuerySet[Organization]:
    return scoped(Organization.objects.all(), actor, perm)


DUPLICATES_CACHE_SECONDS = 600


def duplicate_candidates(*, actor: Any, subdistrict_code: str = "") -> list[DuplicatePair]:
    """Likely duplicate organizations among those the user may see, not dismissed by a steward.

    Comparing names costs seconds for a country-wide steward over ~100,000 organizations, so the
    result is cached; the key holds the organizations' count and last change and the number of
    dismissals, so any edit, merge or dismissal is seen at once.
    """
    organizations = organizations_in_scope(actor=actor)
    if subdistrict_code:
        organizations = organizations.filter(subdistrict_id=subdistrict_code)
    state = organizations.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    grants = sorted(
        (g.scope_level, g.scope_code) for g in user_grants(actor) if Perm.GOVERNANCE_VIEW in g.permissions
    )
    raw_key = repr((grants, subdistrict_code, state, DuplicateDismissal.objects.count()))
    key = "governance:duplicates:" + hashlib.sha256(raw_key.encode()).hexdigest()
    cached: list[DuplicatePair] | None = cache.get(key)
    if cached is not None:
        return cached
    rows = organizations.values_list("id", "name_th", "subdistrict_id", "org_type", "registration_no")
    records = [OrgRecord(*row) for row in rows]
    dismissed = set(DuplicateDismissal.objects.values_list("first_id", "second_id"))
    pairs = find_duplicates(records, dismissed=dismissed)
    cache.set(key, pairs, DUPLICATES_CACHE_SECONDS)
    return pairs


def organization_pair(*, actor: Any, first_id: int, second_id: int) -> list[Organization]:
    """Both organizations of a pair, when the user may see both (else an empty list)."""
    orgs = list(
        organizations_in_scope(actor=actor)
        .filter(pk__in=[first_id, second_id])
        .select_related("subdistrict__district__province")
    )
    return sorted(orgs, key=lambda o: o.pk) if len(orgs) == 2 else []


def organization_reference_counts(*, organization: Organization) -> dict[str, int]:
    """How many rows of each app point at the organization (what a merge would move)."""

    counts = {}
    for ref in organization_references():
        count = ref.model._base_manager.filter(**{ref.field_name: organization}).count()
        if count:
            counts[ref.label] = count
    return counts


def merge_list(*, actor: Any) -> QuerySet[OrganizationMerge]:
    merges = OrganizationMerge.objects.select_related("survivor", "merged_by")
    return scoped(merges, actor, Perm.GOVERNANCE_VIEW, subdistrict_field="survivor__subdistrict")


# --- reference codes --------------------------------------------------------------------------


def code_lists(*, actor: Any) -> tuple[list[CodeListInfo], list[CodeListInfo]]:
    """(lists managed here, lists defined in the code)."""
    if not can_view(actor):
        return [], []
    return managed_code_lists(), code_lists_in_code()


# --- data quality -----------------------------------------------------------------------------


@dataclass
class DatasetQuality:
    dataset: str
    latest: QualityScore
    history: list[QualityScore]


def latest_run(*, actor: Any) -> QualityRun | None:
    if not can_view(actor):
        return None
    return QualityRun.objects.filter(finished_at__isnull=False).first()


def quality_overview(*, actor: Any, history: int = 10) -> list[DatasetQuality]:
    """Each dataset's latest score and its last ``history`` scores (oldest first)."""
    if not can_view(actor):
        return []
    runs = list(QualityRun.objects.filter(finished_at__isnull=False).values_list("id", flat=True)[:history])
    scores = QualityScore.objects.filter(run_id__in=runs).order_by("dataset", "measured_at", "id")
    by_dataset: dict[str, list[QualityScore]] = {}
    for score in scores:
        by_dataset.setdefault(score.dataset, []).append(score)
    return [
        DatasetQuality(dataset=name, latest=items[-1], history=items)
        for name, items in sorted(by_dataset.items())
    ]


def quality_results(*, actor: Any, run: QualityRun, dataset: str = "") -> QuerySet[QualityResult]:
    if not can_view(actor):
        return QualityResult.objects.none()
    results = run.results.all()
    return results.filter(dataset=dataset) if dataset else results


def quality_failures(*, actor: Any, result: QualityResult) -> QuerySet[QualityFailure]:
    """The failing records of one rule that lie in the user's areas (records without an area:
    country-wide stewards only)."""
    failures = QualityFailure.objects.filter(result=result).select_related("subdistrict")
    return scoped(failures, actor, Perm.GOVERNANCE_VIEW)


def quality_dataset_history(*, actor: Any, dataset: str, limit: int = 30) -> list[QualityScore]:
    if not can_view(actor):
        return []
    return list(QualityScore.objects.filter(dataset=dataset).order_by("-measured_at", "-id")[:limit])[::-1]


# --- AI register ------------------------------------------------------------------------------


@dataclass
class RegisteredModel:
    card: AIModelCard
    reviews: list[AIModelReview]

    @property
    def last_review(self) -> AIModelReview | None:
        return self.reviews[0] if self.reviews else None

    @property
    def last_reviewed_on(self) -> Any:
        review = self.last_review
        return review.reviewed_on if review else self.card.last_reviewed_on


def ai_models(*, actor: Any) -> list[RegisteredModel]:
    if not can_view(actor):
        return []
    reviews: dict[tuple[str, str], list[AIModelReview]] = {}
    for review in AIModelReview.objects.select_related("reviewer"):
        reviews.setdefault((review.model_key, review.version), []).append(review)
    return [RegisteredModel(card, reviews.get((card.key, card.version), [])) for card in registered_models()]


def ai_model(*, actor: Any, key: str, version: str) -> RegisteredModel | None:
    if not can_view(actor):
        return None
    card = model_card(key, version)
    if card is None:
        return None
    reviews = list(
        AIModelReview.objects.filter(Q(model_key=key) & Q(version=version)).select_related("reviewer")
    )
    return RegisteredModel(card, reviews)
