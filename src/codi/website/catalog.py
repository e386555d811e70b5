"""Data catalog entries for the public website's pages (read by codi.governance).

Pages are public content written by CODI's editors; they hold no personal data (contact-form
messages go straight to the feedback app, which catalogues them).
"""

from __future__ import annotations

from typing import Any

_UNIT = "ฝ่ายสื่อสารองค์กร"
_STEWARD = "head of corporate communications"


def _page(name_th: str, name_en: str, description: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "name_th": name_th,
        "name_en": name_en,
        "description": description,
        "owner_unit": _UNIT,
        "steward": _STEWARD,
        "classification": "public",
        "lawful_basis": "",
        "source": "written by editors in the website CMS (Wagtail), published after review",
        "update_frequency": "on change",
        "retention": "while published; revisions kept by the CMS",
        "fields": {
            "page_ptr": ("หน้าเว็บ", "Page", "The CMS page this row extends"),
            "summary": ("สรุปย่อ", "Summary", "Short text for listings, feeds and link previews"),
            **fields,
        },
    }


_BODY = {"body": ("เนื้อหา", "Body", "Blocks of text, images, documents and live figures")}
_INTRO = {"intro": ("คำนำ", "Introduction", "Rich text shown above the body")}

DATASETS = {
    "HomePage": _page(
        "หน้าแรกเว็บไซต์",
        "Website home page",
        "The main site's home page.",
        {**_INTRO, **_BODY, "is_demo": ("เว็บไซต์สาธิต", "Demo site", "Shows the demo banner")},
    ),
    "SectionPage": _page(
        "หน้าหมวด", "Section page", "A section listing its child pages.", {**_INTRO, **_BODY}
    ),
    "SubsiteHomePage": _page(
        "หน้าแรกเว็บไซต์หน่วยงาน",
        "Unit site home",
        "A regional office's or unit's own home page.",
        {
            "sectionpage_ptr": ("หน้าหมวด", "Section page", "The section row this extends"),
            "region_code": ("รหัสภาค", "Region code", "The CODI region the unit serves"),
        },
    ),
    "ArticlePage": _page(
        "ข่าว/บทความ",
        "News article",
        "A news item or article.",
        {**_BODY, "date": ("วันที่", "Date", "Date of the news")},
    ),
    "EventPage": _page(
        "กิจกรรม",
        "Event",
        "An event with its time and place.",
        {
            **_BODY,
            "starts_at": ("เริ่ม", "Starts at", "Start date and time"),
            "ends_at": ("สิ้นสุด", "Ends at", "End date and time"),
            "location": ("สถานที่", "Location", "Where the event takes place"),
        },
    ),
    "AnnouncementPage": _page(
        "ประกาศ",
        "Announcement",
        "Procurement, job and result announcements.",
        {
            **_BODY,
            "kind": ("ประเภทประกาศ", "Kind", "Procurement, jobs, results or general"),
            "date": ("วันที่ประกาศ", "Date", "Date of the announcement"),
        },
    ),
    "FaqPage": _page(
        "คำถามที่พบบ่อย",
        "FAQ page",
        "Questions and answers.",
        {"questions": ("คำถาม", "Questions", "Question and answer blocks")},
    ),
    "DocumentListPage": _page("รายการเอกสาร", "Document list", "Links to published documents.", _BODY),
    "ContactPage": _page(
        "แบบฟอร์มติดต่อ",
        "Contact form page",
        "The contact form (messages go to feedback).",
        {
            **_INTRO,
            "thanks": ("ข้อความขอบคุณ", "Thank-you text", "Shown after a message is sent"),
        },
    ),
    "OpenInfoIndexPage": _page(
        "ข้อมูลสาธารณะ (ITA)",
        "Open information index",
        "The open-information section by ITA item, with its checklist.",
        _INTRO,
    ),
    "OpenInfoItemPage": _page(
        "รายการข้อมูลสาธารณะ",
        "Open information item",
        "The evidence of one ITA open-information item for one year.",
        {
            **_BODY,
            "item_code": ("ตัวชี้วัด ITA", "ITA item", "Code of the open-information item (O1...)"),
            "year_be": ("ปีงบประมาณ", "Fiscal year", "Buddhist-Era fiscal year"),
            "evidence_date": ("วันที่ของหลักฐาน", "Evidence date", "Date of the evidence"),
        },
    ),
}
