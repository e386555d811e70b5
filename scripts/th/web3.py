"""Thai text for the public website's (codi.website) search, directory, map and jobs blocks."""

TH: dict[str, str] = {
    "Search the website": "ค้นหาในเว็บไซต์",
    "Search": "ค้นหา",
    "Words to find": "คำที่ต้องการค้นหา",
    "Result pages": "หน้าผลการค้นหา",
    "Previous": "ก่อนหน้า",
    "Next": "ถัดไป",
    "Page %(number)s of %(pages)s": "หน้า %(number)s จาก %(pages)s",
    "Projects per CODI region (darker: more projects)": "จำนวนโครงการในแต่ละภาคของ พอช. (สีเข้ม = โครงการมาก)",
    "up to %(upto)s projects": "ไม่เกิน %(upto)s โครงการ",
    "Region": "ภาค",
    "Projects": "จำนวนโครงการ",
    "Approved budget (baht)": "งบประมาณอนุมัติ (บาท)",
    "Source: the project management system (PMS), public figures only": "ที่มา: ระบบบริหารโครงการ เฉพาะตัวเลขที่เปิดเผยต่อสาธารณะ",
    "No job openings at the moment.": "ขณะนี้ยังไม่มีประกาศรับสมัครงาน",
    "Offices and units": "สำนักงานและหน่วยงาน",
    "Executives and contact persons": "ผู้บริหารและผู้ติดต่อ",
    "The directory has no entries yet.": "ยังไม่มีรายชื่อในทำเนียบ",
    "Phone": "โทร.",
}

TH_PLURAL: dict[str, str] = {
    "%(total)s page found": "พบ %(total)s หน้า",
}
