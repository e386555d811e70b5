"""The proposal form never answers 500 on partly filled rows: each problem is a message beside the
input, what was typed stays in the inputs, and nothing is saved until the rows are right."""

from __future__ import annotations

import pytest
from django.urls import reverse

from codi.projects import services
from codi.projects.models import Project
from codi.projects.validation import proposal_rows
from tests.permissions import signed_in_client
from tests.projects.factories import Cast, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return Cast.create()


def _base(cast: Cast) -> dict[str, object]:
    return {
        "program": ProgramFactory(kind="housing").pk,
        "organization": cast.organization.pk,
        "title": "บ้านมั่นคงท่าพระ",
        "subdistrict_code": "400104",
        "fiscal_year": 2569,
        "requested_amount": "500000",
        "households": 40,
        "persons": 120,
    }


BAD_ROWS = [
    ({"act_0_title": "สำรวจข้อมูล"}, ["act_0_start", "act_0_end"]),  # the crash in the issue
    ({"act_0_title": "สำรวจ", "act_0_start": "2025-12-01", "act_0_end": "2025-11-01"}, ["act_0_end"]),
    ({"act_1_start": "2025-12-01"}, ["act_1_title"]),
    ({"act_0_title": "สำรวจ", "act_0_start": "1/12/2568", "act_0_end": "2025-12-01"}, ["act_0_start"]),
    ({"res_0_title": "บ้านมั่นคง", "res_0_target": "40"}, ["res_0_start", "res_0_end"]),
    ({"res_0_title": "บ้านมั่นคง", "res_0_target": "สี่สิบ", "res_0_start": "2025-11-01", "res_0_end": "2026-11-01"}, ["res_0_target"]),
    ({"res_2_unit": "หลัง"}, ["res_2_title"]),
    ({"bud_0_category": "construction", "bud_0_description": "วัสดุ"}, ["bud_0_amount"]),
    ({"bud_0_category": "construction", "bud_0_description": "วัสดุ", "bud_0_amount": "-5"}, ["bud_0_amount"]),
    ({"bud_0_category": "nope", "bud_0_description": "วัสดุ", "bud_0_amount": "5"}, ["bud_0_category"]),
    ({"bud_3_amount": "5000"}, ["bud_3_description"]),
    ({"ben_0_group": "elderly", "ben_0_households": "สิบ"}, ["ben_0_households"]),
    ({"ben_1_persons": "3"}, ["ben_1_group"]),
]  # fmt: skip


@pytest.mark.parametrize(("rows", "fields"), BAD_ROWS)
def test_partial_rows_get_a_message_beside_the_input_and_keep_what_was_typed(cast, rows, fields):
    client = signed_in_client(cast.leader)
    response = client.post(reverse("projects:proposal_create"), {**_base(cast), **rows})
    assert response.status_code == 200
    assert not Project.objects.filter(title="บ้านมั่นคงท่าพระ").exists()
    cells = {c.name: c for s in response.context["sections"] for row in s.rows for c in row}
    assert sorted(n for n, c in cells.items() if c.error) == sorted(fields)
    html = response.content.decode()
    for name, value in rows.items():
        assert cells[name].value == value
        assert f'id="{name}-error"' in html if name in fields else True
    assert "บ้านมั่นคงท่าพระ" in html  # the main form's title is kept too
    assert response.context["form"].non_field_errors()


def test_thai_messages_by_default(cast):
    response = signed_in_client(cast.leader).post(
        reverse("projects:proposal_create"), {**_base(cast), "act_0_title": "สำรวจข้อมูล"}
    )
    cells = {c.name: c for s in response.context["sections"] for row in s.rows for c in row}
    assert cells["act_0_start"].error == "กรุณาระบุวันที่"


def test_complete_rows_are_saved(cast):
    response = signed_in_client(cast.leader).post(
        reverse("projects:proposal_create"),
        {
            **_base(cast),
            "act_0_title": "สำรวจข้อมูล",
            "act_0_start": "2025-11-01",
            "act_0_end": "2025-12-01",
            "res_0_title": "ครัวเรือนมีบ้านมั่นคง",
            "res_0_target": "40",
            "res_0_start": "2025-11-01",
            "res_0_end": "2026-10-31",
            "bud_0_category": "construction",
            "bud_0_description": "วัสดุก่อสร้าง",
            "bud_0_amount": "500,000",
            "ben_0_group": "elderly",
            "ben_0_households": "12",
        },
    )
    assert response.status_code == 302, response.content[:800]
    project = Project.objects.get(title="บ้านมั่นคงท่าพระ")
    assert project.activities.count() == project.results.count() == project.budget_items.count() == 1


def test_empty_form_has_no_row_errors():
    assert proposal_rows({}).errors == {}
    assert proposal_rows(None).errors == {}


def test_service_refuses_an_activity_without_dates_with_a_message(cast):
    with pytest.raises(services.ProjectError) as caught:
        services._clean_children({"activities": [{"title": "x", "start_date": None, "end_date": None}]})
    assert caught.value.code == "dates_missing"
