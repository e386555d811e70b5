"""Demo content: the Official Information Act page (s.7 and s.9), pointing at the demo site's own pages.

Some items are left out on purpose, so the page and the open-information checklist show what is missing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from wagtail.models import Page

from codi.website.models import OfficialInfoPage, OpenInfoIndexPage

# item → slug of the demo page that publishes it (under the home page), days before today of the evidence
DEMO_OIA: list[tuple[str, str, int, str]] = [
    ("7.1", "directory", 30, "ทำเนียบสำนักงานและผู้บริหาร (ข้อมูลสาธิต)"),
    ("7.2", "codi", 60, "หน้าแรกแนะนำภารกิจของ พอช. (ข้อมูลสาธิต)"),
    ("7.3", "contact", 30, "แบบฟอร์มติดต่อและช่องทางขอข้อมูล (ข้อมูลสาธิต)"),
    ("7.3", "directory", 30, ""),
    ("7.4", "downloads", 45, "ระเบียบและประกาศที่ใช้บังคับ (ข้อมูลสาธิต)"),
    ("9.3", "open-information", 20, "แผนดำเนินงานประจำปีในหมวดข้อมูลสาธารณะ (ข้อมูลสาธิต)"),
    ("9.6", "announcements", 15, "สัญญาและประกาศผลผู้ชนะ (ข้อมูลสาธิต)"),
    ("9.8", "announcements", 10, "สรุปผลการจัดซื้อจัดจ้างรายเดือน (ข้อมูลสาธิต)"),
]


def official_info_page(home: Page, info: OpenInfoIndexPage, *, today: date) -> OfficialInfoPage:
    """The s.7/s.9 page under the open-information section, published through Wagtail's own revisions."""
    by_slug = {p.slug: p for p in home.get_children().specific()}
    by_slug[home.slug] = home
    entries: list[dict[str, Any]] = [
        {
            "type": "entry",
            "value": {
                "item": code,
                "page": by_slug[slug].pk,
                "link": "",
                "evidence_date": today - timedelta(days=days),
                "note": note,
            },
        }
        for code, slug, days, note in DEMO_OIA
    ]
    page = OfficialInfoPage(
        title="ข้อมูลข่าวสารตามมาตรา 7 และมาตรา 9",
        slug="official-information-act",
        summary="ข้อมูลที่ พอช. เผยแพร่ตามพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. 2540 (ข้อมูลสาธิต)",
        intro="<p>แต่ละรายการบอกว่าเผยแพร่ไว้ที่หน้าใดของเว็บไซต์ และหลักฐานเป็นของวันที่ใด "
        "รายการที่ยังไม่เผยแพร่แสดงไว้ให้เห็น (ข้อมูลสาธิต)</p>",
        entries=entries,
    )
    page.show_in_menus = False
    info.add_child(instance=page)
    page.save_revision().publish()
    return page
