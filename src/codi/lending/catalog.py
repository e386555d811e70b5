"""Data catalog entries for community lending (read by codi.governance).

Borrowers are organizations, not persons: the loan book holds no personal data of its own beyond
the staff accounts that acted on it.
"""

from __future__ import annotations

from typing import Any

_UNIT = "สำนักสินเชื่อ"
_STEWARD = "head of the credit office"
_RETENTION = "10 years after the loan is closed (accounting records and contracts)"


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
        "lawful_basis": "",
        "source": extra.get("source", "entered through codi.lending services"),
        "update_frequency": extra.get("update_frequency", "real-time"),
        "retention": _RETENTION,
        "fields": fields,
    }


_MONEY = "baht, two decimals"

DATASETS = {
    "LoanProduct": _dataset(
        "ผลิตภัณฑ์สินเชื่อ",
        "Loan product",
        "Credit products the board offers to community organizations: ranges, schedule method, penalty.",
        {
            "code": ("รหัสผลิตภัณฑ์", "Code", "Short unique code"),
            "name_th": ("ชื่อผลิตภัณฑ์", "Thai name", "Name in Thai"),
            "name_en": ("ชื่อ (อังกฤษ)", "English name", "Name in English"),
            "kind": ("ประเภท", "Kind", "Housing, land, livelihood or revolving fund"),
            "method": ("วิธีคำนวณงวด", "Schedule method", "Annuity, equal principal or flat"),
            "day_count": ("ฐานการนับวัน", "Day count", "30/360 or actual/365"),
            "frequency": ("ความถี่การชำระ", "Frequency", "Monthly"),
            "min_principal": ("วงเงินต่ำสุด", "Minimum principal", _MONEY),
            "max_principal": ("วงเงินสูงสุด", "Maximum principal", _MONEY),
            "min_months": ("ระยะเวลาสั้นสุด", "Shortest term", "Months"),
            "max_months": ("ระยะเวลานานสุด", "Longest term", "Months"),
            "grace_days": ("ระยะผ่อนผัน", "Grace period", "Days after a due date before penalty interest"),
            "penalty_rate": ("อัตราดอกเบี้ยผิดนัด", "Penalty rate", "Percent a year on overdue amounts"),
            "collateral_required": ("ต้องมีหลักประกัน", "Collateral required", "Yes/no"),
            "guarantee_required": ("ต้องมีผู้ค้ำประกัน", "Guarantee required", "Yes/no"),
            "is_active": ("เปิดรับคำขอ", "Active", "Whether applications are taken"),
        },
        classification="public",
        update_frequency="on change",
    ),
    "ProductRate": _dataset(
        "อัตราดอกเบี้ยผลิตภัณฑ์",
        "Product rate",
        "Fixed interest rates of a product with the date each takes effect.",
        {
            "product": ("ผลิตภัณฑ์", "Product", "The loan product"),
            "effective_from": ("มีผลตั้งแต่", "Effective from", "Date the rate takes effect"),
            "annual_rate": ("อัตราดอกเบี้ย", "Rate", "Percent a year"),
        },
        classification="public",
        update_frequency="on change",
    ),
    "Loan": _dataset(
        "สัญญาเงินกู้",
        "Loan",
        "Loans to community organizations from application to closing.",
        {
            "number": ("เลขที่สัญญา", "Loan number", "L<fiscal year>-<sequence>"),
            "product": ("ผลิตภัณฑ์", "Product", "The loan product"),
            "organization": ("องค์กรผู้กู้", "Borrower", "Community organization"),
            "subdistrict": ("ตำบล", "Subdistrict", "The borrower's subdistrict (area scope)"),
            "purpose": ("วัตถุประสงค์", "Purpose", "What the loan is for"),
            "principal": ("เงินต้น", "Principal", _MONEY),
            "annual_rate": ("อัตราดอกเบี้ย", "Rate", "Percent a year, fixed at application"),
            "months": ("ระยะเวลา", "Term", "Months"),
            "method": ("วิธีคำนวณงวด", "Schedule method", "Copied from the product"),
            "day_count": ("ฐานการนับวัน", "Day count", "Copied from the product"),
            "applied_on": ("วันยื่นคำขอ", "Applied on", "Date"),
            "disbursed_on": ("วันเบิกจ่าย", "Disbursed on", "Date; the schedule starts here"),
            "closed_on": ("วันปิดบัญชี", "Closed on", "Date fully repaid"),
            "status": ("สถานะ", "Status", "Review, committee, approved, active, closed, rejected"),
            "collateral": ("หลักประกัน", "Collateral", "Description"),
            "guarantee": ("การค้ำประกัน", "Guarantee", "Description"),
            "workflow_state": ("สถานะกระบวนการ", "Workflow state", "Serialized BPMN state"),
            "current_step": ("ขั้นตอนปัจจุบัน", "Current step", "BPMN user task id"),
            "current_step_due": ("กำหนดเสร็จ", "Step due", "SLA due date"),
            "created_by": ("ผู้บันทึก", "Entered by", "Staff account"),
            "reviewed_by": ("ผู้พิจารณา", "Reviewed by", "Staff account"),
            "is_demo": ("ข้อมูลตัวอย่าง", "Demo", "Demo data"),
            "created_at": ("บันทึกเมื่อ", "Created at", "Timestamp"),
        },
    ),
    "ScheduleVersion": _dataset(
        "ฉบับตารางผ่อนชำระ",
        "Schedule version",
        "Versions of a loan's schedule (disbursement, prepayment, restructuring) kept as history.",
        {
            "loan": ("สัญญาเงินกู้", "Loan", "The loan"),
            "version": ("ฉบับที่", "Version", "1, 2, ..."),
            "reason": ("เหตุผล", "Reason", "Why the version was written"),
            "is_current": ("ฉบับปัจจุบัน", "Current", "Exactly one per loan"),
            "created_at": ("สร้างเมื่อ", "Created at", "Timestamp"),
            "created_by": ("ผู้สร้าง", "Created by", "Staff account"),
        },
    ),
    "Instalment": _dataset(
        "งวดผ่อนชำระ",
        "Instalment",
        "Instalments of a schedule version, with what was paid of each.",
        {
            "version": ("ฉบับตาราง", "Version", "Schedule version"),
            "loan": ("สัญญาเงินกู้", "Loan", "The loan"),
            "is_current": ("ฉบับปัจจุบัน", "Current", "Mirrors the version"),
            "n": ("งวดที่", "Number", "1..N"),
            "due_date": ("วันครบกำหนด", "Due date", "k months after disbursement, clamped to month end"),
            "principal_due": ("เงินต้นตามงวด", "Principal due", _MONEY),
            "interest_due": ("ดอกเบี้ยตามงวด", "Interest due", _MONEY),
            "principal_paid": ("เงินต้นที่ชำระ", "Principal paid", _MONEY),
            "interest_paid": ("ดอกเบี้ยที่ชำระ", "Interest paid", _MONEY),
            "penalty_charged": ("ค่าปรับที่คิด", "Penalty charged", _MONEY),
            "penalty_paid": ("ค่าปรับที่ชำระ", "Penalty paid", _MONEY),
            "penalty_to": ("คิดค่าปรับถึง", "Penalty charged to", "Date"),
        },
    ),
    "Repayment": _dataset(
        "การรับชำระเงินกู้",
        "Repayment",
        "Money received for loans and its allocation (penalty, interest, principal).",
        {
            "loan": ("สัญญาเงินกู้", "Loan", "The loan"),
            "reference": ("เลขอ้างอิง", "Reference", "QR Ref2, statement or receipt number; unique per loan"),
            "received_on": ("วันที่รับชำระ", "Received on", "Date"),
            "amount": ("จำนวนเงิน", "Amount", _MONEY),
            "channel": ("ช่องทาง", "Channel", "Thai QR, bank statement or counter"),
            "penalty_part": ("ชำระค่าปรับ", "Penalty part", _MONEY),
            "interest_part": ("ชำระดอกเบี้ย", "Interest part", _MONEY),
            "principal_part": ("ชำระเงินต้น", "Principal part", _MONEY),
            "prepaid_part": ("ชำระเงินต้นก่อนกำหนด", "Prepaid part", _MONEY),
            "journal_entry_id": ("รายการบัญชี", "Journal entry", "The ledger entry posted"),
            "created_by": ("ผู้บันทึก", "Entered by", "Staff account"),
            "created_at": ("บันทึกเมื่อ", "Created at", "Timestamp"),
        },
    ),
    "LoanStep": _dataset(
        "ขั้นตอนอนุมัติสินเชื่อ",
        "Loan approval step",
        "User tasks of the loan approval process with their outcomes.",
        {
            "loan": ("สัญญาเงินกู้", "Loan", "The loan"),
            "task_key": ("ขั้นตอน", "Step", "BPMN user task id"),
            "name": ("ชื่อขั้นตอน", "Step name", "Thai name"),
            "opened_at": ("เปิดเมื่อ", "Opened at", "Timestamp"),
            "due_date": ("กำหนดเสร็จ", "Due date", "SLA in working days"),
            "completed_at": ("เสร็จเมื่อ", "Completed at", "Timestamp"),
            "completed_by": ("ผู้ดำเนินการ", "Completed by", "Staff account"),
            "outcome": ("ผล", "Outcome", "Decision"),
            "comment": ("ความเห็น", "Comment", "Reason or note"),
        },
    ),
    "PaymentNotice": _dataset(
        "รายการรับเงินจากธนาคาร (Thai QR)",
        "Bank payment notice",
        "Thai QR bill payments reported by the bank; matched to a loan by Ref1 or queued for a person.",
        {
            "transaction_id": ("เลขที่รายการธนาคาร", "Bank transaction id", "Unique per notice"),
            "ref1": ("Ref1", "Ref1", "Loan number as paid"),
            "ref2": ("Ref2", "Ref2", "Instalment as paid"),
            "amount": ("จำนวนเงิน", "Amount", _MONEY),
            "received_on": ("วันที่รับเงิน", "Received on", "Date"),
            "status": ("สถานะ", "Status", "Matched or waiting for a person"),
            "reason": ("เหตุผล", "Reason", "Why it was not matched"),
            "repayment": ("การรับชำระ", "Repayment", "The repayment it became"),
            "created_at": ("บันทึกเมื่อ", "Created at", "Timestamp"),
        },
    ),
}

# Tranches, accruals, restructuring, contracts, housing and welfare funds: catalog_more.py.
from codi.lending.catalog_more import DATASETS_MORE, LOAN_FIELDS  # noqa: E402

DATASETS["Loan"]["fields"].update(LOAN_FIELDS)
DATASETS.update(DATASETS_MORE)
