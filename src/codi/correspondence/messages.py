"""Notification templates of electronic correspondence (registered by the app at start-up)."""

from __future__ import annotations

from codi.notifications.messages import MessageTemplate, register_template


def register() -> None:
    register_template(
        MessageTemplate(
            key="correspondence.routed",
            subject_th="หนังสือถึงท่าน: {{ number }} {{ subject }}",
            body_th="มีหนังสือ{% if urgency %}{{ urgency }} {% endif %}เลขที่ {{ number }} เรื่อง {{ subject }} ส่งถึงท่าน"
            "{% if instruction %}\nคำสั่งการ: {{ instruction }}{% endif %}\nกรุณาเปิดอ่านและกดรับทราบ",
            subject_en="A letter for you: {{ number }} {{ subject_en }}",
            body_en="Letter {{ number }} ({{ urgency_en }}) about {{ subject_en }} was sent to you."
            "{% if instruction %}\nInstruction: {{ instruction }}{% endif %}\nPlease open it and acknowledge it.",
        )
    )
