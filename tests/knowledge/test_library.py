"""Knowledge library and question-and-answer board: writes, visibility, search, pages, area panel."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from codi.knowledge import selectors, services
from codi.knowledge.models import ARTICLE_SOURCE, QUESTION_SOURCE, Article, ArticleKind, ArticleStatus
from codi.search import services as search_services
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db


def _article(actor, **kwargs) -> Article:
    values = {
        "kind": ArticleKind.PRACTICE,
        "title": "กองทุนสวัสดิการชุมชนที่ยั่งยืน",
        "body": "ชุมชนท่าพระตั้งกองทุนสวัสดิการ สมาชิกออมวันละหนึ่งบาท ดูแลการเกิด แก่ เจ็บ ตาย",
        "topics": "สวัสดิการ, การออม",
    }
    values.update(kwargs)
    article = services.article_create(actor=actor, **values)
    search_services.index_update(source=ARTICLE_SOURCE, object_ids=[str(article.pk)])
    return article


def test_staff_articles_are_published_and_leaders_wait_for_review(matrix):
    officer = matrix.user("project_officer", "province", "40")
    leader = matrix.user("community_leader", "subdistrict", "400104")

    staff_article = _article(officer)
    leader_article = _article(leader, title="บ้านมั่นคงริมคลอง", subdistrict_code="400104")

    assert staff_article.status == ArticleStatus.PUBLISHED
    assert leader_article.status == ArticleStatus.PENDING
    other_leader = matrix.user("community_leader", "subdistrict", "100101")
    visible = {a.pk for a in selectors.article_list(actor=other_leader)}
    assert staff_article.pk in visible and leader_article.pk not in visible
    assert leader_article.pk in {a.pk for a in selectors.article_list(actor=leader)}


def test_only_knowledge_officers_publish(matrix):
    leader = matrix.user("community_leader", "subdistrict", "400104")
    article = _article(leader)
    with pytest.raises(PermissionDenied):
        services.article_publish(actor=matrix.user("project_officer", "country"), article=article)

    published = services.article_publish(actor=matrix.user("knowledge_officer", "country"), article=article)

    assert published.status == ArticleStatus.PUBLISHED


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [("", "เนื้อหา", "Title is required"), ("หัวข้อ", "", "Text is required"), ("ก" * 301, "x", "longer than")],
)
def test_bad_articles_are_refused_and_nothing_is_written(matrix, title, body, message):
    officer = matrix.user("project_officer", "country")
    with pytest.raises(ValidationError) as error:
        services.article_create(actor=officer, kind="practice", title=title, body=body)
    assert message in " ".join(error.value.messages)
    assert not Article.objects.exists()


def test_unknown_area_code_is_refused(matrix):
    with pytest.raises(ValidationError, match="Unknown subdistrict"):
        _article(matrix.user("project_officer", "country"), subdistrict_code="999999")


def test_search_finds_articles_by_their_words(matrix):
    officer = matrix.user("project_officer", "country")
    welfare = _article(officer)
    housing = _article(officer, title="ปรับปรุงบ้านริมคลอง", body="ชุมชนรวมกลุ่มออกแบบบ้านใหม่และเช่าที่ดินระยะยาว")

    hits = selectors.article_list(actor=officer, query="กองทุนสวัสดิการ")

    assert [a.pk for a in hits][:1] == [welfare.pk]
    assert housing.pk not in [a.pk for a in hits][:1]


def test_lesson_from_a_project_is_made_once(matrix):
    officer = matrix.user("project_officer", "country")
    first = services.lesson_from_project(
        actor=officer, project_id=42, title="บทเรียนโครงการ", body="สิ่งที่ได้เรียนรู้"
    )
    again = services.lesson_from_project(actor=officer, project_id=42, title="อีกครั้ง", body="ซ้ำ")

    assert first.pk == again.pk and first.kind == ArticleKind.LESSON
    assert Article.objects.filter(source_project_id=42).count() == 1


def test_questions_answers_and_acceptance(matrix):
    leader = matrix.user("community_leader", "subdistrict", "400104")
    officer = matrix.user("project_officer", "country")
    question = services.question_post(
        actor=leader, title="ขอเบิกงวดที่สองต้องใช้เอกสารอะไร", subdistrict_code="400104"
    )
    answer = services.answer_post(actor=officer, question=question, body="รายงานความก้าวหน้างวดแรกและใบเสร็จ")
    search_services.index_update(source=QUESTION_SOURCE, object_ids=[str(question.pk)])

    with pytest.raises(PermissionDenied):
        services.answer_accept(actor=matrix.user("project_officer", "country"), answer=answer)
    services.answer_accept(actor=leader, answer=answer)

    answer.refresh_from_db()
    assert answer.is_accepted
    assert [q.pk for q in selectors.question_list(actor=officer, query="ใบเสร็จ")] == [question.pk]
    related = selectors.related_knowledge(actor=officer, area_code="4001")
    assert [q.pk for q in related["questions"]] == [question.pk]


def test_partner_agencies_have_no_library(matrix):
    partner = matrix.user("partner_agency", "country")
    with pytest.raises(PermissionDenied):
        selectors.article_list(actor=partner)
    with pytest.raises(PermissionDenied):
        services.question_post(actor=partner, title="คำถาม")


# --- pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["knowledge_library", "knowledge_questions", "knowledge_article_new"])
def test_library_pages_permission_matrix(matrix, name):
    # Knowledge is shared nationally: there is no out-of-area refusal, only a wrong role.
    url = reverse(name)
    matrix.check(
        lambda client: client.get(url),
        allowed=matrix.user("community_leader", "subdistrict", "400104"),
        wrong_role=matrix.user("partner_agency", "country"),
        out_of_scope=None,
    )


def test_article_page_hides_waiting_articles_from_other_people(matrix):
    author = matrix.user("community_leader", "subdistrict", "400104")
    article = _article(author)
    url = reverse("knowledge_article", args=[article.pk])
    matrix.check(
        lambda client: client.get(url),
        allowed=author,
        wrong_role=matrix.user("partner_agency", "country"),
        out_of_scope=matrix.user("community_leader", "subdistrict", "100101"),
    )


def test_question_page_and_answer_form(matrix):
    leader = matrix.user("community_leader", "subdistrict", "400104")
    question = services.question_post(actor=leader, title="ทำบัญชีกองทุนอย่างไร")
    url = reverse("knowledge_question", args=[question.pk])
    matrix.check(
        lambda client: client.get(url),
        allowed=matrix.user("project_officer", "province", "40"),
        wrong_role=matrix.user("partner_agency", "country"),
        out_of_scope=None,
    )

    response = signed_in_client(leader).post(url, {"body": ""})
    assert response.status_code == 422
    assert "Answer is required" in response.content.decode()
    response = signed_in_client(leader).post(url, {"body": "ใช้สมุดบัญชีรับจ่ายของ พอช."})
    assert response.status_code == 302
    assert question.answers.count() == 1


def test_creating_an_article_from_the_form(matrix):
    officer = matrix.user("project_officer", "province", "40")
    client = signed_in_client(officer)
    response = client.post(
        reverse("knowledge_article_new"),
        {"kind": "manual", "title": "คู่มือการเบิกจ่าย", "body": "ขั้นตอนการเบิกจ่ายงวดเงิน", "topics": "การเงิน"},
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "knowledge_article", args=[article.pk]
    )
    page = client.get(response["Location"])
    assert "คู่มือการเบิกจ่าย" in page.content.decode()


def test_library_list_query_count_does_not_grow_with_articles(matrix, django_assert_max_num_queries):
    officer = matrix.user("project_officer", "country")
    for n in range(15):
        _article(officer, title=f"บทความที่ {n}", subdistrict_code="400104")
    client = signed_in_client(officer)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("knowledge_library"))
    assert response.status_code == 200


def test_area_page_shows_related_knowledge(matrix):
    officer = matrix.user("project_officer", "province", "40")
    _article(officer, title="ตลาดชุมชนท่าพระ", subdistrict_code="400104")

    response = signed_in_client(officer).get(reverse("area_page", args=["400104"]))

    assert response.status_code == 200
    assert "ตลาดชุมชนท่าพระ" in response.content.decode()


def test_demo_knowledge_loads_once():
    from django.core.management import call_command

    from codi.web.demo import demo_load

    demo_load()
    call_command("load_knowledge_demo")
    call_command("load_knowledge_demo")

    assert Article.objects.filter(is_demo=True, status=ArticleStatus.PUBLISHED).count() == 5
    assert Article.objects.count() == 5


def test_a_closed_project_becomes_a_lesson_with_one_action(matrix):
    from tests.projects.factories import Cast, project_at

    cast = Cast.create()
    project = project_at("closed", cast=cast)
    url = reverse("knowledge_lesson_from_project", args=[project.pk])
    outsider = matrix.user("project_officer", "province", "10")
    assert signed_in_client(outsider).post(url).status_code == 404

    client = signed_in_client(cast.officer)
    page = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert 'id="knowledge-panel"' in page and 'id="make-lesson"' in page
    response = client.post(url)
    again = client.post(url)

    lesson = Article.objects.get(source_project_id=project.pk)
    assert response["Location"] == again["Location"] == reverse("knowledge_article", args=[lesson.pk])
    assert lesson.kind == ArticleKind.LESSON and project.title in lesson.title
    assert lesson.subdistrict_id == project.subdistrict_id
    page = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert 'id="make-lesson"' not in page


def test_an_open_project_cannot_become_a_lesson(matrix):
    from tests.projects.factories import Cast, project_at

    cast = Cast.create()
    project = project_at("screening", cast=cast)
    response = signed_in_client(cast.officer).post(
        reverse("knowledge_lesson_from_project", args=[project.pk])
    )
    assert response.status_code == 302 and not Article.objects.exists()
