"""The governance and privacy pages, once exempt from the English check, are held to Thai like the rest.

Labels, statuses and codes are shown as Thai names; the only English left is developer-written
documentation (dataset and model-card prose, English labels beside the Thai), marked ``lang="en"``.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from codi.identity.models import User
from codi.web.demo import ACCOUNTS
from codi.web.templatetags.codi_labels import duplicate_reason, retention_job_name, retention_rule_name
from tests.crawl.crawler import ENGLISH_PAGES, crawl
from tests.permissions import signed_in_client

pytestmark = pytest.mark.django_db

PAGES = [
    "/governance/catalog/",
    "/governance/catalog/identity.User/",
    "/governance/catalog/core.AuditEntry/",
    "/governance/codes/",
    "/governance/ai/",
    "/governance/ai/feedback.sentiment/v1/",
    "/governance/masterdata/duplicates/",
    "/privacy/retention/",
]


def test_no_page_is_exempt_from_the_thai_check() -> None:
    assert ENGLISH_PAGES == {}


def test_keys_read_as_names_in_thai() -> None:
    from django.utils import translation

    with translation.override("th"):
        assert duplicate_reason("similar_name:0.93") == "ชื่อคล้ายกัน 93%"
        assert duplicate_reason("registration_no:12") == "เลขทะเบียนเดียวกัน 12"
        assert retention_rule_name("audit_log") == "บันทึกการตรวจสอบ"
        assert retention_job_name("dropped_out_members") == "สมาชิกที่พ้นสภาพ"


@pytest.mark.parametrize("username", ["demo_admin", "demo_dpo"])
def test_governance_and_privacy_pages_are_thai(username: str) -> None:
    call_command("load_demo", verbosity=0)
    usernames = {a.username for a in ACCOUNTS}
    client = signed_in_client(User.objects.get(username=username), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    result = crawl(client, role=username, start=PAGES, usernames=usernames, max_pages=len(PAGES), per_shape=0)
    assert sorted(result.visited) == sorted(PAGES)
    problems = sorted({f"{f.kind} {f.url}: {f.detail}" for f in result.findings})
    assert not problems, "\n".join(problems[:200])


def test_every_dataset_and_model_card_has_thai_prose() -> None:
    from codi.governance.ai import registered_models
    from codi.governance.catalog import catalog_entries

    missing = [e.label for e in catalog_entries() if not e.text_th("description")]
    assert not missing, f"datasets without a Thai description: {missing}"
    for card in registered_models():
        for name in (
            "purpose",
            "training_data",
            "risk_notes",
            "human_oversight",
            "limitations",
            "personal_data",
        ):
            assert card.text_th(name), f"{card.key} has no Thai {name}"


def test_catalog_and_model_card_prose_is_thai_first_and_english_when_chosen() -> None:
    call_command("load_demo", verbosity=0)
    client = signed_in_client(User.objects.get(username="demo_admin"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    thai = client.get("/governance/catalog/identity.User/").content.decode()
    assert "บัญชีผู้ใช้ของเจ้าหน้าที่ พอช." in thai and "Accounts of CODI staff" not in thai
    card = client.get("/governance/ai/feedback.sentiment/v1/").content.decode()
    assert "ติดป้ายความรู้สึก" in card and "Label each feedback ticket" not in card
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/governance/catalog/identity.User/").content.decode()
    assert '<span lang="en">Accounts of CODI staff' in english and "บัญชีผู้ใช้ของเจ้าหน้าที่ พอช." not in english
