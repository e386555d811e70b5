"""Thai for the strings added on branch audit3 (e-Audit: narrower working-paper evidence)."""

TH: dict[str, str] = {
    "Only the engagement's audit team and the head of internal audit open the working papers' files.": (
        "ไฟล์กระดาษทำการเปิดได้เฉพาะคณะผู้ตรวจสอบของงานนี้และหัวหน้าผู้ตรวจสอบภายใน"
    ),
    "Audit team": "คณะผู้ตรวจสอบ",
    "Save the team": "บันทึกคณะผู้ตรวจสอบ",
    "Open audit findings": "ข้อตรวจพบที่ยังไม่ปิด (ตรวจสอบภายใน)",
    "Open audit exceptions": "รายการผิดปกติที่รอตรวจ (ตรวจสอบภายใน)",
    "Open findings per province on the map": "แผนที่ข้อตรวจพบที่ยังไม่ปิดรายจังหวัด",
    "Open exceptions per province on the map": "แผนที่รายการผิดปกติที่รอตรวจรายจังหวัด",
}
