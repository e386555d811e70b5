"""Thai text for the GIS: the thematic layer of the main map and the projects-by-province open
dataset (issue 21, fourth round)."""

TH: dict[str, str] = {
    "Thematic map (choropleth)": "แผนที่เฉพาะเรื่อง (แผนที่ระบายสีตามค่า)",
    "Open the thematic map page (table of values, Excel)": "เปิดหน้าแผนที่เฉพาะเรื่อง (ตารางค่า ดาวน์โหลด Excel)",
    "Areas outside your scope are shown as no data; an area in your scope without a project counts 0.": (
        "พื้นที่นอกขอบเขตสิทธิ์ของคุณแสดงเป็น “ไม่มีข้อมูล” ส่วนพื้นที่ในขอบเขตที่ไม่มีโครงการนับเป็น 0"
    ),
}
