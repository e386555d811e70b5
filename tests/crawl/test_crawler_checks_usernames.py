"""The crawler lets the user administration list any sign-in name, and nothing else slips through."""

from __future__ import annotations

from tests.crawl.crawler import page_findings

HTML = "<html><body><main><p>partner57145052</p><p>ผู้ใช้</p></main></body></html>"


def test_a_listed_sign_in_name_is_not_english_on_the_user_admin_page() -> None:
    found = page_findings(
        "/manage/users/", HTML, usernames={"partner57145052"}, allowed=set(), show_usernames=True
    )
    assert found == []


def test_the_same_name_elsewhere_is_still_reported() -> None:
    found = page_findings("/projects/", HTML, usernames={"partner57145052"}, allowed=set())
    assert found, "a sign-in name on an ordinary page must be reported"
