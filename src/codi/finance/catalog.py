"""Data catalog entries for the finance module (read by codi.governance)."""

from __future__ import annotations

from typing import Any

P = {"personal": "general"}
_UNIT = "สำนักการเงินและบัญชี"
_STEWARD = "chief accountant"
_RETENTION = "10 years after the fiscal year (State Audit Office rules on accounting records)"


def _dataset(
    name_th: str, name_en: str, description: str, fields: dict[str, Any], **extra: str
) -> dict[str, Any]:
    return {
        "name_th": name_th,
        "name_en": name_en,
        "description": description,
        "owner_unit": _UNIT,
        "steward": _STEWARD,
        "classification": extra.get("classification", "internal"),
        "lawful_basis": extra.get("lawful_basis", ""),
        "source": extra.get("source", "entered and posted through codi.finance services"),
        "update_frequency": extra.get("update_frequency", "real-time"),
        "retention": _RETENTION,
        "fields": fields,
    }


_STEP = {
    "task_key": ("ขั้นตอน", "Step", "BPMN user task id"),
    "name": ("ชื่อขั้นตอน", "Step name", "Thai name of the step"),
    "role": ("บทบาท", "Role", "Role that acts on the step"),
    "opened_at": ("เปิดเมื่อ", "Opened at", "When the step opened"),
    "due_date": ("กำหนดเสร็จ", "Due date", "SLA due date in working days"),
    "completed_at": ("เสร็จเมื่อ", "Completed at", "When the step was completed"),
    "completed_by": ("ผู้ดำเนินการ", "Completed by", "Staff account that completed it"),
    "outcome": ("ผล", "Outcome", "Decision taken"),
    "comment": ("ความเห็น", "Comment", "Reason or note"),
}

DATASETS = {
    "Account": _dataset(
        "ผังบัญชี",
        "Chart of accounts",
        "CODI's chart of accounts (government-style codes), accrual basis.",
        {
            "code": ("รหัสบัญชี", "Account code", "10-digit code"),
            "name_th": ("ชื่อบัญชี", "Thai name", "Account name in Thai"),
            "name_en": ("ชื่อบัญชี (อังกฤษ)", "English name", "Account name in English"),
            "account_type": ("หมวดบัญชี", "Type", "Asset, liability, net assets, revenue or expense"),
            "is_active": ("ใช้งาน", "Active", "Whether entries may post to it"),
        },
        classification="public",
        source="data/chart_of_accounts.csv, edited by the chief accountant",
        update_frequency="on change",
    ),
    "FiscalYear": _dataset(
        "ปีงบประมาณ",
        "Fiscal year",
        "Thai fiscal years, 1 October to 30 September, open or closed.",
        {
            "year_be": ("ปีงบประมาณ (พ.ศ.)", "Fiscal year (B.E.)", "Buddhist-Era year"),
            "start_date": ("วันเริ่ม", "Start", "1 October"),
            "end_date": ("วันสิ้นสุด", "End", "30 September"),
            "is_closed": ("ปิดแล้ว", "Closed", "No posting once closed"),
        },
        classification="public",
        update_frequency="yearly",
    ),
    "BudgetLine": _dataset(
        "งบประมาณรายจ่าย",
        "Budget line",
        "Annual budget by unit, category and plan with commitments and actuals.",
        {
            "fiscal_year": ("ปีงบประมาณ", "Fiscal year", "Fiscal year"),
            "code": ("รหัสงบประมาณ", "Budget code", "Code unique within the year"),
            "name": ("ชื่องบประมาณ", "Name", "Name of the line"),
            "unit": ("หน่วยงาน", "Unit", "Cost centre"),
            "region": ("ภาค", "Region", "CODI region (for regional lines)"),
            "category": ("งบรายจ่าย", "Budget category", "งบบุคลากร / ดำเนินงาน / ลงทุน / อุดหนุน / อื่น"),
            "plan": ("แผนงาน", "Plan / program", "Plan or program"),
            "expense_account": ("บัญชีค่าใช้จ่าย", "Expense account", "Account the spending posts to"),
            "allocated": ("วงเงินจัดสรร", "Allocated", "Allocation (baht)"),
            "committed": ("ผูกพัน", "Committed", "Open commitments (baht)"),
            "actual": ("เบิกจ่ายจริง", "Actual", "Spending recognised (baht)"),
            "pms_budget_line_id": ("งบประมาณ PMS", "PMS budget line", "The tied PMS budget line"),
            "is_demo": ("ข้อมูลตัวอย่าง", "Demo", "Demo data"),
        },
        classification="public",
    ),
    "Commitment": _dataset(
        "การกันเงิน/ผูกพันงบประมาณ",
        "Budget commitment",
        "Encumbrances against budget lines, keyed by source document.",
        {
            "budget_line": ("งบประมาณ", "Budget line", "Line encumbered"),
            "amount": ("จำนวนเงิน", "Amount", "Baht"),
            "source_key": ("เอกสารต้นทาง", "Source", "Source document key"),
            "status": ("สถานะ", "Status", "Open, consumed or released"),
            "created_at": ("วันที่", "Created at", "When it was made"),
        },
    ),
    "JournalEntry": _dataset(
        "รายการบัญชี (สมุดรายวัน)",
        "Journal entry",
        "Posted, balanced, immutable journal entries.",
        {
            "fiscal_year": ("ปีงบประมาณ", "Fiscal year", "Fiscal year"),
            "book": ("สมุด", "Book", "Journal book"),
            "sequence": ("ลำดับ", "Sequence", "Number within book and year"),
            "entry_date": ("วันที่", "Date", "Accounting date"),
            "description": ("คำอธิบาย", "Description", "What the entry records"),
            "source_type": ("ประเภทเอกสาร", "Source type", "Voucher, disbursement, reversal..."),
            "source_id": ("เอกสารต้นทาง", "Source", "Id of the source document"),
            "total": ("ยอดรวม", "Total", "Total debits (= credits)"),
            "total_debit": ("รวมเดบิต", "Total debit", "Sum of debits"),
            "total_credit": ("รวมเครดิต", "Total credit", "Sum of credits"),
            "reverses": ("กลับรายการของ", "Reverses", "The entry this one reverses"),
            "posted_at": ("บันทึกเมื่อ", "Posted at", "When posted"),
            "posted_by": ("ผู้บันทึก", "Posted by", "Staff account"),
        },
    ),
    "JournalLine": _dataset(
        "บรรทัดรายการบัญชี",
        "Journal line",
        "Debit or credit lines of journal entries.",
        {
            "entry": ("รายการ", "Entry", "Journal entry"),
            "account": ("บัญชี", "Account", "Account"),
            "debit": ("เดบิต", "Debit", "Baht"),
            "credit": ("เครดิต", "Credit", "Baht"),
            "budget_line": ("งบประมาณ", "Budget line", "Budget dimension"),
            "memo": ("หมายเหตุ", "Memo", "Line note"),
        },
    ),
    "PaymentVoucher": _dataset(
        "ใบสำคัญจ่าย",
        "Payment voucher",
        "Payment vouchers and their approval process state.",
        {
            "fiscal_year": ("ปีงบประมาณ", "Fiscal year", "Fiscal year"),
            "sequence": ("เลขที่", "Number", "Sequence within the year"),
            "budget_line": ("งบประมาณ", "Budget line", "Budget charged"),
            "payee_name": ("ผู้รับเงิน", "Payee", "Name of the payee", P),
            "payee_bank_code": ("ธนาคาร", "Bank code", "3-digit Thai bank code"),
            "payee_account_no": ("เลขที่บัญชี", "Account number", "Payee's bank account", P),
            "amount": ("จำนวนเงิน", "Amount", "Baht"),
            "description": ("รายการ", "Description", "What is paid for"),
            "status": ("สถานะ", "Status", "Process status"),
            "workflow_state": ("สถานะกระบวนการ", "Process state", "Serialized SpiffWorkflow state"),
            "current_step": ("ขั้นตอนปัจจุบัน", "Current step", "Ready user task"),
            "current_step_due": ("กำหนดเสร็จ", "Step due", "SLA due date"),
            "submissions": ("จำนวนครั้งที่ส่ง", "Submissions", "Times submitted"),
            "created_by": ("ผู้จัดทำ", "Maker", "Staff account"),
            "created_at": ("วันที่จัดทำ", "Created at", "When created"),
            "checked_by": ("ผู้ตรวจสอบ", "Checker", "Chief accountant"),
            "approved_by": ("ผู้อนุมัติ", "Approver", "Authorised approver"),
            "batch": ("ชุดโอนเงิน", "Payment batch", "Bank file it was sent in"),
            "bank_reference": ("อ้างอิงธนาคาร", "Bank reference", "From the statement"),
            "paid_on": ("วันที่จ่าย", "Paid on", "Value date on the statement"),
            "is_demo": ("ข้อมูลตัวอย่าง", "Demo", "Demo data"),
        },
        classification="confidential",
        lawful_basis="legal obligation (PDPA s.24(6)): accounting and payment records",
    ),
    "VoucherStep": _dataset(
        "ขั้นตอนใบสำคัญจ่าย",
        "Voucher step",
        "Steps of each voucher's process with SLA and outcome.",
        {"voucher": ("ใบสำคัญจ่าย", "Voucher", "Voucher"), **_STEP},
    ),
    "PaymentBatch": _dataset(
        "ชุดไฟล์โอนเงิน",
        "Payment batch",
        "Bulk-transfer files generated from approved vouchers.",
        {
            "fiscal_year": ("ปีงบประมาณ", "Fiscal year", "Fiscal year"),
            "sequence": ("เลขที่", "Number", "Sequence within the year"),
            "value_date": ("วันที่โอน", "Value date", "Transfer date"),
            "total": ("ยอดรวม", "Total", "Baht"),
            "count": ("จำนวนรายการ", "Count", "Vouchers in the file"),
            "file_text": ("ไฟล์", "File", "The bank file's content", P),
            "created_at": ("วันที่สร้าง", "Created at", "When generated"),
            "created_by": ("ผู้สร้าง", "Created by", "Finance officer"),
        },
        classification="confidential",
        lawful_basis="legal obligation (PDPA s.24(6)): payment records",
    ),
    "StatementLine": _dataset(
        "รายการเดินบัญชีธนาคาร",
        "Bank statement line",
        "Imported statement lines and the voucher each matched.",
        {
            "value_date": ("วันที่", "Value date", "Statement date"),
            "amount": ("จำนวนเงิน", "Amount", "Baht (debits negative)"),
            "reference": ("อ้างอิง", "Reference", "Bank reference"),
            "description": ("รายละเอียด", "Description", "Statement text"),
            "fingerprint": ("ลายนิ้วมือ", "Fingerprint", "Hash that keeps re-imports from doubling"),
            "voucher": ("ใบสำคัญจ่าย", "Voucher", "Matched voucher"),
            "imported_at": ("นำเข้าเมื่อ", "Imported at", "When imported"),
            "imported_by": ("ผู้นำเข้า", "Imported by", "Finance officer"),
        },
        source="bank statement CSV",
        update_frequency="daily",
    ),
}
