"""Progress reports: expenses with receipts, photos with EXIF, indicator values, and bad input."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from codi.projects import services
from codi.projects.exif import photo_metadata
from codi.projects.models import ExpenseLine, IndicatorPeriod, ProgressReport, Project, ReportPhoto
from tests.documents.conftest import blank_pdf
from tests.projects.factories import Cast, jpeg_with_exif, project_at, tiny_png

pytestmark = pytest.mark.django_db

PDF = blank_pdf(1)  # a real one-page PDF: uploads are opened, not only sniffed


def _expense(**overrides):
    values = {
        "spent_on": date(2026, 1, 10),
        "description": "ไม้แผงตลาด",
        "category": "construction",
        "amount": Decimal("12500.50"),
        "receipt": SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf"),
    }
    values.update(overrides)
    return services.ExpenseInput(**values)


def test_a_report_with_expenses_photos_and_indicators_is_stored_and_accepted():
    cast = Cast.create()
    project = project_at(
        "progress_report",
        cast=cast,
        results=[
            {
                "title": "รายได้",
                "indicators": [
                    {
                        "name": "ครัวเรือนมีรายได้เพิ่ม",
                        "unit": "ครัวเรือน",
                        "targets": [
                            {
                                "period_start": timezone.localdate() - timedelta(days=30),
                                "period_end": timezone.localdate() + timedelta(days=30),
                                "target": Decimal("50"),
                            }
                        ],
                    }
                ],
            }
        ],
    )
    indicator = project.results.get().indicators.get()
    report = services.report_submit(
        actor=cast.leader,
        project=project,
        narrative="สร้างแผงตลาดเสร็จ 20 แผง",
        indicator_values={indicator.pk: Decimal("35")},
        expenses=[
            _expense(),
            # a JPEG photo of a receipt, named .pdf: judged by content, it is an image, accepted
            _expense(receipt=SimpleUploadedFile("scan.pdf", tiny_png()), amount=Decimal("100.00")),
            _expense(receipt=None, amount=Decimal("50.00")),
        ],
        photos=[
            services.PhotoInput(SimpleUploadedFile("site.jpg", jpeg_with_exif()), caption="หน้างาน"),
            services.PhotoInput(SimpleUploadedFile("noexif.png", tiny_png()), caption="ไม่มี EXIF"),
        ],
    )
    assert (report.status, report.installment.number, report.is_final) == ("submitted", 1, False)
    assert list(report.expenses.values_list("amount", "receipt_content_type")) == [
        (Decimal("12500.50"), "application/pdf"),
        (Decimal("100.00"), "image/png"),
        (Decimal("50.00"), ""),
    ]
    with_exif, without = report.photos.order_by("id")
    assert (with_exif.has_exif, with_exif.latitude, with_exif.longitude) == (
        True,
        Decimal("16.441667"),
        Decimal("102.820000"),
    )
    assert timezone.localtime(with_exif.taken_at).isoformat() == "2026-01-15T09:30:00+07:00"
    assert (without.has_exif, without.latitude, without.taken_at) == (False, None, None)
    assert Project.objects.get(pk=project.pk).current_step == "report_review"

    services.report_review(actor=cast.officer, report=report, decision="accept")
    assert IndicatorPeriod.objects.get(indicator=indicator).actual == Decimal("35.00")


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        ({"spent_on": "tomorrow"}, "future_expense"),
        ({"receipt": SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00 not a pdf at all")}, "bad_file_type"),
        ({"receipt": SimpleUploadedFile("receipt.jpg", b"<html>phishing</html>")}, "bad_file_type"),
        ({"amount": Decimal("0.00")}, "money_not_positive"),
        ({"category": "yacht"}, "bad_category"),
    ],
)
def test_bad_expense_lines_are_refused_and_nothing_is_written(bad, code, tmp_path, settings):
    cast = Cast.create()
    project = project_at("progress_report", cast=cast)
    if bad.get("spent_on") == "tomorrow":
        bad = {"spent_on": timezone.localdate() + timedelta(days=1)}
    with pytest.raises(services.ProjectError) as error:
        services.report_submit(
            actor=cast.leader,
            project=project,
            narrative="รายงาน",
            expenses=[_expense(), _expense(**bad)],
            photos=[services.PhotoInput(SimpleUploadedFile("a.jpg", jpeg_with_exif()))],
        )
    assert error.value.code == code
    assert (ProgressReport.objects.count(), ExpenseLine.objects.count(), ReportPhoto.objects.count()) == (
        0,
        0,
        0,
    )
    media = tmp_path / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    assert Project.objects.get(pk=project.pk).current_step == "progress_report"


def test_a_future_expense_message_is_clear_in_both_languages():
    cast = Cast.create()
    project = project_at("progress_report", cast=cast)
    future = timezone.localdate() + timedelta(days=3)
    with pytest.raises(services.ProjectError) as error:
        services.report_submit(
            actor=cast.leader,
            project=project,
            narrative="x",
            expenses=[_expense(spent_on=future, receipt=None)],
        )
    assert error.value.message_th == f"วันที่จ่าย {future:%Y-%m-%d} เป็นวันในอนาคต"
    assert error.value.message_en == f"Expense date {future:%Y-%m-%d} is in the future"


def test_a_photo_must_be_an_image_by_content():
    cast = Cast.create()
    project = project_at("progress_report", cast=cast)
    with pytest.raises(services.ProjectError) as error:
        services.report_submit(
            actor=cast.leader,
            project=project,
            narrative="x",
            photos=[services.PhotoInput(SimpleUploadedFile("photo.jpg", PDF))],
        )
    assert error.value.code == "bad_file_type"
    assert error.value.message_en == "Photo 'photo.jpg' is not an image"


def test_a_report_for_a_closed_project_is_refused():
    cast = Cast.create()
    project = project_at("closed", cast=cast)
    before = ProgressReport.objects.count()
    with pytest.raises(services.ProjectError) as error:
        services.report_submit(actor=cast.leader, project=project, narrative="เพิ่มเติม", is_final=True)
    assert error.value.code == "project_finished"
    assert error.value.message_th == "โครงการนี้ปิดแล้ว ส่งรายงานไม่ได้"
    assert ProgressReport.objects.count() == before


def test_only_the_organizations_leader_or_an_officer_may_report():
    from django.core.exceptions import PermissionDenied

    from tests.projects.factories import staff

    cast = Cast.create()
    project = project_at("progress_report", cast=cast)
    with pytest.raises(PermissionDenied):
        services.report_submit(
            actor=staff("community_leader", "subdistrict", "400104"), project=project, narrative="x"
        )
    with pytest.raises(PermissionDenied):
        services.report_review(
            actor=cast.leader,
            report=services.report_submit(actor=cast.leader, project=project, narrative="x"),
            decision="accept",
        )


def test_exif_reader_handles_south_west_and_garbage():
    south_west = photo_metadata(io.BytesIO(jpeg_with_exif(lat=(13, 45, 0), lon=(100, 30, 0))))
    assert (south_west.latitude, south_west.longitude) == (Decimal("13.750000"), Decimal("100.500000"))
    assert photo_metadata(io.BytesIO(b"not an image")).has_exif is False
    assert photo_metadata(io.BytesIO(tiny_png())).has_exif is False


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PDF, "application/pdf"),
        (b"\xff\xd8\xff\xe0rest", "image/jpeg"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypheic", "image/heic"),
        (b"PK\x03\x04 a zip", ""),
        (b"", ""),
    ],
)
def test_content_sniffing_by_magic_bytes(head, expected):
    assert services.sniff_content_type(io.BytesIO(head)) == expected
