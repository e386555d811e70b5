"""One sign-in: CMS editor and moderator groups follow identity roles; the admin sits at /cms/."""

from __future__ import annotations

import pytest
from django.test import Client

from codi.core.models import AuditEntry
from codi.identity.models import RoleAssignment
from codi.website import services
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db


def test_roles_map_to_wagtail_groups_and_changes_are_audited(site):
    officer = Matrix().user("knowledge_officer", "country")
    assert services.sync_cms_roles(officer) == {services.EDITORS}
    director = Matrix().user("regional_director", "region", "north")
    assert services.sync_cms_roles(director) == {"Moderators: north"}  # the north's sub-site only
    auditor = Matrix().user("internal_auditor", "country")
    assert services.sync_cms_roles(auditor) == set()
    assert AuditEntry.objects.filter(action="website.cms_roles_synced").count() == 2
    east_editor = Matrix().user("knowledge_officer", "region", "nowhere")  # a region without a sub-site
    assert services.sync_cms_roles(east_editor) == set()


def test_role_removed_means_group_removed():
    officer = Matrix().user("knowledge_officer", "country")
    services.sync_cms_roles(officer)
    RoleAssignment.objects.filter(user=officer).delete()
    officer.__dict__.pop("_codi_grants", None)
    assert services.sync_cms_roles(officer) == set()
    assert not officer.groups.exists()


def test_cms_admin_uses_the_platform_login_and_refuses_people_without_a_cms_role():
    anonymous = Client().get("/cms/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    auditor = Matrix().user("internal_auditor", "country")
    services.sync_cms_roles(auditor)
    refused = signed_in_client(auditor).get("/cms/")
    assert refused.status_code in {302, 403}
    editor = Matrix().user("knowledge_officer", "country")
    services.sync_cms_roles(editor)
    assert signed_in_client(editor).get("/cms/").status_code == 200


def test_signing_in_through_identity_syncs_the_groups(client):
    user = Matrix().user("executive", "country")
    user.set_password("a-long-password-123")
    user.save()
    Client().post("/accounts/login/", {"username": user.username, "password": "a-long-password-123"})
    assert user.groups.filter(name=services.MODERATORS).exists()


def test_wagtail_login_page_sends_people_to_the_platform_login():
    response = Client().get("/cms/login/?next=/cms/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/cms/"


def test_the_page_editor_has_no_inline_script_under_the_platform_csp(site):
    import re

    from codi.website.models import SectionPage

    editor = Matrix().user("knowledge_officer", "country")
    services.sync_cms_roles(editor)
    news = SectionPage.objects.get(slug="news", locale__language_code="th")
    response = signed_in_client(editor).get(f"/cms/pages/add/website/articlepage/{news.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    tags = re.findall(r"<script[^>]*>", html)
    inline = [t for t in tags if "src=" not in t and "application/json" not in t]
    assert inline == [], inline
    assert 'data-codi-init="initDateChooser"' in html and "website/cms-widgets.js" in html
