"""Data catalog entries for the people module (read by codi.governance)."""

from __future__ import annotations

from typing import Any

P = {"personal": "general"}
S = {"personal": "sensitive"}
_UNIT = "ฝ่ายทรัพยากรบุคคล"
_STEWARD = "HR officer"
_RETENTION = (
    "10 years after employment ends (Revenue Code withholding records; Labour Protection Act s.114-115)"
)
_HR_BASIS = "contract and legal obligation (PDPA s.24(3), s.24(6)): employment, payroll and tax records"


def _dataset(
    name_th: str, name_en: str, description: str, fields: dict[str, Any], **extra: str
) -> dict[str, Any]:
    return {
        "name_th": name_th,
        "name_en": name_en,
        "description": description,
        "owner_unit": _UNIT,
        "steward": _STEWARD,
        "classification": extra.get("classification", "confidential"),
        "lawful_basis": extra.get("lawful_basis", _HR_BASIS),
        "source": extra.get("source", "entered through codi.people services"),
        "update_frequency": extra.get("update_frequency", "real-time"),
        "retention": _RETENTION,
        "fields": fields,
    }


_WHO = {
    "created_by": ("ผู้บันทึก", "Created by", "Staff account"),
    "created_at": ("บันทึกเมื่อ", "Created at", "When recorded"),
    "is_demo": ("ข้อมูลตัวอย่าง", "Demo", "Demo data"),
}
_FLOW = {
    "status": ("สถานะ", "Status", "Process status"),
    "current_step": ("ขั้นตอนปัจจุบัน", "Current step", "Ready user task"),
    "workflow_state": ("สถานะกระบวนการ", "Process state", "Serialized SpiffWorkflow state"),
}
_MONEY = "satang (integer)"

DATASETS = {
    "Employee": _dataset(
        "ทะเบียนพนักงาน",
        "Employee register",
        "Employment records of CODI staff; personal data encrypted.",
        {
            "user": ("บัญชีผู้ใช้", "User account", "Sign-in account (optional)"),
            "employee_no": ("เลขที่พนักงาน", "Employee number", "Unique number"),
            "first_name_th": ("ชื่อ", "First name", "Thai first name", P),
            "last_name_th": ("นามสกุล", "Last name", "Thai last name", P),
            "employment_type": ("ประเภทการจ้าง", "Employment type", "Officer, employee, contract, daily"),
            "position": ("ตำแหน่ง", "Position", "Position title"),
            "level": ("ระดับ", "Level", "Grade or level"),
            "org_unit": ("หน่วยงาน", "Org unit", "CODI unit"),
            "is_unit_head": ("หัวหน้าหน่วยงาน", "Head of unit", "Approves the unit's leave"),
            "region": ("ภาคที่ปฏิบัติงาน", "CODI region", "Region of the workplace; blank: head office"),
            "salary": ("เงินเดือน", "Salary", "Monthly salary (baht)", P),
            "start_date": ("วันที่เริ่มงาน", "Start date", "Hiring date"),
            "end_date": ("วันที่พ้นสภาพ", "End date", "Leaving date"),
            "national_id": ("เลขประจำตัวประชาชน", "National ID", "Encrypted at rest", P),
            "national_id_hash": ("ดัชนีเลขประจำตัว", "National ID index", "Keyed hash for lookups", P),
            "national_id_masked": ("เลขประจำตัว (ปิดบัง)", "National ID (masked)", "Shown on screen", P),
            "bank_code": ("ธนาคาร", "Bank", "3-digit bank code"),
            "bank_account": ("เลขที่บัญชี", "Bank account", "Encrypted at rest", P),
            "bank_account_masked": ("เลขที่บัญชี (ปิดบัง)", "Bank account (masked)", "Shown on screen", P),
            "address": ("ที่อยู่", "Address", "Encrypted at rest; changed through an HR-approved request", P),
            "spouse_allowance": ("ลดหย่อนคู่สมรส", "Spouse allowance", "Spouse without income", P),
            "children_birth_years": ("ปีเกิดบุตร", "Children's birth years", "For the child allowance", P),
            "parents_allowance": ("ลดหย่อนบิดามารดา", "Parents claimed", "Number of parents", P),
            "pvd_rate": ("อัตราสะสม กสล.", "PVD rate", "Employee provident-fund %"),
            "pvd_employer_rate": ("อัตราสมทบ กสล.", "PVD employer rate", "Employer provident-fund %"),
            "monthly_allowance": ("เงินเพิ่ม", "Allowance", "Monthly taxable allowance (baht)", P),
            "monthly_deduction": ("เงินหักอื่น", "Other deduction", "Cooperative, loans (baht)", P),
            "is_demo": _WHO["is_demo"],
            "created_at": _WHO["created_at"],
        },
    ),
    "SalaryChange": _dataset(
        "ประวัติเงินเดือน",
        "Salary history",
        "Every salary change with its reason.",
        {
            "employee": ("พนักงาน", "Employee", "Employee"),
            "effective_date": ("วันที่มีผล", "Effective date", "From when"),
            "salary": ("เงินเดือน", "Salary", "Baht", P),
            "reason": ("เหตุผล", "Reason", "Hiring, step, promotion"),
            "created_at": _WHO["created_at"],
        },
    ),
    "LeaveType": _dataset(
        "ประเภทการลา",
        "Leave type",
        "Leave types and CODI's rules for each.",
        {
            "code": ("รหัส", "Code", "Code"),
            "name_th": ("ชื่อ", "Thai name", "Thai name"),
            "name_en": ("ชื่อ (อังกฤษ)", "English name", "English name"),
            "days_per_year": ("วันต่อปี", "Days a year", "Entitlement a fiscal year"),
            "max_carry_over": ("สะสมได้", "Carry-over", "Days carried to next year at most"),
            "max_balance": ("รวมไม่เกิน", "Balance cap", "Entitlement and carry-over at most"),
            "counts_calendar_days": ("นับวันปฏิทิน", "Calendar days", "Counted in calendar days"),
            "allows_over_balance": ("เกินสิทธิได้", "May exceed", "Requests beyond the balance allowed"),
            "is_paid": ("ได้รับเงินเดือน", "Paid", "Paid leave"),
            "order": ("ลำดับ", "Order", "Display order"),
        },
        classification="public",
        lawful_basis="",
        update_frequency="on change",
    ),
    "LeaveBalance": _dataset(
        "วันลาคงเหลือ",
        "Leave balance",
        "Entitlement, carry-over, used and pending days per year.",
        {
            "employee": ("พนักงาน", "Employee", "Employee"),
            "leave_type": ("ประเภท", "Type", "Leave type"),
            "fiscal_year": ("ปีงบประมาณ", "Fiscal year", "B.E."),
            "entitled": ("สิทธิ", "Entitled", "Days"),
            "carried_over": ("ยกมา", "Carried over", "Days"),
            "used": ("ใช้ไป", "Used", "Days"),
            "pending": ("รออนุมัติ", "Pending", "Days awaiting approval"),
        },
    ),
    "LeaveRequest": _dataset(
        "ใบลา",
        "Leave request",
        "Leave requests and their approval process.",
        {
            "employee": ("พนักงาน", "Employee", "Employee"),
            "leave_type": ("ประเภท", "Type", "Leave type"),
            "start_date": ("ตั้งแต่", "From", "First day"),
            "end_date": ("ถึง", "To", "Last day"),
            "days": ("จำนวนวัน", "Days", "Working (or calendar) days"),
            "fiscal_year": ("ปีงบประมาณ", "Fiscal year", "B.E."),
            "reason": ("เหตุผล", "Reason", "Reason given (may be health-related)", S),
            **_FLOW,
            "supervisor": ("ผู้บังคับบัญชา", "Supervisor", "Who decided"),
            "hr_officer": ("เจ้าหน้าที่บุคคล", "HR officer", "Who recorded"),
            "decision_comment": ("ความเห็น", "Comment", "Reason of the decision"),
            **_WHO,
        },
    ),
    "SocialSecurityRate": _dataset(
        "อัตราเงินสมทบประกันสังคม",
        "Social-security rate",
        "Rate, wage floor and ceiling by date (section 33).",
        {
            "valid_from": ("ตั้งแต่", "Valid from", "Date"),
            "valid_to": ("ถึง", "Valid to", "Date"),
            "rate_percent": ("อัตรา", "Rate", "Percent"),
            "wage_floor": ("ฐานต่ำสุด", "Floor", "Baht"),
            "wage_ceiling": ("ฐานสูงสุด", "Ceiling", "Baht"),
            "source": ("ที่มา", "Source", "Regulation"),
        },
        classification="public",
        lawful_basis="",
        update_frequency="on change",
    ),
    "PayrollRun": _dataset(
        "งวดเงินเดือน",
        "Payroll run",
        "Monthly payroll runs, approval and ledger posting.",
        {
            "year": ("ปี", "Year", "Gregorian year"),
            "month": ("เดือน", "Month", "1-12"),
            "pay_group": ("กลุ่มจ่าย", "Pay group", "Pay group"),
            "pay_date": ("วันที่จ่าย", "Pay date", "Date"),
            **_FLOW,
            "approved_by": ("ผู้อนุมัติ", "Approver", "Never the maker"),
            "employee_count": ("จำนวนคน", "Employees", "Payslips"),
            "gross_satang": ("รวมเงินได้", "Gross", _MONEY),
            "net_satang": ("รวมสุทธิ", "Net", _MONEY),
            "tax_satang": ("รวมภาษี", "Tax", _MONEY),
            "journal_entry_id": ("รายการบัญชี", "Journal entry", "Finance entry id"),
            "journal_entry_number": ("เลขที่รายการบัญชี", "Entry number", "Finance entry number"),
            "reversal_entry_number": ("รายการกลับบัญชี", "Reversal entry", "Entry that reversed the run"),
            **_WHO,
        },
    ),
    "Payslip": _dataset(
        "สลิปเงินเดือน",
        "Payslip",
        "One employee's pay in a run (satang).",
        {
            "run": ("งวด", "Run", "Payroll run"),
            "employee": ("พนักงาน", "Employee", "Employee"),
            "salary": ("เงินเดือน", "Salary", _MONEY, P),
            "allowances": ("เงินเพิ่ม", "Allowances", _MONEY, P),
            "gross": ("รวมเงินได้", "Gross", _MONEY, P),
            "sso_employee": ("ประกันสังคม", "Social security", _MONEY, P),
            "sso_employer": ("ประกันสังคม (นายจ้าง)", "Social security (employer)", _MONEY, P),
            "pvd_employee": ("กองทุนสำรองเลี้ยงชีพ", "Provident fund", _MONEY, P),
            "pvd_employer": ("กสล. (นายจ้าง)", "Provident fund (employer)", _MONEY, P),
            "tax": ("ภาษีหัก ณ ที่จ่าย", "Tax withheld", _MONEY, P),
            "other_deductions": ("เงินหักอื่น", "Other deductions", _MONEY, P),
            "net": ("รับสุทธิ", "Net pay", _MONEY, P),
            "overtime": ("ค่าล่วงเวลา", "Overtime", _MONEY, P),
            "cost_split": ("แยกตามศูนย์ต้นทุน", "By cost centre", "Employer cost by cost centre (satang)"),
        },
    ),
    "OvertimeEntry": _dataset(
        "ค่าล่วงเวลา",
        "Overtime entry",
        "Hours worked beyond normal time (Labour Protection Act s.61-63), paid in that month's run.",
        {
            "employee": ("พนักงาน", "Employee", "Employee"),
            "work_date": ("วันที่ทำงาน", "Date worked", "Date"),
            "kind": ("ประเภท", "Kind", "Working day 1.5x, holiday 1x, holiday overtime 3x"),
            "hours": ("ชั่วโมง", "Hours", "Hours", P),
            "reason": ("เหตุผล", "Reason", "Why", P),
            "created_by": _WHO["created_by"],
            "is_demo": _WHO["is_demo"],
            "created_at": _WHO["created_at"],
        },
    ),
    "CostSplit": _dataset(
        "สัดส่วนศูนย์ต้นทุน",
        "Cost split",
        "Share of an employee's cost charged to each cost centre (unit or project).",
        {
            "employee": ("พนักงาน", "Employee", "Employee"),
            "cost_centre": ("ศูนย์ต้นทุน", "Cost centre", "Org unit or project code"),
            "percent": ("ร้อยละ", "Percent", "Share, 100 in all"),
        },
        classification="internal",
    ),
    "Course": _dataset(
        "หลักสูตรอบรม",
        "Course",
        "Training courses for staff and community leaders.",
        {
            "title": ("ชื่อหลักสูตร", "Title", "Title"),
            "competency": ("สมรรถนะ", "Competency", "Digital skill group"),
            "audience": ("กลุ่มเป้าหมาย", "Audience", "Staff or community leaders"),
            "start_date": ("วันที่", "Date", "Start date"),
            "hours": ("ชั่วโมง", "Hours", "Hours"),
            "org_unit": ("หน่วยงานผู้จัด", "Organizing unit", "CODI unit that ran the course"),
            "is_demo": _WHO["is_demo"],
        },
        classification="internal",
        lawful_basis="",
    ),
    "Attendance": _dataset(
        "ผู้เข้าอบรม",
        "Attendance",
        "Who completed each course and whether they apply it at work.",
        {
            "course": ("หลักสูตร", "Course", "Course"),
            "employee": ("พนักงาน", "Employee", "Staff participant"),
            "leader_name": ("ผู้นำชุมชน", "Community leader", "Leader's name", P),
            "applies_at_work": ("นำไปใช้", "Applies at work", "Applies the skill at work"),
            "completed": ("ผ่านการอบรม", "Completed", "Completed"),
            "organization_id": (
                "องค์กรชุมชน",
                "Community organization",
                "Registry id of the leader's organization",
            ),
            "organization_name": ("ชื่อองค์กรชุมชน", "Organization name", "As recorded"),
            "region": ("ภาค", "CODI region", "Region of the organization"),
        },
        classification="internal",
        lawful_basis="public task (PDPA s.24(4)): capacity building under the plan",
    ),
    "CompetencyTarget": _dataset(
        "เป้าหมายสมรรถนะดิจิทัล",
        "Competency target",
        "The digital action plan's targets by fiscal year.",
        {
            "fiscal_year": ("ปีงบประมาณ", "Fiscal year", "B.E."),
            "indicator": ("ตัวชี้วัด", "Indicator", "Code"),
            "name_th": ("ชื่อตัวชี้วัด", "Name", "Thai name"),
            "target": ("ค่าเป้าหมาย", "Target", "Value"),
            "unit": ("หน่วย", "Unit", "percent, people or orgs"),
        },
        classification="public",
        lawful_basis="",
        update_frequency="yearly",
    ),
    "TimeClockEntry": _dataset(
        "เวลาเข้าออกงาน",
        "Time-clock entry",
        "Clock-in and clock-out per employee and day, imported from the time clocks.",
        {
            "employee": ("พนักงาน", "Employee", "Employee", P),
            "date": ("วันที่", "Date", "Working day"),
            "time_in": ("เวลาเข้า", "Clock in", "First scan of the day", P),
            "time_out": ("เวลาออก", "Clock out", "Last scan of the day", P),
            "source": ("ไฟล์", "File", "Name of the imported file"),
            "imported_by": ("ผู้นำเข้า", "Imported by", "Staff account"),
            "imported_at": ("นำเข้าเมื่อ", "Imported at", "When imported or last replaced"),
        },
        source="time-clock exports imported by HR (codi.people.attendance)",
        update_frequency="daily",
    ),
    "ProfileChange": _dataset(
        "คำขอแก้ไขข้อมูลพนักงาน",
        "Staff change request",
        "A staff member's request to change their bank account or address, and HR's decision.",
        {
            "employee": ("พนักงาน", "Employee", "Who asks", P),
            "kind": ("เรื่อง", "What", "Bank account or address"),
            "proposed": ("ข้อมูลใหม่", "Proposed values", "Encrypted at rest (JSON)", P),
            "proposed_masked": ("ข้อมูลใหม่ (ปิดบัง)", "Proposed values (masked)", "Shown on screen", P),
            "status": ("สถานะ", "Status", "Awaiting HR, approved or rejected"),
            "current_step": ("ขั้นตอนปัจจุบัน", "Current step", "BPMN task id"),
            "workflow_state": ("สถานะกระบวนการ", "Workflow state", "Serialized workflow"),
            "created_by": _WHO["created_by"],
            "created_at": _WHO["created_at"],
            "decided_by": ("ผู้พิจารณา", "Decided by", "HR officer"),
            "decided_at": ("พิจารณาเมื่อ", "Decided at", "When decided"),
            "decision_reason": ("เหตุผล", "Reason", "Reason given by HR"),
        },
    ),
    "SelfAssessment": _dataset(
        "การประเมินทักษะดิจิทัลตนเอง",
        "Digital-skill self-assessment",
        "Each staff member's own level per digital-skill group of the plan and fiscal year.",
        {
            "employee": ("พนักงาน", "Employee", "Who assessed themself", P),
            "fiscal_year": ("ปีงบประมาณ", "Fiscal year", "B.E."),
            "competency": ("กลุ่มทักษะ", "Skill group", "Digital skill group of the plan"),
            "level": ("ระดับ", "Level", "1 knows of it to 4 can teach others", P),
            "updated_at": ("แก้ไขเมื่อ", "Updated at", "When last saved"),
        },
        classification="internal",
        lawful_basis="public task (PDPA s.24(4)): capacity building under the plan",
        update_frequency="yearly",
    ),
}

# training certificates, evaluation and the supervisor's assessment (appended: merges stay clean)
_TRAINING_BASIS = "public task (PDPA s.24(4)): capacity building under the plan"
DATASETS.update(
    {
        "TrainingCertificate": _dataset(
            "เกียรติบัตรการอบรม",
            "Training certificate",
            "A participant's completion certificate and its public verification code.",
            {
                "attendance": ("ผู้เข้าอบรม", "Participant", "The attendance the certificate is for", P),
                "code": ("รหัสตรวจสอบ", "Verification code", "Random code printed with a QR code"),
                "issued_on": ("วันที่ออก", "Issued on", "Date first printed"),
                "created_at": _WHO["created_at"],
            },
            classification="internal",
            lawful_basis=_TRAINING_BASIS,
        ),
        "CourseEvaluation": _dataset(
            "การประเมินผลการอบรม",
            "Course evaluation",
            "A participant's satisfaction (1-5) and comment, and pre- and post-test scores.",
            {
                "attendance": ("ผู้เข้าอบรม", "Participant", "The attendance evaluated", P),
                "rating": ("ความพึงพอใจ", "Satisfaction", "1 least to 5 most"),
                "comment": ("ความคิดเห็น", "Comment", "Free text", P),
                "pre_score": ("คะแนนก่อนอบรม", "Pre-test score", "0 to 100", P),
                "post_score": ("คะแนนหลังอบรม", "Post-test score", "0 to 100", P),
                "updated_at": ("แก้ไขเมื่อ", "Updated at", "When last saved"),
            },
            classification="internal",
            lawful_basis=_TRAINING_BASIS,
        ),
        "SupervisorAssessment": _dataset(
            "การประเมินทักษะดิจิทัลโดยผู้บังคับบัญชา",
            "Supervisor's skill assessment",
            "The level a unit head confirms for each of their staff per skill group and fiscal year.",
            {
                "employee": ("พนักงาน", "Employee", "Who was assessed", P),
                "fiscal_year": ("ปีงบประมาณ", "Fiscal year", "B.E."),
                "competency": ("กลุ่มทักษะ", "Skill group", "Digital skill group of the plan"),
                "level": ("ระดับ", "Level", "1 knows of it to 4 can teach others", P),
                "assessed_by": ("ผู้ประเมิน", "Assessed by", "The unit head's account"),
                "updated_at": ("แก้ไขเมื่อ", "Updated at", "When last saved"),
            },
            classification="internal",
            lawful_basis=_TRAINING_BASIS,
            update_frequency="yearly",
        ),
    }
)
