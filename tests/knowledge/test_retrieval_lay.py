"""The lay question set (issue 25) and the final retrieval method on small real samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from codi.knowledge import assistant, retrieval
from codi.knowledge.evaluation import LAY_QUESTIONS, act_hit_rate, read_lay_questions, score_lay
from codi.knowledge.models import AnswerStatus
from codi.knowledge.parser import parse_act
from codi.knowledge.services import BUNDLED_DIR, question_ask
from tests.permissions import Matrix, signed_in_client


def test_the_lay_set_is_split_before_tuning_and_every_gold_section_exists():
    questions = read_lay_questions()
    tune, test = read_lay_questions(split="tune"), read_lay_questions(split="test")
    assert len(questions) >= 150 and len(tune) + len(test) == len(questions)
    assert min(len(tune), len(test)) >= 70
    assert len({q.question for q in questions}) == len(questions)
    assert {"wrong_act", "two_sections"} <= {k for q in questions for k in q.kind.split()}
    numbers: dict[str, set[str]] = {}
    for q in questions:
        if q.act_id not in numbers:
            text = (BUNDLED_DIR / f"{q.act_id}.txt").read_text(encoding="utf-8")
            numbers[q.act_id] = {s.number for s in parse_act(text).sections}
        assert set(q.sections) <= numbers[q.act_id], q.qid


def test_the_split_is_the_documented_hash_rule():
    import hashlib

    for q in read_lay_questions():
        expected = "tune" if hashlib.sha256(q.question.encode()).digest()[0] % 2 == 0 else "test"
        assert q.split == expected, q.qid
    assert Path(LAY_QUESTIONS).with_name("LAY_QUESTIONS.md").is_file()


def test_scoring_counts_any_gold_section_and_the_act():
    q = read_lay_questions()[0]
    other = (q.act_id, "9999")
    gold = (q.act_id, q.sections[-1])
    scores = score_lay([q], {q.qid: [("1", "1"), other, gold]})
    assert (scores.hr1, scores.hr5, scores.mrr10) == (0.0, 1.0, round(1 / 3, 3))
    assert act_hit_rate([q], {q.qid: [other]}) == 1.0
    assert score_lay([q], {q.qid: [other]}).hr10 == 0.0


def test_fusion_weights_lexical_and_dense_ranks_and_lifts_the_act_the_pool_agrees_on():
    pools = retrieval.Pools(
        lexical=[("A:1", 9.0), ("B:7", 8.0), ("A:2", 7.0)],
        dense=[("B:7", 0.9), ("C:3", 0.8), ("A:2", 0.7)],
        question_terms=frozenset(),
    )
    plain = retrieval.fuse(
        pools, retrieval.FinalWeights(lexical=1.0, dense=1.0, rrf_k=60, act=0.0, title=0.0)
    )
    assert plain[0][0] == "B:7"  # first and second in the two lists beats first in one
    dense_heavy = retrieval.fuse(
        pools, retrieval.FinalWeights(lexical=0.1, dense=1.0, rrf_k=1, act=0.0, title=0.0)
    )
    assert [oid for oid, _ in dense_heavy][:2] == ["B:7", "C:3"]
    routed = retrieval.fuse(
        pools, retrieval.FinalWeights(lexical=1.0, dense=1.0, rrf_k=1, act=5.0, title=0.0)
    )
    assert {oid for oid, _ in routed[:2]} == {"A:1", "A:2"}  # Act A holds most of the fused mass


@pytest.mark.django_db
def test_final_retrieval_finds_the_traffic_data_section_on_real_acts(statutes):
    ranking = retrieval.retrieve_law("ผู้ให้บริการอินเทอร์เน็ตต้องเก็บข้อมูลการใช้งานของลูกค้าไว้นานเท่าไร", k=5)
    # Lexical only here (no vectors in tests): the retention section is among the first five.
    assert "556460:26" in [object_id for object_id, _ in ranking]
    with pytest.raises(ValueError):
        retrieval.retrieve_law("x", method="magic")


@pytest.mark.django_db
def test_a_question_naming_the_act_gets_that_acts_sections_first(statutes):
    question = "ตามกฎหมายธุรกรรมทางอิเล็กทรอนิกส์ ลายมือชื่อแบบไหนเชื่อถือได้"
    ranking = retrieval.retrieve_law(question, k=3)
    assert all(oid.startswith("570721:") for oid, _ in ranking)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "question",
    [
        "กฎหมาย PDPA บริษัทเอาเบอร์โทรของเราไปขายต่อได้ไหม",
        "พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล ต้องขอความยินยอมก่อนเก็บข้อมูลไหม",
    ],
)
def test_a_law_outside_the_corpus_gets_a_refusal_not_unrelated_sections_as_the_answer(statutes, question):
    answer = assistant.answer(question)
    assert answer.status == AnswerStatus.WEAK
    assert "คุ้มครองข้อมูลส่วนบุคคล" in answer.message or "ไม่พบมาตรา" in answer.message


@pytest.mark.django_db
def test_the_answer_page_says_the_corpus_may_be_outdated_and_links_the_official_source(
    matrix: Matrix, statutes
):
    owner = matrix.user("project_officer", "province", "40")
    turn = question_ask(actor=owner, question="ผู้ให้บริการต้องเก็บรักษาข้อมูลจราจรทางคอมพิวเตอร์ไว้อย่างน้อยกี่วัน")
    assert turn.status == AnswerStatus.ANSWERED
    assert turn.sources and turn.sources[0]["act_id"] == "556460"
    html = signed_in_client(owner).get(f"/knowledge/conversations/{turn.conversation_id}/").content.decode()
    assert 'class="note corpus-version"' in html
    assert 'href="https://www.krisdika.go.th/librarian/getfile?sysid=556460&amp;ext=htm"' in html
    assert f'href="{assistant.OFFICIAL_SOURCE_URL}"' in html  # the current text, by the law search
    assert "<mark>" in html  # the answering sentences are highlighted


@pytest.mark.django_db
def test_a_refused_turn_citing_no_statute_shows_no_source_line(matrix: Matrix, statutes):
    owner = matrix.user("project_officer", "province", "40")
    turn = question_ask(actor=owner, question="วิธีทำต้มยำกุ้งให้อร่อย")
    assert turn.status == AnswerStatus.WEAK
    html = signed_in_client(owner).get(f"/knowledge/conversations/{turn.conversation_id}/").content.decode()
    if not turn.answer.get("passages"):
        assert "corpus-version" not in html
