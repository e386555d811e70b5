"""The finance reports as PDF (Sarabun, A4): the same figures as on screen, refused out of scope."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from codi.finance import ledger
from codi.finance.ledger import LineSpec
from tests.finance.conftest import IN_FY, TODAY_FY
from tests.permissions import signed_in_client

EXPENSE, BANK = "5104010112", "1101020601"


@pytest.fixture
def posted(books, budget):
    return ledger.entry_post(
        actor=None, entry_date=IN_FY, description="ค่าจ้างเหมาบริการทดสอบ", source_type="test.pdf", source_id="1",
        lines=[LineSpec(EXPENSE, debit=Decimal("12345.67"), budget_line_id=budget.pk),
               LineSpec(BANK, credit=Decimal("12345.67"))],
    )  # fmt: skip


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"/finance/reports/trial-balance/?fy={TODAY_FY}&format=pdf", ["งบทดลอง", EXPENSE, "12,345.67"]),
        (f"/finance/ledger/?account={EXPENSE}&fy={TODAY_FY}&format=pdf", ["บัญชีแยกประเภท", "12,345.67"]),
        (f"/finance/reports/budget/?fy={TODAY_FY}&by=program&format=pdf", ["12,345.67"]),
        (f"/finance/reports/performance/?fy={TODAY_FY}&format=pdf", ["12,345.67"]),
        (f"/finance/cash-book/?fy={TODAY_FY}&format=pdf", ["สมุดเงินสด", BANK, "12,345.67", "ยอดยกมา"]),
    ],
)
def test_reports_download_as_pdf_with_their_figures(people, posted, url, expected):
    text = _text(signed_in_client(people["maker"]).get(url))
    for part in expected:
        assert part in text, (part, text[:500])


def test_the_pdf_is_refused_to_those_who_cannot_see_the_report(people, posted):
    for who in ("project_officer", "south_officer"):
        for report in ("reports/trial-balance", "cash-book"):
            response = signed_in_client(people[who]).get(f"/finance/{report}/?fy={TODAY_FY}&format=pdf")
            assert response.status_code in {403, 404}
            assert not response.content.startswith(b"%PDF")
