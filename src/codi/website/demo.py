"""The demo website in Thai (clearly marked as demo), built by ``manage.py load_website_demo``.

Safe to run again: when a website home page exists nothing is added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from codi.areas.regions import REGIONS
from codi.core.thaidate import fiscal_year_be
from codi.website import services
from codi.website.demo_oia import official_info_page
from codi.website.models import (
    AnnouncementPage,
    ArticlePage,
    ContactPage,
    DirectoryPage,
    DocumentListPage,
    EventPage,
    FaqPage,
    HomePage,
    OpenInfoIndexPage,
    OpenInfoItemPage,
    SectionPage,
    SubsiteHomePage,
)

DEMO_ITA_ITEMS = ["O1", "O2", "O3", "O4", "O6", "O17"]


@dataclass
class DemoResult:
    created: bool
    pages: int
    home: HomePage


def _para(text: str) -> dict[str, Any]:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def _publish(parent: Page, page: Page, *, menu: bool = False) -> Any:
    page.show_in_menus = menu
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _home() -> HomePage:
    return HomePage(
        title="สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)",
        slug="codi",
        is_demo=True,
        summary="พอช. สนับสนุนองค์กรชุมชนทั่วประเทศให้เป็นฐานของการพัฒนา (เว็บไซต์สาธิต)",
        intro="<p>ร่วมสร้างชุมชนเข้มแข็ง ที่อยู่อาศัยมั่นคง และเศรษฐกิจฐานราก (ข้อมูลสาธิต)</p>",
        body=[
            {
                "type": "pms_figures",
                "value": {"heading": "ผลการดำเนินงานโครงการทั้งประเทศ", "region": "", "fiscal_year": None},
            },
            {"type": "datasets", "value": {"heading": "ชุดข้อมูลเปิดล่าสุด", "limit": 3}},
            {"type": "knowledge", "value": {"heading": "คลังความรู้ล่าสุด", "limit": 3}},
            {"type": "procurement", "value": {"heading": "แผนการจัดซื้อจัดจ้าง", "year_be": None, "limit": 5}},
            {"type": "projects_map", "value": {"heading": "โครงการในแต่ละภาค", "fiscal_year": None}},
            {"type": "jobs", "value": {"heading": "ประกาศรับสมัครงาน", "limit": 5}},
            {
                "type": "procurement_results",
                "value": {"heading": "ประกาศผลการจัดซื้อจัดจ้าง", "year_be": None, "limit": 5},
            },
        ],
    )


def _translate(page: Page, locale: Locale, **fields: Any) -> Page:
    """An English copy of a Thai page (Wagtail's own i18n: same slug, its own tree), published."""
    english = page.specific.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(english, name, value)
    english.save_revision().publish()
    return english


def _english(home: HomePage) -> None:
    """English pages for the home (every live block), the news section, one article and the contact page;
    the rest stays Thai only."""
    locale, _ = Locale.objects.get_or_create(language_code="en")
    _translate(
        home,
        locale,
        title="Community Organizations Development Institute (Public Organization)",
        summary="CODI supports community organizations across Thailand (demo website).",
        intro="<p>CODI works with community organizations on housing, welfare and local economies. "
        "Figures below come straight from the platform. (Demo content.)</p>",
        body=[
            {
                "type": "pms_figures",
                "value": {"heading": "Projects nationwide", "region": "", "fiscal_year": None},
            },
            {"type": "datasets", "value": {"heading": "Latest open datasets", "limit": 3}},
            {"type": "knowledge", "value": {"heading": "Latest from the knowledge library", "limit": 3}},
            {"type": "procurement", "value": {"heading": "Procurement plan", "year_be": None, "limit": 5}},
            {"type": "projects_map", "value": {"heading": "Projects per region", "fiscal_year": None}},
            {"type": "jobs", "value": {"heading": "Job openings", "limit": 5}},
            {
                "type": "procurement_results",
                "value": {"heading": "Procurement results", "year_be": None, "limit": 5},
            },
        ],
    )
    contact = ContactPage.objects.get(slug="contact", locale=home.locale)
    _translate(
        contact,
        locale,
        title="Contact us",
        summary="Questions, suggestions or complaints",
        intro="<p>Every message reaches CODI's complaints system and gets a tracking link.</p>",
        thanks="We have received your message. Thank you for writing to us.",
    )
    news = SectionPage.objects.get(slug="news", locale=home.locale)
    _translate(news, locale, title="News", summary="CODI news and articles")
    article = ArticlePage.objects.get(slug="news-demo-1", locale=home.locale)
    _translate(
        article,
        locale,
        title="CODI follows up Baan Mankong housing along the canal (demo news)",
        summary="The team checked progress on 120 houses.",
        body=[_para("The team checked progress on 120 houses. This is demo content.")],
    )
    Site.clear_site_root_paths_cache()  # the English home is a root path of the site now


@transaction.atomic
def load_website_demo() -> DemoResult:
    existing = HomePage.objects.first()
    if existing is not None:
        return DemoResult(
            created=False, pages=existing.get_descendants(inclusive=True).count(), home=existing
        )
    root = Page.get_first_root_node()
    home = _publish(root, _home())
    site = Site.objects.filter(is_default_site=True).first()
    old_root = site.root_page if site is not None else None
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="พอช."
        )
    else:
        site.root_page = home
        site.site_name = "พอช."
        site.save()
    # Wagtail's own "welcome" page is not part of the site any more.
    if old_root is not None and old_root.specific_class is Page and old_root.pk != home.pk:
        old_root.delete()

    today = timezone.localdate()
    year = fiscal_year_be(today)
    news = _publish(home, SectionPage(title="ข่าวสาร", slug="news", summary="ข่าวและบทความของ พอช."), menu=True)
    for days, title, text in [
        (1, "พอช. ลงพื้นที่ติดตามโครงการบ้านมั่นคงชุมชนริมคลอง", "คณะทำงานติดตามความก้าวหน้าการก่อสร้างบ้าน 120 หลังคาเรือน"),
        (5, "เปิดรับข้อเสนอโครงการพัฒนาเศรษฐกิจฐานราก ปี 2569", "องค์กรชุมชนยื่นข้อเสนอผ่านระบบออนไลน์ได้ตลอดเดือน"),
        (9, "สรุปเวทีแลกเปลี่ยนเรียนรู้สวัสดิการชุมชนภาคใต้", "ผู้แทนกองทุนสวัสดิการชุมชนกว่า 300 คนร่วมแลกเปลี่ยนประสบการณ์"),
    ]:
        _publish(
            news,
            ArticlePage(
                title=f"{title} (ข่าวสาธิต)",
                slug=f"news-demo-{days}",
                date=today - timedelta(days=days),
                summary=text,
                body=[_para(text + " ข้อมูลนี้เป็นข้อมูลสาธิต")],
            ),
        )
    events = _publish(
        home,
        SectionPage(
            title="กิจกรรม",
            slug="events",
            body=[
                {
                    "type": "feedback_form",
                    "value": {
                        "heading": "เสนอแนะหรือสอบถามเรื่องกิจกรรม",
                        "intro": "ทุกเรื่องเข้าสู่ระบบรับเรื่องของ พอช. และมีเลขติดตาม (สาธิต)",
                    },
                }
            ],
        ),
        menu=True,
    )
    start = timezone.make_aware(datetime.combine(today + timedelta(days=14), time(9, 0)))
    _publish(
        events,
        EventPage(
            title="ประชุมเครือข่ายบ้านมั่นคงระดับชาติ (สาธิต)",
            slug="national-housing-forum",
            starts_at=start,
            ends_at=start + timedelta(hours=7),
            location="พอช. กรุงเทพฯ",
            summary="เวทีประจำปีของเครือข่ายที่อยู่อาศัย",
        ),
    )
    notices = _publish(home, SectionPage(title="ประกาศ", slug="announcements"), menu=True)
    for kind, title in [
        (AnnouncementPage.Kind.PROCUREMENT, "ประกาศประกวดราคาจ้างพัฒนาระบบสารสนเทศ (สาธิต)"),
        (AnnouncementPage.Kind.JOBS, "ประกาศรับสมัครพนักงานปฏิบัติการ สำนักงานภาคเหนือ (สาธิต)"),
        (AnnouncementPage.Kind.RESULTS, "ประกาศผลการคัดเลือกพนักงาน (สาธิต)"),
    ]:
        _publish(notices, AnnouncementPage(title=title, slug=f"notice-{kind}", kind=kind, summary=title))
    offices = _publish(
        home,
        SectionPage(title="สำนักงานภาค", slug="regional-offices", summary="เว็บไซต์ของสำนักงานภาคของ พอช."),
        menu=True,
    )
    for code, name_th, _name_en in REGIONS:
        office = _publish(
            offices,
            SubsiteHomePage(
                title=f"สำนักงาน{name_th}",
                slug=f"region-{code.replace('_', '-')}",
                region_code=code,
                summary=f"ข่าวและผลการดำเนินงานใน{name_th}",
                body=[
                    {
                        "type": "pms_figures",
                        "value": {"heading": f"โครงการใน{name_th}", "region": code, "fiscal_year": None},
                    }
                ],
            ),
        )
        _publish(
            office,
            ArticlePage(
                title=f"ข่าว{name_th}: ประชุมคณะทำงานภาค (ข่าวสาธิต)",
                slug="regional-meeting",
                date=today - timedelta(days=2),
                summary="การประชุมประจำเดือนของคณะทำงานภาค",
            ),
        )
    info = _publish(
        home,
        OpenInfoIndexPage(
            title="ข้อมูลสาธารณะ",
            slug="open-information",
            summary="ข้อมูลที่เปิดเผยตามพระราชบัญญัติข้อมูลข่าวสารของราชการ และการประเมิน ITA",
            intro="<p>ข้อมูลตามมาตรา 7 และมาตรา 9 แห่งพระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. 2540 "
            "และรายการข้อมูลสาธารณะของการประเมินคุณธรรมและความโปร่งใส (ข้อมูลสาธิต)</p>",
        ),
        menu=True,
    )
    for code in DEMO_ITA_ITEMS:
        item = OpenInfoItemPage(
            title=f"{code} ปีงบประมาณ {year} (สาธิต)",
            slug=f"{code.lower()}-{year}",
            item_code=code,
            year_be=year,
            body=[_para("หลักฐานตัวอย่างสำหรับการสาธิต")],
        )
        item.title = f"{item.item_name} ปีงบประมาณ {year} (สาธิต)"
        _publish(info, item)
    _publish(
        home,
        DocumentListPage(
            title="เอกสารเผยแพร่", slug="downloads", body=[_para("รายงานประจำปีและเอกสารเผยแพร่จะแสดงที่นี่ (สาธิต)")]
        ),
        menu=True,
    )
    _publish(
        home,
        FaqPage(
            title="คำถามที่พบบ่อย",
            slug="faq",
            questions=[
                {
                    "type": "question",
                    "value": {
                        "question": "องค์กรชุมชนขอรับการสนับสนุนจาก พอช. ได้อย่างไร",
                        "answer": "<p>ติดต่อสำนักงานภาคในพื้นที่ หรือยื่นข้อเสนอผ่านระบบ</p>",
                    },
                },
                {
                    "type": "question",
                    "value": {
                        "question": "ติดตามเรื่องร้องเรียนได้ที่ไหน",
                        "answer": "<p>ใช้ลิงก์ติดตามเรื่องที่ได้รับหลังส่งแบบฟอร์มติดต่อ</p>",
                    },
                },
            ],
        ),
        menu=True,
    )
    _publish(
        home,
        DirectoryPage(
            title="ทำเนียบหน่วยงาน",
            slug="directory",
            summary="สำนักงานภาคและผู้ติดต่อของ พอช. (ข้อมูลสาธิต)",
            entries=[
                {
                    "type": "unit",
                    "value": {
                        "name": "สถาบันพัฒนาองค์กรชุมชน (สำนักงานใหญ่)",
                        "region": "",
                        "address": "912 ถนนนวมินทร์ แขวงคลองจั่น เขตบางกะปิ กรุงเทพฯ 10240",
                        "phone": "02 378 8300",
                        "email": "info@example.org",
                        "page": None,
                    },
                },
                *[
                    {
                        "type": "unit",
                        "value": {
                            "name": office.title,
                            "region": office.region_code,
                            "address": "ที่อยู่สาธิต",
                            "phone": "02 000 0000",
                            "email": f"{office.region_code}@example.org",
                            "page": office.pk,
                        },
                    }
                    for office in offices.get_children().specific()
                ],
                {
                    "type": "person",
                    "value": {
                        "name": "ผู้อำนวยการสาธิต ใจดี",
                        "position": "ผู้อำนวยการสถาบัน (ข้อมูลสาธิต)",
                        "unit": "สำนักงานใหญ่",
                        "phone": "02 378 8300",
                        "email": "director@example.org",
                        "photo": None,
                    },
                },
            ],
        ),
        menu=True,
    )
    _publish(
        home,
        ContactPage(
            title="ติดต่อเรา",
            slug="contact",
            summary="ส่งคำถาม ข้อเสนอแนะ หรือเรื่องร้องเรียน",
            intro="<p>ทุกเรื่องจะเข้าสู่ระบบรับเรื่องร้องเรียนของ พอช. และมีเลขติดตาม</p>",
        ),
        menu=True,
    )
    official_info_page(home, info, today=today)
    _english(home)
    # The search index is filled now, not after the commit: the demo is searchable when the command ends.
    services.search_index_now(
        page_ids=list(home.get_descendants(inclusive=True).values_list("pk", flat=True))
    )
    return DemoResult(created=True, pages=home.get_descendants(inclusive=True).count(), home=home)
