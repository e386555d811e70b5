"""Baan Mankong stage photos, kept in the documents app through its services: pictures only, on a
planned or reached stage, by a credit officer of the project's area; listed as thumbnails."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from codi.core.models import AuditEntry
from codi.documents.models import Document
from codi.lending import community, photos, reports
from codi.lending.models_reports import ProjectStage
from codi.lending.services import LendingError
from tests.permissions import signed_in_client
from tests.projects.factories import tiny_png

pytestmark = pytest.mark.django_db


def _upload(name: str, data: bytes, kind: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=kind)


def test_stage_photos_are_documents_of_the_projects_area_listed_as_thumbnails(books, people, org, settings,
                                                                              tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    officer = people["officer"]  # credit officer of Khon Kaen (40); the organization is in 400101
    project = community.housing_project_create(actor=officer, code="BM-F1", name_th="บ้านมั่นคงริมคลอง",
                                               organization=org, tenure="coop", households_planned=4)  # fmt: skip
    reports.stage_reach(actor=officer, project=project, phase="survey", reached_on=date(2025, 1, 10))
    url = f"/lending/housing/?id={project.pk}"
    client = signed_in_client(officer)
    assert (
        client.post(
            url, {"what": "photo", "phase": "survey", "photo": _upload("a.png", tiny_png())}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url, {"what": "photo", "phase": "survey", "photo": _upload("b.png", tiny_png())}
        ).status_code
        == 302
    )
    stage = ProjectStage.objects.get(project=project, phase="survey")
    doc = Document.objects.get(pk=stage.document_id)
    assert (doc.classification, doc.area_code, doc.doc_type, doc.versions.count()) == ("internal", "400101",
                                                                                     "evidence", 2)  # fmt: skip
    assert list(doc.links.values_list("link_type", "link_id")) == [("organization", str(org.pk))]
    page = client.get(url).content.decode()
    listed = page[page.index('id="stage-photos-survey"') :]
    listed = listed[: listed.index("</ul>")]
    assert (
        listed.count("<img") == 2
        and f"/documents/{doc.pk}/v2/" in listed
        and f"/documents/{doc.pk}/v1/" in listed
    )
    assert [p.number for p in photos.stage_photos(user=officer, stage=stage)] == [2, 1]
    assert AuditEntry.objects.filter(action="lending.stage_photo_add", object_id=str(project.pk)).count() == 2
    # Not a picture (a text file named .png, a PDF): refused beside the field, nothing filed.
    for name, data, kind in (("c.png", b"hello, not a picture", "image/png"),
                             ("d.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")):  # fmt: skip
        bad = client.post(url, {"what": "photo", "phase": "survey", "photo": _upload(name, data, kind)})
        assert bad.status_code == 200 and 'id="hp-error"' in bad.content.decode()
    with pytest.raises(LendingError, match="วางแผนขั้นตอนนี้ก่อน"):  # a stage not planned yet takes no photo
        photos.stage_photo_add(
            actor=officer, project=project, phase="handover", data=tiny_png(), filename="e.png"
        )
    assert Document.objects.get(pk=doc.pk).versions.count() == 2
    # Out of scope: the south's officer does not see the project; the regional director may not add.
    south = signed_in_client(people["south_officer"])
    assert (
        south.post(
            url, {"what": "photo", "phase": "survey", "photo": _upload("f.png", tiny_png())}
        ).status_code
        == 404
    )
    assert south.get(f"/documents/{doc.pk}/v1/file").status_code in {403, 404}
    assert photos.stage_photos(user=people["south_officer"], stage=stage) == []
    committee = signed_in_client(people["committee"])
    assert (
        committee.post(
            url, {"what": "photo", "phase": "survey", "photo": _upload("g.png", tiny_png())}
        ).status_code
        == 403
    )
    assert Document.objects.get(pk=doc.pk).versions.count() == 2
