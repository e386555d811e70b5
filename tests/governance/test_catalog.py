"""The catalog API (used by the PDPA records of processing) and its validation."""

from __future__ import annotations

import pytest

from codi.governance import catalog
from codi.governance.catalog import (
    CatalogError,
    catalog_entries,
    catalog_missing,
    catalog_problems,
    dataset_entry,
)

# The apps that existed before the governance issue; their catalogs are written by governance.
FOUNDATION_APPS = (
    "core",
    "identity",
    "areas",
    "communities",
    "knowledge",
    "notifications",
    "feedback",
    "governance",
)


def test_the_foundation_apps_and_governance_are_completely_catalogued():
    # when
    missing = [line for line in catalog_missing() if line.split(".")[0].split(":")[0] in FOUNDATION_APPS]
    # then
    assert missing == []


def test_a_personal_dataset_carries_its_personal_fields_and_lawful_basis():
    # when
    person = dataset_entry("communities.Person")
    # then
    assert person is not None
    assert person.db_table == "communities_person"
    assert person.classification == "confidential"
    assert person.personal is True
    assert person.lawful_basis.startswith("public task (PDPA s.24(4))")
    national_id = next(f for f in person.fields if f.name == "national_id")
    assert (national_id.personal, national_id.classification) == ("general", "secret")
    subdistrict = next(f for f in person.fields if f.name == "subdistrict")
    assert subdistrict.data_type == "ForeignKey → areas.Subdistrict"
    assert [f.name for f in person.fields][:3] == ["national_id", "national_id_index", "national_id_masked"]


def test_a_dataset_without_personal_fields_is_not_personal():
    # when
    province = dataset_entry("areas.Province")
    # then
    assert province is not None
    assert (province.personal, province.classification, province.lawful_basis) == (False, "public", "")
    assert next(f for f in province.fields if f.name == "code").data_type == "CharField(2)"


def test_many_to_many_fields_are_catalogued():
    user = dataset_entry("identity.User")
    assert user is not None
    assert {"groups", "user_permissions"} <= {f.name for f in user.fields}


def test_every_entry_has_only_known_values():
    for entry in catalog_entries():
        assert entry.classification in catalog.CLASSIFICATIONS
        assert entry.update_frequency in catalog.UPDATE_FREQUENCIES
        for f in entry.fields:
            assert f.personal in catalog.PERSONAL_CATEGORIES
            assert f.classification in catalog.CLASSIFICATIONS


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"classification": "top-secret"}, "core.AuditHead: classification 'top-secret' is not one of"),
        ({"update_frequency": "hourly"}, "core.AuditHead: update_frequency 'hourly' is not one of"),
        ({"steward": ""}, "core.AuditHead: 'steward' is empty"),
        ({"colour": "red"}, "core.AuditHead: unknown key 'colour'"),
    ],
)
def test_invalid_dataset_values_are_refused(monkeypatch, change, expected):
    # given
    from codi.core import catalog as core_catalog

    datasets = {**core_catalog.DATASETS, "AuditHead": {**core_catalog.DATASETS["AuditHead"], **change}}
    monkeypatch.setattr(core_catalog, "DATASETS", datasets)
    # when
    problems = catalog_problems()
    # then
    assert len(problems) == 1
    assert problems[0].startswith(expected)
    with pytest.raises(CatalogError):
        catalog_entries()


def test_invalid_field_values_are_refused(monkeypatch):
    # given
    from codi.core import catalog as core_catalog

    head = core_catalog.DATASETS["AuditHead"]
    fields = {
        **head["fields"],
        "last_id": ("ลำดับ", "Last", "Last entry", {"personal": "very"}),
        "last_hash": ("แฮช", "Hash"),
    }
    monkeypatch.setattr(
        core_catalog, "DATASETS", {**core_catalog.DATASETS, "AuditHead": {**head, "fields": fields}}
    )
    # when
    problems = catalog_problems()
    # then
    assert problems == [
        "core.AuditHead.last_id: personal 'very' is not one of ('', 'general', 'sensitive')",
        "core.AuditHead.last_hash: must be (name_th, name_en, description[, overrides]) as a tuple",
        "core.AuditHead: holds personal data but 'lawful_basis' is empty",
    ]


def test_third_party_tables_described_by_an_app_are_in_the_catalog():
    # when
    session = dataset_entry("sessions.Session")
    totp = dataset_entry("otp_totp.TOTPDevice")
    # then
    assert session is not None and totp is not None
    assert session.db_table == "django_session"
    assert (session.personal, session.classification) == (True, "secret")
    assert [f.name for f in totp.fields] == ["user", "name", "confirmed", "last_used_at", "key"]


def test_a_stale_third_party_entry_is_reported(monkeypatch):
    # given
    from codi.identity import catalog as identity_catalog

    external = {
        **identity_catalog.EXTERNAL_DATASETS,
        "sessions.Session": {
            **identity_catalog.EXTERNAL_DATASETS["sessions.Session"],
            "fields": {"gone": ("ก", "Gone", "A removed field")},
        },
        "nothing.Here": identity_catalog.EXTERNAL_DATASETS["otp_static.StaticToken"],
    }
    monkeypatch.setattr(identity_catalog, "EXTERNAL_DATASETS", external)
    # when
    lines = [line for line in catalog_missing() if "external" in line]
    # then
    assert lines == [
        "identity: external catalog entry sessions.Session.gone names a field that does not exist",
        "identity: external catalog entry nothing.Here names no installed model",
    ]


def test_a_personal_field_of_an_internal_dataset_is_confidential():
    organization = dataset_entry("communities.Organization")
    assert organization is not None
    classes = {f.name: f.classification for f in organization.fields}
    assert organization.classification == "internal"
    assert (classes["name_th"], classes["phone"], classes["email"]) == (
        "internal",
        "confidential",
        "confidential",
    )
