"""Erasure and restriction of processing: each app's registered collector anonymises its own rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from codi.communities.models import Person
from codi.core.audit import audit_record
from codi.privacy import collectors, retention
from codi.privacy.models import (
    DataSubjectRequest,
    ProcessingRestriction,
    Purpose,
    RequestKind,
    RestrictionKind,
)
from codi.privacy.services.common import _person_ref, _require
from codi.privacy.services.requests import _audit_request, _complete, _verified


@dataclass(frozen=True)
class ErasureResult:
    person_id: int
    dry_run: bool
    outcomes: list[collectors.Outcome]

    def summary(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        for o in self.outcomes:
            key = f"{o.dataset}:{o.action}"
            counts[key] = counts.get(key, 0) + 1
        kept_rules = sorted({o.rule for o in self.outcomes if o.rule})
        return {
            "person_id": self.person_id,
            "dry_run": self.dry_run,
            "counts": counts,
            "rules": {rule: retention.LEGAL_RULES[rule] for rule in kept_rules},
            "outcomes": [o.as_dict() for o in self.outcomes],
        }


def person_erase(
    *, actor: Any, person: Person, dry_run: bool, request: DataSubjectRequest | None = None
) -> ErasureResult:
    """Erase or anonymise the person's data in every module, keeping what a named retention rule requires.

    ``dry_run`` plans and writes nothing. The audit entry counts what was done and cites the rules.
    """
    _require(actor)
    subject = collectors.Subject.of(person)
    if dry_run:
        return ErasureResult(person.pk, True, collectors.erase_all(subject, dry_run=True))
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        result = ErasureResult(person.pk, False, collectors.erase_all(subject, dry_run=False))
        summary = result.summary()
        if request is not None:
            _complete(actor, request, summary)
        audit_record(
            actor=actor,
            action="privacy.dsr.erase",
            object_type="privacy.dsr",
            object_id=f"{_person_ref(person)}:{request.pk if request else ''}",
            changes={"counts": summary["counts"], "rules": sorted(summary["rules"])},
        )
    return result


def dsr_erase(*, actor: Any, request: DataSubjectRequest, dry_run: bool = False) -> ErasureResult:
    _require(actor)
    request = DataSubjectRequest.objects.select_related("person").get(pk=request.pk)
    person = _verified(request, RequestKind.ERASURE)
    return person_erase(actor=actor, person=person, dry_run=dry_run, request=request)


def dsr_restrict(
    *, actor: Any, request: DataSubjectRequest, purpose: str, reason: str = ""
) -> ProcessingRestriction:
    """Put an objection or a restriction in force for one purpose (or ``all``)."""
    _require(actor)
    if purpose not in (*Purpose.values, ProcessingRestriction.ALL):
        raise ValidationError({"purpose": "วัตถุประสงค์ไม่ถูกต้อง / Unknown purpose"})
    with transaction.atomic():
        request = (
            DataSubjectRequest.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=request.pk)
        )
        person = _verified(request, (RequestKind.OBJECTION, RequestKind.RESTRICTION))
        kind = (
            RestrictionKind.OBJECTION
            if request.kind == RequestKind.OBJECTION
            else RestrictionKind.RESTRICTION
        )
        restriction = ProcessingRestriction.objects.create(
            person=person, kind=kind, purpose=purpose, reason=reason.strip(), request=request
        )
        _complete(actor, request, {"restriction": restriction.pk, "purpose": purpose})
        _audit_request(actor, request, f"privacy.dsr.{kind}", {"purpose": purpose})
    return restriction


def restriction_lift(*, actor: Any, restriction: ProcessingRestriction) -> ProcessingRestriction:
    _require(actor)
    with transaction.atomic():
        if restriction.lifted_at is not None:
            raise ValidationError("ยกเลิกไปแล้ว / Already lifted")
        restriction.lifted_at = timezone.now()
        restriction.save(update_fields=["lifted_at"])
        audit_record(
            actor=actor,
            action="privacy.restriction.lift",
            object_type="privacy.restriction",
            object_id=f"{_person_ref(restriction.person_id)}:{restriction.pk}",
            changes={"purpose": restriction.purpose},
        )
    return restriction
