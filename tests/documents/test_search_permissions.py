"""Search never returns, counts or snippets a document the user may not open (matrix over secrecy classes).

Each document holds a word common to all and a word of its own. For every kind
of user, the hits and the total for the common word are exactly the documents
the user may open (the same set the list and detail selectors give), and a
document's own word finds it only for those users — through the selector, the
API and the page.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from codi.documents import access, selectors, services
from codi.documents.models import Document
from tests.documents.conftest import docx_bytes, staff
from tests.permissions import signed_in_client

COMMON = "ฝายชะลอน้ำ"
# key: (classification, area, own word)
DOCUMENTS = {
    "public": ("public", "", "ประชาสัมพันธ์"),
    "internal-kk": ("internal", "400104", "สะพานไม้ไผ่"),
    "internal-bkk": ("internal", "100101", "คลองผดุง"),
    "internal-national": ("internal", "", "ระเบียบการเงิน"),
    "confidential-kk": ("confidential", "400104", "ค่าก่อสร้าง"),
    "confidential-national": ("confidential", "", "เงินเดือน"),
    "secret-kk": ("secret", "400104", "ทุจริต"),
}
VISIBLE = {
    "kk_officer": {"public", "internal-kk", "internal-national"},
    "bkk_officer": {"public", "internal-bkk", "internal-national"},
    "kk_director": {"public", "internal-kk", "internal-national", "confidential-kk"},
    "country_executive": {
        "public",
        "internal-kk",
        "internal-bkk",
        "internal-national",
        "confidential-kk",
        "confidential-national",
    },
    "named_reader": {"public", "internal-bkk", "internal-national", "secret-kk"},
    "community_leader": set(),
    "anonymous": set(),
}


@pytest.fixture
def world(db):
    users = {
        "kk_officer": staff("project_officer", "province", "40"),
        "bkk_officer": staff("project_officer", "province", "10"),
        "kk_director": staff("regional_director", "province", "40"),
        "country_executive": staff("executive", "country"),
        "named_reader": staff("hr_officer", "subdistrict", "100101"),
        "community_leader": staff("community_leader", "country"),
    }
    uploader = staff("regional_director", "country")  # may file confidential documents anywhere
    ids = {}
    for key, (classification, area, word) in DOCUMENTS.items():
        version = services.document_create(
            actor=uploader,
            fields=services.DocumentFields(
                title=f"เอกสาร {key}", classification=classification, area_code=area
            ),
            data=docx_bytes([f"บันทึกเรื่อง{COMMON} และเรื่อง{word} ของชุมชน"]),
            filename=f"{key}.docx",
        )
        services.version_process(version_id=version.pk)
        ids[key] = version.document_id
    services.document_readers_set(
        actor=uploader, document_id=ids["secret-kk"], user_ids=[users["named_reader"].pk]
    )
    # The uploader made the secret document and is its other named reader; nobody else is.
    return users, ids


def _user(users, name):
    return AnonymousUser() if name == "anonymous" else users[name]


@pytest.mark.parametrize("name", sorted(VISIBLE))
def test_search_hits_counts_and_snippets_follow_the_access_rule(world, name):
    users, ids = world
    user = _user(users, name)
    key_of = {v: k for k, v in ids.items()}
    visible = VISIBLE[name]

    for method in ("lexical", "hybrid"):
        # The common word: exactly the visible documents, and a count that says no more
        common = selectors.document_search(user=user, text=COMMON, method=method, limit=50)
        assert {key_of[h.document.pk] for h in common.hits} == visible
        assert common.total == len(visible)
        hidden_words = [DOCUMENTS[k][2] for k in DOCUMENTS if k not in visible]
        for hit in common.hits:
            assert not any(word in hit.hit.snippet_text for word in hidden_words)
        # Each document's own word finds it only for those who may open it
        for key, (_cls, _area, word) in DOCUMENTS.items():
            own = selectors.document_search(user=user, text=word, method=method)
            assert [key_of[h.document.pk] for h in own.hits] == ([key] if key in visible else [])
            assert own.total == (1 if key in visible else 0)

    # The list and the detail use the same rule
    assert {key_of[d.pk] for d in selectors.document_list(user=user)} == visible
    for key, document_id in ids.items():
        assert (selectors.document_get(user=user, document_id=document_id) is not None) == (key in visible)
        assert access.can_view(user, Document.objects.get(pk=document_id)) == (key in visible)


@pytest.mark.parametrize("name", ["kk_officer", "named_reader", "community_leader", "anonymous"])
def test_api_and_page_search_reveal_nothing_more(world, name):
    users, ids = world
    client = Client(HTTP_HOST="127.0.0.1") if name == "anonymous" else signed_in_client(users[name])
    visible = VISIBLE[name]

    api = client.get("/api/v1/documents/search", {"q": COMMON})
    page = client.get("/documents/", {"q": COMMON})

    if not visible:
        assert api.status_code in {401, 403}
        assert page.status_code in {302, 403}
        return
    body = api.json()
    assert body["total"] == len(visible)
    assert {h["document"]["id"] for h in body["hits"]} == {ids[k] for k in visible}
    html = page.content.decode()
    # The page's own content: the menu may hold the same word (e.g. "HR and payroll" names salaries).
    html = html[html.index("<main") : html.index("</main>")]
    for key, (_cls, _area, word) in DOCUMENTS.items():
        assert (f"/documents/{ids[key]}/" in html) == (key in visible)
        if key not in visible:
            assert word not in html
            assert word not in api.content.decode()
