"""Thai text for the journeys work: proposal row validation, decision forms, portal, law assistant."""

TH: dict[str, str] = {
    # projects.validation: messages beside the proposal's repeated rows
    "Enter the date.": "กรุณาระบุวันที่",
    "This is not a date.": "วันที่ไม่ถูกต้อง",
    "Enter the amount.": "กรุณาระบุจำนวน",
    "This is not a number.": "ต้องเป็นตัวเลข",
    "Enter a number more than zero.": "ต้องเป็นตัวเลขที่มากกว่าศูนย์",
    "Enter a number, zero or more.": "ต้องเป็นตัวเลขตั้งแต่ศูนย์ขึ้นไป",
    "Enter a whole number, zero or more.": "ต้องเป็นจำนวนเต็มตั้งแต่ศูนย์ขึ้นไป",
    "The end date is before the start date.": "วันสิ้นสุดอยู่ก่อนวันเริ่ม",
    "Fill this in, or clear the other inputs of the row.": "กรุณากรอกช่องนี้ หรือลบข้อมูลช่องอื่นในแถวนี้",
    "Choose a category from the list.": "กรุณาเลือกหมวดจากรายการ",
    "Choose a group from the list.": "กรุณาเลือกกลุ่มจากรายการ",
    "Some rows need correcting: see the messages beside the inputs.": "มีบางแถวต้องแก้ไข ดูข้อความข้างช่องที่กรอก",
}
TH.update(
    {
        # knowledge: the assistant's honesty
        "May be related (not an answer: check them yourself)": "อาจเกี่ยวข้อง (ไม่ใช่คำตอบ โปรดตรวจสอบเอง)",
        "excerpt from the plan, not the full statute": "ข้อความคัดย่อจากแผน ไม่ใช่ตัวบทฉบับเต็ม",
        "Excerpts and summaries quoted in CODI's plan": "ข้อความคัดย่อและสรุปกฎหมายในแผนของ พอช.",
    }
)
TH.update(
    {
        # projects: the leader's portal
        "Installments past their planned date": "งวดเงินที่เลยกำหนดเดิม",
        "planned for %(d)s": "กำหนดเดิม %(d)s",
        "waiting for": "รอ",
    }
)
