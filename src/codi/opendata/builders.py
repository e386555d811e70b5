"""Dataset builders: registered functions that produce the columns and rows of an open dataset.

A builder declares its metadata (Thai government data-catalog fields), its columns (each with a
``personal`` flag) and, for record-level data, its quasi-identifiers; ``build()`` yields rows as
tuples in column order. Publishing (``codi.opendata.services.dataset_publish``) refuses a builder
whose columns are personal and a record-level table that fails k-anonymity.

The default builders below publish aggregates only: counts per area and category, never a row
about one person.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from codi.communities.models import Organization
from codi.feedback.models import Ticket
from codi.projects.models import Project

COLUMN_TYPES = ("text", "int", "numeric", "date")
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,40}$")

Row = Sequence[Any]


@dataclass(frozen=True)
class Column:
    id: str  # lower-case identifier; becomes the SQL column and the CKAN field id
    type: str  # one of COLUMN_TYPES
    label_th: str
    label_en: str = ""
    personal: bool = False

    def __post_init__(self) -> None:
        if not IDENTIFIER.match(self.id) or self.id.startswith("_"):
            raise ValueError(f"column id {self.id!r} must match {IDENTIFIER.pattern}")
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.id!r}: type {self.type!r} is not one of {COLUMN_TYPES}")


@dataclass(frozen=True)
class DatasetBuilder:
    name: str  # the dataset's CKAN name (slug)
    title_th: str
    title_en: str
    description: str
    objective: str
    data_type: str  # DataType value: "statistics" for aggregates, "record" for record-level data
    data_category: str
    update_frequency: str
    columns: tuple[Column, ...]
    build: Callable[[], Iterable[Row]]
    keywords: tuple[str, ...] = ()
    geographic_coverage: str = "ประเทศไทย"
    license_id: str = "cc-by-4.0"
    harvest_permission: bool = True
    contact_name: str = "สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)"
    contact_email: str = "opendata@codi.or.th"
    quasi_identifiers: tuple[str, ...] = ()
    k_threshold: int = 5
    # Small-cell suppression, declared per dataset: in these count columns a value from 1 to
    # ``suppress_below - 1`` is published empty (NULL), so that a count of one or two reports
    # cannot point at the person who made them. Counts of things that are public anyway
    # (registered organizations, funded projects) declare none.
    suppressed_columns: tuple[str, ...] = ()
    suppress_below: int = 5
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        types = {c.id: c.type for c in self.columns}
        for column in self.suppressed_columns:
            if types.get(column) != "int":
                raise ValueError(f"{self.name}: suppressed column {column!r} must be an int column")
        if self.suppressed_columns and self.suppress_below < 2:
            raise ValueError(f"{self.name}: suppress_below must be at least 2")

    def column_ids(self) -> list[str]:
        return [c.id for c in self.columns]

    def rows(self) -> Iterable[Row]:
        """The rows as published: ``build()`` with small counts suppressed (see ``suppressed_columns``)."""
        if not self.suppressed_columns:
            yield from self.build()
            return
        positions = [self.column_ids().index(c) for c in self.suppressed_columns]
        for row in self.build():
            values = list(row)
            for i in positions:
                if values[i] is not None and 0 < values[i] < self.suppress_below:
                    values[i] = None
            yield tuple(values)


_REGISTRY: dict[str, DatasetBuilder] = {}


def register(builder: DatasetBuilder) -> DatasetBuilder:
    """Add (or replace) a builder under its name."""
    if not re.match(r"^[a-z0-9][a-z0-9-]{1,99}$", builder.name):
        raise ValueError(f"builder name {builder.name!r} must be a lower-case slug")
    _REGISTRY[builder.name] = builder
    return builder


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def get(name: str) -> DatasetBuilder | None:
    return _REGISTRY.get(name)


def all_builders() -> list[DatasetBuilder]:
    return sorted(_REGISTRY.values(), key=lambda b: b.name)


# The builders CODI publishes by default (``manage.py publish_open_data``).
DEFAULT_BUILDERS = (
    "organizations-by-subdistrict-type",
    "feedback-by-category-province-month",
    "projects-by-program-province-year",
)


def _organizations_by_subdistrict_type() -> Iterable[Row]:

    counts = (
        Organization.objects.filter(status="active")
        .values(
            "subdistrict__district__province_id",
            "subdistrict__district__province__name_th",
            "subdistrict__district_id",
            "subdistrict__district__name_th",
            "subdistrict_id",
            "subdistrict__name_th",
            "org_type",
        )
        .annotate(n=Count("id"))
        .order_by("subdistrict_id", "org_type")
    )
    for c in counts:
        yield (
            c["subdistrict__district__province_id"],
            c["subdistrict__district__province__name_th"],
            c["subdistrict__district_id"],
            c["subdistrict__district__name_th"],
            c["subdistrict_id"],
            c["subdistrict__name_th"],
            c["org_type"],
            c["n"],
        )


def _feedback_by_category_province_month() -> Iterable[Row]:

    counts = (
        Ticket.objects.filter(subdistrict__isnull=False)
        .annotate(month=TruncMonth("created_at"))
        .values(
            "subdistrict__district__province_id",
            "subdistrict__district__province__name_th",
            "category",
            "month",
        )
        .annotate(n=Count("id"))
        .order_by("month", "subdistrict__district__province_id", "category")
    )
    for c in counts:
        month = c["month"]
        yield (
            month.strftime("%Y-%m") if month else "",
            c["subdistrict__district__province_id"],
            c["subdistrict__district__province__name_th"],
            c["category"],
            c["n"],
        )


def _projects_by_program_province_year() -> Iterable[Row]:

    counts = (
        Project.objects.values(
            "fiscal_year",
            "program__code",
            "program__name_th",
            "subdistrict__district__province_id",
            "subdistrict__district__province__name_th",
        )
        .annotate(n=Count("id"), approved=Sum("approved_amount"))
        .order_by("fiscal_year", "program__code", "subdistrict__district__province_id")
    )
    for c in counts:
        yield (
            c["fiscal_year"],
            c["program__code"],
            c["program__name_th"],
            c["subdistrict__district__province_id"],
            c["subdistrict__district__province__name_th"],
            c["n"],
            c["approved"] if c["approved"] is not None else Decimal("0.00"),
        )


_AREA_COLUMNS = (
    Column("province_code", "text", "รหัสจังหวัด", "Province code"),
    Column("province_name", "text", "จังหวัด", "Province"),
)

register(
    DatasetBuilder(
        name="organizations-by-subdistrict-type",
        title_th="จำนวนองค์กรชุมชนจำแนกตามตำบลและประเภท",
        title_en="Community organizations by subdistrict and type",
        description="จำนวนองค์กรชุมชนที่ยังดำเนินงานอยู่ในทะเบียนของ พอช. จำแนกตามตำบลและประเภทองค์กร",
        objective="เพื่อให้ประชาชน หน่วยงาน และนักวิจัยเห็นการกระจายตัวขององค์กรชุมชนทั่วประเทศ",
        data_type="statistics",
        data_category="ข้อมูลสาธารณะ",
        update_frequency="monthly",
        keywords=("องค์กรชุมชน", "พอช.", "ตำบล"),
        columns=(
            *_AREA_COLUMNS,
            Column("district_code", "text", "รหัสอำเภอ", "District code"),
            Column("district_name", "text", "อำเภอ", "District"),
            Column("subdistrict_code", "text", "รหัสตำบล", "Subdistrict code"),
            Column("subdistrict_name", "text", "ตำบล", "Subdistrict"),
            Column("org_type", "text", "ประเภทองค์กร", "Organization type"),
            Column("organizations", "int", "จำนวนองค์กร", "Organizations"),
        ),
        build=_organizations_by_subdistrict_type,
    )
)

register(
    DatasetBuilder(
        name="feedback-by-category-province-month",
        title_th="จำนวนเรื่องร้องเรียนและความคิดเห็นจากชุมชนจำแนกตามหมวด จังหวัด และเดือน",
        title_en="Community feedback by category, province and month",
        description=(
            "จำนวนเรื่องที่ชุมชนแจ้งเข้ามาทุกช่องทาง นับตามหมวดเรื่อง จังหวัด และเดือนที่รับเรื่อง "
            "ช่องที่มีน้อยกว่า 5 เรื่องแสดงเป็นค่าว่าง เพื่อไม่ให้ระบุตัวผู้แจ้งได้"
        ),
        objective="เพื่อแสดงประเด็นที่ชุมชนสะท้อนต่อ พอช. อย่างโปร่งใส",
        data_type="statistics",
        data_category="ข้อมูลสาธารณะ",
        update_frequency="monthly",
        keywords=("เสียงชุมชน", "ร้องเรียน", "พอช."),
        columns=(
            Column("month", "text", "เดือน (ค.ศ.)", "Month"),
            *_AREA_COLUMNS,
            Column("category", "text", "หมวดเรื่อง", "Category"),
            Column("tickets", "int", "จำนวนเรื่อง (น้อยกว่า 5 แสดงเป็นค่าว่าง)", "Tickets (fewer than 5: empty)"),
        ),
        build=_feedback_by_category_province_month,
        suppressed_columns=("tickets",),  # people's reports: a count of 1–4 could point at the reporter
        suppress_below=5,
    )
)

register(
    DatasetBuilder(
        name="projects-by-program-province-year",
        title_th="จำนวนโครงการและงบประมาณที่อนุมัติจำแนกตามแผนงาน จังหวัด และปีงบประมาณ",
        title_en="Projects and approved budget by program, province and fiscal year",
        description="จำนวนโครงการชุมชนและวงเงินที่อนุมัติ (บาท) จำแนกตามแผนงาน จังหวัด และปีงบประมาณ (พ.ศ.)",
        objective="เพื่อเปิดเผยการใช้งบประมาณสนับสนุนชุมชนของ พอช.",
        data_type="statistics",
        data_category="ข้อมูลสาธารณะ",
        update_frequency="monthly",
        keywords=("โครงการ", "งบประมาณ", "พอช."),
        columns=(
            Column("fiscal_year", "int", "ปีงบประมาณ (พ.ศ.)", "Fiscal year (B.E.)"),
            Column("program_code", "text", "รหัสแผนงาน", "Program code"),
            Column("program_name", "text", "แผนงาน", "Program"),
            *_AREA_COLUMNS,
            Column("projects", "int", "จำนวนโครงการ", "Projects"),
            Column("approved_amount", "numeric", "วงเงินอนุมัติ (บาท)", "Approved amount (THB)"),
        ),
        build=_projects_by_program_province_year,
    )
)


def plain_value(value: Any) -> Any:
    """A row value as stored: dates as ISO text, everything else unchanged."""
    if isinstance(value, date):
        return value.isoformat()
    return value
