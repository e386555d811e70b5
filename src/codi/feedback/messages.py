"""Notification templates the feedback module sends (Thai and English)."""

from __future__ import annotations

from codi.notifications.messages import MessageTemplate, register_template

register_template(
    MessageTemplate(
        key="feedback.received",
        subject_th="ได้รับเรื่องของท่านแล้ว เลขที่ {{ reference }}",
        body_th=(
            "พอช. ได้รับเรื่องของท่านแล้ว เลขที่อ้างอิง {{ reference }}\nติดตามสถานะได้ที่ลิงก์ลับนี้ (อย่าส่งต่อให้ผู้อื่น): {{ link }}"
        ),
        subject_en="We received your report {{ reference }}",
        body_en="CODI received your report, reference {{ reference }}.\nFollow its status (keep this link private): {{ link }}",
    )
)
register_template(
    MessageTemplate(
        key="feedback.status_changed",
        subject_th="เรื่องเลขที่ {{ reference }}: {{ status_th }}",
        body_th='สถานะเรื่องเลขที่ {{ reference }} เปลี่ยนเป็น "{{ status_th }}"{% if note %}\nหมายเหตุ: {{ note }}{% endif %}\nติดตามสถานะได้จากลิงก์ลับในอีเมลฉบับแรกที่ท่านได้รับ',
        subject_en="Report {{ reference }}: {{ status_en }}",
        body_en='The status of report {{ reference }} is now "{{ status_en }}"{% if note %}\nNote: {{ note }}{% endif %}\nFollow it with the private link in the first e-mail you received.',
    )
)
register_template(
    MessageTemplate(
        key="feedback.assigned",
        subject_th="เรื่องร้องเรียนใหม่ในพื้นที่ของท่าน {{ reference }}",
        body_th="มีเรื่องใหม่ {{ reference }} ({{ category_th }}) ในพื้นที่ {{ area }} ส่งถึงท่าน{% if urgent %} — เรื่องเร่งด่วน{% endif %}\nกำหนดตอบรับ: {{ due }}",
        subject_en="New report in your area {{ reference }}",
        body_en="Report {{ reference }} ({{ category_en }}) in {{ area }} was routed to you{% if urgent %} — URGENT{% endif %}\nAcknowledge by: {{ due_en|default:due }}",
    )
)
register_template(
    MessageTemplate(
        key="feedback.escalated",
        subject_th="เรื่อง {{ reference }} เกินกำหนด SLA แล้ว",
        body_th="เรื่อง {{ reference }} ในพื้นที่ {{ area }} เกินกำหนด ({{ what_th }}) ผู้รับผิดชอบ: {{ owner }}",
        subject_en="Report {{ reference }} is overdue",
        body_en="Report {{ reference }} in {{ area }} is overdue ({{ what_en }}). Owner: {{ owner }}",
    )
)
