"""Proposals: creating, editing and submitting a project."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from codi.areas.models import Subdistrict
from codi.communities.models import Organization, Person
from codi.core.audit import audit_record
from codi.identity.models import User
from codi.projects import workflow
from codi.projects.models import (
    ZERO,
    Activity,
    BeneficiaryGroup,
    BudgetCategory,
    BudgetItem,
    BudgetLine,
    Indicator,
    IndicatorPeriod,
    Program,
    Project,
    ProjectArea,
    ProjectOrganization,
    Result,
)
from codi.projects.services.common import (
    EDITABLE_STEP,
    TYPE_FIELDS,
    ActivityInput,
    BeneficiaryInput,
    BudgetItemInput,
    ProjectError,
    ResultInput,
    _coerce,
    _fiscal_year,
    _money,
    _Pending,
    _region_of,
    _require_community_or_officer,
    _save_project,
    _text,
)
from codi.projects.services.process import (
    _advance,
    _after_commit,
    _at_step,
    _lock_project,
)

# --- proposals -----------------------------------------------------------------------------------

_UPDATABLE = frozenset(
    {
        "title",
        "rationale",
        "objectives",
        "start_date",
        "end_date",
        "requested_amount",
        "households",
        "persons",
        "type_details",
        "co_funding_amount",
        "co_funding_source",
        "contact_person",
        "extra_subdistricts",
        "partner_organizations",
        "activities",
        "results",
        "budget_items",
        "beneficiary_groups",
    }
)


def _clean_type_details(kind: str, details: Mapping[str, Any] | None, *, strict: bool) -> dict[str, Any]:
    allowed = TYPE_FIELDS.get(kind, {})
    cleaned: dict[str, Any] = {}
    for key, value in (details or {}).items():
        if key not in allowed:
            raise ProjectError(
                f"แผนงานนี้ไม่มีข้อมูลเฉพาะ '{key}'",
                f"This program has no specific field '{key}'",
                code="type_field",
            )
        kind_type = allowed[key][0]
        try:
            if kind_type is int:
                number = int(value)
                if number < 0:
                    raise ValueError
                cleaned[key] = number
            elif kind_type is Decimal:
                cleaned[key] = str(Decimal(str(value)))
            else:
                cleaned[key] = str(value).strip()
        except (ValueError, InvalidOperation):
            raise ProjectError(
                f"ข้อมูลเฉพาะ '{key}' ไม่ถูกต้อง",
                f"Program-specific field '{key}' is not valid",
                code="type_field",
            ) from None
    if strict:
        missing = [k for k, (_t, required) in allowed.items() if required and cleaned.get(k) in (None, "")]
        if missing:
            raise ProjectError(
                f"กรุณากรอกข้อมูลเฉพาะของแผนงาน: {', '.join(missing)}",
                f"Program-specific fields are required: {', '.join(missing)}",
                code="type_field_missing",
            )
    return cleaned


@dataclass
class _Children:
    activities: list[ActivityInput] | None = None
    results: list[ResultInput] | None = None
    budget_items: list[BudgetItemInput] | None = None
    beneficiary_groups: list[BeneficiaryInput] | None = None
    extra_subdistricts: list[str] | None = None
    partner_organizations: list[Organization] | None = None


def _clean_children(raw: Mapping[str, Any]) -> _Children:
    children = _Children()
    if "activities" in raw:
        children.activities = [_coerce(ActivityInput, a) for a in raw["activities"]]
        for activity in children.activities:
            _text(activity.title, label_th="ชื่อกิจกรรม", label_en="Activity", max_length=300)
            if not isinstance(activity.start_date, date) or not isinstance(activity.end_date, date):
                raise ProjectError(
                    f"กิจกรรม '{activity.title}': กรุณาระบุวันเริ่มและวันสิ้นสุด",
                    f"Activity '{activity.title}': give its start and end dates",
                    code="dates_missing",
                )
            if activity.end_date < activity.start_date:
                raise ProjectError(
                    f"กิจกรรม '{activity.title}': วันสิ้นสุดก่อนวันเริ่ม",
                    f"Activity '{activity.title}' ends before it starts",
                    code="dates_order",
                )
    if "results" in raw:
        children.results = [_coerce(ResultInput, r) for r in raw["results"]]
        for result in children.results:
            _text(result.title, label_th="ผลลัพธ์", label_en="Result", max_length=300)
            for indicator in result.indicators:
                _text(indicator.name, label_th="ตัวชี้วัด", label_en="Indicator", max_length=300)
                for target in indicator.targets:
                    if not isinstance(target.period_start, date) or not isinstance(target.period_end, date):
                        raise ProjectError(
                            "กรุณาระบุช่วงเวลาของเป้าหมาย", "Give the target's period", code="dates_missing"
                        )
                    if target.period_end < target.period_start:
                        raise ProjectError(
                            "ช่วงเวลาของเป้าหมายไม่ถูกต้อง",
                            "A target period ends before it starts",
                            code="dates_order",
                        )
    if "budget_items" in raw:
        children.budget_items = [_coerce(BudgetItemInput, b) for b in raw["budget_items"]]
        for item in children.budget_items:
            if item.category not in BudgetCategory.values:
                raise ProjectError(
                    "หมวดงบประมาณไม่ถูกต้อง", f"Unknown budget category {item.category!r}", code="bad_category"
                )
            _money(item.amount, label_th="งบประมาณรายการ", label_en="Budget item")
    if "beneficiary_groups" in raw:
        children.beneficiary_groups = [_coerce(BeneficiaryInput, b) for b in raw["beneficiary_groups"]]
        for group in children.beneficiary_groups:
            if group.group not in BeneficiaryGroup.Group.values:
                raise ProjectError("กลุ่มผู้รับประโยชน์ไม่ถูกต้อง", f"Unknown group {group.group!r}", code="bad_group")
            if group.households < 0 or group.persons < 0:
                raise ProjectError("จำนวนต้องไม่ติดลบ", "Counts cannot be negative", code="negative")
    if "extra_subdistricts" in raw:
        codes = [str(c) for c in raw["extra_subdistricts"]]
        found = set(Subdistrict.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise ProjectError(
                f"ไม่พบรหัสตำบล {', '.join(unknown)}",
                f"Unknown subdistricts {', '.join(unknown)}",
                code="bad_area",
            )
        children.extra_subdistricts = codes
    if "partner_organizations" in raw:
        children.partner_organizations = list(raw["partner_organizations"])
    return children


def _write_children(project: Project, children: _Children) -> None:
    if children.activities is not None:
        project.activities.all().delete()
        Activity.objects.bulk_create(
            Activity(
                project=project, title=a.title.strip(), start_date=a.start_date, end_date=a.end_date, order=i
            )
            for i, a in enumerate(children.activities)
        )
    if children.results is not None:
        IndicatorPeriod.objects.filter(indicator__result__project=project).delete()
        Indicator.objects.filter(result__project=project).delete()
        project.results.all().delete()
        for i, r in enumerate(children.results):
            result = Result.objects.create(project=project, title=r.title.strip(), order=i)
            for ind in r.indicators:
                indicator = Indicator.objects.create(
                    result=result, code=ind.code, name=ind.name.strip(), unit=ind.unit, baseline=ind.baseline
                )
                IndicatorPeriod.objects.bulk_create(
                    IndicatorPeriod(
                        indicator=indicator,
                        period_start=t.period_start,
                        period_end=t.period_end,
                        target=t.target,
                    )
                    for t in ind.targets
                )
    if children.budget_items is not None:
        project.budget_items.all().delete()
        BudgetItem.objects.bulk_create(
            BudgetItem(
                project=project, category=b.category, description=b.description.strip(), amount=b.amount
            )
            for b in children.budget_items
        )
    if children.beneficiary_groups is not None:
        project.beneficiary_groups.all().delete()
        BeneficiaryGroup.objects.bulk_create(
            BeneficiaryGroup(project=project, group=b.group, households=b.households, persons=b.persons)
            for b in children.beneficiary_groups
        )
    if children.extra_subdistricts is not None:
        project.areas.exclude(subdistrict_id=project.subdistrict_id).delete()
        ProjectArea.objects.bulk_create(
            [
                ProjectArea(project=project, subdistrict_id=code)
                for code in dict.fromkeys(children.extra_subdistricts)
                if code != project.subdistrict_id
            ],
            ignore_conflicts=True,
        )
    if children.partner_organizations is not None:
        project.partner_links.all().delete()
        ProjectOrganization.objects.bulk_create(
            ProjectOrganization(project=project, organization=o)
            for o in {
                o.pk: o for o in children.partner_organizations if o.pk != project.lead_organization_id
            }.values()
        )


def _check_scalar_fields(project: Project) -> None:
    project.title = _text(project.title, label_th="ชื่อโครงการ", label_en="Title", max_length=300)
    project.requested_amount = _money(
        project.requested_amount, label_th="งบประมาณที่ขอ", label_en="Requested amount"
    )
    project.co_funding_amount = _money(
        project.co_funding_amount, label_th="เงินสมทบ", label_en="Co-funding", allow_zero=True
    )
    if project.start_date and project.end_date and project.end_date < project.start_date:
        raise ProjectError("วันสิ้นสุดโครงการก่อนวันเริ่ม", "The project ends before it starts", code="dates_order")
    if project.households < 0 or project.persons < 0:
        raise ProjectError("จำนวนต้องไม่ติดลบ", "Counts cannot be negative", code="negative")


def project_create(
    *,
    actor: User,
    program: Program,
    lead_organization: Organization,
    subdistrict_code: str,
    title: str,
    requested_amount: Decimal,
    fiscal_year: int,
    rationale: str = "",
    objectives: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
    extra_subdistricts: Iterable[str] = (),
    partner_organizations: Iterable[Organization] = (),
    contact_person: Person | None = None,
    households: int = 0,
    persons: int = 0,
    type_details: Mapping[str, Any] | None = None,
    activities: Sequence[ActivityInput | Mapping[str, Any]] = (),
    results: Sequence[ResultInput | Mapping[str, Any]] = (),
    budget_items: Sequence[BudgetItemInput | Mapping[str, Any]] = (),
    beneficiary_groups: Sequence[BeneficiaryInput | Mapping[str, Any]] = (),
    co_funding_amount: Decimal = ZERO,
    co_funding_source: str = "",
    is_demo: bool = False,
) -> Project:
    """A new proposal in draft; its process starts at the draft step (the community's task)."""
    if not Subdistrict.objects.filter(code=subdistrict_code).exists():
        raise ProjectError("ไม่พบรหัสตำบล", f"Unknown subdistrict {subdistrict_code!r}", code="bad_area")
    if not program.is_active:
        raise ProjectError(
            "แผนงานนี้ปิดรับข้อเสนอแล้ว", "This program takes no more proposals", code="program_closed"
        )
    _fiscal_year(fiscal_year)
    project = Project(
        code=f"NEW-{uuid.uuid4().hex[:24]}",
        program=program,
        fiscal_year=fiscal_year,
        subdistrict_id=subdistrict_code,
        lead_organization=lead_organization,
        contact_person=contact_person,
        title=title,
        rationale=rationale.strip(),
        objectives=objectives.strip(),
        start_date=start_date,
        end_date=end_date,
        requested_amount=requested_amount,
        co_funding_amount=co_funding_amount,
        co_funding_source=co_funding_source.strip(),
        households=households,
        persons=persons,
        type_details=_clean_type_details(program.kind, type_details, strict=False),
        is_demo=is_demo,
        created_by=actor,
    )
    _require_community_or_officer(actor, project)
    _check_scalar_fields(project)
    children = _clean_children(
        {
            "activities": activities,
            "results": results,
            "budget_items": budget_items,
            "beneficiary_groups": beneficiary_groups,
            "extra_subdistricts": extra_subdistricts,
            "partner_organizations": partner_organizations,
        }
    )
    pending = _Pending()
    with transaction.atomic():
        project.budget_line = BudgetLine.objects.filter(
            program=program, region_id=_region_of(subdistrict_code), fiscal_year=fiscal_year
        ).first()
        project.save()
        project.code = f"P{fiscal_year}-{project.pk:06d}"
        ProjectArea.objects.create(project=project, subdistrict_id=subdistrict_code)
        _write_children(project, children)
        pending.steps.extend(workflow.workflow_start(project, actor=actor))
        project.save()
        audit_record(
            actor=actor,
            action="projects.project.create",
            object_type="projects.project",
            object_id=project.pk,
            changes={
                "code": project.code,
                "title": project.title,
                "requested_amount": project.requested_amount,
                "subdistrict": subdistrict_code,
                "organization": lead_organization.pk,
                "contact_person": contact_person.pk if contact_person else None,
            },
            personal_fields=("contact_person",),
        )
        _after_commit(pending)
    return project


def project_update(*, actor: User, project: Project, **fields: Any) -> Project:
    """Change a proposal while it is a draft or returned for revision (lists are replaced whole)."""
    unknown = set(fields) - _UPDATABLE
    if unknown:
        raise ProjectError(
            f"แก้ไขข้อมูลนี้ไม่ได้: {', '.join(sorted(unknown))}",
            f"These fields cannot be changed: {', '.join(sorted(unknown))}",
            code="bad_field",
        )
    _require_community_or_officer(actor, project)
    with transaction.atomic():
        project = _lock_project(project)
        _at_step(project, EDITABLE_STEP)
        changes: dict[str, Any] = {}
        for name in (
            "title",
            "rationale",
            "objectives",
            "start_date",
            "end_date",
            "requested_amount",
            "households",
            "persons",
            "co_funding_amount",
            "co_funding_source",
            "contact_person",
        ):
            if name in fields:
                old = getattr(project, name)
                setattr(project, name, fields[name])
                new = getattr(project, name)
                if old != new:
                    changes[name] = [getattr(old, "pk", old), getattr(new, "pk", new)]
        if "type_details" in fields:
            project.type_details = _clean_type_details(
                project.program.kind, fields["type_details"], strict=False
            )
            changes["type_details"] = project.type_details
        _check_scalar_fields(project)
        children = _clean_children(fields)
        project.save()
        _write_children(project, children)
        for name in (
            "activities",
            "results",
            "budget_items",
            "beneficiary_groups",
            "extra_subdistricts",
            "partner_organizations",
        ):
            if name in fields:
                changes[name] = "replaced"
        audit_record(
            actor=actor,
            action="projects.project.update",
            object_type="projects.project",
            object_id=project.pk,
            changes=changes,
            personal_fields=("contact_person",),
        )
    return project


def project_submit(*, actor: User, project: Project) -> Project:
    """Send the proposal (first time or after revision) to the project officer's screening."""
    _require_community_or_officer(actor, project)
    pending = _Pending()
    with transaction.atomic():
        project = _lock_project(project)
        _at_step(project, EDITABLE_STEP)
        _check_scalar_fields(project)
        items_total = project.budget_items.aggregate(total=Sum("amount"))["total"]
        if items_total is not None and items_total != project.requested_amount:
            raise ProjectError(
                f"ยอดรวมงบประมาณรายหมวด ({items_total:,.2f}) ไม่เท่ากับงบประมาณที่ขอ ({project.requested_amount:,.2f})",
                f"The budget items total ({items_total:,.2f}) differs from the requested amount "
                f"({project.requested_amount:,.2f})",
                code="budget_items_total",
            )
        _clean_type_details(project.program.kind, project.type_details, strict=True)
        first = project.submitted_at is None
        project.submitted_at = timezone.now()
        _advance(project, task_key="draft", data={}, actor=actor, outcome="submitted", pending=pending)
        _save_project(project)
        audit_record(
            actor=actor,
            action="projects.project.submit",
            object_type="projects.project",
            object_id=project.pk,
            changes={"status": project.status, "resubmission": not first},
        )
        _after_commit(pending)
    return project
