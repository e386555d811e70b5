"""Excel exports of projects (the legacy import's column layout, so a file round-trips) and of
the dashboard tables."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from codi.projects.importing import MAX_INSTALLMENTS, PROJECT_COLUMNS, STATUS_TH
from codi.projects.models import Installment, Project
from codi.projects.reporting import Dashboard

EXTRA_PROJECT_COLUMNS = ["ชื่อองค์กร", "ตำบล", "จังหวัด", "ขั้นตอนปัจจุบัน", "กำหนดเสร็จ"]


@dataclass
class Export:
    header: list[str]
    rows: Iterator[list[Any]]


def project_rows(projects: QuerySet[Project]) -> Export:
    """One row per project in ``PROJECT_COLUMNS`` order, then a few columns for reading only."""
    query = projects.select_related(
        "program", "lead_organization", "subdistrict__district__province"
    ).prefetch_related(Prefetch("installments", queryset=Installment.objects.select_related("disbursement")))

    def rows() -> Iterator[list[Any]]:
        for p in query.iterator(chunk_size=2000):
            row: list[Any] = [
                p.code,
                p.program.code,
                p.fiscal_year,
                p.subdistrict_id,
                p.lead_organization.registration_no,
                p.title,
                STATUS_TH.get(p.status, p.status),
                p.requested_amount,
                p.approved_amount,
                p.start_date,
                p.end_date,
                p.households,
                p.persons,
            ]
            installments = {i.number: i for i in p.installments.all()}
            for n in range(1, MAX_INSTALLMENTS + 1):
                inst = installments.get(n)
                paid = getattr(inst, "disbursement", None) if inst and inst.status == "disbursed" else None
                row += [
                    inst.amount if inst else None,
                    inst.due_date if inst else None,
                    paid.paid_at.date() if paid else None,
                ]
            row += [
                p.lead_organization.name_th,
                p.subdistrict.name_th,
                p.subdistrict.district.province.name_th,
                p.current_step,
                p.current_step_due,
            ]
            yield row

    return Export([c.th for c in PROJECT_COLUMNS] + EXTRA_PROJECT_COLUMNS, rows())


def dashboard_rows(board: Dashboard) -> Export:
    header = [
        "ตาราง",
        "รหัส",
        "ชื่อ",
        "โครงการ",
        "งบที่เสนอ",
        "งบอนุมัติ",
        "เบิกจ่ายแล้ว",
        "รายงานใช้จ่าย",
        "ขั้นตอนเกินกำหนด",
    ]

    def rows() -> Iterator[list[Any]]:
        for table, items in (
            ("ภาค", board.by_region),
            ("จังหวัด", board.by_province),
            ("แผนงาน", board.by_program),
        ):
            for r in items:
                f = r.figures
                yield [
                    table,
                    r.key,
                    r.label,
                    f.projects,
                    f.requested,
                    f.approved,
                    f.disbursed,
                    f.reported,
                    f.overdue,
                ]
        t = board.total
        yield ["รวม", "", "", t.projects, t.requested, t.approved, t.disbursed, t.reported, t.overdue]

    return Export(header, rows())
