"""Topic tags suggested on the question-and-answer board when a question is written (issue 25).

What a good answer is: a flooded-house question gets the disaster topic (its cue words are in the
text), a tag the board already uses is offered when the question names it, and nothing is tagged
until the author ticks a suggestion and posts.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from codi.knowledge import selectors, services
from codi.knowledge.models import Question
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db

FLOOD = {
    "title": "น้ำท่วมบ้านพังทั้งหลัง จะขอซ่อมบ้านจากกองทุนได้ไหม",
    "body": "ปีนี้น้ำท่วมหนัก บ้านริมคลองพังหลายหลัง",
    "topics": "",
    "area": "",
}


def test_checking_a_question_suggests_topics_and_posts_nothing(matrix):
    leader = matrix.user("community_leader", "subdistrict", "400104")
    services.question_post(actor=leader, title="กองทุนซ่อมบ้านใช้เอกสารอะไร", topics="กองทุนซ่อมบ้าน")
    assert selectors.question_topic_tags() == ["กองทุนซ่อมบ้าน"]
    before = Question.objects.count()
    response = signed_in_client(leader).post(reverse("knowledge_questions"), {**FLOOD, "check": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="topic-suggestions"' in html
    offered = response.context["suggestions"]
    assert offered[0].topic == "ภัยพิบัติ"  # "น้ำท่วม" twice
    assert "น้ำท่วม" in offered[0].because
    assert "ที่อยู่อาศัย" in {s.topic for s in offered}  # "ซ่อมบ้าน"
    assert Question.objects.count() == before


def test_the_ticked_suggestions_are_saved_with_the_question_once(matrix):
    leader = matrix.user("community_leader", "subdistrict", "400104")
    response = signed_in_client(leader).post(
        reverse("knowledge_questions"),
        {**FLOOD, "topics": "ภัยพิบัติ", "accept": ["ภัยพิบัติ", "ที่อยู่อาศัย"]},
    )
    assert response.status_code == 302
    question = Question.objects.get(title=FLOOD["title"])
    assert question.topics == "ภัยพิบัติ, ที่อยู่อาศัย"


def test_a_question_in_english_gets_no_suggestion_and_keeps_its_text(matrix):
    leader = matrix.user("community_leader", "subdistrict", "400104")
    english = {**FLOOD, "title": "Our house was flooded, can the fund repair it?", "body": "", "check": "1"}
    response = signed_in_client(leader).post(reverse("knowledge_questions"), english)
    assert response.status_code == 200
    assert response.context["suggestions"] == []
    assert english["title"] in response.content.decode()


def test_suggestions_are_refused_to_a_role_without_the_board(matrix):
    partner = matrix.user("partner_agency", "country")
    response = signed_in_client(partner).post(reverse("knowledge_questions"), {**FLOOD, "check": "1"})
    assert response.status_code == 403
    assert not Question.objects.exists()
