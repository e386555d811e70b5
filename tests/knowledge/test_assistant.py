"""The assistant: cited answers, weak support, bad input, and the check of a generated answer."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from codi.knowledge import assistant
from codi.knowledge.models import AnswerStatus, Conversation, Feedback, Turn
from codi.knowledge.services import conversations_purge, feedback_record, question_ask
from tests.factories import UserFactory
from tests.permissions import Matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(matrix: Matrix):
    return matrix.user("project_officer", "province", "40")


def test_a_thai_question_is_answered_with_the_cited_section(statutes):
    answer = assistant.answer("ผู้ให้บริการต้องเก็บรักษาข้อมูลจราจรทางคอมพิวเตอร์ไว้อย่างน้อยกี่วัน")

    assert answer.status == AnswerStatus.ANSWERED
    cited = [p.id for p in answer.passages]
    assert "556460:26" in cited[:3]
    passage = answer.passages[cited.index("556460:26")]
    assert passage.label == "พระราชบัญญัติ ว่าด้วยการกระทำความผิดเกี่ยวกับคอมพิวเตอร์ พ.ศ. 2550, มาตรา 26"
    highlighted = [s for s in passage.sentences if s["answers"]]
    assert highlighted and any(is_match for s in highlighted for _, is_match in s["parts"])


def test_a_question_no_act_covers_is_answered_as_weak_support(statutes):
    answer = assistant.answer("วิธีทำต้มยำกุ้งให้อร่อย")
    assert answer.status == AnswerStatus.WEAK
    assert "ไม่พบมาตราที่ตอบคำถามนี้ได้ชัดเจน" in answer.message


def test_an_english_question_gets_a_clear_note(statutes):
    answer = assistant.answer("How long must service providers keep traffic data?")
    assert assistant.MSG_NOT_THAI in answer.notes
    # Without dense vectors an English question cannot match Thai text: weak, never invented.
    assert answer.status == AnswerStatus.WEAK


def test_empty_and_too_long_questions_are_refused_with_a_message(officer, statutes):
    with pytest.raises(ValidationError) as empty:
        question_ask(actor=officer, question="   ")
    assert assistant.MSG_EMPTY in empty.value.messages
    with pytest.raises(ValidationError) as long:
        question_ask(actor=officer, question="ก" * 5000)
    assert assistant.MSG_TOO_LONG in long.value.messages
    assert not Turn.objects.exists()


def test_ask_keeps_the_conversation_per_user(officer, matrix: Matrix, statutes):
    first = question_ask(actor=officer, question="หน่วยงานของรัฐต้องส่งข้อมูลข่าวสารลงพิมพ์ในราชกิจจานุเบกษา")
    second = question_ask(
        actor=officer, question="ข้อมูลข่าวสารส่วนบุคคลเปิดเผยได้เมื่อใด", conversation_id=first.conversation_id
    )
    assert second.conversation_id == first.conversation_id
    assert Conversation.objects.get().turns.count() == 2
    with pytest.raises(ValidationError):
        question_ask(
            actor=matrix.user("hr_officer", "country"),
            question="ทดสอบ",
            conversation_id=first.conversation_id,
        )


def test_a_community_leader_may_not_ask(matrix: Matrix, statutes):
    with pytest.raises(PermissionDenied):
        question_ask(actor=matrix.user("community_leader", "subdistrict", "400104"), question="ทดสอบ")


def test_feedback_is_stored_and_a_wrong_citation_must_be_one_of_the_answer(officer, statutes):
    turn = question_ask(actor=officer, question="ลายมือชื่ออิเล็กทรอนิกส์ที่เชื่อถือได้ต้องมีลักษณะอย่างไร")
    cited = turn.answer["passages"][0]["id"]

    feedback_record(actor=officer, turn_id=turn.pk, kind="up")
    feedback_record(actor=officer, turn_id=turn.pk, kind="wrong_citation", citation=cited, note="ผิดมาตรา")

    assert list(Feedback.objects.order_by("id").values_list("kind", "citation")) == [
        ("up", ""),
        ("wrong_citation", cited),
    ]
    with pytest.raises(ValidationError):
        feedback_record(actor=officer, turn_id=turn.pk, kind="wrong_citation", citation="999:1")
    with pytest.raises(PermissionDenied):
        feedback_record(actor=UserFactory(), turn_id=turn.pk, kind="up")


def test_conversations_older_than_the_retention_are_purged(officer, statutes):
    turn = question_ask(actor=officer, question="คณะกรรมการข้อมูลข่าวสารของราชการ")
    Conversation.objects.filter(pk=turn.conversation_id).update(updated_at="2020-01-01T00:00:00Z")
    question_ask(actor=officer, question="ข้อมูลข่าวสารส่วนบุคคล")

    assert conversations_purge(older_than_days=30) == 1
    assert Conversation.objects.count() == 1


# --- the optional language model, against a fake OpenAI-compatible server -------------------------

SUPPORTED = "ผู้ให้บริการต้องเก็บรักษาข้อมูลจราจรทางคอมพิวเตอร์ไว้ไม่น้อยกว่าเก้าสิบวันนับแต่วันที่ข้อมูลนั้นเข้าสู่ระบบคอมพิวเตอร์"
UNSUPPORTED = "ผู้ฝ่าฝืนจะถูกริบรถยนต์และเพิกถอนใบขับขี่ตลอดชีวิต"


class _FakeOpenAI(BaseHTTPRequestHandler):
    requests: list[dict] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(
            {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
        )
        reply = {"choices": [{"message": {"role": "assistant", "content": f"{SUPPORTED}\n{UNSUPPORTED}"}}]}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_llm(settings):
    _FakeOpenAI.requests = []
    server = HTTPServer(("127.0.0.1", 0), _FakeOpenAI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.KNOWLEDGE_LLM_BASE_URL = f"http://127.0.0.1:{server.server_port}/v1"
    settings.KNOWLEDGE_LLM_MODEL = "fake-model"
    settings.KNOWLEDGE_LLM_API_KEY = "test-key"
    yield _FakeOpenAI
    server.shutdown()
    server.server_close()


def test_an_unsupported_claim_from_the_model_is_flagged_not_shown_as_fact(
    fake_llm, statutes, officer, client
):
    answer = assistant.answer("ผู้ให้บริการต้องเก็บข้อมูลจราจรทางคอมพิวเตอร์ไว้กี่วัน")

    generated = answer.generated
    assert generated is not None
    assert [(s["text"], s["supported"]) for s in generated["sentences"]] == [
        (SUPPORTED, True),
        (UNSUPPORTED, False),
    ]
    assert generated["all_supported"] is False
    request = fake_llm.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer test-key"
    assert request["body"]["model"] == "fake-model"
    assert "มาตรา 26" in request["body"]["messages"][1]["content"]


def test_the_page_marks_the_unsupported_sentence(fake_llm, statutes, officer):
    from tests.permissions import signed_in_client

    client = signed_in_client(officer)
    response = client.post(
        "/knowledge/", {"question": "ผู้ให้บริการต้องเก็บข้อมูลจราจรทางคอมพิวเตอร์ไว้กี่วัน"}, follow=True
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<p class="supported">{SUPPORTED}</p>' in html
    assert '<p class="unsupported"' in html and UNSUPPORTED in html


def test_no_model_call_when_support_is_weak(fake_llm, statutes):
    answer = assistant.answer("วิธีทำต้มยำกุ้งให้อร่อย")
    assert answer.status == AnswerStatus.WEAK
    assert answer.generated is None
    assert fake_llm.requests == []


def test_an_unreachable_model_is_reported_not_fatal(settings, statutes):
    settings.KNOWLEDGE_LLM_BASE_URL = "http://127.0.0.1:9/v1"
    answer = assistant.answer("ผู้ให้บริการต้องเก็บข้อมูลจราจรทางคอมพิวเตอร์ไว้กี่วัน")
    assert answer.status == AnswerStatus.ANSWERED
    assert answer.generated is not None and answer.generated["error"]


def test_no_statutes_yet_is_said_plainly(db):
    answer = assistant.answer("ลูกจ้างลาคลอดได้กี่วัน")
    assert (answer.status, answer.message, answer.passages) == (
        AnswerStatus.WEAK,
        assistant.MSG_NO_CORPUS,
        [],
    )
