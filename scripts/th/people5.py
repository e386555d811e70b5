"""Thai text for people5's English message ids (KPI breakdown, organizations, payer tax ID)."""

TH: dict[str, str] = {
    "How each indicator is counted": "วิธีนับตัวชี้วัดแต่ละตัว",
    "Staff applying digital skills at work: staff employed in the fiscal year who completed a staff course that year and apply the skill at work, as a share of the staff employed that year.": (
        "บุคลากรที่นำทักษะดิจิทัลไปใช้ในการปฏิบัติงาน: บุคลากรที่ปฏิบัติงานในปีงบประมาณ ผ่านหลักสูตรสำหรับบุคลากรในปีนั้น"
        " และนำทักษะไปใช้ในงาน คิดเป็นร้อยละของบุคลากรที่ปฏิบัติงานในปีนั้น"
    ),
    "Staff using AI: the same, for courses on AI for content and work.": (
        "บุคลากรที่ใช้ AI: นับแบบเดียวกัน เฉพาะหลักสูตรการใช้ AI ในการสร้างเนื้อหาและการทำงาน"
    ),
    "Community leaders trained: leaders (by name) who completed a leaders' digital course in the fiscal year.": (
        "ผู้นำชุมชนที่ได้รับการพัฒนา: ผู้นำชุมชน (นับตามชื่อ) ที่ผ่านหลักสูตรดิจิทัลสำหรับผู้นำชุมชนในปีงบประมาณ"
    ),
    "Community organizations using digital tools: organizations of the communities registry with at least one leader who completed a leaders' digital course in the fiscal year (the organization is recorded with the attendance). The plan's +2,500 is set at 500 a year, like the leaders' target; HR may edit the targets.": (
        "องค์กรชุมชนที่ใช้เครื่องมือดิจิทัล: องค์กรในทะเบียนองค์กรชุมชนที่มีผู้นำอย่างน้อยหนึ่งคนผ่านหลักสูตรดิจิทัลสำหรับผู้นำชุมชน"
        "ในปีงบประมาณ (บันทึกองค์กรพร้อมการเข้าอบรม) เป้าหมายเพิ่มขึ้น 2,500 องค์กรตามแผน กำหนดไว้ปีละ 500 องค์กร"
        " เช่นเดียวกับเป้าหมายผู้นำชุมชน ฝ่ายบุคคลแก้ไขค่าเป้าหมายได้"
    ),
    "By region: staff by the region where they work (head office on its own line); leaders and organizations by the region of the organization. By unit: staff by their unit; leaders and organizations by the unit that ran the course. Head-count targets are for CODI as a whole.": (
        "รายภาค: บุคลากรตามภาคที่ปฏิบัติงาน (ส่วนกลางแยกเป็นอีกแถว) ผู้นำและองค์กรชุมชนตามภาคขององค์กร"
        " รายหน่วยงาน: บุคลากรตามหน่วยงานที่สังกัด ผู้นำและองค์กรชุมชนตามหน่วยงานที่จัดอบรม"
        " เป้าหมายที่เป็นจำนวนคนหรือจำนวนองค์กรเป็นเป้าหมายของทั้งสถาบัน"
    ),
    "Fiscal year %(year)s by CODI region and by unit": "ปีงบประมาณ %(year)s จำแนกรายภาคและรายหน่วยงาน",
    "By CODI region": "รายภาค",
    "By unit": "รายหน่วยงาน",
    "Group": "กลุ่ม",
    "Counted": "จำนวนที่นับได้",
    "Staff": "บุคลากร",
    "Nothing counted this year.": "ยังไม่มีผลที่นับได้ในปีนี้",
    "organizations": "องค์กร",
    "Withholding payer": "ผู้จ่ายเงิน",
    "Payer's tax ID": "เลขประจำตัวผู้เสียภาษีอากรของผู้จ่ายเงิน",
    "community organization": "องค์กรชุมชน",
    "organization name": "ชื่อองค์กรชุมชน",
}
