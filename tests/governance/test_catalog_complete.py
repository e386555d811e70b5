"""Governance enforced by CI: every model and field of every CODI app has a catalog entry."""

from __future__ import annotations

import pytest
from django.db import models
from django.test.utils import isolate_apps

from codi.governance import catalog
from codi.governance.catalog import catalog_missing, catalog_problems, missing_by_app


def _report(lines: list[str]) -> str:
    parts = []
    for app, app_lines in missing_by_app(lines).items():
        parts.append(f"\n[{app}] {len(app_lines)} problem(s):")
        parts.extend(f"  - {line}" for line in app_lines)
    return "".join(p + "\n" for p in parts)


def test_every_model_and_field_has_a_catalog_entry():
    # when
    missing = catalog_missing()
    # then
    assert missing == [], "the data catalog does not match the code:" + _report(missing)


def test_every_catalog_value_is_valid():
    # when
    problems = catalog_problems()
    # then
    assert problems == [], "invalid data catalog values:" + _report(problems)


def _throwaway_catalog(fields: dict[str, tuple[str, ...]]) -> dict[str, object]:
    return {
        "Throwaway": {
            "name_th": "ตารางทดลอง",
            "name_en": "Throw-away",
            "description": "A model that exists only in this test.",
            "owner_unit": "ฝ่ายเทคโนโลยีสารสนเทศ",
            "steward": "nobody",
            "classification": "internal",
            "lawful_basis": "",
            "source": "the test",
            "update_frequency": "on change",
            "retention": "the test",
            "fields": fields,
        }
    }


@pytest.fixture
def isolated_governance():
    """A registry holding only the governance app, and a throw-away model with two fields."""
    with isolate_apps("codi.governance") as registry:

        class Throwaway(models.Model):
            title = models.CharField(max_length=100)
            secret_note = models.TextField()
            tags = models.ManyToManyField("self")

            class Meta:
                app_label = "governance"

            def __str__(self) -> str:
                return self.title

        yield registry


def test_a_field_added_without_metadata_fails_the_completeness_check(isolated_governance, monkeypatch):
    # given a catalog that documents the model but not its new field "secret_note"
    monkeypatch.setattr(
        catalog,
        "DATASETS",
        _throwaway_catalog({"title": ("ชื่อ", "Title", "A title"), "tags": ("ป้าย", "Tags", "Tags")}),
    )
    # when
    missing = catalog_missing(isolated_governance)
    # then exactly that field is reported
    assert missing == ["governance.Throwaway.secret_note: field has no catalog entry"]


def test_a_many_to_many_field_without_metadata_is_reported(isolated_governance, monkeypatch):
    # given
    monkeypatch.setattr(
        catalog,
        "DATASETS",
        _throwaway_catalog({"title": ("ชื่อ", "Title", "A title"), "secret_note": ("ก", "Note", "A note")}),
    )
    # when / then
    assert catalog_missing(isolated_governance) == ["governance.Throwaway.tags: field has no catalog entry"]


def test_a_model_without_an_entry_and_a_stale_field_entry_are_reported(isolated_governance, monkeypatch):
    # given no entry for the model at all
    monkeypatch.setattr(catalog, "DATASETS", {})
    # when / then
    assert catalog_missing(isolated_governance) == ["governance.Throwaway: model has no catalog entry"]
    # given an entry that names a field the model does not have
    monkeypatch.setattr(
        catalog,
        "DATASETS",
        _throwaway_catalog(
            {
                "title": ("ชื่อ", "Title", "A title"),
                "secret_note": ("บันทึก", "Note", "A note"),
                "tags": ("ป้าย", "Tags", "Tags"),
                "removed": ("ลบแล้ว", "Removed", "A field that was removed"),
            }
        ),
    )
    # when / then
    assert catalog_missing(isolated_governance) == [
        "governance.Throwaway.removed: catalog entry for a field that does not exist"
    ]


def test_a_documented_model_that_no_longer_exists_is_reported(isolated_governance, monkeypatch):
    # given
    datasets = _throwaway_catalog(
        {"title": ("ชื่อ", "Title", "A title"), "secret_note": ("ก", "N", "N"), "tags": ("ป", "T", "T")}
    )
    datasets["Gone"] = datasets["Throwaway"]
    monkeypatch.setattr(catalog, "DATASETS", datasets)
    # when / then
    assert catalog_missing(isolated_governance) == [
        "governance.Gone: catalog entry for a model that does not exist"
    ]
