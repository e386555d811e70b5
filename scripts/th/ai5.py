"""Thai text for Thai AI round three (issue 25): similar closed projects, topic suggestions on the board."""

TH: dict[str, str] = {
    "Similar closed projects": "โครงการที่ปิดแล้วที่คล้ายกัน",
    "Why": "เหตุผล",
    "similar aims": "เป้าหมายคล้ายกัน",
    "same program": "แผนงานเดียวกัน",
    "same kind of program": "แผนงานประเภทเดียวกัน",
    "same district": "อำเภอเดียวกัน",
    "same province": "จังหวัดเดียวกัน",
    "Lessons learned": "บทเรียนที่ได้",
    "No similar closed project that you may see yet.": "ยังไม่มีโครงการที่ปิดแล้วที่คล้ายกันซึ่งท่านมีสิทธิ์ดู",
}
