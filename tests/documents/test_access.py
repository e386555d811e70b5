"""The access rule: classification × area scope × role, named readers, and who may change what."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from codi.documents import access, services
from codi.documents.models import Document
from codi.identity.models import User
from tests.documents.conftest import docx_bytes, staff


def _document(classification: str, area: str) -> Document:
    return Document(title="t", classification=classification, area_code=area, created_by=User(pk=1))


@pytest.mark.parametrize(
    ("role", "level", "code", "expected"),
    [
        # (public, internal-kk, internal-none, confidential-kk, confidential-none, secret-kk)
        ("project_officer", "province", "40", [True, True, True, False, False, False]),
        ("project_officer", "district", "4001", [True, True, True, False, False, False]),
        ("project_officer", "district", "4002", [True, False, True, False, False, False]),
        ("project_officer", "region", "northeast", [True, True, True, False, False, False]),
        ("project_officer", "region", "bangkok", [True, False, True, False, False, False]),
        ("regional_director", "subdistrict", "400104", [True, True, True, True, False, False]),
        ("executive", "country", "", [True, True, True, True, True, False]),
        ("system_admin", "country", "", [True, True, True, False, False, False]),
        ("community_leader", "country", "", [False, False, False, False, False, False]),
    ],
)
def test_view_rule(db, role, level, code, expected):
    user = staff(role, level, code)
    documents = [
        _document("public", ""),
        _document("internal", "400104"),
        _document("internal", ""),
        _document("confidential", "400104"),
        _document("confidential", ""),
        _document("secret", "400104"),
    ]
    assert [access.can_view(user, d, is_reader=False) for d in documents] == expected


def test_named_reader_opens_any_class_without_a_role(db):
    reader = User.objects.create(username="reader-only")
    owner = staff("project_officer", "country")
    version = services.document_create(
        actor=owner,
        fields=services.DocumentFields(title="ลับมาก", classification="secret", area_code="400104"),
        data=docx_bytes(["ข้อความ"]),
        filename="s.docx",
    )
    document = Document.objects.get(pk=version.document_id)
    assert not access.can_view(reader, document)

    services.document_readers_set(actor=owner, document_id=document.pk, user_ids=[reader.pk])

    assert access.can_view(reader, document)
    assert set(document.readers.values_list("pk", flat=True)) == {owner.pk, reader.pk}  # the owner stays
    assert not access.can_manage(reader, document)


def test_creating_needs_manage_over_the_area(db):
    officer = staff("project_officer", "province", "40")
    assert access.can_create_in(officer, "400104")
    assert not access.can_create_in(officer, "100101")
    assert not access.can_create_in(officer, "")  # organization-wide needs a country-wide scope
    assert access.can_create_in(staff("project_officer", "country"), "")
    with pytest.raises(PermissionDenied):
        services.document_create(
            actor=officer,
            fields=services.DocumentFields(title="x", area_code="100101"),
            data=docx_bytes(["x"]),
            filename="x.docx",
        )


def test_metadata_is_checked(db):
    officer = staff("project_officer", "country")
    with pytest.raises(ValidationError) as invalid:
        services.document_create(
            actor=officer,
            fields=services.DocumentFields(
                title="  ",
                area_code="999999",
                classification="top",
                links=(("project", "7"), ("area", "000000")),
            ),
            data=docx_bytes(["x"]),
            filename="x.docx",
        )
    assert set(invalid.value.message_dict) == {"title", "area_code", "classification", "links"}
    assert not Document.objects.exists()
