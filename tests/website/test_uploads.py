"""Bad uploads to the CMS: a file that is not an image, an image over the size limit."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

pytestmark = pytest.mark.django_db


def _form(upload: SimpleUploadedFile):
    form_class = get_image_form(get_image_model())
    return form_class(data={"title": "ภาพทดสอบ"}, files={"file": upload})


def _png(size: int = 8) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (size, size), (11, 93, 59)).save(out, format="PNG")
    return out.getvalue()


def test_a_real_image_is_accepted():
    assert _form(SimpleUploadedFile("ok.png", _png(), content_type="image/png")).is_valid()


def test_a_text_file_named_png_is_refused():
    form = _form(SimpleUploadedFile("fake.png", b"<script>alert(1)</script>", content_type="image/png"))
    assert not form.is_valid() and "file" in form.errors


def test_an_oversized_image_is_refused(settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100
    form = _form(SimpleUploadedFile("big.png", _png(64), content_type="image/png"))
    assert not form.is_valid() and "file" in form.errors
