"""Issue 12, item 9: published aggregates of people's reports suppress small counts (declared per dataset)."""

from __future__ import annotations

import pytest

from codi.feedback.models import Ticket
from codi.opendata import builders, datastore, services
from codi.opendata.builders import Column, DatasetBuilder

pytestmark = pytest.mark.django_db


def _tickets(n: int, *, subdistrict: str, category: str) -> None:
    for _ in range(n):
        Ticket.objects.create(
            token_hash=f"{Ticket.objects.count():064d}",
            channel="web",
            text="ถนนในหมู่บ้านชำรุด",
            subdistrict_id=subdistrict,
            category=category,
        )


def test_feedback_counts_under_five_are_published_empty_and_the_rule_is_declared():
    # given 2 reports in one province and category, and 7 in another
    _tickets(2, subdistrict="400104", category="infrastructure")
    _tickets(7, subdistrict="500101", category="infrastructure")
    builder = builders.get("feedback-by-category-province-month")
    assert builder is not None and builder.suppressed_columns == ("tickets",) and builder.suppress_below == 5

    # when the dataset is published
    outcome = services.dataset_publish(actor=None, name="feedback-by-category-province-month")

    # then the 2 is published as an empty cell and the 7 as it is
    rows = list(datastore.iterate(table=outcome.resource.table_name, fields=outcome.resource.fields))
    by_province = {row[2]: row[-1] for row in rows}
    assert by_province == {"40": None, "50": 7}
    assert "น้อยกว่า 5" in outcome.dataset.description


def test_datasets_of_public_things_declare_no_suppression():
    assert builders.get("organizations-by-subdistrict-type").suppressed_columns == ()  # type: ignore[union-attr]
    assert builders.get("projects-by-program-province-year").suppressed_columns == ()  # type: ignore[union-attr]


def test_only_count_columns_can_be_suppressed():
    with pytest.raises(ValueError, match="must be an int column"):
        DatasetBuilder(
            name="x-test",
            title_th="ทดสอบ",
            title_en="Test",
            description="ทดสอบ",
            objective="ทดสอบ",
            data_type="statistics",
            data_category="ข้อมูลสาธารณะ",
            update_frequency="yearly",
            columns=(Column("province", "text", "จังหวัด"),),
            build=list,
            suppressed_columns=("province",),
        )
