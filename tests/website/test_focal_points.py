"""Images are cropped around the editor's focal point on the renditions the templates ask for (fill-…)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.images.rect import Rect

import codi.website

pytestmark = pytest.mark.django_db

TEMPLATES = Path(codi.website.__file__).parent / "templates" / "website"
RED, BLUE = (200, 30, 30), (20, 40, 200)


def _fill_specs() -> set[str]:
    """Every ``fill-…`` filter the website's templates use."""
    specs = set()
    for template in TEMPLATES.rglob("*.html"):
        specs.update(re.findall(r"\{% image \S+ (fill-[\w-]+)", template.read_text()))
    return specs


def _half_red_half_blue() -> ImageFile:
    out = io.BytesIO()
    picture = PILImage.new("RGB", (800, 400), RED)
    picture.paste(BLUE, (400, 0, 800, 400))  # the subject stands on the right
    picture.save(out, format="PNG")
    return ImageFile(out, name="subject-right.png")


def _colour_share(rendition, colour: tuple[int, int, int]) -> float:
    with rendition.file.open("rb") as handle:
        counts = PILImage.open(handle).convert("RGB").getcolors(maxcolors=1 << 20) or []
    total = sum(n for n, _pixel in counts)
    near = sum(n for n, pixel in counts if sum(abs(a - b) for a, b in zip(pixel, colour, strict=True)) < 60)
    return near / total


def test_the_templates_crop_around_the_focal_point(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    specs = _fill_specs()
    assert specs, "the website's templates use fill- renditions (the directory's photos)"
    image = get_image_model().objects.create(title="ภาพทดสอบ", file=_half_red_half_blue())
    centred = {spec: _colour_share(image.get_rendition(spec), BLUE) for spec in specs}
    image.set_focal_point(Rect(580, 160, 660, 240))  # left, top, right, bottom: inside the blue half
    image.save()
    image.refresh_from_db()
    for spec in specs:
        rendition = image.get_rendition(spec)
        width, height = (int(n) for n in re.match(r"fill-(\d+)x(\d+)", spec).groups())
        assert (rendition.width, rendition.height) == (width, height)
        assert _colour_share(rendition, BLUE) > 0.95 > centred[spec]  # the subject, not the middle
