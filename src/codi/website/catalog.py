"""Data catalog entries for the public website's pages (read by codi.governance).

Pages are public content written by CODI's editors; they hold no personal data (contact-form
messages go straight to the feedback app, which catalogues them).
"""

from __future__ import annotations

from typing import Any

_UNIT = "ฝ่ายสื่อสารองค์กร"
_STEWARD = "head of corporate communications"


# The fields every Wagtail page has (wagtailcore.Page): the tree, publishing state and SEO text.
_PAGE_FIELDS: dict[str, tuple[str, str, str]] = {
    "path": ("ตำแหน่งในต้นไม้", "Tree path", "Materialised path of the page tree"),
    "depth": ("ระดับ", "Depth", "Level in the page tree"),
    "numchild": ("จำนวนหน้าย่อย", "Children", "Number of child pages"),
    "translation_key": ("กุญแจการแปล", "Translation key", "Links a page to its translations"),
    "locale": ("ภาษา", "Locale", "Language of the page"),
    "latest_revision": ("ฉบับล่าสุด", "Latest revision", "The newest saved revision"),
    "live": ("เผยแพร่อยู่", "Live", "Whether the page is public"),
    "has_unpublished_changes": ("มีการแก้ไขที่ยังไม่เผยแพร่", "Unpublished changes", "A newer draft exists"),
    "first_published_at": ("เผยแพร่ครั้งแรก", "First published", "When the page first went live"),
    "last_published_at": ("เผยแพร่ล่าสุด", "Last published", "When it was last published"),
    "live_revision": ("ฉบับที่เผยแพร่", "Live revision", "The revision now public"),
    "go_live_at": ("กำหนดเผยแพร่", "Go live at", "Scheduled publishing time"),
    "expire_at": ("กำหนดหมดอายุ", "Expire at", "Scheduled unpublishing time"),
    "expired": ("หมดอายุแล้ว", "Expired", "Unpublished by its expiry time"),
    "locked": ("ล็อก", "Locked", "Locked against editing"),
    "locked_at": ("เวลาที่ล็อก", "Locked at", "When it was locked"),
    "locked_by": ("ผู้ล็อก", "Locked by", "Staff account that locked it"),
    "title": ("ชื่อเรื่อง", "Title", "Page title"),
    "draft_title": ("ชื่อฉบับร่าง", "Draft title", "Title of the latest draft"),
    "slug": ("ชื่อในที่อยู่เว็บ", "Slug", "The page's part of the URL"),
    "content_type": ("ชนิดหน้า", "Page type", "Which page model the row is"),
    "url_path": ("ที่อยู่ในเว็บ", "URL path", "Full path from the site root"),
    "owner": ("เจ้าของหน้า", "Owner", "Staff account that created the page"),
    "latest_revision_created_at": ("เวลาฉบับล่าสุด", "Latest revision at", "When the newest revision was saved"),
    "alias_of": ("ต้นฉบับของนามแฝง", "Alias of", "The page this one mirrors, if an alias"),
    "show_in_menus": ("แสดงในเมนู", "Show in menus", "Listed in the site's menu"),
    "seo_title": ("ชื่อสำหรับเครื่องมือค้นหา", "SEO title", "Title for search engines"),
    "search_description": (
        "คำอธิบายสำหรับค้นหา",
        "Search description",
        "Description for search engines and previews",
    ),
}


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
            **_PAGE_FIELDS,
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
            **_INTRO,
            **_BODY,
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
    "DirectoryPage": _page(
        "ทำเนียบหน่วยงานและบุคลากร",
        "Directory",
        "Offices and people as their posts publish them (work contacts only).",
        {
            **_INTRO,
            "entries": ("รายชื่อ", "Entries", "Unit and person blocks: name, post, work phone and e-mail"),
        },
    ),
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
    "OfficialInfoPage": _page(
        "ข้อมูลข่าวสารตามมาตรา 7 และมาตรา 9",
        "Official Information Act page",
        "Where each item of the Official Information Act's sections 7 and 9 is published, with its evidence date.",
        {
            **_INTRO,
            "entries": (
                "รายการที่เผยแพร่",
                "Entries",
                "One block per item: the Act's item code, the page or link that publishes it, evidence date, note",
            ),
        },
    ),
}
