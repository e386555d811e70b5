"""Recommendations from similar closed projects on a project page (issue 25, KM with AI).

A small real sample: a new market project in Khon Kaen; closed projects about a community market
(same program), a savings group (same province, other aims, other program), and a community
market in another province that a Khon Kaen officer may not see.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from codi.knowledge import services as knowledge_services
from codi.projects import similar
from codi.projects.models import Project, ProjectStatus
from tests.permissions import signed_in_client
from tests.projects.factories import Cast, ProgramFactory, new_project, staff

pytestmark = pytest.mark.django_db


def _closed(project: Project, *, subdistrict: str = "") -> Project:
    """Mark a draft as closed: the selector reads only status, texts, program and area, and driving
    four projects through the whole process would cost this small test minutes on a shared CI."""
    fields = {"status": ProjectStatus.CLOSED}
    if subdistrict:
        fields["subdistrict_id"] = subdistrict
    Project.objects.filter(pk=project.pk).update(**fields)
    return Project.objects.get(pk=project.pk)


@pytest.fixture
def sample():
    cast = Cast.create()
    market = ProgramFactory(code="MKT")
    savings = ProgramFactory(code="SAV", kind="welfare")
    # The market project that taught a lesson.
    market_done = _closed(
        new_project(
            cast=cast,
            program=market,
            title="ตลาดนัดชุมชนริมบึง",
            rationale="ชาวบ้านไม่มีที่ขายผักและสินค้าแปรรูป",
            objectives="สร้างตลาดนัดชุมชนให้ครัวเรือนมีรายได้เสริม",
        )
    )
    savings_done = _closed(
        new_project(
            cast=cast,
            program=savings,
            title="กองทุนสวัสดิการผู้สูงอายุ",
            rationale="ผู้สูงอายุเจ็บป่วยไม่มีเงินรักษา",
            objectives="ตั้งกองทุนออมเพื่อสวัสดิการ",
        )
    )
    far_market = _closed(
        new_project(
            cast=cast,
            program=market,
            title="ตลาดนัดชุมชนริมคลอง",
            rationale="ชาวบ้านไม่มีที่ขายผักและสินค้า",
            objectives="สร้างตลาดนัดชุมชนเพิ่มรายได้",
        ),
        subdistrict="100101",  # Bangkok: outside a Khon Kaen officer's scope
    )
    still_open = new_project(cast=cast, program=market, title="ตลาดนัดชุมชนหน้าวัด")
    current = new_project(
        cast=cast,
        program=market,
        title="ตลาดชุมชนขายผักปลอดสาร",
        rationale="ครัวเรือนปลูกผักแต่ไม่มีที่ขาย",
        objectives="เปิดตลาดนัดชุมชนเพิ่มรายได้ครัวเรือน",
    )
    officer = staff("knowledge_officer", "country")
    lesson = knowledge_services.lesson_from_project(
        actor=officer,
        project_id=market_done.pk,
        title="บทเรียนตลาดนัดชุมชนริมบึง",
        body="ตลาดอยู่ได้เมื่อคณะกรรมการตลาดมาจากผู้ขายเอง",
        summary="ให้ผู้ขายเป็นกรรมการตลาด",
    )
    knowledge_services.article_publish(actor=officer, article=lesson)
    return {
        "cast": cast,
        "current": current,
        "market_done": market_done,
        "savings_done": savings_done,
        "far_market": far_market,
        "still_open": still_open,
        "lesson": lesson,
    }


def test_the_closed_project_with_the_same_aims_and_program_comes_first_with_its_reasons(sample):
    country = staff("project_officer", "country")
    found = similar.similar_closed_projects(actor=country, project=sample["current"])
    ids = [s.project.pk for s in found]
    assert ids[0] == sample["market_done"].pk  # same program, same words, same district
    assert sample["still_open"].pk not in ids  # only closed projects are recommended
    assert sample["current"].pk not in ids
    top = found[0]
    assert top.reasons[:2] == (similar.REASON_WORDS, similar.REASON_PROGRAM)
    assert similar.REASON_DISTRICT in top.reasons
    assert "ตลาดนัด" in top.shared_words
    # The far market shares words and program but not the area: below the nearby one.
    assert ids.index(sample["far_market"].pk) == 1
    # The savings fund shares neither aims nor program: not "similar" just for being nearby.
    assert sample["savings_done"].pk not in ids


def test_a_user_never_sees_a_project_outside_their_scope_recommended(sample):
    officer = sample["cast"].officer  # project officer for Khon Kaen province only
    ids = [s.project.pk for s in similar.similar_closed_projects(actor=officer, project=sample["current"])]
    assert sample["market_done"].pk in ids
    assert sample["far_market"].pk not in ids


def test_a_user_without_project_access_gets_nothing(sample):
    nobody = staff("knowledge_officer", "country")  # knowledge, no project view
    assert similar.similar_closed_projects(actor=nobody, project=sample["current"]) == []


def test_project_page_shows_the_similar_project_its_reason_and_its_lesson(sample):
    client = signed_in_client(sample["cast"].officer)
    response = client.get(reverse("projects:project_detail", args=[sample["current"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="similar-projects"' in html
    assert f'data-project="{sample["market_done"].pk}"' in html
    assert f'data-project="{sample["far_market"].pk}"' not in html
    assert reverse("knowledge_article", args=[sample["lesson"].pk]) in html
    assert "ให้ผู้ขายเป็นกรรมการตลาด" in html


def test_project_page_is_refused_outside_scope(sample):
    client = signed_in_client(staff("project_officer", "province", "10"))  # Bangkok officer
    response = client.get(reverse("projects:project_detail", args=[sample["current"].pk]))
    assert response.status_code in (403, 404)


def test_a_demo_project_page_recommends_a_closed_project_with_its_lesson():
    """The demo loaders' output: a demo leader's market project, opened by the demo officer, recommends
    the closed demo market project and its published lesson, with the reasons shown."""
    from django.core.management import call_command

    from codi.identity.models import User
    from codi.projects.demo_lessons import LESSON_PROJECTS
    from codi.projects.generator import LEADER_SUBDISTRICT, projects_demo_load
    from codi.web.demo import demo_load

    demo_load()
    projects_demo_load(count=120)
    call_command("load_knowledge_demo")
    closed = {p.code: p for p in Project.objects.filter(code__startswith="DEMO-LESSON-")}
    assert sorted(closed) == sorted(lp.code for lp in LESSON_PROJECTS)
    assert {p.status for p in closed.values()} == {ProjectStatus.CLOSED}

    officer = User.objects.get(username="demo_officer")
    page = Project.objects.filter(subdistrict_id=LEADER_SUBDISTRICT, status=ProjectStatus.IN_PROGRESS).first()
    found = similar.similar_closed_projects(actor=officer, project=page)
    lesson_projects = [s for s in found if s.project.code in closed]
    assert lesson_projects, [s.project.code for s in found]
    best = lesson_projects[0]
    assert best.project.program_id == page.program_id
    assert similar.REASON_PROGRAM in best.reasons and similar.REASON_DISTRICT in best.reasons

    html = signed_in_client(officer).get(reverse("projects:project_detail", args=[page.pk])).content.decode()
    section = html[html.index('id="similar-projects"') :]
    assert best.project.title in section
    assert 'class="lesson"' in section
