"""Demo data for e-Audit, with exceptions planted for the rules to find (documented here).

Needs ``load_demo`` and ``load_finance_demo`` first (after ``load_lending_demo`` in ``make run``).
Through finance's own voucher services, the demo finance officer prepares — and the demo chief
accountant passes — the planted records:

* **duplicate_payment** — two vouchers to "บริษัท สยามคลีน จำกัด (ตัวอย่าง)" (the demo vendor
  0105550123451, matched by its bank account) quoting the same invoice SC-2569-118, 45,000 baht each;
* **round_amount** — a 200,000.00 baht voucher for IT consulting;

then the analytics run once (as the scheduler would), an engagement is opened for the demo
auditor, and a risk register (organization-wide and per unit, with KRIs read from the exception
queue) is filled. Then, through ``codi.audit.planning`` and ``codi.audit.reports``:

* the year's **audit plan** is drafted from that register by the demo auditor and approved by the
  demo executive; the highest-ranked planned engagement is started;
* a **working paper** (a small PDF, filed in the documents app) is added to the first engagement
  and left awaiting a second auditor's review;
* the started planned engagement's **report** is signed by the demo auditor through the PKI, once
  the demo auditor holds a signing certificate (``make run`` issues it after ``pki_init`` and runs
  this loader again); without one the report stays unsigned and nothing fails.

Running it again adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from codi.audit import planning, reports, services
from codi.audit.models import AnalyticsRun, AuditPlan, Engagement, EngagementReport, Risk, Treatment
from codi.audit.tasks import analytics_schedule
from codi.core.pdf import render_pdf
from codi.finance import selectors as finance_selectors
from codi.finance import vouchers
from codi.identity.models import OrgUnit, User

AUDITOR = "demo_auditor"
PLANTED_INVOICE = "SC-2569-118"
# (budget line code, payee, bank, account, amount, description) — each prepared and checked.
PLANTED = [
    ("DEMO-OP-HQ", "บริษัท สยามคลีน จำกัด (ตัวอย่าง)", "006", "1234567890", "45000.00",
     f"ค่าจ้างทำความสะอาด พ.ย. ใบแจ้งหนี้เลขที่ {PLANTED_INVOICE}"),
    ("DEMO-OP-HQ", "บริษัท สยามคลีน จำกัด (ตัวอย่าง)", "006", "1234567890", "45000.00",
     f"ค่าจ้างทำความสะอาด (ส่งเบิกซ้ำ) ใบแจ้งหนี้เลขที่ {PLANTED_INVOICE}"),
    ("DEMO-OP-IT", "บริษัท ที่ปรึกษาไอที จำกัด (ตัวอย่าง)", "004", "9988776655", "200000.00",
     "ค่าที่ปรึกษาระบบสารสนเทศ (เหมาจ่าย)"),
]  # fmt: skip

# (code, unit code or None, objective, event, cause, L, I, residual L, residual I, owner, treatment, plan, KRI, limit)
RISKS = [
    ("ORG-01", None, "ใช้จ่ายงบประมาณถูกต้องตามระเบียบ", "จ่ายเงินซ้ำหรือจ่ายเกิน", "ตรวจเอกสารด้วยมือ ไม่เทียบใบแจ้งหนี้",
     4, 4, 2, 3, "demo_executive", Treatment.REDUCE, "ตรวจจับรายการซ้ำอัตโนมัติทุกวัน", "rule:duplicate_payment", "0"),
    ("ORG-02", None, "จัดซื้อจัดจ้างโปร่งใส", "แบ่งซื้อแบ่งจ้างเพื่อเลี่ยงวิธี", "ไม่มีภาพรวมการขอซื้อรายผู้ขาย",
     3, 5, 2, 4, "demo_executive", Treatment.REDUCE, "กฎแบ่งซื้อรายเดือน", "rule:split_purchase", "0"),
    ("FIN-01", "HQ-FIN", "ปิดบัญชีทันเวลา", "ปิดงวดล่าช้า", "ข้อมูลธนาคารไม่ครบ", 3, 3, 2, 2, "demo_executive",
     Treatment.REDUCE, "นำเข้ารายการเดินบัญชีรายวัน", "open_exceptions", "20"),
    ("NE-01", "REG-NE", "โครงการชุมชนเบิกจ่ายตามผลงาน", "เบิกงวดโดยยังไม่รับรองรายงาน", "เร่งเบิกจ่ายปลายปี",
     4, 3, 3, 3, "demo_director", Treatment.REDUCE, "ตรวจรายงานก่อนเบิกทุกงวด", "rule:disbursed_without_report", "0"),
    ("IT-01", "HQ-IT", "ระบบพร้อมใช้งาน", "ระบบหยุดให้บริการ", "อุปกรณ์หมดอายุ", 2, 4, 1, 4, "demo_executive",
     Treatment.TRANSFER, "สัญญาบำรุงรักษา", "", ""),
    ("HR-01", "HQ-HR", "จ่ายเงินเดือนถูกคน", "จ่ายเงินเดือนบุคคลที่ไม่ได้ปฏิบัติงาน", "ไม่มีการเทียบการลงเวลา",
     2, 5, 1, 5, "demo_executive", Treatment.REDUCE, "กฎจ่ายเงินเดือนโดยไม่มีการลงเวลา", "rule:employee_no_attendance", "0"),
    ("ORG-03", None, "ข้อตรวจพบได้รับการแก้ไข", "ไม่แก้ไขตามข้อเสนอแนะ", "ไม่มีการติดตาม", 3, 2, 2, 2, "demo_director",
     Treatment.ACCEPT, "", "overdue_findings", "0"),
]  # fmt: skip


@dataclass
class AuditDemoSummary:
    vouchers: list[str] = field(default_factory=list)
    exceptions: dict[str, int] = field(default_factory=dict)
    engagement: str = ""
    risks_created: int = 0
    plan_year: int | None = None
    plan_engagements: int = 0
    working_papers: list[str] = field(default_factory=list)
    report_signed: str = ""
    next_run: str = ""  # the nightly analytics run waiting in the task queue


def audit_demo_load() -> AuditDemoSummary:
    summary = AuditDemoSummary()
    auditor = User.objects.get(username=AUDITOR)
    maker = User.objects.get(username="demo_finance")
    chief = User.objects.get(username="demo_chief_accountant")
    if not Engagement.objects.filter(is_demo=True).exists():
        year_be = services._fiscal_year_be()
        lines = {line.code: line for line in finance_selectors.budget_line_list(actor=maker)}
        for code, payee, bank, account, amount, text in PLANTED:
            voucher = vouchers.voucher_create(
                actor=maker, budget_line=lines[code], payee_name=payee, payee_bank_code=bank,
                payee_account_no=account, amount=Decimal(amount), description=text, is_demo=True,
            )  # fmt: skip
            voucher = vouchers.voucher_submit(actor=maker, voucher=voucher)
            voucher = vouchers.voucher_check(actor=chief, voucher=voucher, decision="pass")
            summary.vouchers.append(voucher.number)
        services.analytics_run(actor=None, trigger=AnalyticsRun.Trigger.SCHEDULED)
        services.engagement_create(
            actor=auditor, title=f"ตรวจสอบการเบิกจ่ายและการจัดซื้อ ปีงบประมาณ {year_be} (ตัวอย่าง)",
            scope="ใบสำคัญจ่าย การจัดซื้อจัดจ้าง และการเบิกจ่ายโครงการ ตรวจแบบต่อเนื่องจากข้อมูลในระบบ",
            fiscal_year_be=year_be, unit=OrgUnit.objects.filter(code="HQ-FIN").first(), is_demo=True,
        )  # fmt: skip
    engagement = Engagement.objects.filter(is_demo=True).order_by("pk").first()
    summary.engagement = engagement.number if engagement else ""
    users = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
    executive = users["demo_executive"]
    for code, unit, objective, event, cause, li, im, rli, rim, owner, treatment, plan, kri, limit in RISKS:
        if Risk.objects.filter(code=code).exists():
            continue
        services.risk_save(
            actor=executive, code=code, unit=OrgUnit.objects.filter(code=unit).first() if unit else None,
            objective=objective, event=event, cause=cause, likelihood=li, impact=im, residual_likelihood=rli,
            residual_impact=rim, owner=users.get(owner, executive), treatment=treatment, treatment_plan=plan,
            kri=kri, kri_limit=Decimal(limit) if limit else None, is_demo=True,
            fiscal_year_be=services._fiscal_year_be(),
        )  # fmt: skip
        summary.risks_created += 1
    _plan_papers_report(summary, auditor=auditor, executive=executive, engagement=engagement)
    from_run = AnalyticsRun.objects.order_by("-started_at").first()
    summary.exceptions = dict(from_run.flags) if from_run else {}
    summary.next_run = timezone.localtime(analytics_schedule()).isoformat(timespec="minutes")
    return summary


PAPER_TITLE = "ทดสอบการจ่ายซ้ำจากเลขใบแจ้งหนี้ (ตัวอย่าง)"
PAPER_STEPS = [
    ("ดึงใบสำคัญจ่ายที่ผ่านการตรวจทั้งหมดของปี", "ครบถ้วนตามทะเบียนคุมใบสำคัญ"),
    ("จัดกลุ่มตามผู้ขายและเลขใบแจ้งหนี้", f"พบใบแจ้งหนี้ {PLANTED_INVOICE} ถูกเบิกสองครั้ง"),
    ("สอบถามเจ้าหน้าที่การเงิน", "ส่งเบิกซ้ำโดยไม่ได้ตั้งใจ อยู่ระหว่างเรียกคืน"),
]


def _plan_papers_report(
    summary: AuditDemoSummary, *, auditor: User, executive: User, engagement: Engagement | None
) -> None:
    year_be = services._fiscal_year_be()
    plan = AuditPlan.objects.filter(fiscal_year_be=year_be).first()
    if plan is None:
        plan = planning.plan_draft(actor=auditor, fiscal_year_be=year_be, is_demo=True)
    if plan.status == AuditPlan.Status.DRAFT and plan.is_demo:
        plan = planning.plan_approve(actor=executive, plan=plan)
    first = plan.planned.order_by("rank").first()
    if plan.is_demo and first is not None and first.engagement_id is None:
        planning.planned_start(
            actor=auditor, planned=first, scope="ตามแผนการตรวจสอบประจำปีที่จัดลำดับจากทะเบียนความเสี่ยง (ตัวอย่าง)"
        )
    summary.plan_year, summary.plan_engagements = plan.fiscal_year_be, plan.planned.count()
    if engagement is not None and not engagement.working_papers.exists():
        pdf = render_pdf(
            "eaudit/demo_working_paper_pdf.html",
            {"title": PAPER_TITLE, "number": engagement.number, "steps": PAPER_STEPS},
        )
        planning.working_paper_add(
            actor=auditor,
            engagement=engagement,
            title=PAPER_TITLE,
            data=pdf,
            filename="wp-01.pdf",
            is_demo=True,
        )
    if engagement is not None:
        summary.working_papers = [p.reference for p in engagement.working_papers.select_related("engagement")]
    first = plan.planned.order_by("rank").select_related("engagement").first()
    started = first.engagement if first is not None else None
    if (
        started is not None
        and started.is_demo
        and not EngagementReport.objects.filter(engagement=started).exists()
    ):
        try:
            reports.report_sign(actor=auditor, engagement=started)
        except services.AuditError as exc:
            if "certificate" not in exc.message_en and "PKI" not in exc.message_en:
                raise
            return  # no signing certificate (or no PKI) yet: ``make run`` issues one and loads this again
    if started is not None and EngagementReport.objects.filter(engagement=started).exists():
        summary.report_signed = started.number
