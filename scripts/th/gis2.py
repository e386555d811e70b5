"""Thai text for the GIS map's print (PDF/PNG export) and its new layers (issue 21, second round)."""

TH: dict[str, str] = {
    "Export this view as PDF": "พิมพ์มุมมองนี้เป็น PDF",
    "Export this view as PNG": "บันทึกมุมมองนี้เป็นภาพ PNG",
    "Filters": "ตัวกรอง",
    "Legend": "คำอธิบายสัญลักษณ์",
    "Map extent": "ขอบเขตแผนที่",
    "No layer chosen.": "ยังไม่ได้เลือกชั้นข้อมูล",
    "Printed on": "พิมพ์เมื่อ",
    "Title of the print": "ชื่อแผนที่ที่พิมพ์",
}
