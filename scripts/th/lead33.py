"""Thai for the strings the lead engineer changed while integrating stop 33."""

TH: dict[str, str] = {
    "Open findings by province, district and subdistrict on the map": "แผนที่ข้อตรวจพบที่ยังไม่ปิด รายจังหวัด อำเภอ และตำบล",
    "Open exceptions by province, district and subdistrict on the map": "แผนที่รายการผิดปกติที่รอตรวจ รายจังหวัด อำเภอ และตำบล",
}
