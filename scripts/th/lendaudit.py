"""Thai text for the lending portal's Thai QR repayment, Baan Mankong stage photos and e-Audit
additions of the lendaudit branch (English message ids)."""

TH: dict[str, str] = {
    "Next instalment": "งวดถัดไป",
    "Instalment %(n)s": "งวดที่ %(n)s",
    "Instalment": "งวดที่",
    "Pay by Thai QR": "ชำระด้วยคิวอาร์โค้ด",
    "Pay a loan instalment": "ชำระค่างวดเงินกู้",
    "Due on": "ครบกำหนดวันที่",
    "Reference 1 (loan)": "รหัสอ้างอิง 1 (เลขที่สัญญา)",
    "Reference 2 (instalment)": "รหัสอ้างอิง 2 (งวดที่)",
    "Scan this code with any Thai bank's app to pay this instalment; the payment is matched to the loan by its references.": "สแกนรหัสนี้ด้วยแอปธนาคารใดก็ได้เพื่อชำระค่างวดนี้ ระบบจะจับคู่ยอดชำระกับสัญญาเงินกู้ด้วยรหัสอ้างอิง",
    "Payment code for this instalment": "รหัสชำระเงินของงวดนี้",
    "On a phone: copy this payment code and paste it in your bank's app.": "บนโทรศัพท์: คัดลอกรหัสชำระเงินนี้ไปวางในแอปธนาคาร",
    "Payment by code is not set up yet. Pay at a CODI counter or by bank transfer, giving both references.": "ยังไม่เปิดให้ชำระด้วยรหัสชำระเงิน กรุณาชำระที่เคาน์เตอร์ของ พอช. หรือโอนเงินผ่านธนาคาร โดยแจ้งรหัสอ้างอิงทั้งสอง",
    "Nothing is due on this loan.": "สัญญานี้ไม่มียอดที่ต้องชำระ",
    "Photo %(n)s of the stage %(stage)s": "ภาพที่ %(n)s ของขั้นตอน%(stage)s",
    "Photo (PNG, JPEG or TIFF)": "ภาพถ่าย (ไฟล์รูปภาพเท่านั้น)",
    "Add the photo": "เพิ่มภาพถ่าย",
    "The photo was added to the stage.": "เพิ่มภาพถ่ายในขั้นตอนแล้ว",
}
