"""Thai text for the feedback module's later additions (map pin, place names, project link, Excel)."""

TH: dict[str, str] = {
    "Given by the reporter": "ผู้แจ้งระบุ",
    "From the postal code": "จากรหัสไปรษณีย์",
    "Picked on the map": "ปักหมุดบนแผนที่",
    "Guessed from place names in the text": "คาดจากชื่อสถานที่ในข้อความ",
    "Unknown": "ไม่ทราบ",
    "latitude": "ละติจูด",
    "longitude": "ลองจิจูด",
    "how the area was found": "ที่มาของพื้นที่",
    "Give a postal code or a subdistrict code, or pick the place on the map, so we can route the report.": (
        "กรุณาระบุรหัสไปรษณีย์หรือรหัสตำบล หรือปักหมุดบนแผนที่ เพื่อส่งเรื่องถึงสำนักงานที่รับผิดชอบ"
    ),
    "Where is it? Tap the province, then the place (optional)": "เกิดที่ไหน แตะจังหวัด แล้วแตะจุดที่เกิดเหตุ (ไม่บังคับ)",
    "Map for picking the place": "แผนที่สำหรับเลือกตำแหน่ง",
    "your location": "ตำแหน่งของคุณ",
    "Use my location": "ใช้ตำแหน่งของฉัน",
    "Clear the pin": "ลบหมุด",
    "Picked:": "ตำแหน่งที่เลือก:",
    "Export to Excel": "ส่งออกเป็น Excel",
    "Project": "โครงการ",
    "Project code": "รหัสโครงการ",
    "Link": "เชื่อมโยง",
    "The project link was saved.": "บันทึกการเชื่อมโยงโครงการแล้ว",
    "Reported problems (pins)": "ปัญหาที่แจ้ง (หมุด)",
}
TH_PLURAL: dict[str, str] = {}
