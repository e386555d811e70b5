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
}
