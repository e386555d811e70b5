"""Thai text for people8's English message ids (birth date, attendance rules, course and
attendance pages, certificate e-mail)."""

TH: dict[str, str] = {
    # birth date
    "birth date": "วันเกิด",
    "Birth date": "วันเกิด",
    "Record the birth date": "บันทึกวันเกิด",
    "Save the birth date": "บันทึกวันเกิด",
    "Parents I support, one a line: name, birth year (the year may be left out)": (
        "บิดามารดาที่อุปการะ บรรทัดละคน: ชื่อ, ปีเกิด (ไม่ระบุปีเกิดก็ได้)"
    ),
    # attendance rules
    "Attendance rules": "หลักเกณฑ์เวลาเข้างาน",
    "When the working day starts and how many minutes late are tolerated, from a date on. A unit's own rule comes before the general one; the latest rule valid on a day applies.": (
        "เวลาเริ่มงานและจำนวนนาทีที่ผ่อนผันให้มาสายได้ ตั้งแต่วันที่มีผล หลักเกณฑ์ของหน่วยงานใช้ก่อนหลักเกณฑ์ทั่วไป "
        "และใช้หลักเกณฑ์ล่าสุดที่มีผลในวันนั้น"
    ),
    "Valid from": "มีผลตั้งแต่",
    "Start of the working day": "เวลาเริ่มงาน",
    "Grace minutes": "นาทีผ่อนผัน",
    "All units": "ทุกหน่วยงาน",
    "Edit": "แก้ไข",
    "No rules yet.": "ยังไม่มีหลักเกณฑ์",
    "Edit the rule": "แก้ไขหลักเกณฑ์",
    "Add a rule": "เพิ่มหลักเกณฑ์",
    "Save the rule": "บันทึกหลักเกณฑ์",
    "Cancel": "ยกเลิก",
    # course and attendance pages
    "New training course": "เพิ่มหลักสูตรอบรม",
    "Course title": "ชื่อหลักสูตร",
    "Choose": "เลือก",
    "Unit running the course": "หน่วยงานที่จัดอบรม",
    "Not given": "ไม่ระบุ",
    "Create the course": "สร้างหลักสูตร",
    "Give the date of the course.": "กรุณาระบุวันที่อบรม",
    "Hours are a whole number.": "จำนวนชั่วโมงต้องเป็นจำนวนเต็ม",
    "Choose a unit in your scope.": "กรุณาเลือกหน่วยงานในขอบเขตของท่าน",
    "The course was created. Record its participants here.": "สร้างหลักสูตรแล้ว บันทึกผู้ผ่านการอบรมได้ที่หน้านี้",
    "Record attendance": "บันทึกผู้ผ่านการอบรม",
    "Employee numbers of those who completed the course (one a line, or separated by commas)": (
        "เลขที่พนักงานของผู้ผ่านการอบรม (บรรทัดละคน หรือคั่นด้วยจุลภาค)"
    ),
    "They apply the skill at work": "นำทักษะไปใช้ในงานแล้ว",
    "Name of the community leader": "ชื่อผู้นำชุมชน",
    "Staff with an e-mail address receive their certificate by e-mail once.": (
        "เจ้าหน้าที่ที่มีอีเมลจะได้รับเกียรติบัตรทางอีเมลหนึ่งครั้ง"
    ),
    "Record": "บันทึก",
    "No participants recorded yet.": "ยังไม่มีผู้ผ่านการอบรม",
    "Write at least one employee number.": "กรุณาระบุเลขที่พนักงานอย่างน้อยหนึ่งคน",
    "Not found in your scope: %(numbers)s": "ไม่พบในขอบเขตของท่าน: %(numbers)s",
    "%(count)d participants recorded.": "บันทึกผู้ผ่านการอบรม %(count)d คนแล้ว",
    "e-mail notification": "อีเมลแจ้งเตือน",
}
