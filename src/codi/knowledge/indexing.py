"""What the knowledge app gives the search service: one chunk per statute section."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from codi.knowledge.models import SECTION_SOURCE, Section, section_search_id
from codi.search.registry import ChunkData, Source, register


def section_title(act_title: str, number: str) -> str:
    return f"{act_title}, มาตรา {number}" if number else act_title


def section_chunks(object_ids: Sequence[str]) -> Iterator[ChunkData]:
    by_act: dict[str, list[str]] = {}
    for object_id in object_ids:
        act_id, _, number = object_id.partition(":")
        by_act.setdefault(act_id, []).append(number)
    for act_id, numbers in by_act.items():
        sections = Section.objects.filter(act__act_id=act_id, number__in=numbers).select_related("act")
        for section in sections:
            yield ChunkData(
                object_id=section_search_id(act_id, section.number),
                title=section_title(section.act.title, section.number),
                text=(f"{section.chapter}\n" if section.chapter else "") + section.body,
            )


def all_section_ids() -> Iterator[str]:
    for act_id, number in Section.objects.order_by("act__act_id", "ordinal").values_list(
        "act__act_id", "number"
    ):
        yield section_search_id(act_id, number)


def register_sources() -> None:
    register(Source(name=SECTION_SOURCE, chunks=section_chunks, all_ids=all_section_ids))
