"""Thai text for the law assistant's corpus-version note and the KM suggestions (issue 25)."""

TH: dict[str, str] = {
    "The statute text here is the consolidated version as of 2021 (B.E. 2564) and may be outdated: check the current text at the Office of the Council of State before relying on it.": (
        "ตัวบทในระบบนี้เป็นฉบับรวมแก้ไขถึงปี พ.ศ. 2564 (ค.ศ. 2021) อาจไม่เป็นปัจจุบัน "
        "ควรตรวจตัวบทฉบับล่าสุดที่สำนักงานคณะกรรมการกฤษฎีกาก่อนนำไปใช้"
    ),
    "Check the current text of %(title)s": "ตรวจตัวบทฉบับล่าสุดของ%(title)s",
    "No topic could be suggested for this text; please write the topics yourself.": (
        "ระบบเสนอหัวข้อจากข้อความนี้ไม่ได้ กรุณาระบุหัวข้อเอง"
    ),
    "Suggested topics (tick the ones you accept)": "หัวข้อที่ระบบเสนอ (เลือกหัวข้อที่ต้องการ)",
    "Suggest topics": "เสนอหัวข้อ",
    "found": "พบคำว่า",
}
