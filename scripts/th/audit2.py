"""Thai text for the e-Audit additions: situation room, annual audit plan, working papers, signed
engagement report, exception badges on finance and procurement pages."""

TH: dict[str, str] = {
    "Approved (plan)": "งบที่อนุมัติ (แผน)",
    "Budget lines near exhaustion": "รายการงบใกล้หมด",
    "Budget used": "ใช้งบแล้ว",
    "Disbursed without accepted report": "เบิกจ่ายแล้วยังไม่มีรายงานที่รับรอง",
    "Exception": "รายการผิดปกติ",
    "No area (organization-wide)": "ไม่ระบุพื้นที่ (ทั้งองค์กร)",
    "No data in this area.": "ไม่มีข้อมูลในพื้นที่นี้",
    "Open exceptions": "รายการผิดปกติที่รอตรวจ",
    "Open exceptions and findings in this province": "รายการผิดปกติและข้อตรวจพบที่ยังเปิดอยู่ในจังหวัดนี้",
    "Open findings": "ข้อตรวจพบที่ยังไม่ปิด",
    "Open the record": "เปิดรายการต้นทาง",
    "Situation room": "ห้องติดตามสถานการณ์",
    "Top risks": "ความเสี่ยงสูงสุด",
    "all": "ทั้งหมด",
}
