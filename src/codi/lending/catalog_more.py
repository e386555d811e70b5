"""Catalog entries for tranches, accruals, restructuring, contracts, Baan Mankong and welfare funds
(merged into ``codi.lending.catalog.DATASETS``)."""

from __future__ import annotations

from typing import Any

from codi.governance.catalog import dataset

P = {"personal": "general"}
M = "baht, two decimals"
U = ("ผู้บันทึก", "Recorded by", "Staff account")


def _d(th: str, en: str, description: str, fields: dict[str, Any], **extra: str) -> dict[str, Any]:
    return dataset(
        th, en, description, fields, owner_unit="สำนักสินเชื่อ", steward="head of the credit office",
        retention="10 years after the loan is closed (accounting records)",
        classification=extra.get("classification", "internal"), lawful_basis=extra.get("lawful_basis", ""),
        source="entered through codi.lending services",
    )  # fmt: skip


LOAN_FIELDS = {
    "bank_code": ("รหัสธนาคารผู้กู้", "Borrower's bank code", "Bank of Thailand code of the tranche account"),
    "account_no": ("เลขบัญชีผู้กู้", "Borrower's account", "Organization's account the tranches go to"),
    "schedule_start": ("วันเริ่มตารางปัจจุบัน", "Schedule start", "Disbursement or restructuring date"),
    "schedule_first_n": ("งวดแรกของตารางปัจจุบัน", "First instalment", "Number of its first instalment"),
}
PUBLIC_TASK = "PDPA s.24(4): public task (CODI Act B.E. 2543)"

DATASETS_MORE: dict[str, dict[str, Any]] = {
    "Tranche": _d(
        "งวดการเบิกเงินกู้",
        "Loan tranche",
        "A payment of the loan to the borrower as a pain.001 transfer.",
        {
            "loan": ("สัญญาเงินกู้", "Loan", "The loan"),
            "n": ("งวดที่", "No.", "1, 2, ..."),
            "amount": ("จำนวนเงิน", "Amount", M),
            "paid_on": ("วันที่จ่าย", "Paid on", "Value date"),
            "reference": ("เลขอ้างอิง", "Reference", "Loan number and tranche"),
            "bank_code": ("รหัสธนาคาร", "Bank code", "Receiving bank"),
            "account_no": ("เลขบัญชี", "Account", "Receiving account"),
            "payment_file": ("ไฟล์ pain.001", "Transfer file", "ISO 20022 XML, schema-valid"),
            "journal_entry_id": ("รายการบัญชี", "Journal entry", "Finance ledger entry id"),
            "created_by": U,
            "created_at": ("เวลาบันทึก", "Created at", "Timestamp"),
        },
    ),
    "InterestAccrual": _d(
        "ดอกเบี้ยค้างรับสิ้นเดือน",
        "Month-end interest accrual",
        "Interest earned not yet received, posted and reversed.",
        {
            "month_end": ("วันสิ้นเดือน", "Month end", "Date"),
            "amount": ("จำนวนเงิน", "Amount", M),
            "loans": ("จำนวนสัญญา", "Loans", "Loans with an accrual"),
            "journal_entry_id": ("รายการบัญชี", "Entry", "Ledger entry id"),
            "reversal_entry_id": ("รายการกลับบัญชี", "Reversal", "Ledger entry id of the reversal"),
            "created_by": U,
            "created_at": ("เวลาบันทึก", "Created at", "Timestamp"),
        },
    ),
    "AccrualLine": _d(
        "ดอกเบี้ยค้างรับรายสัญญา",
        "Accrual by loan",
        "One loan's part of a month-end accrual.",
        {
            "accrual": ("รอบตั้งค้างรับ", "Accrual", "The month"),
            "loan": ("สัญญาเงินกู้", "Loan", "The loan"),
            "amount": ("จำนวนเงิน", "Amount", M),
        },
    ),
    "LoanChange": _d(
        "การปรับโครงสร้างหนี้/ตัดหนี้สูญ",
        "Restructuring or write-off",
        "Requested by an officer, decided by another person.",
        {
            "loan": ("สัญญาเงินกู้", "Loan", "The loan"),
            "kind": ("ประเภท", "Kind", "Restructure or write-off"),
            "status": ("สถานะ", "Status", "Pending, approved, rejected"),
            "effective_on": ("วันที่มีผล", "Effective on", "Date"),
            "outstanding": ("เงินต้นคงค้าง", "Outstanding", M),
            "new_principal": ("เงินต้นใหม่", "New principal", M),
            "write_off": ("ตัดหนี้สูญ", "Written off", M),
            "months": ("ระยะเวลาใหม่", "New term", "Months"),
            "annual_rate": ("อัตราดอกเบี้ยใหม่", "New rate", "Percent a year"),
            "reason": ("เหตุผล", "Reason", "Text"),
            "requested_by": ("ผู้ขอ", "Requested by", "Staff account"),
            "requested_at": ("เวลาขอ", "Requested at", "Timestamp"),
            "decided_by": ("ผู้อนุมัติ", "Decided by", "Staff account"),
            "decided_at": ("เวลาอนุมัติ", "Decided at", "Timestamp"),
            "decision_comment": ("ความเห็น", "Comment", "Text"),
            "interest_forgiven": ("ดอกเบี้ยที่ยกให้", "Interest forgiven", M),
            "journal_entry_id": ("รายการบัญชี", "Entry", "Write-off entry id"),
        },
    ),
    "LoanContract": _d(
        "สัญญากู้ยืมเงินที่ลงนาม",
        "Signed loan contract",
        "PDF signed for CODI through the platform PKI.",
        {
            "loan": ("สัญญาเงินกู้", "Loan", "The loan"),
            "pdf": ("ไฟล์ PDF", "PDF", "PAdES-signed file"),
            "sha256": ("ค่าแฮช", "SHA-256", "Of the signed file"),
            "signed_by": ("ผู้ลงนาม", "Signed by", "Staff account"),
            "signed_at": ("เวลาลงนาม", "Signed at", "Timestamp"),
        },
    ),
    "HousingProject": _d(
        "โครงการบ้านมั่นคง",
        "Baan Mankong project",
        "A housing project of a community organization.",
        {
            "code": ("รหัส", "Code", "Unique"),
            "name_th": ("ชื่อโครงการ", "Name", "Thai"),
            "organization": ("องค์กร", "Organization", "Borrowing organization"),
            "subdistrict": ("ตำบล", "Subdistrict", "Area"),
            "loan": ("สินเชื่อที่อยู่อาศัย", "Housing loan", "The loan financing it"),
            "pms_project_code": ("รหัสโครงการ PMS", "PMS project", "Link to the PMS project"),
            "tenure": ("การถือครองที่ดิน", "Tenure", "Lease, purchase, co-op"),
            "households_planned": ("ครัวเรือนตามแผน", "Households planned", "Count"),
            "is_demo": ("ข้อมูลตัวอย่าง", "Demo", "Yes/no"),
            "created_by": U,
            "created_at": ("เวลาบันทึก", "Created at", "Timestamp"),
        },
    ),
    "HousingPlot": _d(
        "แปลงที่ดิน",
        "Housing plot",
        "A plot of a housing project.",
        {
            "project": ("โครงการ", "Project", "The project"),
            "plot_no": ("เลขแปลง", "Plot", "Number"),
            "area_sqw": ("เนื้อที่", "Area", "Square wa"),
        },
    ),
    "Household": _d(
        "ครัวเรือนบ้านมั่นคง",
        "Baan Mankong household",
        "A registry person heading a household in one project.",
        {
            "project": ("โครงการ", "Project", "The project"),
            "person": ("หัวหน้าครัวเรือน", "Household head", "Registry person", P),
            "plot": ("แปลง", "Plot", "Allotted plot"),
            "loan_share": ("ส่วนของสินเชื่อ", "Loan share", M),
            "joined_on": ("วันที่เข้าร่วม", "Joined on", "Date"),
        },
        lawful_basis=PUBLIC_TASK,
    ),
    "HousingUnit": _d(
        "บ้านที่ก่อสร้าง",
        "Housing unit",
        "The unit on a plot and its construction stage.",
        {
            "plot": ("แปลง", "Plot", "The plot"),
            "stage": ("ขั้นตอน", "Stage", "Foundation to finished"),
            "stage_on": ("วันที่", "Reached on", "Date"),
            "photo_note": ("ภาพถ่าย", "Photo", "Reference to the photo"),
        },
    ),
    "SubsidyRule": _d(
        "อัตราเงินอุดหนุน",
        "Subsidy rule",
        "Baht per household by kind, from a date.",
        {
            "kind": ("ประเภท", "Kind", "Infrastructure, housing, relocation"),
            "per_household": ("ต่อครัวเรือน", "Per household", M),
            "effective_from": ("มีผลตั้งแต่", "From", "Date"),
        },
        classification="public",
    ),
    "WelfareFund": _d(
        "กองทุนสวัสดิการชุมชน",
        "Community welfare fund",
        "An organization's welfare fund.",
        {
            "organization": ("องค์กร", "Organization", "Owner"),
            "subdistrict": ("ตำบล", "Subdistrict", "Area"),
            "name_th": ("ชื่อกองทุน", "Name", "Thai"),
            "founded_on": ("วันที่ก่อตั้ง", "Founded on", "Date"),
            "monthly_contribution": ("เงินสมทบต่อเดือน", "Monthly contribution", M),
            "is_demo": ("ข้อมูลตัวอย่าง", "Demo", "Yes/no"),
            "created_at": ("เวลาบันทึก", "Created at", "Timestamp"),
        },
    ),
    "WelfareMember": _d(
        "สมาชิกกองทุนสวัสดิการ",
        "Welfare fund member",
        "A registry person in a fund.",
        {
            "fund": ("กองทุน", "Fund", "The fund"),
            "person": ("สมาชิก", "Member", "Registry person", P),
            "joined_on": ("วันที่สมัคร", "Joined on", "Date"),
        },
        lawful_basis=PUBLIC_TASK,
    ),
    "Contribution": _d(
        "เงินสมทบสมาชิก",
        "Member contribution",
        "A member's contribution for a month.",
        {
            "member": ("สมาชิก", "Member", "Fund member"),
            "month": ("เดือน", "Month", "First day"),
            "amount": ("จำนวนเงิน", "Amount", M),
        },
        lawful_basis=PUBLIC_TASK,
    ),
    "BenefitPaid": _d(
        "สวัสดิการที่จ่าย",
        "Benefit paid",
        "A benefit paid to a member by life stage.",
        {
            "member": ("สมาชิก", "Member", "Fund member"),
            "stage": ("ช่วงวัย", "Life stage", "Birth, sickness, old age, death"),
            "paid_on": ("วันที่จ่าย", "Paid on", "Date"),
            "amount": ("จำนวนเงิน", "Amount", M),
        },
        lawful_basis=PUBLIC_TASK,
    ),
    "MatchingRule": _d(
        "เกณฑ์เงินสมทบ",
        "Matching rule",
        "Matching contribution per baht and cap per member.",
        {
            "effective_from": ("มีผลตั้งแต่", "From", "Date"),
            "rate": ("อัตรา", "Rate", "Baht per baht"),
            "cap_per_member": ("เพดานต่อสมาชิก", "Cap", M),
        },
        classification="public",
    ),
    "Certification": _d(
        "การรับรองการบริหารจัดการดี",
        "Good-management certification",
        "A year's checklist and result.",
        {
            "fund": ("กองทุน", "Fund", "The fund"),
            "year_be": ("ปี พ.ศ.", "Year", "B.E."),
            "evidence": ("หลักฐาน", "Evidence", "Per checklist item"),
            "status": ("ผล", "Status", "Certified or not"),
            "decided_by": ("ผู้รับรอง", "Decided by", "Staff account"),
            "decided_at": ("เวลา", "Decided at", "Timestamp"),
        },
    ),
    "ProjectStage": _d(
        "ขั้นตอนโครงการบ้านมั่นคง",
        "Baan Mankong project stage",
        "A housing project's stages from survey to handover, planned and reached.",
        {
            "project": ("โครงการ", "Project", "Housing project"),
            "phase": ("ขั้นตอน", "Stage", "Survey, design, loan, build or handover"),
            "planned_on": ("วันที่วางแผน", "Planned on", "Date"),
            "reached_on": ("วันที่แล้วเสร็จ", "Reached on", "Date"),
            "note": ("หมายเหตุ", "Note", "Free text"),
            "document_id": ("ภาพถ่าย", "Photo", "Document id (documents app)"),
        },
    ),
    "WelfareReport": _d(
        "รายงานประจำปีของกองทุนสวัสดิการ",
        "Welfare fund annual report",
        "A fund's members by age group and its year's income, benefits and running costs.",
        {
            "fund": ("กองทุน", "Fund", "The fund"),
            "year_be": ("ปี พ.ศ.", "Year", "B.E."),
            "members_0_14": ("สมาชิกอายุ 0-14 ปี", "Members 0-14", "Count"),
            "members_15_59": ("สมาชิกอายุ 15-59 ปี", "Members 15-59", "Count"),
            "members_60_plus": ("สมาชิกอายุ 60 ปีขึ้นไป", "Members 60+", "Count"),
            "contributions": ("เงินสมทบของสมาชิก", "Contributions", M),
            "other_income": ("รายรับอื่น", "Other income", M),
            "benefit_birth": ("สวัสดิการแรกเกิด", "Birth benefits", M),
            "benefit_sickness": ("สวัสดิการเจ็บป่วย", "Sickness benefits", M),
            "benefit_old_age": ("สวัสดิการผู้สูงอายุ", "Old-age benefits", M),
            "benefit_death": ("สวัสดิการเสียชีวิต", "Death benefits", M),
            "running_costs": ("ค่าใช้จ่ายในการบริหาร", "Running costs", M),
            "submitted_by": ("ผู้ยื่น", "Submitted by", "Staff or the fund's portal account"),
            "submitted_at": ("ยื่นเมื่อ", "Submitted at", "Timestamp"),
        },
        update_frequency="yearly",
    ),
    "NplSnapshot": _d(
        "ภาพรวมหนี้ค้างชำระรายเดือน",
        "Monthly NPL snapshot",
        "Loans, outstanding, PAR30 and NPL per province at a month's end.",
        {
            "month_end": ("วันสิ้นเดือน", "Month end", "Date"),
            "province_code": ("จังหวัด", "Province", "Province code"),
            "region_code": ("ภาค", "Region", "CODI region"),
            "loans": ("สัญญา", "Loans", "Count"),
            "outstanding": ("เงินต้นคงค้าง", "Outstanding", M),
            "par30_outstanding": ("คงค้างเกิน 30 วัน", "PAR30 outstanding", M),
            "npl_outstanding": ("คงค้างเกิน 90 วัน", "NPL outstanding", M),
            "taken_at": ("บันทึกเมื่อ", "Taken at", "Timestamp"),
        },
        classification="internal",
        update_frequency="monthly",
    ),
}
