"""Images in the body are served as resized renditions (360/800/1200 px wide), lazily, with alt text."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image as PILImage
from wagtail.images import get_image_model

from codi.website.models import ArticlePage

pytestmark = pytest.mark.django_db


def _photo(width: int = 1600, height: int = 900) -> ImageFile:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (30, 120, 80)).save(out, format="JPEG")
    return ImageFile(out, name="community-meeting.jpg")


def _pixel_width(url: str) -> int:
    with default_storage.open(url.removeprefix(settings.MEDIA_URL)) as handle:
        return PILImage.open(handle).size[0]


def test_body_images_are_renditions_of_the_asked_widths_never_the_original(site, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    image = get_image_model().objects.create(title="เวทีประชุมชุมชน", file=_photo())
    article = ArticlePage.objects.get(slug="news-demo-1", locale=site.locale)
    article.body = [
        {"type": "image", "value": image.pk},  # as the former ImageChooserBlock stored it
        {"type": "image", "value": {"image": image.pk, "decorative": False, "alt_text": "ชาวบ้านร่วมเวที"}},
        {"type": "image", "value": {"image": image.pk, "decorative": True, "alt_text": ""}},
    ]
    article.save_revision().publish()

    html = Client(HTTP_HOST="localhost").get(article.url).content.decode()
    images = BeautifulSoup(html, "html.parser").select("main figure.body-image img")
    assert [img["alt"] for img in images] == ["เวทีประชุมชุมชน", "ชาวบ้านร่วมเวที", ""]
    original = image.file.url
    for img in images:
        assert img["loading"] == "lazy" and img["src"] != original and ".width-800." in img["src"]
        assert _pixel_width(img["src"]) == int(img["width"]) == 800
        candidates = dict(reversed(part.split()) for part in img["srcset"].split(","))
        assert set(candidates) == {"360w", "800w", "1200w"} and original not in candidates.values()
        for descriptor, url in candidates.items():
            assert _pixel_width(url) == int(descriptor.removesuffix("w"))
    assert original not in html
