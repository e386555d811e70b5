"""Each Act links to its own text at the Office of the Council of State, with the corpus's date."""

from __future__ import annotations

import pytest
from django.urls import reverse

from codi.knowledge.models import Act, ActKind, AnswerStatus, Conversation, Turn
from codi.knowledge.official import CORPUS_AS_OF_BE, KRISDIKA_FILE_URL, OCS_LAW_SEARCH_URL, official_source
from codi.knowledge.services import BUNDLED_DIR
from tests.permissions import Matrix, signed_in_client


def test_every_bundled_act_carries_the_council_of_states_identifier():
    # The thai-law file names are the Council of State library's sysid: each bundled Act gets its own link.
    ids = [p.stem for p in BUNDLED_DIR.glob("*.txt")]
    assert len(ids) == 28
    for act_id in ids:
        source = official_source(act_id, "พระราชบัญญัติ")
        assert source.is_exact and source.url == KRISDIKA_FILE_URL.format(sysid=act_id)
        assert source.search_url == OCS_LAW_SEARCH_URL and source.as_of_be == 2564


@pytest.mark.parametrize("act_id", ["codi-1a2b3c4d5e6f", "pdpa", "", "12"])
def test_an_act_without_an_identifier_gets_the_law_search_and_its_title(act_id):
    source = official_source(act_id, " พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒ ")
    assert not source.is_exact and source.url == OCS_LAW_SEARCH_URL
    assert source.title == "พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒"


@pytest.mark.django_db
def test_the_answer_lists_each_cited_act_once_with_its_own_link(matrix: Matrix):
    owner = matrix.user("project_officer", "province", "40")
    passages = [
        {"act_id": "556460", "act_title": "พ.ร.บ. คอมพิวเตอร์", "statute": True, "number": "26"},
        {"act_id": "556460", "act_title": "พ.ร.บ. คอมพิวเตอร์", "statute": True, "number": "27"},
        {"act_id": "302231", "act_title": "พ.ร.บ. ข้อมูลข่าวสาร", "statute": True, "number": "9"},
        {"act_id": "codi-abc", "act_title": "ระเบียบ พอช.", "statute": False, "number": "5"},
    ]
    conversation = Conversation.objects.create(user=owner, title="ถาม")
    turn = Turn.objects.create(
        conversation=conversation, question="ถาม", status=AnswerStatus.ANSWERED, answer={"passages": passages}
    )
    assert [(s["act_id"], s["url"]) for s in turn.sources] == [
        ("556460", KRISDIKA_FILE_URL.format(sysid="556460")),
        ("302231", KRISDIKA_FILE_URL.format(sysid="302231")),
    ]  # the CODI regulation is not a Council of State text
    html = signed_in_client(owner).get(f"/knowledge/conversations/{conversation.pk}/").content.decode()
    assert html.count('class="official-source"') == 2
    assert f"B.E. {CORPUS_AS_OF_BE}" in html or f"พ.ศ. {CORPUS_AS_OF_BE}" in html


@pytest.mark.django_db
def test_act_and_section_pages_link_the_official_text_but_a_regulation_does_not(matrix: Matrix):
    from codi.knowledge.models import Section

    act = Act.objects.create(act_id="556460", kind=ActKind.ACT, title="พ.ร.บ. คอมพิวเตอร์")
    Section.objects.create(act=act, number="1", ordinal=1, body="มาตรา ๑ พระราชบัญญัตินี้เรียกว่า")
    regulation = Act.objects.create(act_id="codi-abc", kind=ActKind.REGULATION, title="ระเบียบ พอช.")
    Section.objects.create(act=regulation, number="1", ordinal=1, body="ข้อ ๑ ระเบียบนี้")
    client = signed_in_client(matrix.user("project_officer", "province", "40"))
    url = KRISDIKA_FILE_URL.format(sysid="556460").replace("&", "&amp;")
    for page in (
        reverse("knowledge_act", args=["556460"]),
        reverse("knowledge_section", args=["556460", "1"]),
    ):
        assert url in client.get(page).content.decode()
    for page in (
        reverse("knowledge_act", args=["codi-abc"]),
        reverse("knowledge_section", args=["codi-abc", "1"]),
    ):
        assert "official-source" not in client.get(page).content.decode()
