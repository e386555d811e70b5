"""Editors and moderators per sub-site: a regional editor cannot edit another region's pages."""

from __future__ import annotations

import pytest

from codi.areas.models import Province, Region
from codi.areas.selectors import province_region_cache_clear
from codi.website import rights, services
from codi.website.models import SubsiteHomePage
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices(site):
    north = SubsiteHomePage.objects.get(region_code="north")
    south = SubsiteHomePage.objects.get(region_code="south")
    return north, north.get_children().first(), south, south.get_children().first()


def test_a_regional_editor_edits_only_their_own_sub_site(offices):
    north, north_article, south, south_article = offices
    editor = Matrix().user("knowledge_officer", "region", "north")
    assert services.sync_cms_roles(editor) == {"Editors: north"}
    client = signed_in_client(editor)
    assert client.get(f"/cms/pages/{north_article.pk}/edit/").status_code == 200
    assert client.get(f"/cms/pages/add/website/articlepage/{north.pk}/").status_code == 200
    refused = client.get(f"/cms/pages/{south_article.pk}/edit/")
    assert refused.status_code in {302, 403}
    assert client.get(f"/cms/pages/add/website/articlepage/{south.pk}/").status_code in {302, 403}
    posted = client.post(f"/cms/pages/{south_article.pk}/edit/", {"title": "แก้โดยภาคอื่น", "slug": "x"})
    assert posted.status_code in {302, 403}
    south_article.refresh_from_db()
    assert south_article.title != "แก้โดยภาคอื่น"
    assert south_article.permissions_for_user(editor).can_edit() is False
    assert north_article.permissions_for_user(editor).can_publish() is False  # editors submit for review


def test_a_regional_moderator_publishes_only_in_their_region(offices):
    _north, north_article, _south, south_article = offices
    moderator = Matrix().user("regional_director", "region", "north")
    assert services.sync_cms_roles(moderator) == {"Moderators: north"}
    assert north_article.permissions_for_user(moderator).can_publish()
    assert not south_article.permissions_for_user(moderator).can_publish()
    # The north's sub-site has its own approval workflow that the north's moderators act on; the
    # south's pages stay with the country-wide one, which they cannot act on.
    north_task = north_article.get_workflow().tasks.first().specific
    south_task = south_article.get_workflow().tasks.first().specific
    assert north_task.user_can_access_editor(north_article, moderator)
    assert not south_task.user_can_access_editor(south_article, moderator)


def test_country_wide_roles_keep_the_whole_site_and_areas_map_to_their_region(offices):
    _north, _north_article, _south, south_article = offices
    editor = Matrix().user("knowledge_officer", "country")
    assert services.sync_cms_roles(editor) == {rights.EDITORS}
    assert south_article.permissions_for_user(editor).can_edit()
    north_region, _ = Region.objects.get_or_create(
        code="north", defaults={"name_th": "ภาคเหนือ", "name_en": "North"}
    )
    Province.objects.update_or_create(
        code="50", defaults={"name_th": "เชียงใหม่", "name_en": "Chiang Mai", "region": north_region}
    )
    province_region_cache_clear()
    officer = Matrix().user("project_officer", "province", "50")  # Chiang Mai: the north
    assert services.sync_cms_roles(officer) == {"Editors: north"}
