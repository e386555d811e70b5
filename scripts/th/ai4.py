"""Thai text for KM with AI, round two: official sources per Act, lesson summaries, related knowledge."""

TH: dict[str, str] = {
    "%(title)s at the Office of the Council of State": "%(title)s ที่สำนักงานคณะกรรมการกฤษฎีกา",
    "Search the current text": "ค้นฉบับปัจจุบัน",
    "for “%(title)s”": "โดยค้นชื่อ “%(title)s”",
    "the text quoted here is as of B.E. %(year)s; later amendments are not included": (
        "ตัวบทที่อ้างในหน้านี้เป็นฉบับ พ.ศ. %(year)s การแก้ไขหลังจากนั้นยังไม่รวมอยู่"
    ),
}
