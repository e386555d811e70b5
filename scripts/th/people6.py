"""Thai text for people6's English message ids (team leave calendar, attendance import, change requests)."""

TH: dict[str, str] = {
    # team leave calendar
    "Team leave calendar": "ปฏิทินการลาของทีม",
    "Previous month": "เดือนก่อน",
    "Next month": "เดือนถัดไป",
    "Download Excel": "ดาวน์โหลด Excel",
    "Unit": "หน่วยงาน",
    "All units in my scope": "ทุกหน่วยงานที่ฉันดูแล",
    "Show": "แสดง",
    "You see who is away in your unit; the kind of leave and its reason are shown only to the supervisor and HR.": "คุณเห็นเฉพาะว่าใครในหน่วยงานลาบ้าง ประเภทการลาและเหตุผลแสดงเฉพาะผู้บังคับบัญชาและฝ่ายบุคคล",
    "Leave in italics still awaits approval.": "รายการตัวเอียงยังรออนุมัติ",
    "Mon": "จ.",
    "Tue": "อ.",
    "Wed": "พ.",
    "Thu": "พฤ.",
    "Fri": "ศ.",
    "Sat": "ส.",
    "Sun": "อา.",
    "awaiting approval": "รออนุมัติ",
    "Nobody is on leave this month.": "เดือนนี้ไม่มีผู้ลา",
}
