"""Thai text for the web shell: menu groups, workspaces, error pages, number and duration words."""

TH: dict[str, str] = {
    # menu
    "My tasks": "งานที่รอฉัน",
    "Overdue": "เกินกำหนด",
    "Project dashboard": "แดชบอร์ดโครงการ",
    "Budget lines": "วงเงินงบประมาณ",
    "Communities and areas": "ชุมชนและพื้นที่",
    "Documents and letters": "เอกสารและหนังสือ",
    "Knowledge": "ความรู้",
    "Oversight": "กำกับดูแล",
    "API for partners": "API สำหรับหน่วยงานภาคี",
    "Open the menu": "เปิดเมนู",
    "No role yet": "ยังไม่มีบทบาท",
    "My profile": "ข้อมูลของฉัน",
    "an area": "พื้นที่หนึ่ง",
    "Other role": "บทบาทอื่น",
    # workspaces
    "All of them": "ดูทั้งหมด",
    "All reports": "เรื่องทั้งหมด",
    "No reports here.": "ยังไม่มีเรื่องร้องเรียนหรือข้อเสนอ",
    "What my organization must do next": "สิ่งที่องค์กรต้องทำต่อไป",
    "Nothing is due. New steps appear here when CODI asks your organization for something.": (
        "ยังไม่มีงานที่ต้องทำ เมื่อ พอช. ขอให้องค์กรดำเนินการ งานจะปรากฏที่นี่"
    ),
    "Open my organization's portal": "เปิดหน้าองค์กรของฉัน",
    "Your organization has no project yet.": "องค์กรของคุณยังไม่มีโครงการ",
    "Payments to come": "งวดเงินที่จะได้รับ",
    "No payment is planned.": "ยังไม่มีงวดเงินที่กำหนด",
    "Reports and complaints in my area": "เรื่องร้องเรียนและข้อเสนอในพื้นที่ของฉัน",
    "My tasks, the earliest due first": "งานของฉัน เรียงตามวันครบกำหนด",
    "Overdue in my area": "งานเกินกำหนดในพื้นที่ของฉัน",
    "Nothing is overdue.": "ไม่มีงานเกินกำหนด",
    "New reports and complaints": "เรื่องร้องเรียนและข้อเสนอใหม่",
    "Payments to make": "รายการที่ต้องเบิกจ่าย",
    "No payment waits for you.": "ไม่มีรายการรอเบิกจ่าย",
    "Overdue steps": "ขั้นตอนที่เกินกำหนด",
    "Approved budget": "งบประมาณที่อนุมัติ",
    "Reported spending": "ค่าใช้จ่ายที่รายงานแล้ว",
    "Approved and disbursed by region (baht)": "งบอนุมัติและเบิกจ่ายรายภาค (บาท)",
    "Projects by step": "โครงการตามขั้นตอน",
    "Key figures in your scope": "ตัวเลขสำคัญในขอบเขตของคุณ",
    "Open the project dashboard": "เปิดแดชบอร์ดโครงการ",
    "Legal clocks: requests and breaches": "กำหนดเวลาตามกฎหมาย: คำขอและการละเมิดข้อมูล",
    "Open the privacy dashboard": "เปิดแดชบอร์ดคุ้มครองข้อมูลส่วนบุคคล",
    "Exceptions: project steps past their due date": "ข้อยกเว้น: ขั้นตอนโครงการที่เกินกำหนด",
    "No exception found.": "ไม่พบข้อยกเว้น",
    "Exceptions: reports past their deadline": "ข้อยกเว้น: เรื่องร้องเรียนที่เกินกำหนด",
    "Where to start": "เริ่มต้นที่นี่",
    "baht": "บาท",
    "Installment": "งวดที่",
    # error pages
    "Back to the previous page": "กลับหน้าก่อนหน้า",
    "Reference for support": "เลขอ้างอิงสำหรับแจ้งผู้ดูแลระบบ",
    # numbers, durations
    "less than a minute": "ไม่ถึงหนึ่งนาที",
}

TH_PLURAL: dict[str, str] = {
    "%(n)d week": "%(n)d สัปดาห์",
    "%(n)d day": "%(n)d วัน",
    "%(n)d hour": "%(n)d ชั่วโมง",
    "%(n)d minute": "%(n)d นาที",
}

TH.update(
    {
        "Passed to the committee": "ผ่าน ส่งคณะกรรมการ",
        "Returned for revision": "ส่งกลับให้แก้ไข",
        "Recommended": "เสนอให้อนุมัติ",
        "Agreement signed": "ลงนามสัญญาแล้ว",
        "Skipped": "ข้ามขั้นตอน",
        "System (automatic)": "ระบบ (อัตโนมัติ)",
        "Anonymous": "ผู้ไม่ระบุตัวตน",
    }
)
