"""Issue 12: a reference to another object in a document write is resolved through the actor's scope.

A document linked to a project, an organization or an area, and a letter's attachment that names
a stored document: an out-of-scope reference is refused with the same answer as a missing one.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from codi.correspondence import services as correspondence
from codi.documents import services as documents
from codi.documents.models import Document, DocumentLink
from tests.correspondence.helpers import letter, registrar, unit
from tests.documents.conftest import blank_pdf, docx_bytes
from tests.factories import OrganizationFactory
from tests.projects.factories import Cast, new_project, staff

pytestmark = pytest.mark.django_db


def _create(actor, links, area_code="", classification="internal"):  # type: ignore[no-untyped-def]
    return documents.document_create(
        actor=actor,
        fields=documents.DocumentFields(
            title="บันทึกการประชุม", area_code=area_code, links=tuple(links), classification=classification
        ),
        data=docx_bytes(["ประชุม"]),
        filename="minutes.docx",
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def test_a_document_cannot_be_linked_to_a_project_organization_or_area_out_of_scope():
    project = new_project(cast=Cast.create())  # in Khon Kaen (province 40)
    organization = OrganizationFactory(subdistrict_id="400104")
    outsider = staff("project_officer", "province", "10")  # Bangkok
    for link in (("project", str(project.pk)), ("organization", str(organization.pk)), ("area", "400104")):
        with pytest.raises(ValidationError) as refused:
            _create(outsider, [link], area_code="100101")
        missing_id = "999999" if link[0] != "area" else "000000"
        with pytest.raises(ValidationError) as missing:
            _create(outsider, [(link[0], missing_id)], area_code="100101")
        # the same answer as for an id that does not exist (only the id differs)
        assert refused.value.message_dict["links"][0].replace(link[1], "ID") == missing.value.message_dict[
            "links"
        ][0].replace(missing_id, "ID")
    assert not Document.objects.exists()


def test_links_in_scope_are_kept():
    project = new_project(cast=Cast.create())
    organization = OrganizationFactory(subdistrict_id="400104")
    officer = staff("project_officer", "province", "40")
    links = [("project", str(project.pk)), ("organization", str(organization.pk)), ("area", "400104")]
    version = _create(officer, links, area_code="400104")
    assert sorted(
        DocumentLink.objects.filter(document_id=version.document_id).values_list("link_type", "link_id")
    ) == sorted(links)


def test_a_letter_attachment_can_name_only_a_document_the_registrar_can_open():
    owner = unit()
    clerk = registrar(owner)
    registered = letter(owner, clerk, kind="incoming")
    # a secret document only its readers open (the registrar is not one of them)
    hidden = _create(
        staff("project_officer", "province", "40"), [], area_code="400104", classification="secret"
    )
    with pytest.raises(correspondence.LetterRefusedError) as refused:
        correspondence.attachment_add(
            actor=clerk,
            letter=registered,
            filename="scan.pdf",
            content=blank_pdf(1),
            document_id=hidden.document_id,
        )
    with pytest.raises(correspondence.LetterRefusedError) as missing:
        correspondence.attachment_add(
            actor=clerk, letter=registered, filename="scan.pdf", content=blank_pdf(1), document_id=987654
        )
    assert refused.value.english.replace(str(hidden.document_id), "ID") == missing.value.english.replace(
        "987654", "ID"
    )
    assert not registered.attachments.exists()
