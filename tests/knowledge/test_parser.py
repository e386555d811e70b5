"""Splitting Acts into sections, checked against counts made by hand from the text files."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from codi.knowledge.parser import parse_act, section_key
from codi.knowledge.services import BUNDLED_DIR

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def _act(act_id: str):
    return parse_act((BUNDLED_DIR / f"{act_id}.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("act_id", "count", "first", "last"),
    [
        # Hand counts: the "มาตรา N" headers before the countersignature, read line by line.
        ("556460", 30, "1", "30"),  # Computer Crime Act 2550: sections 1-30
        ("302231", 43, "1", "43"),  # Official Information Act 2540: sections 1-43
        ("302148", 72, "1", "72"),  # Agricultural Land Rent Act 2524: numbers on the line after "มาตรา"
        (
            "570721",
            59,
            "1",
            "46",
        ),  # Electronic Transactions Act 2544: 46 sections + 13 sub-sections (12/1 ... 45/1)
    ],
)
def test_section_counts_match_hand_counts(act_id, count, first, last):
    act = _act(act_id)
    assert len(act.sections) == count
    assert (act.sections[0].number, act.sections[-1].number) == (first, last)


def test_sub_sections_are_kept_in_order_with_a_slash():
    numbers = [s.number for s in _act("570721").sections]
    assert numbers[10:16] == ["11", "12", "12/1", "13", "13/1", "13/2"]
    assert [n for n in numbers if "/" in n] == [
        "12/1",
        "13/1",
        "13/2",
        "17/1",
        "33/1",
        "34/1",
        "34/2",
        "34/3",
        "34/4",
        "42/1",
        "43/1",
        "44/1",
        "45/1",
    ]


def test_title_year_and_chapters():
    act = _act("556460")
    assert act.title == "พระราชบัญญัติ ว่าด้วยการกระทำความผิดเกี่ยวกับคอมพิวเตอร์ พ.ศ. 2550"
    assert act.year_be == 2550
    by_number = {s.number: s for s in act.sections}
    assert by_number["5"].chapter == "หมวด 1 ความผิดเกี่ยวกับคอมพิวเตอร์"
    assert by_number["18"].chapter.startswith("หมวด 2")
    assert by_number["1"].chapter == ""


def test_a_line_starting_with_a_reference_is_not_a_header():
    # Section 13's body wraps onto a line that starts "มาตรา ๗ มาตรา ๘ ...".
    section_13 = {s.number: s for s in _act("556460").sections}["13"]
    assert "มาตรา ๗ มาตรา ๘" in section_13.body


def test_footnote_marks_are_removed():
    section_2 = _act("556460").sections[1]
    assert section_2.number == "2"
    assert "[" not in section_2.body
    assert section_2.body.startswith("พระราชบัญญัตินี้ให้ใช้บังคับ")


def test_text_after_the_countersignature_is_not_a_section():
    text = (
        "พระราชบัญญัติ\nทดสอบ\nพ.ศ. ๒๕๖๐\n"
        "มาตรา ๑  ชื่อ\nมาตรา\n๒[๑]  ใช้บังคับ\nมาตรา ๒/๑  เพิ่ม\n"
        "ผู้รับสนองพระบรมราชโองการ\nมาตรา ๑  บทเฉพาะกาลของฉบับแก้ไข\n"
    )
    act = parse_act(text)
    assert [s.number for s in act.sections] == ["1", "2", "2/1"]
    assert act.year_be == 2560


@given(st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=40))
def test_generated_acts_split_into_every_section(steps):
    numbers, current = [], 0
    for step in steps:
        current += step
        numbers.append(current)
    lines = ["พระราชบัญญัติ", "ทดสอบ พ.ศ. ๒๕๖๒"]
    for n in numbers:
        lines.append(f"มาตรา {str(n).translate(THAI)}  ข้อความของมาตรา {str(n).translate(THAI)} อ้างถึงมาตรา ๑")
    act = parse_act("\n".join(lines))
    assert [s.number for s in act.sections] == [str(n) for n in numbers]
    assert all(
        section_key(s.number) < section_key(t.number)
        for s, t in zip(act.sections, act.sections[1:], strict=False)
    )
