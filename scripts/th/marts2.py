"""Thai text for the analytics store (issue 24, item 1): the marts page, freshness, downloads and
the data catalog's lineage page."""

TH: dict[str, str] = {
    # mart titles
    "Org units": "หน่วยงาน",
    "Area hierarchy (subdistrict, district, province, region)": "ลำดับชั้นพื้นที่ (ตำบล อำเภอ จังหวัด ภาค)",
    "Feedback tickets": "เรื่องร้องเรียนและข้อเสนอแนะ",
    "Project disbursements": "การเบิกจ่ายเงินโครงการ",
    "Program budget per region": "งบประมาณแผนงานรายภาค",
    "Programs": "แผนงาน",
    "General ledger lines": "รายการบัญชีแยกประเภท",
    "Annual budget lines": "รายการงบประมาณประจำปี",
    "Payroll cost": "ค่าใช้จ่ายเงินเดือน",
    "Training attendance": "การเข้าอบรม",
    "Loans": "สินเชื่อ",
    "Loan instalments (current schedules)": "งวดชำระสินเชื่อ (ตารางปัจจุบัน)",
    "Satisfaction survey answers": "คำตอบแบบสำรวจความพึงพอใจ",
    # kinds, refresh modes, freshness
    "Facts": "ข้อเท็จจริง",
    "Dimension": "มิติข้อมูล",
    "Rebuilt in full": "สร้างใหม่ทั้งชุด",
    "New rows appended": "เพิ่มเฉพาะรายการใหม่",
    "No change since the last refresh": "ไม่มีการเปลี่ยนแปลงตั้งแต่ครั้งก่อน",
    "Up to date": "เป็นปัจจุบัน",
    "Older than a day": "ข้อมูลเก่ากว่าหนึ่งวัน",
    "Not built yet": "ยังไม่ได้สร้าง",
    # the page
    "Analytics store": "คลังข้อมูลเพื่อการวิเคราะห์",
    "Tables for Power BI and Excel, refreshed from every module by a scheduled task. Download a table as Parquet (for Power BI), CSV or Excel.": (
        "ตารางข้อมูลสำหรับเพาเวอร์บีไอและเอกซ์เซล ปรับปรุงจากทุกระบบงานโดยงานตามกำหนดเวลา "
        "ดาวน์โหลดเป็นไฟล์พาร์เก (สำหรับเพาเวอร์บีไอ) ไฟล์ข้อความคั่นด้วยจุลภาค หรือไฟล์เอกซ์เซล"
    ),
    "You see the rows of the provinces you are responsible for; tables without a province are for country-wide readers only.": (
        "ท่านเห็นเฉพาะรายการในจังหวัดที่ท่านรับผิดชอบ ตารางที่ไม่มีจังหวัดเปิดให้เฉพาะผู้มีสิทธิ์ทั้งประเทศ"
    ),
    "Table": "ตาราง",
    "Kind": "ประเภท",
    "Freshness": "ความเป็นปัจจุบัน",
    "Last refresh": "ปรับปรุงล่าสุด",
    "Rows": "จำนวนแถว",
    "Seconds": "วินาที",
    "Download": "ดาวน์โหลด",
    "Lineage": "ที่มาของข้อมูล",
    "Parquet": "ไฟล์พาร์เก",
    "CSV": "ไฟล์ข้อความคั่นด้วยจุลภาค",
    "Excel": "ไฟล์เอกซ์เซล",
    "Where the columns come from": "ที่มาของแต่ละคอลัมน์",
    "No table you may read.": "ไม่มีตารางที่ท่านมีสิทธิ์อ่าน",
    "This mart has not been built yet; it is built at the next scheduled refresh.": (
        "ตารางนี้ยังไม่ได้สร้าง จะสร้างในการปรับปรุงตามกำหนดเวลาครั้งถัดไป"
    ),
    "Too many rows for one Excel sheet: download the Parquet or CSV file.": (
        "จำนวนแถวเกินกว่าที่แผ่นงานเอกซ์เซลรองรับ โปรดดาวน์โหลดไฟล์พาร์เกหรือไฟล์ข้อความคั่นด้วยจุลภาค"
    ),
    # the lineage page
    "Lineage of the analytics store": "ที่มาของข้อมูลในคลังข้อมูลเพื่อการวิเคราะห์",
    "Each column of each analytics table and the catalogued table and field it is read from. Columns marked as derived are added by the store: district and province from the subdistrict code, the region from the province, and the fiscal year, quarter and month (B.E., from October) from the table's date.": (
        "แต่ละคอลัมน์ของตารางวิเคราะห์และตารางกับเขตข้อมูลในบัญชีข้อมูลที่เป็นต้นทาง "
        "คอลัมน์ที่ระบุว่าคำนวณได้มาจากคลังข้อมูลเอง ได้แก่ อำเภอและจังหวัดจากรหัสตำบล ภาคจากจังหวัด "
        "และปีงบประมาณ ไตรมาส และเดือน (พุทธศักราช เริ่มเดือนตุลาคม) จากวันที่ของตาราง"
    ),
    "New rows appended at each refresh": "เพิ่มรายการใหม่ทุกครั้งที่ปรับปรุง",
    "Rebuilt when its source changes": "สร้างใหม่เมื่อข้อมูลต้นทางเปลี่ยน",
    "Read by": "อ่านโดย",
    "Column": "คอลัมน์",
    "Derived": "คำนวณได้",
    "Catalog entry": "รายการในบัญชีข้อมูล",
    "Analytics lineage": "ที่มาของคลังข้อมูล",
}
