"""The alert notification, Thai and English."""

from codi.notifications.messages import MessageTemplate, register_template

register_template(
    MessageTemplate(
        key="insights.alert",
        subject_th="[แจ้งเตือนความปลอดภัย] {{ title_th }}",
        body_th="{{ detail_th }}\n\nระดับ: {{ severity_th }}\nช่วงเวลา: {{ window }}\nดูรายละเอียดและเปิดเหตุการณ์ได้ที่หน้าศูนย์ปฏิบัติการความปลอดภัย",
        subject_en="[Security alert] {{ title_en }}",
        body_en="{{ detail_en }}\n\nSeverity: {{ severity }}\nWindow: {{ window }}\nSee the security operations page to open an incident.",
    )
)
