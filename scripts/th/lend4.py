"""Thai text for community lending's fourth round of English message ids (month-end accrual page,
lending API, loan-book import, repayment reminders, NPL trend and province map, portal application)."""

TH: dict[str, str] = {
    "Month-end interest accrual": "ตั้งดอกเบี้ยค้างรับสิ้นเดือน",
    "Interest earned on active loans and not yet received by a month's end is posted as accrued interest receivable and reversed on the first day of the next month. Each month is accrued once.": "ดอกเบี้ยของสัญญาเงินกู้ที่ผ่อนชำระอยู่ซึ่งเกิดขึ้นแล้วแต่ยังไม่ได้รับ ณ สิ้นเดือน บันทึกเป็นดอกเบี้ยค้างรับ และกลับรายการในวันแรกของเดือนถัดไป ตั้งค้างรับได้เดือนละครั้งเดียว",
    "Month (Christian era, YYYY-MM)": "เดือน (ค.ศ. ปปปป-ดด)",
    "Accrue interest": "ตั้งดอกเบี้ยค้างรับ",
    "Month end": "วันสิ้นเดือน",
    "Run by": "ผู้สั่งทำรายการ",
    "Run on": "วันที่ทำรายการ",
    "No month has been accrued yet.": "ยังไม่มีการตั้งดอกเบี้ยค้างรับ",
    "Interest accrued.": "ตั้งดอกเบี้ยค้างรับแล้ว",
    "This month was already accrued; nothing was added.": "เดือนนี้ตั้งดอกเบี้ยค้างรับแล้ว ไม่ได้บันทึกเพิ่ม",
}
