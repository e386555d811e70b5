"""A project's stored files (receipts, report photos, attachments), only for people who may see the project.

Files are never served from /media/: each answer checks the project's scope first, then sends the
file as a download (``Content-Disposition: attachment``, ``nosniff``) under the type detected at
upload. A photo shown in an <img> on the project page is fetched through the same check.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from codi.core import uploads
from codi.projects.models import Attachment, ExpenseLine, ReportPhoto
from codi.projects.views.common import _get


@login_required
def receipt_file(request: HttpRequest, project_id: int, expense_id: int) -> FileResponse:
    project = _get(request, project_id)
    line = ExpenseLine.objects.filter(pk=expense_id, report__project=project).exclude(receipt="").first()
    if line is None:
        raise Http404
    content_type = line.receipt_content_type or uploads.content_type_of(line.receipt.name)
    return uploads.download_response(
        line.receipt, content_type=content_type, display_name=f"receipt-{project.code}-{line.pk}"
    )


@login_required
def photo_file(request: HttpRequest, project_id: int, photo_id: int) -> FileResponse:
    project = _get(request, project_id)
    photo = ReportPhoto.objects.filter(pk=photo_id, report__project=project).first()
    if photo is None:
        raise Http404
    return uploads.download_response(
        photo.image,
        content_type=uploads.content_type_of(photo.image.name),
        display_name=f"photo-{project.code}-{photo.pk}",
    )


@login_required
def attachment_file(request: HttpRequest, project_id: int, attachment_id: int) -> FileResponse:
    project = _get(request, project_id)
    attachment = Attachment.objects.filter(pk=attachment_id, project=project).first()
    if attachment is None:
        raise Http404
    content_type = attachment.content_type or uploads.content_type_of(attachment.file.name)
    return uploads.download_response(
        attachment.file, content_type=content_type, display_name=attachment.title
    )
