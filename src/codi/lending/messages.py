"""Notification templates community lending sends (Thai and English): repayment reminders."""

from __future__ import annotations

from codi.notifications.messages import MessageTemplate, register_template

DUE_SOON = "lending.instalment_due"
OVERDUE = "lending.instalment_overdue"

register_template(
    MessageTemplate(
        key=DUE_SOON,
        subject_th="แจ้งเตือนกำหนดชำระเงินกู้ {{ number }} งวดที่ {{ n }}",
        body_th=(
            "เรียน {{ organization }}\nสัญญาเงินกู้ {{ number }} งวดที่ {{ n }} ครบกำหนดชำระวันที่ {{ due_th }} "
            "จำนวน {{ amount }} บาท\nชำระผ่าน QR พร้อมเพย์ (Ref1 = {{ number }}, Ref2 = {{ n }}) หรือที่ พอช."
        ),
        subject_en="Loan {{ number }} instalment {{ n }} falls due soon",
        body_en=(
            "Dear {{ organization }},\nInstalment {{ n }} of loan {{ number }} falls due on {{ due_en }}: "
            "{{ amount }} baht.\nPay by Thai QR (Ref1 = {{ number }}, Ref2 = {{ n }}) or at CODI."
        ),
    )
)
register_template(
    MessageTemplate(
        key=OVERDUE,
        subject_th="เงินกู้ {{ number }} งวดที่ {{ n }} ค้างชำระ",
        body_th=(
            "เรียน {{ organization }}\nสัญญาเงินกู้ {{ number }} งวดที่ {{ n }} ครบกำหนดเมื่อ {{ due_th }} "
            "ยังค้างชำระ {{ amount }} บาท อาจมีดอกเบี้ยปรับ กรุณาชำระโดยเร็ว "
            "(QR พร้อมเพย์ Ref1 = {{ number }}, Ref2 = {{ n }}) หรือติดต่อเจ้าหน้าที่สินเชื่อ"
        ),
        subject_en="Loan {{ number }} instalment {{ n }} is overdue",
        body_en=(
            "Dear {{ organization }},\nInstalment {{ n }} of loan {{ number }}, due on {{ due_en }}, is overdue: "
            "{{ amount }} baht unpaid; penalty interest may apply. Please pay soon (Thai QR Ref1 = {{ number }}, "
            "Ref2 = {{ n }}) or contact your credit officer."
        ),
    )
)
