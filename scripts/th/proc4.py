"""Thai text for procurement's mobile count scanner (codi.procurement, issue 17)."""

TH: dict[str, str] = {
    "Back to the count": "กลับไปหน้าการตรวจนับ",
    "Label read. Check the condition and location, then record it.": "อ่านป้ายแล้ว ตรวจสอบสภาพและที่ตั้ง แล้วกดบันทึก",
    "No QR code found in the picture: take it again, closer and in focus.": "ไม่พบคิวอาร์โค้ดในภาพ กรุณาถ่ายใหม่ให้ใกล้และชัดขึ้น",
    "Photograph the QR label": "ถ่ายภาพป้ายคิวอาร์โค้ด",
    "Reading the label…": "กำลังอ่านป้าย…",
    "Recorded in the count: %(code)s": "บันทึกในการตรวจนับแล้ว: %(code)s",
    "Recorded in this count": "รายการที่บันทึกในการตรวจนับนี้",
    "Scan asset labels": "สแกนป้ายครุภัณฑ์",
    "Scan with the live camera": "สแกนด้วยกล้องโดยตรง",
    "The camera cannot be opened: photograph the label instead.": "เปิดกล้องไม่ได้ กรุณาถ่ายภาพป้ายแทน",
    "This QR code is not a CODI asset label.": "คิวอาร์โค้ดนี้ไม่ใช่ป้ายครุภัณฑ์ของ พอช.",
    "This count is closed.": "การตรวจนับนี้ปิดแล้ว",
}
