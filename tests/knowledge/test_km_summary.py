"""Extractive summaries of final reports, offered when a lesson is drafted from a closed project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from codi.knowledge import km_summary
from codi.knowledge.services import BUNDLED_DIR
from codi.search.text import tokens

# A Baan Mankong final report as an officer writes one: the first line's second sentence is the
# outcome (what was built, on what land, by whom); the rain and the study visits are asides.
REPORT = (Path(__file__).parent / "data" / "final_report_baan_mankong.txt").read_text(encoding="utf-8")
KEY = "ชุมชนสร้างบ้านใหม่ได้ 48 หลังบนที่ดินที่เช่าระยะยาว 30 ปี โดยสมาชิกออมเงินและร่วมลงแรงก่อสร้างบ้านเอง"


def test_the_key_sentence_of_a_final_report_is_chosen_and_the_asides_are_not():
    summary = km_summary.summarise_report(REPORT)
    assert summary.problem == "" and len(summary.sentences) == 3
    assert KEY in summary.sentences
    assert km_summary.summarise_report(REPORT, max_sentences=1).sentences == (KEY,)
    assert not any("ฝนตกหนัก" in s or "ศึกษาดูงาน" in s for s in summary.sentences)
    order = [REPORT.index(s) for s in summary.sentences]
    assert order == sorted(order)  # kept in the report's own order


def test_thai_clauses_are_joined_into_sentences():
    # A space is not a full stop: a clause opening with a connective, a list item, or the unit after a
    # number stays with the sentence before it; a new line always starts a new sentence.
    assert km_summary.sentences("ชุมชนสำรวจครัวเรือน รายได้ และสิทธิในที่ดินด้วยตนเอง\nสมาชิกออม 300 บาททุกเดือน") == [
        "ชุมชนสำรวจครัวเรือน รายได้ และสิทธิในที่ดินด้วยตนเอง",
        "สมาชิกออม 300 บาททุกเดือน",
    ]


def test_on_the_library_samples_the_chosen_sentence_is_the_one_closest_to_the_authors_summary():
    # Gold: each sample's own summary, written by its author; the sentence of the body sharing the most
    # words with it. Measured: 4 of 5 agree (the manual's author summarised the documents to attach).
    articles = json.loads((BUNDLED_DIR.parent / "km_demo.json").read_text(encoding="utf-8"))["articles"]
    agreed = 0
    for article in articles:
        gold_words = set(tokens(article["summary"]))
        parts = km_summary.sentences(article["body"])
        gold = max(parts, key=lambda s: len(gold_words & set(tokens(s))) / len(set(tokens(s))))
        agreed += km_summary.summarise_report(article["body"], max_sentences=1).sentences == (gold,)
    assert agreed >= 4


def test_the_summary_fits_the_summary_field():
    long_report = "\n".join(f"{line} " * 6 for line in REPORT.splitlines())
    summary = km_summary.summarise_report(long_report)
    assert summary.sentences and len(summary.text) <= km_summary.SUMMARY_CHARS


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", km_summary.PROBLEM_EMPTY),
        ("   \n ", km_summary.PROBLEM_EMPTY),
        ("The community built 48 houses on land leased for 30 years.", km_summary.PROBLEM_NOT_THAI),
        ("12345 67890", km_summary.PROBLEM_NOT_THAI),
        ("ดำเนินการตามแผน", km_summary.PROBLEM_TOO_SHORT),
    ],
)
def test_a_report_that_cannot_be_summarised_says_why(text, problem):
    summary = km_summary.summarise_report(text)
    assert summary.sentences == () and summary.problem == problem


# --- drafting a lesson: the suggestion is shown, the author edits it, the edit is saved ------------


def _closed_project_with_report(narrative: str):
    from codi.projects.models import ProgressReport
    from tests.projects.factories import Cast, project_at

    cast = Cast.create()
    project = project_at("closed", cast=cast)
    ProgressReport.objects.filter(project=project, is_final=True).update(narrative=narrative)
    return cast, project


@pytest.mark.django_db
def test_the_author_sees_the_suggested_summary_edits_it_and_saves(matrix):
    from codi.knowledge.models import Article, ArticleKind
    from tests.permissions import signed_in_client

    cast, project = _closed_project_with_report(REPORT)
    url = reverse("knowledge_lesson_from_project", args=[project.pk])
    assert signed_in_client(matrix.user("project_officer", "province", "10")).get(url).status_code == 404

    client = signed_in_client(cast.officer)
    draft = client.get(url)
    html = draft.content.decode()
    assert draft.status_code == 200 and 'id="summary-suggestion"' in html and KEY in html
    assert 'name="accept" value="ที่อยู่อาศัย"' in html  # บ้านมั่นคง, สร้างบ้าน: a housing lesson
    assert not Article.objects.exists()  # a draft writes nothing

    edited = KEY + " ต้นทุนต่อหลังลดลงเพราะสมาชิกลงแรงเอง"
    saved = client.post(
        url,
        {
            "title": "บทเรียนบ้านมั่นคงบางบัว",
            "summary": edited,
            "body": REPORT,
            "topics": "",
            "accept": ["ที่อยู่อาศัย"],
        },
    )
    lesson = Article.objects.get(source_project_id=project.pk)
    assert saved.status_code == 302 and lesson.kind == ArticleKind.LESSON
    assert lesson.summary == edited and lesson.title == "บทเรียนบ้านมั่นคงบางบัว"
    assert lesson.topics == "ที่อยู่อาศัย"
    assert client.get(url)["Location"] == reverse("knowledge_article", args=[lesson.pk])


@pytest.mark.django_db
def test_a_report_in_english_gets_a_clear_message_and_an_empty_summary():
    from tests.permissions import signed_in_client

    cast, project = _closed_project_with_report("We built 48 houses. Members saved money for a year.")
    response = signed_in_client(cast.officer).get(reverse("knowledge_lesson_from_project", args=[project.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and 'id="summary-problem"' in html
    assert 'id="summary-suggestion"' not in html
    assert '<textarea name="summary" rows="4" maxlength="600"></textarea>' in html
