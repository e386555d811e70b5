"""Thai text for the EIS reading NPL and the training KPIs from the analytics store, and the source
column of the board's Excel export (issue 24)."""

TH: dict[str, str] = {
    "Of the active loans, the outstanding principal of those with an instalment more than 90 days "
    "past due, as a share of all their outstanding principal, at the end of the fiscal year (or "
    "today while it runs); a loan's days past due count from its oldest instalment still unpaid.": (
        "ของสินเชื่อที่ยังผ่อนชำระอยู่ เงินต้นคงค้างของสัญญาที่มีงวดค้างชำระเกิน 90 วัน คิดเป็นร้อยละของเงินต้นคงค้าง"
        "ทั้งหมด ณ สิ้นปีงบประมาณ (หรือวันนี้หากยังไม่สิ้นปี) จำนวนวันค้างชำระนับจากงวดที่ยังชำระไม่ครบที่เก่าที่สุด"
    ),
    "%(number)s, %(days)s days past due": "%(number)s ค้างชำระ %(days)s วัน",
}
