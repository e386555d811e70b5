"""What the website gives the shared search service: one chunk per live, public page.

The search service segments the Thai text (PyThaiNLP) at index and query time; the website's search
page asks it for the ``website`` source only, public classification only. A page is (re)indexed when
it is published and removed when it is unpublished or deleted (``signals``); ``load_website_demo``
indexes the demo pages.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.utils.html import strip_tags
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from codi.search.registry import ChunkData, Source, register

SOURCE = "website"
TEXT_FIELDS = ("summary", "intro", "body", "entries", "questions", "location")


def page_text(page: Any) -> str:
    """The page's readable text: summary, intro and every block's searchable content."""
    parts: list[str] = []
    for name in TEXT_FIELDS:
        try:
            field = page._meta.get_field(name)
        except Exception:  # noqa: S112 - a page type without this field
            continue
        value = getattr(page, name, None)
        if not value:
            continue
        if isinstance(field, StreamField):
            parts.extend(str(t) for t in field.get_searchable_content(value) if t)
        elif isinstance(field, RichTextField):
            parts.append(strip_tags(str(value)))
        else:
            parts.append(str(value))
    return "\n".join(p.strip() for p in parts if p and p.strip())


def page_chunks(object_ids: Sequence[str]) -> Iterator[ChunkData]:
    ids = [int(i) for i in object_ids if i.isdigit()]
    for page in Page.objects.filter(pk__in=ids).live().public().specific():
        if page.depth < 2:
            continue
        yield ChunkData(
            object_id=str(page.pk),
            title=page.title,
            text=page_text(page) or page.title,
            kind=page.specific_class.__name__.lower()[:40],
            doc_date=getattr(page, "date", None)
            or (page.last_published_at.date() if page.last_published_at else None),
        )


def all_page_ids() -> Iterator[str]:
    for pk in Page.objects.live().public().filter(depth__gte=2).order_by("pk").values_list("pk", flat=True):
        yield str(pk)


def register_source() -> None:
    register(Source(name=SOURCE, chunks=page_chunks, all_ids=all_page_ids))
