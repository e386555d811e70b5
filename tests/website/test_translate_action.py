"""The admin's "Translate" action (wagtail.contrib.simple_translation): an English draft copy of a Thai page,
for the site-wide editors and moderators only."""

from __future__ import annotations

import pytest
from wagtail.models import Locale

from codi.website import services
from codi.website.models import FaqPage
from tests.permissions import Matrix, signed_in_client

pytestmark = pytest.mark.django_db


def test_a_moderator_makes_the_english_copy_of_a_thai_page(site):
    faq = FaqPage.objects.get(locale__language_code="th")
    english = Locale.objects.get(language_code="en")
    assert faq.get_translation_or_none(english) is None
    moderator = Matrix().user("executive", "country")
    services.sync_cms_roles(moderator)
    client = signed_in_client(moderator)
    url = f"/cms/translation/submit/page/{faq.pk}/"
    form = client.get(url)
    assert form.status_code == 200 and 'name="locales"' in form.content.decode()
    edit = client.get(f"/cms/pages/{faq.pk}/edit/").content.decode()
    assert url in edit  # the action is offered on the page's own screen
    response = client.post(url, {"locales": [english.pk]})
    assert response.status_code == 302
    copy = faq.get_translation(english)
    assert copy.translation_key == faq.translation_key and copy.get_parent().locale == english
    assert not copy.live  # a draft to translate, reviewed and published like any page


def test_a_regional_editor_and_a_stranger_cannot_translate(site):
    faq = FaqPage.objects.get(locale__language_code="th")
    regional = Matrix().user("knowledge_officer", "region", "north")
    services.sync_cms_roles(regional)
    assert signed_in_client(regional).get(f"/cms/translation/submit/page/{faq.pk}/").status_code in {302, 403}
    stranger = Matrix().user("internal_auditor", "country")
    assert signed_in_client(stranger).get(f"/cms/translation/submit/page/{faq.pk}/").status_code in {302, 403}
    assert faq.get_translation_or_none(Locale.objects.get(language_code="en")) is None
