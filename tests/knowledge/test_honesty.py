"""The assistant says when it does not hold the law asked about, cites the plan's excerpts as
excerpts, and shows weak matches as "may be related", never as the answer."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from codi.knowledge import assistant
from codi.knowledge.excerpts import EXCERPT_LABEL, plan_excerpts_import
from codi.knowledge.models import Act, ActKind, AnswerStatus, Section, Turn
from codi.knowledge.named_laws import named_laws
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def excerpts(statutes):
    return plan_excerpts_import()


def test_the_plan_excerpts_import_once_labelled_as_excerpts(statutes):
    first = plan_excerpts_import()
    again = plan_excerpts_import()
    assert (first.created, again.created, again.unchanged) == (11, 0, 11)
    decree = Act.objects.get(act_id="plan-2.3.2")
    assert decree.kind == ActKind.EXCERPT and decree.marker == "หัวข้อ"
    assert decree.title.startswith("พระราชกฤษฎีกาจัดตั้งสถาบันพัฒนาองค์กรชุมชน") and EXCERPT_LABEL in decree.title
    powers = Section.objects.get(act=decree, number="2.3.2.2").body
    assert "มาตรา 20" in powers and "คณะกรรมการ" in powers


def test_a_question_naming_a_law_not_held_says_so_and_how_to_add_it(statutes):
    answer = assistant.answer("พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล ให้เปิดเผยข้อมูลโดยไม่ได้รับความยินยอมได้หรือไม่")
    assert answer.status == AnswerStatus.WEAK
    assert "คุ้มครองข้อมูลส่วนบุคคล" in answer.message
    assert "ไม่พบ" in answer.message and "import_statutes" in answer.message


def test_once_the_excerpts_are_in_the_same_question_cites_them_as_excerpts(excerpts):
    answer = assistant.answer("พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล ให้เปิดเผยข้อมูลโดยไม่ได้รับความยินยอมได้หรือไม่")
    assert answer.passages[0].act_id == "plan-2.3.4"
    assert answer.passages[0].excerpt
    assert assistant.MSG_EXCERPT in answer.notes


def test_the_boards_powers_come_from_codis_decree(excerpts):
    answer = assistant.answer("คณะกรรมการสถาบันพัฒนาองค์กรชุมชนมีอำนาจหน้าที่อะไรบ้าง")
    assert answer.status == AnswerStatus.ANSWERED
    assert answer.passages[0].act_id == "plan-2.3.2"


@pytest.mark.parametrize(
    ("question", "held"),
    [
        ("ตามประมวลกฎหมายที่ดิน การออกโฉนดต้องทำอย่างไร", False),
        ("พ.ร.บ.ควบคุมอาคาร ต้องขออนุญาตไหม", False),
        ("Land Code: who can hold a title deed?", False),
        ("พระราชบัญญัติว่าด้วยการกระทำความผิดเกี่ยวกับคอมพิวเตอร์ มาตรา 26 ว่าอย่างไร", True),
        ("พรบ.ข้อมูลข่าวสารของราชการ ขอดูเอกสารได้ไหม", True),
    ],
)
def test_named_laws_are_found_in_the_question_and_looked_up(statutes, question, held):
    laws = named_laws(question)
    assert len(laws) == 1 and laws[0].held is held


def test_words_after_a_law_kind_are_not_taken_for_a_name(statutes):
    assert named_laws("วัตถุประสงค์ตามพระราชกฤษฎีกามีอะไรบ้าง") == []
    assert named_laws("ผู้ให้บริการต้องเก็บข้อมูลจราจรกี่วัน") == []


def test_the_page_shows_weak_matches_as_may_be_related_and_a_visible_feedback_button(
    matrix: Matrix, statutes
):
    client = signed_in_client(matrix.user("project_officer", "province", "40"))
    response = client.post(
        "/knowledge/", {"question": "ตามประมวลกฎหมายที่ดิน การออกโฉนดที่ดินต้องทำอย่างไร"}, follow=True
    )
    html = response.content.decode()
    assert Turn.objects.get().status == AnswerStatus.WEAK
    assert "ประมวลกฎหมายที่ดิน" in html and "import_statutes" in html
    if Turn.objects.get().answer["passages"]:
        assert "Sections that answer" not in html and "มาตราที่ตอบคำถาม" not in html
    css = client.get("/static/knowledge/knowledge.css")
    if css.status_code == 200:  # served by the test server only when static files are found
        assert b".feedback .linkbutton" in b"".join(css.streaming_content)


def test_import_plan_excerpts_command(statutes, capsys):
    call_command("import_plan_excerpts")
    assert "11 new" in capsys.readouterr().out
