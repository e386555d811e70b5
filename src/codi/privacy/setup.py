"""The starting privacy notices and processing register of a new installation (``manage.py privacy_setup``).

Only what is missing is added: a purpose that has a notice keeps it, an activity
with the same English name is left as the DPO edited it.
"""

from __future__ import annotations

from typing import Any

from codi.privacy import services
from codi.privacy.models import PrivacyNotice, ProcessingActivity, Purpose

_CONTACT_TH = "ติดต่อเจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคลของ พอช. ได้ที่ dpo@codi.or.th"
_CONTACT_EN = "Contact CODI's data protection officer at dpo@codi.or.th."
_RIGHTS_TH = (
    "ท่านมีสิทธิขอเข้าถึง ขอรับสำเนา ขอแก้ไข ขอลบ ขอคัดค้าน ขอระงับการใช้ และถอนความยินยอม "
    "(ในกรณีที่อาศัยความยินยอม) ตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562 "
    "และร้องเรียนต่อสำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคลได้"
)
_RIGHTS_EN = (
    "You may ask to access, copy, correct or erase your data, object, restrict its use and withdraw "
    "consent (where processing rests on it) under the Personal Data Protection Act B.E. 2562, and "
    "complain to the Personal Data Protection Committee."
)

NOTICES: dict[str, tuple[str, str, str, str]] = {
    Purpose.MEMBER_REGISTRY: (
        "ประกาศความเป็นส่วนตัว: ทะเบียนสมาชิกองค์กรชุมชน",
        "Privacy notice: community member registry",
        "พอช. เก็บเลขประจำตัวประชาชน ชื่อ ที่อยู่ โทรศัพท์ และการเป็นสมาชิกองค์กรชุมชนของท่าน "
        "เพื่อสนับสนุนองค์กรชุมชนตามพระราชกฤษฎีกาจัดตั้ง พอช. (ฐานภารกิจของรัฐ ม.24(4)) "
        "เก็บไว้ตลอดการเป็นสมาชิกและ 10 ปีหลังสิ้นสุด",
        "CODI keeps your national ID, name, address, phone and memberships of community organizations "
        "to support community organizations under the CODI Royal Decree (public task, s.24(4)), "
        "while you are a member and 10 years after.",
    ),
    Purpose.PROJECTS: (
        "ประกาศความเป็นส่วนตัว: ข้อเสนอโครงการและการสนับสนุนงบประมาณ",
        "Privacy notice: project proposals and funding",
        "พอช. ใช้ชื่อและช่องทางติดต่อของผู้ประสานงานโครงการเพื่อพิจารณา อนุมัติ เบิกจ่าย และติดตามโครงการ "
        "และเก็บเป็นหลักฐานทางการเงิน 10 ปีหลังปิดโครงการ",
        "CODI uses the project contact person's name and contacts to review, approve, pay and follow "
        "projects, and keeps them with the financial records for 10 years after the project closes.",
    ),
    Purpose.FEEDBACK: (
        "ประกาศความเป็นส่วนตัว: การรับเรื่องร้องเรียนและความคิดเห็น",
        "Privacy notice: community feedback",
        "พอช. ใช้ชื่อและช่องทางติดต่อที่ท่านให้ไว้เพื่อแจ้งความคืบหน้าเรื่องที่ท่านแจ้ง และลบช่องทางติดต่อเมื่อปิดเรื่องครบ 1 ปี",
        "CODI uses the name and contacts you give to tell you how your report progresses, and removes "
        "the contacts one year after the report is closed.",
    ),
    Purpose.NEWSLETTER: (
        "ประกาศความเป็นส่วนตัว: ข่าวสารและคำเชิญ",
        "Privacy notice: news and invitations",
        "ด้วยความยินยอมของท่าน พอช. จะส่งข่าวกิจกรรมและคำเชิญทางอีเมลหรือ LINE "
        "ท่านถอนความยินยอมได้ทุกเมื่อ และจะไม่ได้รับข่าวสารอีก",
        "With your consent CODI sends news of its activities and invitations by e-mail or LINE. You may "
        "withdraw it at any time; no more news is then sent.",
    ),
    Purpose.ANALYTICS: (
        "ประกาศความเป็นส่วนตัว: การวิจัยและการวิเคราะห์ข้อมูล",
        "Privacy notice: research and analytics",
        "ด้วยความยินยอมของท่าน พอช. นำข้อมูลและเรื่องที่ท่านแจ้งไปวิเคราะห์เชิงสถิติเพื่อพัฒนางาน "
        "เมื่อท่านถอนความยินยอม ข้อมูลของท่านจะไม่ถูกนำไปวิเคราะห์อีก",
        "With your consent CODI includes your data and reports in statistical analysis to improve its "
        "work. Once you withdraw it, your data is left out of the analysis.",
    ),
}

_SECURITY = (
    "เข้ารหัสข้อมูลส่วนบุคคลขณะจัดเก็บ (Fernet), ดัชนีแบบแฮชมีกุญแจ, สิทธิตามบทบาทและพื้นที่, "
    "การยืนยันตัวตนสองขั้นสำหรับเจ้าหน้าที่, บันทึกการตรวจสอบแบบต่อเนื่องด้วยแฮช / "
    "encryption at rest, keyed-hash index, role and area scoped access, staff MFA, hash-chained audit log"
)

ACTIVITIES: tuple[dict[str, Any], ...] = (
    {
        "name_th": "ทะเบียนองค์กรชุมชนและสมาชิก",
        "name_en": "Community organization and member registry",
        "purpose": Purpose.MEMBER_REGISTRY,
        "lawful_basis": "ภารกิจของรัฐ ม.24(4) / public task, s.24(4)",
        "data_subjects": "สมาชิกและผู้นำองค์กรชุมชน / members and leaders of community organizations",
        "datasets": ["communities.Person", "communities.Membership", "communities.Organization"],
        "recipients": "เจ้าหน้าที่ พอช. สำนักงานภาค / CODI regional staff",
        "transfers_abroad": "",
        "retention": "ตลอดการเป็นสมาชิก + 10 ปี / while a member + 10 years",
        "security_measures": _SECURITY,
    },
    {
        "name_th": "การพิจารณาและติดตามโครงการ",
        "name_en": "Project review, funding and follow-up",
        "purpose": Purpose.PROJECTS,
        "lawful_basis": "ภารกิจของรัฐ ม.24(4) และหน้าที่ตามกฎหมาย ม.24(6) / public task and legal obligation",
        "data_subjects": "ผู้ประสานงานโครงการ / project contact persons",
        "datasets": ["projects.Project"],
        "recipients": "คณะกรรมการพิจารณาโครงการ, สำนักงานการตรวจเงินแผ่นดิน / review committees, State Audit Office",
        "transfers_abroad": "",
        "retention": "10 ปีหลังปิดโครงการ / 10 years after closure",
        "security_measures": _SECURITY,
    },
    {
        "name_th": "การรับเรื่องร้องเรียนและความคิดเห็น",
        "name_en": "Community feedback handling",
        "purpose": Purpose.FEEDBACK,
        "lawful_basis": "ความยินยอม ม.19 (ช่องทางติดต่อ) และภารกิจของรัฐ ม.24(4) / consent and public task",
        "data_subjects": "ผู้แจ้งเรื่อง / people who report problems",
        "datasets": ["feedback.Ticket", "notifications.Notification"],
        "recipients": "เจ้าหน้าที่ในพื้นที่ / staff of the area",
        "transfers_abroad": "",
        "retention": "ช่องทางติดต่อ 1 ปีหลังปิดเรื่อง / contacts 1 year after closure",
        "security_measures": _SECURITY,
    },
    {
        "name_th": "การส่งข่าวสารและคำเชิญ",
        "name_en": "News and invitations",
        "purpose": Purpose.NEWSLETTER,
        "lawful_basis": "ความยินยอม ม.19 / consent, s.19",
        "data_subjects": "ผู้ที่ให้ความยินยอม / people who consented",
        "datasets": ["notifications.Notification", "privacy.Consent"],
        "recipients": "ผู้ให้บริการอีเมลและ LINE / e-mail and LINE providers",
        "transfers_abroad": "LINE (ญี่ปุ่น/ไทย) ตามข้อตกลงผู้ให้บริการ / LINE (Japan/Thailand) under its terms",
        "retention": "จนกว่าจะถอนความยินยอม / until consent is withdrawn",
        "security_measures": _SECURITY,
    },
)


def privacy_setup() -> dict[str, int]:
    """Add the missing notices (version 1) and register entries; return how many of each were added."""
    notices = activities = 0
    for purpose, (title_th, title_en, body_th, body_en) in NOTICES.items():
        if not PrivacyNotice.objects.filter(purpose=purpose).exists():
            services.notice_publish(
                actor=None,
                purpose=purpose,
                title_th=title_th,
                title_en=title_en,
                body_th=f"{body_th}\n\n{_RIGHTS_TH}\n{_CONTACT_TH}",
                body_en=f"{body_en}\n\n{_RIGHTS_EN}\n{_CONTACT_EN}",
            )
            notices += 1
    for values in ACTIVITIES:
        if not ProcessingActivity.objects.filter(name_en=values["name_en"]).exists():
            services.activity_save(actor=None, **values)
            activities += 1
    return {"notices": notices, "activities": activities}
