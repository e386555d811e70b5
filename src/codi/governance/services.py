"""Writes of data governance: organization merges, duplicate dismissals, code lists, quality runs,
AI model reviews. Each in one transaction with its audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from codi.communities.models import Organization
from codi.core.audit import audit_record
from codi.governance import quality
from codi.governance.ai import model_card
from codi.governance.catalog import dataset_entry
from codi.governance.masterdata import pair_key
from codi.governance.models import (
    AIModelReview,
    Code,
    CodeList,
    DuplicateDismissal,
    OrganizationMerge,
    QualityFailure,
    QualityResult,
    QualityRun,
    QualityScore,
    ReviewOutcome,
)
from codi.identity.roles import Perm
from codi.identity.selectors import user_can_in_area, user_has_perm
from codi.search import registry
from codi.search.services import index_remove

# Survivor fields filled from the duplicate when the survivor has none (a golden record keeps the
# best of both); everything else is the survivor's.
ORGANIZATION_SEARCH_SOURCE = "communities.organization"
FILLABLE_FIELDS = ("name_en", "registration_no", "founded_on", "address", "phone", "email", "line_id")


def _require(actor: Any, perm: str) -> None:
    if not user_has_perm(actor, perm):
        raise PermissionDenied


def _personal_fields(label: str) -> set[str]:

    entry = dataset_entry(label)
    return {f.name for f in entry.personal_fields} if entry else set()


# --- organization merge -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Reference:
    model: type[models.Model]
    field_name: str
    label: str


def organization_references() -> list[_Reference]:
    """Every foreign key (and many-to-many link) that points at an organization, in any app.

    Found through ``Organization._meta.related_objects`` so a module added later is covered
    without a change here.
    """
    refs: list[_Reference] = []
    for rel in Organization._meta.related_objects:
        if rel.many_to_many:
            through = rel.through  # type: ignore[attr-defined]
            field_name = rel.field.m2m_reverse_field_name()  # type: ignore[attr-defined]
            refs.append(_Reference(through, field_name, f"{through._meta.label}.{field_name}"))
        else:
            model = rel.related_model
            refs.append(_Reference(model, rel.field.name, f"{model._meta.label}.{rel.field.name}"))
    return refs


def _unique_sets(model: type[models.Model], field_name: str) -> list[tuple[list[str], Any]]:
    """Unique field sets of ``model`` that include ``field_name``, with their condition (or None)."""
    sets: list[tuple[list[str], Any]] = []
    f = model._meta.get_field(field_name)
    if getattr(f, "unique", False):
        sets.append(([field_name], None))
    for together in model._meta.unique_together:
        if field_name in together:
            sets.append((list(together), None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and field_name in constraint.fields:
            sets.append((list(constraint.fields), constraint.condition))
    return sets


def _clashes(ref: _Reference, row: models.Model, survivor: Organization) -> bool:
    """Whether re-pointing ``row`` to the survivor would break one of its unique constraints."""
    manager = ref.model._base_manager
    for fields, condition in _unique_sets(ref.model, ref.field_name):
        if condition is not None and not manager.filter(condition, pk=row.pk).exists():
            continue
        lookup: dict[str, Any] = {ref.field_name: survivor}
        for name in fields:
            if name != ref.field_name:
                attname = getattr(ref.model._meta.get_field(name), "attname", name)
                lookup[attname] = getattr(row, attname)
        others = manager.filter(**lookup).exclude(pk=row.pk)
        if condition is not None:
            others = others.filter(condition)
        if others.exists():
            return True
    return False


def _snapshot(obj: models.Model, hidden: set[str]) -> dict[str, Any]:
    data = model_to_dict(obj)
    data["id"] = obj.pk
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in hidden:
            out[key] = "***" if value else ""
        elif isinstance(value, date | Decimal):
            out[key] = str(value)
        elif isinstance(value, list):
            out[key] = [getattr(v, "pk", v) for v in value]
        else:
            out[key] = getattr(value, "pk", value)
    return out


def organization_merge(
    *, actor: Any, survivor_id: int, duplicate_id: int, reason: str = ""
) -> OrganizationMerge:
    """Fold the duplicate organization into the survivor: every reference to the duplicate, in any
    app, is re-pointed to the survivor; a row that would then repeat one the survivor already has
    (the same person's membership in both) is removed and kept in the merge record; the survivor's
    empty fields are filled from the duplicate; the duplicate is deleted. One transaction, audited.
    """
    _require(actor, Perm.GOVERNANCE_MANAGE)
    if survivor_id == duplicate_id:
        raise ValidationError("an organization cannot be merged into itself / รวมองค์กรเข้ากับตัวเองไม่ได้")
    with transaction.atomic():
        locked = {
            o.pk: o
            for o in Organization.objects.select_for_update().filter(pk__in=[survivor_id, duplicate_id])
        }
        if len(locked) != 2:
            raise Organization.DoesNotExist("organization not found / ไม่พบองค์กร")
        survivor, duplicate = locked[survivor_id], locked[duplicate_id]
        for org in (survivor, duplicate):
            if not user_can_in_area(actor, Perm.GOVERNANCE_MANAGE, subdistrict_code=org.subdistrict_id):
                raise PermissionDenied
        personal = _personal_fields("communities.Organization")
        snapshot = _snapshot(duplicate, personal)
        moved: dict[str, int] = {}
        dropped: dict[str, list[dict[str, Any]]] = {}
        for ref in organization_references():
            manager = ref.model._base_manager
            rows = manager.filter(**{ref.field_name: duplicate})
            if ref.model is Organization:
                # The survivor itself may have been in the duplicate's network: no self-reference.
                rows.filter(pk=survivor.pk).update(**{ref.field_name: None})
                rows = rows.exclude(pk=survivor.pk)
            if not _unique_sets(ref.model, ref.field_name):
                count = rows.update(**{ref.field_name: survivor})
            else:
                count = 0
                for row in list(rows):
                    if _clashes(ref, row, survivor):
                        hidden = _personal_fields(ref.model._meta.label)
                        dropped.setdefault(ref.label, []).append(_snapshot(row, hidden))
                        try:
                            manager.filter(pk=row.pk).delete()
                        except models.ProtectedError as error:
                            raise ValidationError(
                                f"{ref.label} #{row.pk} repeats a row of the survivor and is itself "
                                "referenced: resolve it first / ข้อมูลซ้ำกับขององค์กรที่เก็บไว้และมีข้อมูลอื่นอ้างถึง "
                                "กรุณาแก้ไขก่อนรวม"
                            ) from error
                    else:
                        count += manager.filter(pk=row.pk).update(**{ref.field_name: survivor})
            if count:
                moved[ref.label] = count
        filled: dict[str, Any] = {}
        fill_values = {name: getattr(duplicate, name) for name in FILLABLE_FIELDS}
        location = (duplicate.latitude, duplicate.longitude, duplicate.location_flag)
        Organization._base_manager.filter(pk=duplicate.pk).delete()
        for name, value in fill_values.items():
            if value and not getattr(survivor, name):
                setattr(survivor, name, value)
                filled[name] = value
        if survivor.latitude is None and location[0] is not None:
            survivor.latitude, survivor.longitude, survivor.location_flag = location
            filled.update({"latitude": location[0], "longitude": location[1]})
        if filled:
            survivor.save(update_fields=[*filled, *(["location_flag"] if "latitude" in filled else [])])
        merge = OrganizationMerge.objects.create(
            survivor=survivor,
            merged_id=duplicate_id,
            merged_name=duplicate.name_th,
            merged_registration_no=duplicate.registration_no,
            merged_snapshot=snapshot,
            moved=moved,
            dropped=dropped,
            reason=reason[:500],
            merged_by=actor,
        )
        DuplicateDismissal.objects.filter(first_id__in=[survivor_id, duplicate_id]).filter(
            second_id__in=[survivor_id, duplicate_id]
        ).delete()
        audit_record(
            actor=actor,
            action="governance.organization.merge",
            object_type="communities.organization",
            object_id=survivor.pk,
            changes={
                "merged_id": duplicate_id,
                "merged_name": duplicate.name_th,
                "moved": moved,
                "dropped": {k: len(v) for k, v in dropped.items()},
                **{k: ["", v] for k, v in filled.items()},
                "reason": reason[:500],
            },
            personal_fields=[k for k in filled if k in personal],
        )
        audit_record(
            actor=actor,
            action="communities.organization.delete",
            object_type="communities.organization",
            object_id=duplicate_id,
            changes={"merged_into": survivor.pk, "merge_id": merge.pk},
        )
        transaction.on_commit(lambda: _unindex_organization(duplicate_id))
    return merge


def _unindex_organization(organization_id: int) -> None:
    """Drop the merged organization from the search index, when organizations are indexed."""

    if ORGANIZATION_SEARCH_SOURCE in registry.names():
        index_remove(source=ORGANIZATION_SEARCH_SOURCE, object_ids=[str(organization_id)])


def duplicate_dismiss(*, actor: Any, first_id: int, second_id: int, note: str = "") -> DuplicateDismissal:
    """Record that two similar organizations are different, so they stop being listed."""
    _require(actor, Perm.GOVERNANCE_MANAGE)
    low, high = pair_key(first_id, second_id)
    with transaction.atomic():
        orgs = list(Organization.objects.filter(pk__in=[low, high]).only("id", "subdistrict_id"))
        if len(orgs) != 2:
            raise Organization.DoesNotExist("organization not found / ไม่พบองค์กร")
        for org in orgs:
            if not user_can_in_area(actor, Perm.GOVERNANCE_MANAGE, subdistrict_code=org.subdistrict_id):
                raise PermissionDenied
        dismissal, _ = DuplicateDismissal.objects.get_or_create(
            first_id=low, second_id=high, defaults={"note": note[:500], "dismissed_by": actor}
        )
        audit_record(
            actor=actor,
            action="governance.duplicate.dismiss",
            object_type="governance.duplicatedismissal",
            object_id=dismissal.pk,
            changes={"first_id": low, "second_id": high, "note": note[:500]},
        )
    return dismissal


# --- reference code lists ---------------------------------------------------------------------


def code_list_create(
    *, actor: Any, key: str, name_th: str, name_en: str, description: str = "", owner_unit: str = ""
) -> CodeList:
    _require(actor, Perm.GOVERNANCE_MANAGE)
    with transaction.atomic():
        code_list = CodeList(
            key=key, name_th=name_th, name_en=name_en, description=description, owner_unit=owner_unit
        )
        code_list.full_clean()
        code_list.save()
        audit_record(
            actor=actor,
            action="governance.codelist.create",
            object_type="governance.codelist",
            object_id=code_list.pk,
            changes={"key": key, "name_th": name_th, "name_en": name_en},
        )
    return code_list


def code_save(
    *,
    actor: Any,
    code_list: CodeList,
    code: str,
    label_th: str,
    label_en: str = "",
    description: str = "",
    sort_order: int = 0,
    is_active: bool = True,
) -> Code:
    """Add a code to a list, or change the labels of an existing one (codes are never deleted)."""
    _require(actor, Perm.GOVERNANCE_MANAGE)
    code = code.strip()
    if not code or not label_th.strip():
        raise ValidationError("code and Thai label are required / ต้องระบุรหัสและชื่อภาษาไทย")
    with transaction.atomic():
        obj = Code.objects.select_for_update().filter(code_list=code_list, code=code).first()
        old = model_to_dict(obj) if obj else {}
        if obj is None:
            obj = Code(code_list=code_list, code=code)
        obj.label_th, obj.label_en, obj.description = label_th.strip(), label_en.strip(), description
        obj.sort_order, obj.is_active = sort_order, is_active
        obj.full_clean()
        try:
            obj.save()
        except IntegrityError as error:
            raise ValidationError("the code already exists / รหัสนี้มีอยู่แล้ว") from error
        new = model_to_dict(obj)
        audit_record(
            actor=actor,
            action="governance.code.save",
            object_type="governance.code",
            object_id=obj.pk,
            changes={k: [old.get(k), v] for k, v in new.items() if old.get(k) != v and k != "id"},
        )
    return obj


# --- data quality -----------------------------------------------------------------------------


def quality_run(*, actor: Any = None, trigger: str = "command", only: list[str] | None = None) -> QualityRun:
    """Run every registered quality rule (or the named ones); store results, failures and scores.

    ``actor`` None is the scheduler. Each rule runs in its own savepoint: one broken rule is
    recorded with its error and the others still run.
    """
    if actor is not None:
        _require(actor, Perm.GOVERNANCE_MANAGE)
    with transaction.atomic():
        run = QualityRun.objects.create(triggered_by=actor, trigger=trigger)
        totals: dict[str, list[int]] = {}
        for rule in quality.rules():
            if only and rule.key not in only and rule.dataset not in only:
                continue
            error = ""
            try:
                with transaction.atomic():
                    outcome = rule.check()
            except Exception as exc:
                outcome = quality.Outcome(0, 0)
                error = f"{type(exc).__name__}: {exc}"[:500]
            result = QualityResult.objects.create(
                run=run,
                dataset=rule.dataset,
                rule_key=rule.key,
                dimension=rule.dimension,
                description=rule.description[:300],
                checked=outcome.checked,
                failed=outcome.failed,
                error=error,
            )
            QualityFailure.objects.bulk_create(
                QualityFailure(
                    result=result,
                    object_id=f.object_id[:64],
                    subdistrict_id=f.subdistrict_id,
                    message=f.message[:300],
                )
                for f in outcome.failures
            )
            if not error:
                total = totals.setdefault(rule.dataset, [0, 0])
                total[0] += outcome.checked
                total[1] += outcome.failed
        now = timezone.now()
        QualityScore.objects.bulk_create(
            QualityScore(
                run=run,
                dataset=dataset,
                checked=checked,
                failed=failed,
                score=_score(checked, failed),
                measured_at=now,
            )
            for dataset, (checked, failed) in sorted(totals.items())
        )
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        audit_record(
            actor=actor,
            action="governance.quality.run",
            object_type="governance.qualityrun",
            object_id=run.pk,
            changes={"trigger": trigger, "datasets": len(totals), "rules": run.results.count()},
        )
    return run


def _score(checked: int, failed: int) -> Decimal:
    if checked == 0:
        return Decimal("100.00")
    return (Decimal(100) * (checked - failed) / checked).quantize(Decimal("0.01"))


# --- AI governance ----------------------------------------------------------------------------


def ai_model_review_record(
    *, actor: Any, key: str, version: str, outcome: str, notes: str = "", reviewed_on: date | None = None
) -> AIModelReview:
    """Record a review of a registered model version."""
    _require(actor, Perm.GOVERNANCE_MANAGE)
    if model_card(key, version) is None:
        raise ValidationError("model version is not registered / โมเดลรุ่นนี้ยังไม่ได้ขึ้นทะเบียน")
    if outcome not in ReviewOutcome.values:
        raise ValidationError("unknown review outcome / ผลการทบทวนไม่ถูกต้อง")
    with transaction.atomic():
        review = AIModelReview.objects.create(
            model_key=key,
            version=version,
            outcome=outcome,
            notes=notes,
            reviewer=actor,
            reviewed_on=reviewed_on or timezone.localdate(),
        )
        audit_record(
            actor=actor,
            action="governance.aimodel.review",
            object_type="governance.aimodelreview",
            object_id=review.pk,
            changes={"model": key, "version": version, "outcome": outcome},
        )
    return review
