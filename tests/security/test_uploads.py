"""Issue 12, item 7: progress-report files are judged by content, stored under generated names,
leave nothing behind when the report fails, and are served only through a scope-checked download."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from codi.core import uploads
from codi.projects import services
from codi.projects.models import ExpenseLine, ProgressReport, ReportPhoto
from tests.permissions import Matrix
from tests.projects.factories import Cast, jpeg_with_exif, project_at, staff

pytestmark = pytest.mark.django_db


def gif_with_html() -> bytes:
    """A real GIF whose comment block is an HTML page: a browser that sniffs could run it."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("P", (2, 2)).save(
        buffer, format="GIF", comment=b"<html><script>alert(document.cookie)</script>"
    )
    return buffer.getvalue()


def _expense(receipt: SimpleUploadedFile | None) -> services.ExpenseInput:
    return services.ExpenseInput(
        spent_on=date(2026, 1, 10),
        description="ค่าไม้",
        category="construction",
        amount=Decimal("100.00"),
        receipt=receipt,
    )


def _files(root) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_gif_html_polyglot_named_receipt_html_is_stored_as_gif(media) -> None:
    cast = Cast.create()
    project = project_at("progress_report", cast=cast)
    report = services.report_submit(
        actor=cast.leader,
        project=project,
        narrative="รายงาน",
        expenses=[_expense(SimpleUploadedFile("receipt.html", gif_with_html(), content_type="text/html"))],
    )
    line = report.expenses.get()
    assert line.receipt_content_type == "image/gif"
    stored = line.receipt.name.rsplit("/", 1)[-1]
    assert stored.endswith(".gif") and "receipt" not in stored and len(stored) == 32 + 4
    assert [name for name in _files(media) if not name.endswith(".gif")] == []


def test_a_crude_polyglot_is_refused_and_nothing_is_written(media) -> None:
    cast = Cast.create()
    project = project_at("progress_report", cast=cast)
    with pytest.raises(services.ProjectError) as error:
        services.report_submit(
            actor=cast.leader,
            project=project,
            narrative="รายงาน",
            expenses=[
                _expense(SimpleUploadedFile("receipt.html", b"GIF89a<html><script>x()</script></html>"))
            ],
        )
    assert error.value.code == "bad_file_type"
    assert _files(media) == []


def test_a_report_that_fails_after_a_receipt_was_written_leaves_no_file(media) -> None:
    cast = Cast.create()
    project = project_at("progress_report", cast=cast)
    # The photo cannot be written (its folder's place is taken by a file): the receipt already was.
    media.mkdir(parents=True)
    (media / "projects").mkdir()
    (media / "projects" / "photos").write_text("not a folder")
    with pytest.raises(OSError):
        services.report_submit(
            actor=cast.leader,
            project=project,
            narrative="รายงาน",
            expenses=[_expense(SimpleUploadedFile("r.jpg", jpeg_with_exif()))],
            photos=[services.PhotoInput(SimpleUploadedFile("site.jpg", jpeg_with_exif()))],
        )
    assert (ProgressReport.objects.count(), ExpenseLine.objects.count(), ReportPhoto.objects.count()) == (
        0,
        0,
        0,
    )
    assert _files(media) == ["projects/photos"]


def test_receipts_and_photos_are_served_only_through_the_projects_scope(media, matrix: Matrix) -> None:
    cast = Cast.create()
    project = project_at("progress_report", cast=cast)
    report = services.report_submit(
        actor=cast.leader,
        project=project,
        narrative="รายงาน",
        expenses=[_expense(SimpleUploadedFile("receipt.html", gif_with_html()))],
        photos=[services.PhotoInput(SimpleUploadedFile("site.jpg", jpeg_with_exif()))],
    )
    line, photo = report.expenses.get(), report.photos.get()
    outsider = staff("project_officer", "province", "10")
    for url, content_type in (
        (f"/projects/{project.pk}/receipts/{line.pk}/", "image/gif"),
        (f"/projects/{project.pk}/photos/{photo.pk}/", "image/jpeg"),
    ):
        matrix.check(
            lambda c, url=url: c.get(url),
            allowed=cast.officer,
            wrong_role=staff("hr_officer", "country"),
            out_of_scope=outsider,
            allowed_ok=lambda r, content_type=content_type: (
                r.status_code == 200
                and r["Content-Type"] == content_type
                and r["Content-Disposition"].startswith("attachment;")
                and r["X-Content-Type-Options"] == "nosniff"
            ),
        )
    # Another project's id in the path does not reach this project's files.
    other = project_at("progress_report", cast=Cast.create())
    client = matrix_client(cast.officer)
    assert client.get(f"/projects/{other.pk}/receipts/{line.pk}/").status_code == 404


def test_the_project_page_links_files_through_the_download_views_not_media(media) -> None:
    cast = Cast.create()
    project = project_at("progress_report", cast=cast)
    services.report_submit(
        actor=cast.leader,
        project=project,
        narrative="รายงาน",
        expenses=[_expense(SimpleUploadedFile("r.pdf", jpeg_with_exif()))],
        photos=[services.PhotoInput(SimpleUploadedFile("site.jpg", jpeg_with_exif()))],
    )
    html = matrix_client(cast.officer).get(f"/projects/{project.pk}/?tab=reports").content.decode()
    assert "/media/" not in html
    assert f"/projects/{project.pk}/receipts/" in html and f"/projects/{project.pk}/photos/" in html


def test_download_names_take_the_detected_extension() -> None:
    assert uploads.download_name("../สำเนา.html", uploads.PDF) == "สำเนา.pdf"
    assert uploads.download_name("", uploads.GIF) == "file.gif"
    assert uploads.generated_name(uploads.JPEG).endswith(".jpg")


def matrix_client(user):  # type: ignore[no-untyped-def]
    from tests.permissions import signed_in_client

    return signed_in_client(user)
