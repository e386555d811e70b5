"""Thai text for the GIS thematic maps (choropleths and graduated circles, issue 21, third round)."""

TH: dict[str, str] = {
    "%(n)s areas": "%(n)s พื้นที่",
    "Areas outside your scope, and areas without a value, are shown as no data, never as zero.": (
        "พื้นที่นอกขอบเขตสิทธิ์ของคุณ และพื้นที่ที่ไม่มีค่า แสดงเป็น “ไม่มีข้อมูล” ไม่ใช่ศูนย์"
    ),
    "Classes by": "แบ่งช่วงชั้นโดย",
    "Indicator value": "ค่าตัวชี้วัด",
    "Map class": "ช่วงชั้น",
    "Map loaded.": "โหลดแผนที่แล้ว",
    "Natural breaks (least variance within classes)": "แบ่งช่วงตามธรรมชาติ (ความแปรปรวนในแต่ละช่วงน้อยที่สุด)",
    "No area in your scope has a value.": "ไม่มีพื้นที่ในขอบเขตของคุณที่มีค่า",
    "Number of classes": "จำนวนช่วงชั้น",
    "Projects (in your scope)": "โครงการ (ในขอบเขตของคุณ)",
    "Quantiles (equal numbers of areas)": "ควอนไทล์ (จำนวนพื้นที่เท่ากันทุกช่วง)",
    "Show graduated circles (area of the circle in proportion to the value)": (
        "แสดงวงกลมตามขนาด (พื้นที่วงกลมเป็นสัดส่วนกับค่า)"
    ),
    "Thematic map": "แผนที่เฉพาะเรื่อง",
    "Values by area": "ค่ารายพื้นที่",
    "reports": "เรื่องร้องเรียน",
}
