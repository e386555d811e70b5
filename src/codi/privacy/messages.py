"""Notification templates of the PDPA module (registered with the notification service at start)."""

from __future__ import annotations

from codi.notifications.messages import MessageTemplate

TEMPLATES = (
    MessageTemplate(
        key="privacy.dsr_due",
        subject_th="คำขอใช้สิทธิ {{ request }} ครบกำหนดวันที่ {{ due }}",
        body_th="คำขอใช้สิทธิของเจ้าของข้อมูล {{ request }} ต้องตอบภายใน {{ due }} (เหลือ {{ days }} วัน)",
        subject_en="Data-subject request {{ request }} is due on {{ due }}",
        body_en="Data-subject request {{ request }} must be answered by {{ due }} ({{ days }} days left).",
    ),
    MessageTemplate(
        key="privacy.breach_subject",
        subject_th="แจ้งเหตุละเมิดข้อมูลส่วนบุคคล: {{ title }}",
        body_th=(
            "พอช. ขอแจ้งว่าเกิดเหตุละเมิดข้อมูลส่วนบุคคลที่อาจเกี่ยวข้องกับท่าน ({{ title }}) "
            "ข้อมูลที่เกี่ยวข้อง: {{ categories }} พอช. ได้ดำเนินการแก้ไขและแจ้งสำนักงานคณะกรรมการ"
            "คุ้มครองข้อมูลส่วนบุคคลแล้ว ติดต่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคลได้ที่ dpo@codi.or.th"
        ),
        subject_en="Personal data breach notice: {{ title }}",
        body_en=(
            "CODI informs you of a personal data breach that may concern you ({{ title }}). "
            "Data concerned: {{ categories }}. CODI has acted on it and notified the Personal Data "
            "Protection Committee. Contact the data protection officer at dpo@codi.or.th."
        ),
    ),
)
