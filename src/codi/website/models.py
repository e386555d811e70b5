"""Page types of the public website (Wagtail).

The CODI main site is the tree under one ``HomePage``; each regional office or unit is a
``SubsiteHomePage`` section under it (sections, not separate Wagtail sites: one host name, one
sitemap, one editorial workflow; a unit's editors get page permissions on their section).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page

from codi.core.thaidate import fiscal_year_be
from codi.website import contact, oia
from codi.website.blocks import OfficialInfoEntryBlock, QuestionBlock, body_blocks, directory_blocks
from codi.website.ita import ITA_ITEMS, ITA_NAMES

# First path segments the platform's staff pages own (prefixes with no page of their own, e.g.
# "o/" of single sign-on, included): a page under the home page cannot take them.
RESERVED_SLUGS = frozenset(
    ["accounts", "api", "o", "i18n", "cms", "static", "media", "manage", "feeds", "website"]
)


def slug_shadows_staff_path(slug: str) -> bool:
    """Whether ``/<slug>/`` is a reserved prefix or already answered by a staff page (not by Wagtail)."""
    if slug in RESERVED_SLUGS:
        return True
    try:
        match = resolve(f"/{slug}/")
    except Resolver404:
        return False
    return match.url_name != "wagtail_serve"


SLUG_TAKEN = "ชื่อนี้ใช้กับหน้าของระบบงานแล้ว กรุณาเลือกชื่ออื่น"


class WebsitePageForm(WagtailAdminPageForm):
    """The admin's page form: a slug directly under the home page may not shadow a staff path."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        parent = getattr(self, "parent_page", None)
        if parent is not None and parent.depth == 2 and slug_shadows_staff_path(cleaned.get("slug") or ""):
            self.add_error("slug", SLUG_TAKEN)
        return cleaned


class BasePage(Page):
    """Fields every public page shares: a summary for listings, Open Graph and feeds."""

    summary = models.CharField("สรุปย่อ", max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    base_form_class = WebsitePageForm

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.depth == 3 and slug_shadows_staff_path(self.slug):
            raise ValidationError({"slug": SLUG_TAKEN})

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        """English where translated: a path the English tree lacks is served from the Thai page."""
        try:
            return super().route(request, path_components)
        except Http404:
            default = Locale.get_default()
            if not path_components or self.locale_id == default.pk:
                raise
            thai = self.get_translation_or_none(default)
            if thai is None:
                raise
            return thai.specific.route(request, path_components)


class HomePage(BasePage):
    intro = RichTextField("คำนำ", blank=True, features=["bold", "italic", "link"])
    body = StreamField(body_blocks(), blank=True, verbose_name="เนื้อหา")
    is_demo = models.BooleanField("เว็บไซต์สาธิต", default=False)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("is_demo"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "หน้าแรก"


class SectionPage(BasePage):
    intro = RichTextField("คำนำ", blank=True, features=["bold", "italic", "link"])
    body = StreamField(body_blocks(), blank=True, verbose_name="เนื้อหา")

    content_panels = [*BasePage.content_panels, FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = "หน้าหมวด"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["children"] = (
            self.get_children().live().public().specific().order_by("-first_published_at")[:30]
        )
        return context


class SubsiteHomePage(SectionPage):
    """A regional office's or unit's own home: its pages sit under it."""

    region_code = models.CharField("รหัสภาค", max_length=20, blank=True)

    content_panels = [*SectionPage.content_panels, FieldPanel("region_code")]

    class Meta:
        verbose_name = "หน้าแรกเว็บไซต์หน่วยงาน"


class ArticlePage(BasePage):
    date = models.DateField("วันที่", default=timezone.localdate)
    body = StreamField(body_blocks(), blank=True, verbose_name="เนื้อหา")

    content_panels = [*BasePage.content_panels, FieldPanel("date"), FieldPanel("body")]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "ข่าว/บทความ"


class EventPage(BasePage):
    starts_at = models.DateTimeField("เริ่ม")
    ends_at = models.DateTimeField("สิ้นสุด", null=True, blank=True)
    location = models.CharField("สถานที่", max_length=200, blank=True)
    body = StreamField(body_blocks(), blank=True, verbose_name="เนื้อหา")

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel([FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("location")], "กำหนดการ"),
        FieldPanel("body"),
    ]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "กิจกรรม"

    def clean(self) -> None:
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": "เวลาสิ้นสุดต้องไม่ก่อนเวลาเริ่ม"})


class AnnouncementPage(BasePage):
    class Kind(models.TextChoices):
        PROCUREMENT = "procurement", "ประกาศจัดซื้อจัดจ้าง"
        JOBS = "jobs", "ประกาศรับสมัครงาน"
        RESULTS = "results", "ประกาศผล"
        GENERAL = "general", "ประกาศทั่วไป"

    kind = models.CharField("ประเภทประกาศ", max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    date = models.DateField("วันที่ประกาศ", default=timezone.localdate)
    body = StreamField(body_blocks(), blank=True, verbose_name="เนื้อหา")

    content_panels = [*BasePage.content_panels, FieldPanel("kind"), FieldPanel("date"), FieldPanel("body")]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "ประกาศ"


class FaqPage(BasePage):
    questions = StreamField([("question", QuestionBlock())], blank=True, verbose_name="คำถาม")

    content_panels = [*BasePage.content_panels, FieldPanel("questions")]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "คำถามที่พบบ่อย"


class DocumentListPage(BasePage):
    body = StreamField(body_blocks(), blank=True, verbose_name="เอกสาร")

    content_panels = [*BasePage.content_panels, FieldPanel("body")]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "รายการเอกสาร"


class DirectoryPage(BasePage):
    """The person/unit directory: offices and the people whose posts publish their work contacts."""

    intro = RichTextField("คำนำ", blank=True, features=["bold", "italic", "link"])
    entries = StreamField(directory_blocks(), blank=True, verbose_name="รายชื่อ")

    content_panels = [*BasePage.content_panels, FieldPanel("intro"), FieldPanel("entries")]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "ทำเนียบหน่วยงานและบุคลากร"

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["units"] = [e for e in self.entries if e.block_type == "unit"]
        context["people"] = [e for e in self.entries if e.block_type == "person"]
        return context


class ContactPage(BasePage):
    intro = RichTextField("คำนำ", blank=True, features=["bold", "italic", "link"])
    thanks = models.CharField("ข้อความขอบคุณ", max_length=300, default="ได้รับเรื่องของท่านแล้ว ขอบคุณที่ติดต่อเรา")

    content_panels = [*BasePage.content_panels, FieldPanel("intro"), FieldPanel("thanks")]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "แบบฟอร์มติดต่อ"

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return contact.serve(self, request)


class OpenInfoIndexPage(RoutablePageMixin, BasePage):
    """The open-information section: one child page per ITA item and year, and a checklist."""

    intro = RichTextField("คำนำ", blank=True, features=["bold", "italic", "link"])

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    subpage_types = ["website.OpenInfoItemPage", "website.OfficialInfoPage"]

    class Meta:
        verbose_name = "ข้อมูลสาธารณะ (ITA)"

    def items_for(self, year_be: int) -> dict[str, OpenInfoItemPage]:
        rows = OpenInfoItemPage.objects.child_of(self).live().public().filter(year_be=year_be)
        return {row.item_code: row for row in rows.order_by("item_code")}

    @path("")
    def index(self, request: HttpRequest) -> HttpResponse:
        year = fiscal_year_be(timezone.localdate())
        present = self.items_for(year)
        rows = [(code, name, present.get(code)) for code, name in ITA_ITEMS]
        return self.render(request, context_overrides={"year": year, "rows": rows})

    @path("checklist/<int:year>/")
    def checklist(self, request: HttpRequest, year: int) -> HttpResponse:
        if not 2500 <= year <= 2700:
            return redirect(self.url)
        present = self.items_for(year)
        missing = [(code, name) for code, name in ITA_ITEMS if code not in present]
        act = OfficialInfoPage.objects.child_of(self).live().public().first()
        act_present = act.published_codes() if act is not None else set()
        act_missing = [(code, name) for code, name in oia.OIA_ITEMS if code not in act_present]
        return TemplateResponse(
            request,
            "website/open_info_checklist.html",
            {
                **self.get_context(request),
                "year": year,
                "missing": missing,
                "present": len(present),
                "total": len(ITA_ITEMS),
                "act_page": act,
                "act_missing": act_missing,
            },
        )


class OpenInfoItemPage(BasePage):
    item_code = models.CharField("ตัวชี้วัด ITA", max_length=5, choices=[(c, f"{c} {n}") for c, n in ITA_ITEMS])
    year_be = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)")
    evidence_date = models.DateField("วันที่ของหลักฐาน", default=timezone.localdate)
    body = StreamField(body_blocks(), blank=True, verbose_name="หลักฐาน")

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel([FieldPanel("item_code"), FieldPanel("year_be"), FieldPanel("evidence_date")], "ITA"),
        FieldPanel("body"),
    ]
    parent_page_types = ["website.OpenInfoIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "รายการข้อมูลสาธารณะ"

    @property
    def item_name(self) -> str:
        return ITA_NAMES.get(self.item_code, "")

    def clean(self) -> None:
        super().clean()
        if self.year_be and not 2500 <= self.year_be <= 2700:
            raise ValidationError({"year_be": "ปีงบประมาณต้องเป็นปีพุทธศักราช เช่น 2569"})


class OfficialInfoPage(BasePage):
    """The Official Information Act's s.7 and s.9 items: for each, where it is published and its evidence date.

    Every item of the Act is listed; one with no entry shows as "not yet published" here and on the
    open-information checklist.
    """

    intro = RichTextField("คำนำ", blank=True, features=["bold", "italic", "link"])
    entries = StreamField([("entry", OfficialInfoEntryBlock())], blank=True, verbose_name="รายการที่เผยแพร่")

    content_panels = [*BasePage.content_panels, FieldPanel("intro"), FieldPanel("entries")]
    parent_page_types = ["website.OpenInfoIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "ข้อมูลข่าวสารตามมาตรา 7 และมาตรา 9"

    def published_codes(self) -> set[str]:
        return {entry.value["item"] for entry in self.entries}

    def sections(self) -> list[tuple[str, list[tuple[str, Any, list[dict[str, Any]]]]]]:
        """(section, [(code, name, [where published])]) for s.7 and s.9, every item of the Act listed."""
        found: dict[str, list[dict[str, Any]]] = {}
        for entry in self.entries:
            value = entry.value
            target = value["page"].specific if value["page"] is not None else None
            found.setdefault(value["item"], []).append(
                {
                    "url": target.url if target is not None else value["link"],
                    "title": target.title if target is not None else value["link"],
                    "date": value["evidence_date"],
                    "note": value["note"],
                }
            )
        return [
            (section, [(code, name, found.get(code, [])) for code, name in items])
            for section, items in (("7", oia.SECTION_7), ("9", oia.SECTION_9))
        ]

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.sections()
        context["missing"] = [code for code in oia.OIA_CODES if code not in self.published_codes()]
        return context


PAGE_MODELS = [HomePage, SectionPage, SubsiteHomePage, ArticlePage, EventPage, AnnouncementPage, FaqPage,
               DocumentListPage, DirectoryPage, ContactPage, OpenInfoIndexPage, OpenInfoItemPage,
               OfficialInfoPage]  # fmt: skip
