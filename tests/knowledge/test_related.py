"""Related knowledge beside an article and "someone asked this before" on the board, by meaning."""

from __future__ import annotations

import pytest
from django.urls import reverse

from codi.knowledge import related, services
from codi.knowledge.models import ARTICLE_SOURCE, QUESTION_SOURCE, ArticleKind, ArticleStatus
from codi.search import services as search_services
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db

# Questions as people on the board ask them. The one being typed asks the first again in other words
# (จดทะเบียน ที่ไหน / ขึ้นทะเบียน หน่วยงานใด); a good answer lists it and none of the others.
ASKED = (
    "กองทุนสวัสดิการชุมชน ขึ้นทะเบียนกองทุนกับหน่วยงานใด",
    "เอกสารที่ต้องใช้ในการขอเบิกงวดเงินโครงการ",
    "วิธีปลูกผักปลอดสารพิษในแปลงรวม",
    "การเลือกตั้งคณะกรรมการสภาองค์กรชุมชน",
)
TYPED = "กองทุนสวัสดิการชุมชนต้องจดทะเบียนที่ไหน"


def _questions(actor, *, embed: bool):
    made = [services.question_post(actor=actor, title=title) for title in ASKED]
    services.answer_post(actor=actor, question=made[0], body="ยื่นขึ้นทะเบียนกับ พอช. ผ่านเครือข่ายจังหวัด")
    search_services.index_update(source=QUESTION_SOURCE, object_ids=[str(q.pk) for q in made])
    if embed:
        search_services.index_embed_pending(source=QUESTION_SOURCE)
    return made


def test_a_question_asked_again_in_other_words_is_found_by_meaning(matrix):
    officer = matrix.user("project_officer", "province", "40")
    made = _questions(officer, embed=True)

    found = related.similar_questions(actor=officer, text=TYPED)
    assert [s.item.pk for s in found] == [made[0].pk] and found[0].by == related.BY_MEANING
    assert found[0].item.answer_count == 1
    found = related.similar_questions(actor=officer, text="ขอเบิกเงินงวดที่สองต้องแนบเอกสารอะไรบ้าง")
    assert [s.item.pk for s in found] == [made[1].pk]
    assert related.similar_questions(actor=officer, text="ราคาน้ำมันวันนี้เท่าไร") == []


def test_while_vectors_are_not_ready_the_words_decide(matrix):
    officer = matrix.user("project_officer", "province", "40")
    made = _questions(officer, embed=False)

    found = related.similar_questions(actor=officer, text=TYPED)
    assert [s.item.pk for s in found] == [made[0].pk] and found[0].by == related.BY_WORDS
    assert related.similar_questions(actor=officer, text="") == []
    assert related.similar_questions(actor=officer, text="How do I register a welfare fund?") == []


def test_the_board_checks_before_posting_and_as_the_question_is_typed(matrix):
    officer = matrix.user("project_officer", "province", "40")
    made = _questions(officer, embed=False)
    client = signed_in_client(officer)

    checked = client.post(reverse("knowledge_questions"), {"title": TYPED, "check": "1"})
    html = checked.content.decode()
    assert checked.status_code == 200 and 'id="asked-before"' in html
    assert reverse("knowledge_question", args=[made[0].pk]) in html and f'value="{TYPED}"' in html
    assert len(ASKED) == made[0].__class__.objects.count()  # checking posts nothing

    typed = client.get(reverse("knowledge_questions_similar"), {"q": TYPED}).json()["questions"]
    assert [q["url"] for q in typed] == [reverse("knowledge_question", args=[made[0].pk])]

    page = client.get(reverse("knowledge_question", args=[made[0].pk])).content.decode()
    assert 'id="asked-before"' not in page  # a question is not "asked before" on its own page

    partner = signed_in_client(matrix.user("partner_agency", "country"))
    assert partner.get(reverse("knowledge_questions_similar"), {"q": TYPED}).status_code == 403


def test_related_knowledge_on_an_article_never_shows_a_waiting_article(matrix):
    officer = matrix.user("project_officer", "province", "40")
    leader = matrix.user("community_leader", "subdistrict", "400104")
    flood = services.article_create(
        actor=officer,
        kind=ArticleKind.LESSON,
        title="บทเรียนการฟื้นฟูหลังน้ำท่วม",
        summary="ชุมชนทำแผนที่จุดเสี่ยงและทีมอาสาก่อนน้ำมา",
        body="หลังน้ำท่วมใหญ่ ชุมชนทำแผนที่จุดเสี่ยง ตั้งทีมอาสาเตือนภัย และกองทุนฟื้นฟูบ้าน",
    )
    plan = services.article_create(
        actor=officer,
        kind=ArticleKind.PRACTICE,
        title="แผนอพยพชุมชนเมื่อน้ำท่วม",
        summary="ทีมอาสาเตือนภัยและจุดอพยพของชุมชนเมื่อน้ำท่วม",
        body="ชุมชนกำหนดจุดอพยพ ทีมอาสาเตือนภัยทางเสียงตามสาย และแผนที่จุดเสี่ยงน้ำท่วม",
    )
    market = services.article_create(
        actor=officer,
        kind=ArticleKind.PRACTICE,
        title="ตลาดชุมชนขายผลผลิตเกษตร",
        body="กลุ่มเกษตรกรตั้งวิสาหกิจชุมชน รวมผลผลิตขายตรงที่ตลาดนัดชุมชน",
    )
    waiting = services.article_create(
        actor=leader,
        kind=ArticleKind.PRACTICE,
        title="ทีมอาสาเตือนภัยน้ำท่วมของชุมชน",
        body="ชุมชนทำแผนที่จุดเสี่ยงน้ำท่วม ทีมอาสาเตือนภัย และจุดอพยพ",
    )
    assert waiting.status == ArticleStatus.PENDING
    ids = [str(a.pk) for a in (flood, plan, market, waiting)]
    search_services.index_update(source=ARTICLE_SOURCE, object_ids=ids)
    search_services.index_embed_pending(source=ARTICLE_SOURCE)

    html = signed_in_client(officer).get(reverse("knowledge_article", args=[flood.pk])).content.decode()
    related_html = html[html.index('id="related-knowledge"') :]
    assert reverse("knowledge_article", args=[plan.pk]) in related_html
    assert reverse("knowledge_article", args=[market.pk]) not in related_html
    assert reverse("knowledge_article", args=[waiting.pk]) not in html
    assert reverse("knowledge_article", args=[flood.pk]) not in related_html
    found = related.similar_articles(actor=leader, text=waiting.title + "\n" + waiting.body)
    assert waiting.pk not in [s.item.pk for s in found]  # not even for its own author
