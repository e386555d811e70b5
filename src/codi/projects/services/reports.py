"""Progress reports: submission with receipts and photos, and their review."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import IO, Any, Literal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from codi.core import uploads
from codi.core.audit import audit_record
from codi.identity.models import User
from codi.identity.roles import Perm
from codi.projects.exif import photo_metadata
from codi.projects.models import (
    BudgetCategory,
    ExpenseLine,
    Indicator,
    IndicatorPeriod,
    Installment,
    InstallmentStatus,
    ProgressReport,
    Project,
    ReportIndicatorValue,
    ReportPhoto,
    ReportStatus,
)
from codi.projects.services.common import (
    FINISHED,
    MAX_UPLOAD_BYTES,
    ExpenseInput,
    PhotoInput,
    ProjectError,
    _coerce,
    _money,
    _Pending,
    _require,
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

# --- reports --------------------------------------------------------------------------------------

RECEIPT_TYPES = frozenset({uploads.PDF, *uploads.IMAGES})
PHOTO_TYPES = uploads.IMAGES


def sniff_content_type(file: IO[bytes]) -> str:
    """The type of a file judged by its first bytes (not its name): '' when not an image or PDF."""
    position = file.tell()
    head = file.read(16)
    file.seek(position)
    kind = uploads.sniff(head)
    return kind if kind in RECEIPT_TYPES else ""


def _check_upload(
    upload: UploadedFile, *, label_th: str, label_en: str, images_only: bool
) -> uploads.FileInfo:
    """Check an upload by its content (codi.core.uploads): a receipt is an image or a PDF, a photo an image."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ProjectError(
            f"{label_th} '{upload.name}' ใหญ่เกิน 10 MB",
            f"{label_en} '{upload.name}' is larger than 10 MB",
            code="too_big",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        return uploads.inspect_file(
            data, accept=PHOTO_TYPES if images_only else RECEIPT_TYPES, max_bytes=MAX_UPLOAD_BYTES
        )
    except uploads.FileRefusedError as exc:
        if exc.code == "unsupported_type":
            kinds_th, kinds_en = (
                ("รูปภาพ", "an image") if images_only else ("รูปภาพหรือ PDF", "an image or a PDF")
            )
            raise ProjectError(
                f"{label_th} '{upload.name}' ไม่ใช่ไฟล์{kinds_th}",
                f"{label_en} '{upload.name}' is not {kinds_en}",
                code="bad_file_type",
            ) from exc
        raise ProjectError(
            f"{label_th} '{upload.name}': {exc.message_th}",
            f"{label_en} '{upload.name}': {exc.message_en}",
            code="too_big" if exc.code == "too_large" else "bad_file_type",
        ) from exc


def report_submit(
    *,
    actor: User,
    project: Project,
    narrative: str,
    installment: Installment | None = None,
    is_final: bool = False,
    indicator_values: Mapping[int, Decimal] | None = None,
    expenses: Sequence[ExpenseInput | Mapping[str, Any]] = (),
    photos: Sequence[PhotoInput | Mapping[str, Any]] = (),
) -> ProgressReport:
    """The community's report on the installment just paid (or the final report), sent for review.

    Expense lines may not be dated in the future; receipts must be images or PDFs and photos
    images (judged by content). A photo without EXIF is accepted and flagged (``has_exif=False``).
    """
    _require_community_or_officer(actor, project)
    if project.status in FINISHED:
        raise ProjectError(
            "โครงการนี้ปิดแล้ว ส่งรายงานไม่ได้",
            f"The project is {project.status}: reports can no longer be sent",
            code="project_finished",
        )
    narrative = _text(narrative, label_th="รายงานผลการดำเนินงาน", label_en="The narrative")
    today = timezone.localdate()
    expense_rows = [_coerce(ExpenseInput, e) for e in expenses]
    photo_rows = [_coerce(PhotoInput, p) for p in photos]
    receipt_types: list[uploads.FileInfo | None] = []
    for expense in expense_rows:
        _text(expense.description, label_th="รายการค่าใช้จ่าย", label_en="Expense description", max_length=300)
        _money(expense.amount, label_th="จำนวนเงินค่าใช้จ่าย", label_en="Expense amount")
        if expense.category not in BudgetCategory.values:
            raise ProjectError(
                "หมวดค่าใช้จ่ายไม่ถูกต้อง", f"Unknown category {expense.category!r}", code="bad_category"
            )
        if expense.spent_on > today:
            raise ProjectError(
                f"วันที่จ่าย {expense.spent_on:%Y-%m-%d} เป็นวันในอนาคต",
                f"Expense date {expense.spent_on:%Y-%m-%d} is in the future",
                code="future_expense",
            )
        receipt_types.append(
            _check_upload(expense.receipt, label_th="ใบเสร็จ", label_en="Receipt", images_only=False)
            if expense.receipt is not None
            else None
        )
    photo_meta = []
    photo_types = []
    for photo in photo_rows:
        photo_types.append(_check_upload(photo.image, label_th="ภาพถ่าย", label_en="Photo", images_only=True))
        photo_meta.append(photo_metadata(photo.image))
    values = {int(k): v for k, v in (indicator_values or {}).items()}
    for value in values.values():
        if isinstance(value, float) or not isinstance(value, Decimal) or not value.is_finite():
            raise ProjectError("ค่าตัวชี้วัดต้องเป็นตัวเลข", "Indicator values must be Decimals", code="bad_value")
    pending = _Pending()
    # Files are written under generated names with the detected type's extension (never the
    # uploader's name) and removed again if anything below fails.
    with uploads.stored_files() as stored, transaction.atomic():
        project = _lock_project(project)
        step = "final_report" if is_final else "progress_report"
        _at_step(project, step)
        if installment is None and not is_final:
            installment = (
                Installment.objects.filter(project=project, status=InstallmentStatus.DISBURSED)
                .order_by("-number")
                .first()
            )
        if installment is not None and installment.project_id != project.pk:
            raise ProjectError(
                "งวดนี้ไม่ใช่ของโครงการนี้", "The installment belongs to another project", code="bad_installment"
            )
        known = set(Indicator.objects.filter(result__project=project).values_list("pk", flat=True))
        unknown = set(values) - known
        if unknown:
            raise ProjectError(
                "ตัวชี้วัดไม่ใช่ของโครงการนี้",
                f"Indicators {sorted(unknown)} are not this project's",
                code="bad_indicator",
            )
        now = timezone.now()
        report = ProgressReport.objects.create(
            project=project,
            installment=installment,
            is_final=is_final,
            narrative=narrative,
            status=ReportStatus.SUBMITTED,
            submitted_at=now,
            submitted_by=actor,
        )
        ReportIndicatorValue.objects.bulk_create(
            ReportIndicatorValue(report=report, indicator_id=k, value=v) for k, v in values.items()
        )
        for expense, info in zip(expense_rows, receipt_types, strict=True):
            line = ExpenseLine(
                report=report,
                spent_on=expense.spent_on,
                description=expense.description.strip(),
                category=expense.category,
                amount=expense.amount,
                receipt_content_type=info.content_type if info else "",
            )
            if expense.receipt is not None and info is not None:
                expense.receipt.seek(0)
                stored.save(line.receipt, expense.receipt.read(), content_type=info.content_type)
            line.save()
        for photo, meta, info in zip(photo_rows, photo_meta, photo_types, strict=True):
            row = ReportPhoto(
                report=report,
                caption=photo.caption.strip()[:300],
                taken_at=meta.taken_at,
                latitude=meta.latitude,
                longitude=meta.longitude,
                has_exif=meta.has_exif,
            )
            photo.image.seek(0)
            stored.save(row.image, photo.image.read(), content_type=info.content_type)
            row.save()
        _advance(project, task_key=step, data={}, actor=actor, outcome="submitted", pending=pending)
        _save_project(project)
        audit_record(
            actor=actor,
            action="projects.report.submit",
            object_type="projects.progressreport",
            object_id=report.pk,
            changes={
                "project": project.pk,
                "installment": installment.number if installment else None,
                "is_final": is_final,
                "expenses": len(expense_rows),
                "photos": len(photo_rows),
                "photos_without_exif": sum(1 for m in photo_meta if not m.has_exif),
            },
        )
        _after_commit(pending)
    return report


def report_review(
    *, actor: User, report: ProgressReport, decision: Literal["accept", "return"], comment: str = ""
) -> ProgressReport:
    """Accept a report (indicator values become the period's actuals) or return it with comments."""
    project = Project.objects.only("pk", "subdistrict_id").get(pk=report.project_id)
    _require(actor, Perm.PROJECTS_MANAGE, project)
    if decision not in ("accept", "return"):
        raise ProjectError("ผลการตรวจไม่ถูกต้อง", "Decision must be accept or return", code="bad_decision")
    comment = (comment or "").strip()
    if decision == "return" and not comment:
        raise ProjectError("กรุณาระบุสิ่งที่ต้องแก้ไข", "Say what must be changed", code="comment_required")
    pending = _Pending()
    with transaction.atomic():
        project = _lock_project(project)
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.SUBMITTED:
            raise ProjectError(
                "รายงานนี้ไม่ได้อยู่ระหว่างรอตรวจ", "This report is not waiting for review", code="not_submitted"
            )
        step = "final_review" if report.is_final else "report_review"
        _at_step(project, step)
        now = timezone.now()
        report.status = ReportStatus.ACCEPTED if decision == "accept" else ReportStatus.RETURNED
        report.reviewed_at = now
        report.reviewed_by = actor
        report.review_comment = comment
        report.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_comment"])
        if decision == "accept":
            day = timezone.localdate(report.submitted_at) if report.submitted_at else timezone.localdate()
            for value in report.indicator_values.all():
                IndicatorPeriod.objects.filter(
                    indicator_id=value.indicator_id, period_start__lte=day, period_end__gte=day
                ).update(actual=value.value)
        _advance(
            project,
            task_key=step,
            data={("final_decision" if report.is_final else "report_decision"): decision},
            actor=actor,
            outcome=decision,
            comment=comment,
            pending=pending,
        )
        _save_project(project)
        audit_record(
            actor=actor,
            action="projects.report.review",
            object_type="projects.progressreport",
            object_id=report.pk,
            changes={"decision": decision, "comment": comment, "project": project.pk},
        )
        events: list[tuple[str, Project, dict[str, Any]]] = []
        if decision == "return":
            events.append(("projects.returned", project, {"comment": comment, "step": step}))
        _after_commit(pending, *events)
    return report
