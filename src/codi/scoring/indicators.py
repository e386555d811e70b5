"""The indicator registry of the community-strength index.

Each indicator says what it measures (Thai and English), its unit, whether higher is better, its
source (a platform query through another app's read-only feed, or a survey question), its level
(organization or subdistrict), its period (the fiscal year, B.E., counted up to its last day) and
the FY2570 plan indicator it serves. ``observe(feeds, period)`` returns one ``Observation`` per
entity that *has* a value: an entity with no data is absent — missing, never zero — and every
observation keeps its inputs (numerator, denominator, record ids) as the snapshot a score can be
reproduced and opened from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from codi.core.thaidate import ce_year

ORGANIZATION = "organization"
SUBDISTRICT = "subdistrict"
PLATFORM = "platform"
SURVEY = "survey"
MAX_RECORD_IDS = 50


@dataclass(frozen=True)
class Observation:
    value: float
    inputs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Feeds:
    """Everything the indicators read for one period, loaded once (see ``services.feeds_load``)."""

    period: int
    as_of: date
    organizations: list[dict[str, Any]]
    members: dict[int, dict[str, int]]
    active_orgs: dict[str, int]
    projects: list[dict[str, Any]]
    loans: dict[int, dict[str, list[int]]]
    survey: dict[tuple[str, int], float]  # (question key, organization id) → accepted answer
    leaders_trained: dict[int, list[int]] = field(default_factory=dict)  # org → attendance ids
    tickets: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # subdistrict → due/in_time


@dataclass(frozen=True)
class IndicatorDef:
    key: str
    name_th: str
    name_en: str
    definition_th: str
    definition_en: str
    unit: str
    higher_is_better: bool
    source_kind: str  # platform | survey
    source: str  # the feed function, or the survey question
    level: str  # organization | subdistrict
    plan_indicator: str
    observe: Callable[[Feeds], dict[str, Observation]]
    period: str = "fiscal year (B.E.), to 30 September"
    survey_range: tuple[float, float] | None = None


def period_end(period: int) -> date:
    """The last day of fiscal year ``period`` (B.E.)."""
    return date(ce_year(period), 9, 30)


def _ids(ids: list[int]) -> list[int]:
    return sorted(ids)[:MAX_RECORD_IDS]


def _share(numerator: list[int], denominator: list[int], kind: str) -> Observation:
    return Observation(
        value=len(numerator) / len(denominator),
        inputs={"numerator": len(numerator), "denominator": len(denominator), kind: _ids(denominator)},
    )


def _projects_by(feeds: Feeds, key: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for p in feeds.projects:
        if p["fiscal_year"] > feeds.period:
            continue
        owner = p[key]
        if owner is None:
            continue
        out.setdefault(str(owner), []).append(p)
    return out


def _ended(projects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in projects if p["status"] in ("closed", "cancelled")]


# --- organization level -------------------------------------------------------------------


def _org_members(feeds: Feeds) -> dict[str, Observation]:
    return {
        str(org): Observation(float(m["members"]), {"members": m["members"], "committee": m["committee"]})
        for org, m in feeds.members.items()
    }


def _org_age(feeds: Feeds) -> dict[str, Observation]:
    out = {}
    for o in feeds.organizations:
        founded = o["founded_on"]
        if founded is None or founded > feeds.as_of:
            continue
        years = (feeds.as_of - founded).days / 365.25
        out[str(o["id"])] = Observation(round(years, 2), {"founded_on": founded.isoformat()})
    return out


def _completion(groups: dict[str, list[dict[str, Any]]]) -> dict[str, Observation]:
    out = {}
    for owner, projects in groups.items():
        ended = _ended(projects)
        if ended:
            closed = [p["id"] for p in ended if p["status"] == "closed"]
            out[owner] = _share(closed, [p["id"] for p in ended], "projects")
    return out


def _punctual(groups: dict[str, list[dict[str, Any]]]) -> dict[str, Observation]:
    out = {}
    for owner, projects in groups.items():
        on_time = [p["id"] for p in projects if p["late_steps"] == 0]
        out[owner] = _share(on_time, [p["id"] for p in projects], "projects")
    return out


def _returned(groups: dict[str, list[dict[str, Any]]]) -> dict[str, Observation]:
    out = {}
    for owner, projects in groups.items():
        returned = [p["id"] for p in projects if p["returned_reports"] > 0]
        out[owner] = _share(returned, [p["id"] for p in projects], "projects")
    return out


def _org_loans(feeds: Feeds) -> dict[str, Observation]:
    return {
        str(org): _share(v["over_90"], v["loans"], "loans") for org, v in feeds.loans.items() if v["loans"]
    }


def _org_leaders(feeds: Feeds) -> dict[str, Observation]:
    return {
        str(org): Observation(float(len(ids)), {"leaders": len(ids), "attendances": _ids(ids)})
        for org, ids in feeds.leaders_trained.items()
        if ids
    }


def _org_survey(question: str) -> Callable[[Feeds], dict[str, Observation]]:
    def observe(feeds: Feeds) -> dict[str, Observation]:
        return {
            str(org): Observation(value, {"survey_question": question})
            for (key, org), value in feeds.survey.items()
            if key == question
        }

    return observe


# --- subdistrict level --------------------------------------------------------------------


def _sd_orgs(feeds: Feeds) -> dict[str, Observation]:
    return {code: Observation(float(n), {"organizations": n}) for code, n in feeds.active_orgs.items()}


def _sd_members(feeds: Feeds) -> dict[str, Observation]:
    area = {o["id"]: o["subdistrict_id"] for o in feeds.organizations}
    totals: dict[str, int] = {}
    for org, m in feeds.members.items():
        code = area.get(org)
        if code:
            totals[code] = totals.get(code, 0) + m["members"]
    return {code: Observation(float(n), {"members": n}) for code, n in totals.items()}


def _sd_loans(feeds: Feeds) -> dict[str, Observation]:
    area = {o["id"]: o["subdistrict_id"] for o in feeds.organizations}
    pooled: dict[str, dict[str, list[int]]] = {}
    for org, v in feeds.loans.items():
        code = area.get(org)
        if code and v["loans"]:
            entry = pooled.setdefault(code, {"loans": [], "over_90": []})
            entry["loans"] += v["loans"]
            entry["over_90"] += v["over_90"]
    return {code: _share(v["over_90"], v["loans"], "loans") for code, v in pooled.items()}


def _sd_leaders(feeds: Feeds) -> dict[str, Observation]:
    area = {o["id"]: o["subdistrict_id"] for o in feeds.organizations}
    pooled: dict[str, list[int]] = {}
    for org, ids in feeds.leaders_trained.items():
        code = area.get(org)
        if code and ids:
            pooled.setdefault(code, []).extend(ids)
    return {
        code: Observation(float(len(ids)), {"leaders": len(ids), "attendances": _ids(ids)})
        for code, ids in pooled.items()
    }


def _sd_feedback(feeds: Feeds) -> dict[str, Observation]:
    return {code: _share(v["in_time"], v["due"], "tickets") for code, v in feeds.tickets.items() if v["due"]}


_PLAN_STRENGTH = (
    "FY2570 plan: community organizations assessed as strong (community-strength indicators program)"
)
_PLAN_PROJECTS = "FY2570 plan: projects completed with results as agreed"
_PLAN_CREDIT = "FY2570 plan: community credit repaid on schedule (NPL kept down)"
_PLAN_LEADERS = "FY2568–2570 plan: community leaders with digital skills (500 a year, 2,500 in all)"
_PLAN_VOICE = "FY2570 plan: the area's feedback answered within the service standard"
SELF_ASSESSMENT = "self_assessment"
PARTICIPATION = "participation"
SAVINGS = "savings"

REGISTRY: tuple[IndicatorDef, ...] = (
    IndicatorDef(
        key="org_members",
        name_th="จำนวนสมาชิกที่ยังเป็นสมาชิกอยู่",
        name_en="Active members",
        definition_th="จำนวนสมาชิกขององค์กรที่สมาชิกภาพยังมีผล ณ วันสิ้นปีงบประมาณ",
        definition_en="Members whose membership runs on the last day of the fiscal year",
        unit="คน",
        higher_is_better=True,
        source_kind=PLATFORM,
        source="codi.communities.scoring_feed.active_members_at",
        level=ORGANIZATION,
        plan_indicator=_PLAN_STRENGTH,
        observe=_org_members,
    ),
    IndicatorDef(
        key="org_age",
        name_th="อายุขององค์กร",
        name_en="Years since founding",
        definition_th="จำนวนปีนับจากวันก่อตั้งถึงวันสิ้นปีงบประมาณ",
        definition_en="Years from the founding date to the last day of the fiscal year",
        unit="ปี",
        higher_is_better=True,
        source_kind=PLATFORM,
        source="codi.communities.scoring_feed.organization_rows (founded_on)",
        level=ORGANIZATION,
        plan_indicator=_PLAN_STRENGTH,
        observe=_org_age,
    ),
    IndicatorDef(
        key="org_completion",
        name_th="สัดส่วนโครงการที่ปิดโครงการสำเร็จ",
        name_en="Share of ended projects closed as completed",
        definition_th="โครงการที่ปิดแล้ว หารด้วยโครงการที่สิ้นสุดแล้ว (ปิดหรือยกเลิก) ถึงปีงบประมาณนั้น",
        definition_en="Closed projects over ended (closed or cancelled) projects up to the fiscal year",
        unit="สัดส่วน",
        higher_is_better=True,
        source_kind=PLATFORM,
        source="codi.projects.scoring_feed.approved_projects (status)",
        level=ORGANIZATION,
        plan_indicator=_PLAN_PROJECTS,
        observe=lambda feeds: _completion(_projects_by(feeds, "lead_organization_id")),
    ),
    IndicatorDef(
        key="org_on_time",
        name_th="สัดส่วนโครงการที่ทำทุกขั้นตอนตรงเวลา",
        name_en="Share of projects with every step on time",
        definition_th="โครงการที่อนุมัติแล้วซึ่งไม่มีขั้นตอนใดเกินกำหนด หารด้วยโครงการที่อนุมัติแล้ว",
        definition_en="Approved projects with no step past its due date over approved projects",
        unit="สัดส่วน",
        higher_is_better=True,
        source_kind=PLATFORM,
        source="codi.projects.scoring_feed.approved_projects (late_steps)",
        level=ORGANIZATION,
        plan_indicator=_PLAN_PROJECTS,
        observe=lambda feeds: _punctual(_projects_by(feeds, "lead_organization_id")),
    ),
    IndicatorDef(
        key="org_reports_returned",
        name_th="สัดส่วนโครงการที่รายงานถูกส่งกลับให้แก้ไข",
        name_en="Share of projects with a progress report returned",
        definition_th="โครงการที่มีรายงานความก้าวหน้าถูกส่งกลับ หารด้วยโครงการที่อนุมัติแล้ว",
        definition_en="Approved projects with a progress report returned for changes over approved projects",
        unit="สัดส่วน",
        higher_is_better=False,
        source_kind=PLATFORM,
        source="codi.projects.scoring_feed.approved_projects (returned_reports)",
        level=ORGANIZATION,
        plan_indicator=_PLAN_PROJECTS,
        observe=lambda feeds: _returned(_projects_by(feeds, "lead_organization_id")),
    ),
    IndicatorDef(
        key="org_loans_over_90",
        name_th="สัดส่วนสินเชื่อที่ค้างชำระเกิน 90 วัน",
        name_en="Share of loans over 90 days in arrears",
        definition_th="สินเชื่อที่มีงวดค้างชำระเกิน 90 วันหรือตัดเป็นหนี้สูญ หารด้วยสินเชื่อที่เบิกจ่ายแล้ว",
        definition_en="Loans with an instalment unpaid over 90 days, or written off, over disbursed loans",
        unit="สัดส่วน",
        higher_is_better=False,
        source_kind=PLATFORM,
        source="codi.lending.scoring_feed.loans_by_organization",
        level=ORGANIZATION,
        plan_indicator=_PLAN_CREDIT,
        observe=_org_loans,
    ),
    IndicatorDef(
        key="org_leaders_trained",
        name_th="ผู้นำชุมชนที่ผ่านการอบรม",
        name_en="Community leaders trained",
        definition_th="จำนวนผู้นำขององค์กรที่อบรมหลักสูตรสำหรับผู้นำชุมชนจบในปีงบประมาณ (นับคนละหนึ่งครั้ง)",
        definition_en="Leaders of the organization who completed a community leaders' course in the fiscal year, each counted once",
        unit="คน",
        higher_is_better=True,
        source_kind=PLATFORM,
        source="codi.people.scoring_feed.leaders_trained_by_organization",
        level=ORGANIZATION,
        plan_indicator=_PLAN_LEADERS,
        observe=_org_leaders,
    ),
    IndicatorDef(
        key="org_self_assessment",
        name_th="การประเมินตนเองขององค์กร",
        name_en="Organization self-assessment",
        definition_th="คะแนนที่คณะกรรมการองค์กรประเมินความเข้มแข็งของตนเอง (1–5) ซึ่งเจ้าหน้าที่ตรวจรับแล้ว",
        definition_en="The committee's self-assessment of the organization's strength (1–5), reviewed by staff",
        unit="คะแนน",
        higher_is_better=True,
        source_kind=SURVEY,
        source="แบบสำรวจ: องค์กรของท่านเข้มแข็งเพียงใด (1 = น้อยที่สุด, 5 = มากที่สุด)",
        level=ORGANIZATION,
        plan_indicator=_PLAN_STRENGTH,
        observe=_org_survey(SELF_ASSESSMENT),
        survey_range=(1.0, 5.0),
    ),
    IndicatorDef(
        key="org_participation",
        name_th="การมีส่วนร่วมของสมาชิก",
        name_en="Members' participation",
        definition_th="ระดับที่สมาชิกเข้าร่วมประชุมและร่วมตัดสินใจขององค์กร (1–5) ตามแบบสำรวจที่เจ้าหน้าที่ตรวจรับแล้ว",
        definition_en="How far members attend meetings and take part in the organization's decisions (1–5), reviewed by staff",
        unit="คะแนน",
        higher_is_better=True,
        source_kind=SURVEY,
        source="แบบสำรวจ: สมาชิกเข้าร่วมประชุมและร่วมตัดสินใจขององค์กรมากเพียงใด (1 = น้อยที่สุด, 5 = มากที่สุด)",
        level=ORGANIZATION,
        plan_indicator=_PLAN_STRENGTH,
        observe=_org_survey(PARTICIPATION),
        survey_range=(1.0, 5.0),
    ),
    IndicatorDef(
        key="org_savings",
        name_th="การออมของสมาชิก",
        name_en="Members' savings",
        definition_th="ระดับที่สมาชิกออมเงินกับกลุ่มออมทรัพย์หรือกองทุนของชุมชนอย่างสม่ำเสมอ (1–5) ตามแบบสำรวจที่เจ้าหน้าที่ตรวจรับแล้ว",
        definition_en="How regularly members save with the community's savings group or fund (1–5), reviewed by staff",
        unit="คะแนน",
        higher_is_better=True,
        source_kind=SURVEY,
        source="แบบสำรวจ: สมาชิกออมเงินกับกลุ่มออมทรัพย์หรือกองทุนของชุมชนสม่ำเสมอเพียงใด (1 = น้อยที่สุด, 5 = มากที่สุด)",
        level=ORGANIZATION,
        plan_indicator=_PLAN_STRENGTH,
        observe=_org_survey(SAVINGS),
        survey_range=(1.0, 5.0),
    ),
    IndicatorDef(
        key="sd_organizations",
        name_th="จำนวนองค์กรชุมชนที่ดำเนินงานอยู่",
        name_en="Active community organizations",
        definition_th="องค์กรที่สถานะดำเนินงานอยู่และก่อตั้งก่อนวันสิ้นปีงบประมาณ",
        definition_en="Organizations active and founded by the last day of the fiscal year",
        unit="องค์กร",
        higher_is_better=True,
        source_kind=PLATFORM,
        source="codi.communities.scoring_feed.active_organization_counts",
        level=SUBDISTRICT,
        plan_indicator=_PLAN_STRENGTH,
        observe=_sd_orgs,
    ),
    IndicatorDef(
        key="sd_members",
        name_th="จำนวนสมาชิกองค์กรชุมชนในตำบล",
        name_en="Members of the subdistrict's organizations",
        definition_th="ผลรวมสมาชิกที่ยังเป็นสมาชิกอยู่ขององค์กรในตำบล",
        definition_en="Active members of the organizations in the subdistrict, summed",
        unit="คน",
        higher_is_better=True,
        source_kind=PLATFORM,
        source="codi.communities.scoring_feed.active_members_at",
        level=SUBDISTRICT,
        plan_indicator=_PLAN_STRENGTH,
        observe=_sd_members,
    ),
    IndicatorDef(
        key="sd_completion",
        name_th="สัดส่วนโครงการในตำบลที่ปิดโครงการสำเร็จ",
        name_en="Share of the subdistrict's ended projects closed as completed",
        definition_th="โครงการในตำบลที่ปิดแล้ว หารด้วยโครงการที่สิ้นสุดแล้ว",
        definition_en="Closed over ended projects in the subdistrict",
        unit="สัดส่วน",
        higher_is_better=True,
        source_kind=PLATFORM,
        source="codi.projects.scoring_feed.approved_projects (status)",
        level=SUBDISTRICT,
        plan_indicator=_PLAN_PROJECTS,
        observe=lambda feeds: _completion(_projects_by(feeds, "subdistrict_id")),
    ),
    IndicatorDef(
        key="sd_on_time",
        name_th="สัดส่วนโครงการในตำบลที่ทำทุกขั้นตอนตรงเวลา",
        name_en="Share of the subdistrict's projects with every step on time",
        definition_th="โครงการในตำบลที่ไม่มีขั้นตอนใดเกินกำหนด หารด้วยโครงการที่อนุมัติแล้ว",
        definition_en="Projects in the subdistrict with no late step over approved projects",
        unit="สัดส่วน",
        higher_is_better=True,
        source_kind=PLATFORM,
        source="codi.projects.scoring_feed.approved_projects (late_steps)",
        level=SUBDISTRICT,
        plan_indicator=_PLAN_PROJECTS,
        observe=lambda feeds: _punctual(_projects_by(feeds, "subdistrict_id")),
    ),
    IndicatorDef(
        key="sd_loans_over_90",
        name_th="สัดส่วนสินเชื่อในตำบลที่ค้างชำระเกิน 90 วัน",
        name_en="Share of the subdistrict's loans over 90 days in arrears",
        definition_th="สินเชื่อขององค์กรในตำบลที่ค้างเกิน 90 วัน หารด้วยสินเชื่อที่เบิกจ่ายแล้ว",
        definition_en="Loans of the subdistrict's organizations over 90 days in arrears over disbursed loans",
        unit="สัดส่วน",
        higher_is_better=False,
        source_kind=PLATFORM,
        source="codi.lending.scoring_feed.loans_by_organization",
        level=SUBDISTRICT,
        plan_indicator=_PLAN_CREDIT,
        observe=_sd_loans,
    ),
    IndicatorDef(
        key="sd_leaders_trained",
        name_th="ผู้นำชุมชนในตำบลที่ผ่านการอบรม",
        name_en="Community leaders of the subdistrict trained",
        definition_th="ผลรวมผู้นำขององค์กรในตำบลที่อบรมหลักสูตรสำหรับผู้นำชุมชนจบในปีงบประมาณ",
        definition_en="Leaders of the subdistrict's organizations who completed a leaders' course in the fiscal year",
        unit="คน",
        higher_is_better=True,
        source_kind=PLATFORM,
        source="codi.people.scoring_feed.leaders_trained_by_organization",
        level=SUBDISTRICT,
        plan_indicator=_PLAN_LEADERS,
        observe=_sd_leaders,
    ),
    IndicatorDef(
        key="sd_feedback_in_time",
        name_th="สัดส่วนเรื่องร้องเรียนในตำบลที่แก้ไขทันกำหนด",
        name_en="Share of the subdistrict's feedback resolved on time",
        definition_th="เรื่องร้องเรียนของปีงบประมาณที่แก้ไขเสร็จภายในกำหนด หารด้วยเรื่องที่ถึงกำหนดแก้ไขแล้ว",
        definition_en="Tickets of the fiscal year resolved by their due time over tickets whose resolution is due",
        unit="สัดส่วน",
        higher_is_better=True,
        source_kind=PLATFORM,
        source="codi.feedback.scoring_feed.tickets_by_subdistrict",
        level=SUBDISTRICT,
        plan_indicator=_PLAN_VOICE,
        observe=_sd_feedback,
    ),
)


def indicators(level: str | None = None) -> list[IndicatorDef]:
    return [i for i in REGISTRY if level is None or i.level == level]


def indicator(key: str) -> IndicatorDef | None:
    return next((i for i in REGISTRY if i.key == key), None)
