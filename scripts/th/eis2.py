"""Thai text for the EIS on the analytics store: sources and freshness, the new KPIs, the plan's
systems page, drill-down below the province and the trend by fiscal year (issue 24)."""

TH: dict[str, str] = {
    # sources and freshness
    "Analytics store (marts)": "คลังข้อมูลวิเคราะห์ (ดาต้ามาร์ต)",
    "Operational database": "ฐานข้อมูลปฏิบัติงาน",
    "Operational database (the marts have not been built yet)": "ฐานข้อมูลปฏิบัติงาน (ยังไม่ได้สร้างดาต้ามาร์ต)",
    "The analytics store has not been built yet.": "ยังไม่ได้สร้างคลังข้อมูลวิเคราะห์",
    'Figures marked "analytics store" are read from the marts, last refreshed %(when)s.': (
        "ตัวเลขที่ระบุว่ามาจากคลังข้อมูลวิเคราะห์ อ่านจากดาต้ามาร์ตที่ปรับปรุงล่าสุดเมื่อ %(when)s"
    ),
    "The analytics store has not been built yet: these figures are read from the operational database.": (
        "ยังไม่ได้สร้างคลังข้อมูลวิเคราะห์ ตัวเลขเหล่านี้อ่านจากฐานข้อมูลปฏิบัติงาน"
    ),
    "Analytics store": "คลังข้อมูลวิเคราะห์",
    "Source": "แหล่งข้อมูล",
    "last refreshed %(when)s": "ปรับปรุงล่าสุดเมื่อ %(when)s",
    "Community projects": "โครงการชุมชน",
    # KPIs
    "Systems of the plan delivered on time": "ระบบตามแผนที่ส่งมอบได้ตรงเวลา",
    "Staff applying digital skills at work": "บุคลากรที่นำทักษะดิจิทัลไปใช้ในการปฏิบัติงาน",
    "Community leaders trained in digital skills": "ผู้นำชุมชนที่ได้รับการพัฒนาทักษะดิจิทัล",
    "Community organizations using digital tools": "องค์กรชุมชนที่ใช้เครื่องมือดิจิทัล",
    "Open datasets published": "ชุดข้อมูลเปิดที่เผยแพร่",
    "The training records have no target for this fiscal year.": "บันทึกการฝึกอบรมยังไม่มีเป้าหมายของปีงบประมาณนี้",
    "No training recorded in this fiscal year.": "ยังไม่มีการบันทึกการฝึกอบรมในปีงบประมาณนี้",
    "No system is planned for this fiscal year.": "แผนไม่มีระบบที่กำหนดส่งมอบในปีงบประมาณนี้",
    "No system of this fiscal year is due yet.": "ยังไม่ถึงกำหนดส่งมอบระบบของปีงบประมาณนี้",
    "Systems the digital plan schedules for the fiscal year that went live by their planned date, out of those "
    "delivered or past their planned date (recorded by the system administrators).": (
        "ระบบที่แผนดิจิทัลกำหนดส่งมอบในปีงบประมาณนี้และเปิดใช้งานได้ภายในวันที่กำหนด "
        "เทียบกับระบบของปีที่เปิดใช้งานแล้วหรือเลยกำหนดแล้ว (ผู้ดูแลระบบเป็นผู้บันทึก)"
    ),
    "Disbursed installments against the approved amounts of the fiscal year's community projects.": (
        "ยอดเบิกจ่ายงวดเงินเทียบกับวงเงินอนุมัติของโครงการชุมชนในปีงบประมาณ"
    ),
    "Outstanding principal more than 90 days overdue against all outstanding principal at the end of the fiscal "
    "year; read from the loan book, which knows the payment dates.": (
        "เงินต้นคงค้างที่ค้างชำระเกิน 90 วันเทียบกับเงินต้นคงค้างทั้งหมด ณ สิ้นปีงบประมาณ อ่านจากทะเบียนสินเชื่อซึ่งมีวันที่ชำระ"
    ),
    "Feedback received in the fiscal year that is neither open past its deadline nor resolved late.": (
        "เรื่องร้องเรียนที่รับในปีงบประมาณซึ่งไม่ค้างเกินกำหนดและไม่ได้แก้ไขล่าช้า"
    ),
    "Answers of 4 or 5 out of 5 among all answers to the in-app survey in the fiscal year.": (
        "คำตอบระดับ 4 หรือ 5 จาก 5 ในแบบสอบถามความพึงพอใจของปีงบประมาณ เทียบกับคำตอบทั้งหมด"
    ),
    "Staff employed in the fiscal year who completed a staff digital course and apply it at work (or whose "
    "supervisor confirmed the level), out of all staff employed in the year.": (
        "บุคลากรในปีงบประมาณที่ผ่านหลักสูตรดิจิทัลและนำไปใช้ในการปฏิบัติงาน (หรือหัวหน้ายืนยันระดับแล้ว) เทียบกับบุคลากรทั้งหมดของปี"
    ),
    "Community leaders who completed a digital-skills course in the fiscal year, each counted once; 500 a year, "
    "2,500 over the plan.": (
        "ผู้นำชุมชนที่ผ่านหลักสูตรทักษะดิจิทัลในปีงบประมาณ นับคนละครั้ง เป้าหมายปีละ 500 คน รวม 2,500 คนตลอดแผน"
    ),
    "Community organizations of the registry with at least one leader who completed a digital-skills course in "
    "the fiscal year (training on the platform's tools); 500 a year, 2,500 more over the plan.": (
        "องค์กรชุมชนในทะเบียนที่มีผู้นำอย่างน้อยหนึ่งคนผ่านหลักสูตรทักษะดิจิทัลในปีงบประมาณ "
        "(ฝึกใช้เครื่องมือของแพลตฟอร์ม) เป้าหมายปีละ 500 องค์กร เพิ่มขึ้นรวม 2,500 องค์กรตลอดแผน"
    ),
    "Datasets first published on the open data portal in the fiscal year and still published; the plan asks "
    "one a year.": "ชุดข้อมูลที่เผยแพร่ครั้งแรกบนพอร์ทัลข้อมูลเปิดในปีงบประมาณและยังเผยแพร่อยู่ แผนกำหนดปีละ 1 ชุด",
    # drill-down and trend
    "By district": "รายอำเภอ",
    "By subdistrict": "รายตำบล",
    "District": "อำเภอ",
    "Subdistrict": "ตำบล",
    "Records": "รายการ",
    "Record": "รายการ",
    "Trend by fiscal year": "แนวโน้มรายปีงบประมาณ",
    "Change": "เปลี่ยนแปลง",
    "points": "จุด",
    # the plan's systems
    "Systems of the digital plan": "ระบบตามแผนปฏิบัติการดิจิทัล",
    "The systems the digital action plan (2025–2027) schedules by fiscal year, with their planned and actual "
    "go-live dates. The indicator of systems delivered on time is counted from this list.": (
        "ระบบที่แผนปฏิบัติการดิจิทัล (พ.ศ. 2568–2570) กำหนดส่งมอบในแต่ละปีงบประมาณ พร้อมวันที่กำหนดและวันที่เปิดใช้งานจริง "
        "ตัวชี้วัดระบบที่ส่งมอบได้ตรงเวลานับจากรายการนี้"
    ),
    "System": "ระบบ",
    "Planned go-live": "กำหนดเปิดใช้งาน",
    "Actual go-live": "เปิดใช้งานจริง",
    "Not due yet": "ยังไม่ถึงกำหนด",
    "On time": "ตรงเวลา",
    "Late": "ล่าช้า",
    "Edit": "แก้ไข",
    "No system recorded yet.": "ยังไม่มีการบันทึกระบบ",
    "Note": "หมายเหตุ",
    "Save": "บันทึก",
    "Enter a valid date.": "กรุณาระบุวันที่ให้ถูกต้อง",
    "Enter the planned go-live date.": "กรุณาระบุวันที่กำหนดเปิดใช้งาน",
    "The actual go-live cannot be in the future.": "วันที่เปิดใช้งานจริงต้องไม่อยู่ในอนาคต",
    # the model (data catalogue, codes page)
    "code": "รหัส",
    "system": "ระบบ",
    "plan year (B.E.)": "ปีตามแผน (พ.ศ.)",
    "planned go-live": "กำหนดเปิดใช้งาน",
    "actual go-live": "เปิดใช้งานจริง",
    "note": "หมายเหตุ",
    "planned system": "ระบบตามแผน",
}
