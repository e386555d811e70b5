"""Notification templates of community projects (Thai and English), registered with the notification service."""

from __future__ import annotations

from codi.notifications.messages import MessageTemplate, register_template

TEMPLATES = (
    MessageTemplate(
        key="projects.step_assigned",
        subject_th="งานใหม่: {{ step_th }} — โครงการ {{ code }}",
        body_th='โครงการ {{ code }} {{ title }} รอท่านดำเนินการขั้นตอน "{{ step_th }}"\nกำหนดเสร็จ: {{ due }}',
        subject_en="New task: {{ step_en }} — project {{ code }}",
        body_en='Project {{ code }} {{ title }} is waiting for you at step "{{ step_en }}".\nDue: {{ due_en }}',
    ),
    MessageTemplate(
        key="projects.returned",
        subject_th="โครงการ {{ code }} ถูกส่งกลับให้แก้ไข",
        body_th='โครงการ {{ code }} {{ title }} ถูกส่งกลับให้แก้ไขในขั้นตอน "{{ step_th }}"\nความเห็น: {{ comment }}',
        subject_en="Project {{ code }} was returned for revision",
        body_en='Project {{ code }} {{ title }} was returned for revision at step "{{ step_en }}".\nComment: {{ comment }}',
    ),
    MessageTemplate(
        key="projects.approved",
        subject_th="โครงการ {{ code }} ได้รับอนุมัติ",
        body_th="โครงการ {{ code }} {{ title }} ได้รับอนุมัติ วงเงิน {{ amount }} บาท{% if reason %}\nเหตุผลการปรับลดวงเงิน: {{ reason }}{% endif %}",
        subject_en="Project {{ code }} was approved",
        body_en="Project {{ code }} {{ title }} was approved for {{ amount }} baht.{% if reason %}\nReason for the reduced amount: {{ reason }}{% endif %}",
    ),
    MessageTemplate(
        key="projects.disbursed",
        subject_th="โอนเงินงวดที่ {{ number }} โครงการ {{ code }} แล้ว",
        body_th="พอช. โอนเงินงวดที่ {{ number }} จำนวน {{ amount }} บาท ให้โครงการ {{ code }} {{ title }} แล้ว",
        subject_en="Installment {{ number }} of project {{ code }} was paid",
        body_en="CODI paid installment {{ number }} ({{ amount }} baht) of project {{ code }} {{ title }}.",
    ),
    MessageTemplate(
        key="projects.step_overdue",
        subject_th="เกินกำหนด: {{ step_th }} — โครงการ {{ code }}",
        body_th='ขั้นตอน "{{ step_th }}" ของโครงการ {{ code }} {{ title }} เกินกำหนดแล้ว (กำหนด {{ due }})',
        subject_en="Overdue: {{ step_en }} — project {{ code }}",
        body_en='Step "{{ step_en }}" of project {{ code }} {{ title }} is overdue (it was due {{ due_en }}).',
    ),
)

for _template in TEMPLATES:
    register_template(_template)
