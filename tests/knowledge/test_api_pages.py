"""Every knowledge endpoint and page under the permission matrix; the section in context; the schema."""

from __future__ import annotations

import json

import pytest

from codi.knowledge.models import Feedback, Turn
from codi.knowledge.services import question_ask
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db
QUESTION = "ผู้ให้บริการต้องเก็บรักษาข้อมูลจราจรทางคอมพิวเตอร์ไว้อย่างน้อยกี่วัน"

# Statutes are national law with no area: there is no out-of-scope user, only a wrong role
# (community leaders and API partners are not given the assistant).


def _post_json(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_ask_matrix(matrix: Matrix, statutes):
    matrix.check(
        lambda c: _post_json(c, "/api/v1/knowledge/ask", {"question": QUESTION}),
        allowed=matrix.user("finance_officer", "country"),
        wrong_role=matrix.user("community_leader", "subdistrict", "400104"),
        out_of_scope=None,
        allowed_ok=lambda r: r.status_code == 200 and r.json()["status"] == "answered",
    )


def test_ask_answers_with_citations_that_link_to_the_section(matrix: Matrix, statutes):
    client = signed_in_client(matrix.user("project_officer", "province", "40"))
    body = _post_json(client, "/api/v1/knowledge/ask", {"question": QUESTION}).json()

    top = {p["id"]: p for p in body["passages"]}["556460:26"]
    assert top["url"] == "/knowledge/acts/556460/sections/26/"
    assert top["label"].endswith("มาตรา 26")
    assert any(s["answers"] for s in top["sentences"])
    page = client.get(top["url"])
    assert page.status_code == 200
    assert "ไม่น้อยกว่าเก้าสิบวัน" in page.content.decode()


@pytest.mark.parametrize(
    ("question", "detail"),
    [("", "กรุณาพิมพ์คำถาม"), ("ก" * 5000, "คำถามยาวเกินไป")],
)
def test_ask_refuses_bad_input_with_a_clear_problem(matrix: Matrix, statutes, question, detail):
    client = signed_in_client(matrix.user("project_officer", "province", "40"))
    response = _post_json(client, "/api/v1/knowledge/ask", {"question": question})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert detail in json.dumps(response.json(), ensure_ascii=False)


def test_feedback_matrix(matrix: Matrix, statutes):
    owner = matrix.user("project_officer", "province", "40")
    turn = question_ask(actor=owner, question=QUESTION)
    matrix.check(
        lambda c: _post_json(c, f"/api/v1/knowledge/answers/{turn.pk}/feedback", {"kind": "down"}),
        allowed=owner,
        wrong_role=matrix.user("community_leader", "subdistrict", "400104"),
        out_of_scope=matrix.user("project_officer", "province", "40"),  # someone else's answer
    )
    assert list(Feedback.objects.values_list("kind", flat=True)) == ["down"]


def test_wrong_citation_feedback_through_the_api(matrix: Matrix, statutes):
    owner = matrix.user("project_officer", "province", "40")
    turn = question_ask(actor=owner, question=QUESTION)
    client = signed_in_client(owner)
    cited = turn.answer["passages"][0]["id"]
    ok = _post_json(
        client, f"/api/v1/knowledge/answers/{turn.pk}/feedback", {"kind": "wrong_citation", "citation": cited}
    )
    bad = _post_json(
        client, f"/api/v1/knowledge/answers/{turn.pk}/feedback", {"kind": "wrong_citation", "citation": "1:1"}
    )
    assert (ok.status_code, ok.json()["citation"]) == (201, cited)
    assert bad.status_code == 422


def test_conversation_endpoints_matrix(matrix: Matrix, statutes):
    owner = matrix.user("project_officer", "province", "40")
    turn = question_ask(actor=owner, question=QUESTION)
    matrix.check(
        lambda c: c.get("/api/v1/knowledge/conversations"),
        allowed=owner,
        wrong_role=matrix.user("community_leader", "subdistrict", "400104"),
        out_of_scope=matrix.user("hr_officer", "country"),
        allowed_ok=lambda r: [c["id"] for c in r.json()] == [turn.conversation_id],
        refused=lambda r: r.status_code == 403 or r.json() == [],
    )
    matrix.check(
        lambda c: c.get(f"/api/v1/knowledge/conversations/{turn.conversation_id}"),
        allowed=owner,
        wrong_role=matrix.user("community_leader", "subdistrict", "400104"),
        out_of_scope=matrix.user("hr_officer", "country"),
        allowed_ok=lambda r: r.status_code == 200 and r.json()[0]["turn_id"] == turn.pk,
    )


def test_section_endpoint_matrix_and_neighbours(matrix: Matrix, statutes):
    matrix.check(
        lambda c: c.get("/api/v1/knowledge/acts/570721/section?number=12/1"),
        allowed=matrix.user("procurement_officer", "country"),
        wrong_role=matrix.user("partner_agency", "province", "40"),
        out_of_scope=None,
        allowed_ok=lambda r: (
            r.status_code == 200
            and [s["number"] for s in r.json()["neighbours"]] == ["11", "12", "12/1", "13", "13/1"]
        ),
    )
    client = signed_in_client(matrix.user("procurement_officer", "country"))
    assert client.get("/api/v1/knowledge/acts/570721/section?number=999").status_code == 404


def test_index_status_matrix(matrix: Matrix, statutes):
    matrix.check(
        lambda c: c.get("/api/v1/knowledge/index"),
        allowed=matrix.user("knowledge_officer", "country"),
        wrong_role=matrix.user("project_officer", "province", "40"),
        out_of_scope=None,
        allowed_ok=lambda r: (
            r.status_code == 200
            and r.json() == {"acts": 3, "sections": 132, "embedded": 0, "dense_ready": False}
        ),
    )


@pytest.mark.parametrize(
    "path",
    [
        "/knowledge/",
        "/knowledge/acts/556460/",
        "/knowledge/acts/556460/sections/26/",
        "/knowledge/acts/570721/sections/12/1/",
    ],
)
def test_pages_matrix(matrix: Matrix, statutes, path):
    matrix.check(
        lambda c: c.get(path),
        allowed=matrix.user("executive", "country"),
        wrong_role=matrix.user("community_leader", "subdistrict", "400104"),
        out_of_scope=None,
    )


def test_conversation_page_matrix(matrix: Matrix, statutes):
    owner = matrix.user("project_officer", "province", "40")
    turn = question_ask(actor=owner, question=QUESTION)
    matrix.check(
        lambda c: c.get(f"/knowledge/conversations/{turn.conversation_id}/"),
        allowed=owner,
        wrong_role=matrix.user("community_leader", "subdistrict", "400104"),
        out_of_scope=matrix.user("project_officer", "province", "40"),
    )


def test_asking_on_the_page_shows_cited_sections_and_feedback_buttons(matrix: Matrix, statutes):
    client = signed_in_client(matrix.user("project_officer", "province", "40"))
    response = client.post("/knowledge/", {"question": QUESTION})
    turn = Turn.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/knowledge/conversations/{turn.conversation_id}/#turn-{turn.pk}"

    html = client.get(response["Location"]).content.decode()
    assert 'href="/knowledge/acts/556460/sections/26/"' in html
    assert "<mark>" in html
    assert 'value="wrong_citation"' in html

    feedback = client.post(f"/knowledge/answers/{turn.pk}/feedback/", {"kind": "up"})
    assert feedback.status_code == 302
    assert Feedback.objects.get().kind == "up"


def test_the_page_explains_bad_input(matrix: Matrix, statutes):
    client = signed_in_client(matrix.user("project_officer", "province", "40"))
    empty = client.post("/knowledge/", {"question": ""})
    long = client.post("/knowledge/", {"question": "ก" * 5000})
    weak = client.post("/knowledge/", {"question": "วิธีทำต้มยำกุ้งให้อร่อย"}, follow=True)

    assert empty.status_code == 422 and "กรุณาพิมพ์คำถาม" in empty.content.decode()
    assert long.status_code == 422 and "คำถามยาวเกินไป" in long.content.decode()
    assert "ไม่พบมาตราที่ตอบคำถามนี้ได้ชัดเจน" in weak.content.decode()


def test_the_section_page_shows_neighbours_in_order(matrix: Matrix, statutes):
    client = signed_in_client(matrix.user("project_officer", "province", "40"))
    html = client.get("/knowledge/acts/556460/sections/26/").content.decode()
    positions = [html.index(f'id="s-{n}"') for n in (24, 25, 26, 27, 28)]
    assert positions == sorted(positions)
    assert 'class="target"' in html


def test_nav_shows_the_assistant_to_staff_only(matrix: Matrix):
    staff = signed_in_client(matrix.user("hr_officer", "country")).get("/")
    leader = signed_in_client(matrix.user("community_leader", "subdistrict", "400104")).get("/")
    assert 'href="/knowledge/"' in staff.content.decode()
    assert 'href="/knowledge/"' not in leader.content.decode()
