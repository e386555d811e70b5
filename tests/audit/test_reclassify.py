"""Working papers filed while they were "confidential" become secret through the documents app's
service (``manage.py audit_papers_reclassify``): only the engagement's team opens them afterwards."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from codi.audit import planning
from codi.core.models import AuditEntry
from codi.documents import services as documents
from codi.documents.models import Document
from tests.audit.conftest import make_user
from tests.permissions import signed_in_client
from tests.projects.factories import tiny_png

pytestmark = pytest.mark.django_db


def test_papers_filed_as_confidential_become_secret_for_the_team_only(people, engagement, settings, tmp_path,
                                                                      capsys):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    planning.engagement_team_set(actor=people["auditor"], engagement=engagement, members=[people["auditor2"]])
    old = planning.working_paper_add(
        actor=people["auditor"], engagement=engagement, title="หลักฐานเดิม", data=tiny_png(), filename="o.png"
    )
    new = planning.working_paper_add(
        actor=people["auditor"], engagement=engagement, title="หลักฐานใหม่", data=tiny_png(), filename="n.png"
    )
    # The first paper as it was filed before the change: confidential, no named readers (old rows).
    Document.objects.filter(pk=old.document_id).update(classification="confidential")
    Document.objects.get(pk=old.document_id).readers.clear()
    outsider = make_user("internal_auditor")  # a country-wide auditor who is not on this engagement
    file_url = f"/api/v1/documents/documents/{old.document_id}/versions/1/file"
    assert signed_in_client(outsider).get(file_url).status_code == 200  # the gap this closes
    call_command("audit_papers_reclassify", "--dry-run")
    assert "จะเปลี่ยน 1 ฉบับ" in capsys.readouterr().out
    assert Document.objects.get(pk=old.document_id).classification == "confidential"
    call_command("audit_papers_reclassify")
    assert "เปลี่ยนแล้ว 1 ฉบับ" in capsys.readouterr().out
    doc = Document.objects.get(pk=old.document_id)
    assert doc.classification == "secret"
    assert set(doc.readers.values_list("pk", flat=True)) == {people["auditor"].pk, people["auditor2"].pk}
    assert signed_in_client(outsider).get(file_url).status_code in {403, 404}
    assert signed_in_client(people["auditor2"]).get(file_url).status_code == 200
    entry = AuditEntry.objects.get(action="documents.document.classification_raise")
    assert entry.object_id == str(old.document_id) and entry.changes["classification"] == [
        "confidential",
        "secret",
    ]
    assert AuditEntry.objects.filter(action="eaudit.working_papers_reclassify").count() == 1
    # The paper filed secret is untouched; a second run changes nothing.
    assert planning.working_papers_reclassify() == []
    assert AuditEntry.objects.filter(action="documents.document.classification_raise").count() == 1
    assert Document.objects.get(pk=new.document_id).classification == "secret"
    # The service never lowers a class and wants a reason.
    assert documents.documents_classification_raise(actor=None, document_ids=[doc.pk], classification="internal",
                                                    readers={}, reason="x") == []  # fmt: skip
    with pytest.raises(ValueError):
        documents.documents_classification_raise(actor=None, document_ids=[doc.pk], classification="secret",
                                                 readers={}, reason=" ")  # fmt: skip
