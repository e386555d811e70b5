"""StreamField blocks: editorial blocks and live blocks fed by the platform."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock, ImageChooserBlock

from codi.core.thaidate import fiscal_year_be
from codi.website import contact, live, oia, pagecache

UNAVAILABLE = _("This information cannot be shown right now. Please try again later.")
# Every live block template marks its "data unavailable" note with this class: such HTML is never kept.
UNAVAILABLE_MARK = 'class="unavailable"'


class LiveBlock(blocks.StructBlock):
    """A block whose data come from another app; a failing source shows a note, never a 500.

    ``source`` names the live source (``live.SOURCES``) whose version keys the block's rendered HTML:
    the fragment is kept until that source changes (or ``live.CACHE_SECONDS``), per language and per
    block value. A block whose source is down is never kept.
    """

    source = ""

    def read(self, value: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def render(self, value: Any, context: dict[str, Any] | None = None) -> SafeString:
        if not self.source:
            return super().render(value, context)
        settings_json = json.dumps(self.get_prep_value(value), sort_keys=True, default=str)
        digest = hashlib.sha256(settings_json.encode()).hexdigest()[:16]
        key = f"website:block:{self.source}:v{live.version(self.source)}:{get_language()}:{digest}"
        hit = cache.get(key)
        if hit is not None:
            return mark_safe(hit)  # noqa: S308 - our own template's output, stored by the line below
        html = super().render(value, context)
        if UNAVAILABLE_MARK not in html:
            cache.set(key, str(html), live.CACHE_SECONDS)
        return html

    def get_context(self, value: Any, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
        context = super().get_context(value, parent_context=parent_context)
        try:
            context["data"] = self.read(value)
            context["unavailable"] = ""
        except live.SourceUnavailableError:
            context["data"] = None
            context["unavailable"] = UNAVAILABLE
        return context


class PmsFiguresBlock(LiveBlock):
    source = "pms"
    heading = blocks.CharBlock(default="ผลการดำเนินงานโครงการ")
    region = blocks.CharBlock(required=False, help_text="รหัสภาค เว้นว่าง = ทั้งประเทศ")
    fiscal_year = blocks.IntegerBlock(required=False, help_text="ปีงบประมาณ (ค.ศ. ตามแดชบอร์ด) เว้นว่าง = ทุกปี")

    def read(self, value: Any) -> Any:
        return live.pms_figures(region=value.get("region") or "", fiscal_year=value.get("fiscal_year"))

    class Meta:
        template = "website/blocks/pms_figures.html"
        icon = "table"
        label = "ตัวเลขโครงการ (PMS)"


class DatasetCardsBlock(LiveBlock):
    source = "datasets"
    heading = blocks.CharBlock(default="ชุดข้อมูลเปิด")
    limit = blocks.IntegerBlock(default=3, min_value=1, max_value=12)

    def read(self, value: Any) -> Any:
        return live.dataset_cards(limit=value.get("limit") or 3)

    class Meta:
        template = "website/blocks/datasets.html"
        icon = "list-ul"
        label = "ชุดข้อมูลเปิด"


class KnowledgeBlock(LiveBlock):
    source = "knowledge"
    heading = blocks.CharBlock(default="คลังความรู้ล่าสุด")
    limit = blocks.IntegerBlock(default=3, min_value=1, max_value=12)

    def read(self, value: Any) -> Any:
        return live.knowledge_articles(limit=value.get("limit") or 3)

    class Meta:
        template = "website/blocks/knowledge.html"
        icon = "doc-full"
        label = "บทความความรู้ล่าสุด"


class ProcurementYearBlock(LiveBlock):
    """What every procurement block shares: a heading, the fiscal year (B.E.) and how many rows.

    Subclasses set the heading's default by declaring ``heading`` again (it keeps its place first),
    so the stored value stays ``{"heading", "year_be", "limit"}`` for each of them.
    """

    source = "procurement"

    heading = blocks.CharBlock()
    year_be = blocks.IntegerBlock(required=False, help_text="ปีงบประมาณ พ.ศ. เว้นว่าง = ปีปัจจุบัน")
    limit = blocks.IntegerBlock(default=5, min_value=1, max_value=20)

    @staticmethod
    def year(value: Any) -> int:
        return int(value.get("year_be") or fiscal_year_be(timezone.localdate()))

    @staticmethod
    def rows(value: Any) -> int:
        return int(value.get("limit") or 5)


class ProcurementBlock(ProcurementYearBlock):
    """The year's procurement plan as published (what, which quarter, the estimated amount)."""

    heading = blocks.CharBlock(default="แผนการจัดซื้อจัดจ้าง")

    def read(self, value: Any) -> Any:
        year = self.year(value)
        return {"year": year, "lines": live.procurement_plan(year_be=year, limit=self.rows(value))}

    class Meta:
        template = "website/blocks/procurement.html"
        icon = "list-ol"
        label = "ประกาศ/แผนจัดซื้อจัดจ้าง"


class ProcurementResultsBlock(ProcurementYearBlock):
    """The year's procurement results as announced (what, how, from whom, how much, when)."""

    heading = blocks.CharBlock(default="ประกาศผลการจัดซื้อจัดจ้าง")

    def read(self, value: Any) -> Any:
        year = self.year(value)
        return {"year": year, "rows": live.procurement_awards(year_be=year, limit=self.rows(value))}

    class Meta:
        template = "website/blocks/procurement_results.html"
        icon = "list-ol"
        label = "ประกาศผลการจัดซื้อจัดจ้าง"


class FeedbackFormBlock(blocks.StructBlock):
    """The contact form on any page: it posts to ``website:feedback`` (consent, honeypot, rate limit)
    and becomes a feedback ticket like the contact page's. A page with it is never cached (its
    CSRF token is the visitor's own)."""

    heading = blocks.CharBlock(default="แจ้งเรื่อง ร้องเรียน หรือเสนอแนะ")
    intro = blocks.TextBlock(required=False)

    def get_context(self, value: Any, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
        context = super().get_context(value, parent_context=parent_context)
        request = context.get("request")
        if request is not None:
            pagecache.not_cacheable(request)
        context["form"] = contact.ContactForm()
        return context

    class Meta:
        template = "website/blocks/feedback_form.html"
        icon = "mail"
        label = "แบบฟอร์มแจ้งเรื่อง"


class ProjectsMapBlock(LiveBlock):
    """Projects per region on a static map of the provinces (no script, no map tiles), with a table."""

    source = "pms"

    heading = blocks.CharBlock(default="โครงการในแต่ละภาค")
    fiscal_year = blocks.IntegerBlock(required=False, help_text="ปีงบประมาณ (ค.ศ. ตามแดชบอร์ด) เว้นว่าง = ทุกปี")

    def read(self, value: Any) -> Any:
        return live.projects_map(fiscal_year=value.get("fiscal_year"))

    class Meta:
        template = "website/blocks/projects_map.html"
        icon = "site"
        label = "แผนที่โครงการรายภาค"


class JobsBlock(LiveBlock):
    """The latest job openings: the published announcements of the "jobs" kind, newest first."""

    heading = blocks.CharBlock(default="ประกาศรับสมัครงาน")
    limit = blocks.IntegerBlock(default=5, min_value=1, max_value=20)

    def read(self, value: Any) -> Any:
        # cycle: the selectors read the page models, which are built from these blocks
        from codi.website import selectors

        try:
            return list(selectors.announcements(kind="jobs", limit=value.get("limit") or 5))
        except Exception as exc:  # the page still renders when the database answers badly
            raise live.SourceUnavailableError("jobs") from exc

    class Meta:
        template = "website/blocks/jobs.html"
        icon = "user"
        label = "ประกาศรับสมัครงาน"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock()
    answer = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        template = "website/blocks/question.html"
        icon = "help"
        label = "คำถาม-คำตอบ"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    note = blocks.CharBlock(required=False)

    class Meta:
        template = "website/blocks/document.html"
        icon = "doc-full"
        label = "เอกสาร"


class UnitEntryBlock(blocks.StructBlock):
    """A unit or office in the directory: its public contacts (no personal data)."""

    name = blocks.CharBlock(label="ชื่อหน่วยงาน")
    region = blocks.CharBlock(
        required=False, label="รหัสภาค", help_text="เช่น north; เว้นว่างสำหรับหน่วยงานส่วนกลาง"
    )
    address = blocks.TextBlock(required=False, label="ที่อยู่")
    phone = blocks.CharBlock(required=False, label="โทรศัพท์")
    email = blocks.EmailBlock(required=False, label="อีเมล")
    page = blocks.PageChooserBlock(required=False, label="หน้าเว็บไซต์ของหน่วยงาน")

    class Meta:
        template = "website/blocks/unit_entry.html"
        icon = "home"
        label = "หน่วยงาน"


class PersonEntryBlock(blocks.StructBlock):
    """A person in the directory as their post publishes them: work contacts only."""

    name = blocks.CharBlock(label="ชื่อ-นามสกุล")
    position = blocks.CharBlock(label="ตำแหน่ง")
    unit = blocks.CharBlock(required=False, label="หน่วยงาน")
    phone = blocks.CharBlock(required=False, label="โทรศัพท์ที่ทำงาน")
    email = blocks.EmailBlock(required=False, label="อีเมลที่ทำงาน")
    photo = ImageChooserBlock(required=False, label="ภาพ")

    class Meta:
        template = "website/blocks/person_entry.html"
        icon = "user"
        label = "บุคคล"


class OfficialInfoEntryBlock(blocks.StructBlock):
    """Where one item of the Official Information Act (s.7 or s.9) is published, and the evidence's date."""

    item = blocks.ChoiceBlock(choices=oia.choices, label="รายการตามกฎหมาย")
    page = blocks.PageChooserBlock(required=False, label="หน้าที่เผยแพร่บนเว็บไซต์")
    link = blocks.URLBlock(required=False, label="หรือลิงก์ภายนอก (เช่น ราชกิจจานุเบกษา)")
    evidence_date = blocks.DateBlock(label="วันที่ของหลักฐาน")
    note = blocks.CharBlock(required=False, label="หมายเหตุ")

    class Meta:
        icon = "doc-full"
        label = "รายการข้อมูลข่าวสาร"


class BodyImageBlock(ImageBlock):
    """An image in the body: resized renditions (360/800/1200 px wide, never the original), lazy loading,
    and its alt text from the block (or the image's title; empty when marked decorative).

    Wagtail's ``ImageBlock`` reads the image id that the former ``ImageChooserBlock`` stored, so pages
    saved before keep working; a page saved again stores ``{"image", "decorative", "alt_text"}``.
    """

    def normalize(self, value: Any) -> Any:
        """An image id (the former block's value) is taken as it is read from the database."""
        if value is None or isinstance(value, int):
            return self.to_python(value)
        return super().normalize(value)

    def bulk_to_python(self, values: Any) -> list[Any]:
        """Wagtail reads a page's image blocks all as ids or all as dicts; a page holding both is read one by one."""
        values = list(values)
        ids = sum(1 for value in values if value is None or isinstance(value, int))
        if 0 < ids < len(values):
            return [self.to_python(value) for value in values]
        return list(super().bulk_to_python(values))

    class Meta:
        template = "website/blocks/image.html"
        icon = "image"
        label = "ภาพ"


def directory_blocks() -> list[tuple[str, blocks.Block]]:
    return [("unit", UnitEntryBlock()), ("person", PersonEntryBlock())]


def body_blocks() -> list[tuple[str, blocks.Block]]:
    return [
        ("heading", blocks.CharBlock(form_classname="title", label="หัวข้อ")),
        (
            "paragraph",
            blocks.RichTextBlock(features=["h2", "h3", "bold", "italic", "link", "ol", "ul"], label="ข้อความ"),
        ),
        ("image", BodyImageBlock(label="ภาพ")),
        ("document", DocumentLinkBlock()),
        ("pms_figures", PmsFiguresBlock()),
        ("datasets", DatasetCardsBlock()),
        ("knowledge", KnowledgeBlock()),
        ("procurement", ProcurementBlock()),
        ("projects_map", ProjectsMapBlock()),
        ("jobs", JobsBlock()),
        ("procurement_results", ProcurementResultsBlock()),
        ("feedback_form", FeedbackFormBlock()),
    ]
