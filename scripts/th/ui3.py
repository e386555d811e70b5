"""Thai text for issue 13's last items (codi.web and what the action crawler found)."""

TH: dict[str, str] = {
    "Passed the check": "ผ่านการตรวจ",
    "Sent to the bank": "ส่งธนาคารแล้ว",
    "Awarded": "ได้รับการคัดเลือก",
    "Disbursed": "จ่ายเงินกู้แล้ว",
    "Erase": "ลบ",
    "Anonymise": "ทำให้ระบุตัวไม่ได้",
    "Type the corrected value in at least one field.": "กรุณากรอกค่าที่ถูกต้องอย่างน้อยหนึ่งช่อง",
}
