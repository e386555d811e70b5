"""Message templates, Thai and English, keyed by name; other modules register their own.

Bodies are plain text rendered with Django's template language with
autoescaping off (they go into e-mails and LINE, not HTML); pages that show
them escape them like any other text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine

_engine = Engine(autoescape=False)


@dataclass(frozen=True)
class MessageTemplate:
    key: str
    subject_th: str
    body_th: str
    subject_en: str
    body_en: str


_templates: dict[str, MessageTemplate] = {}


def register_template(template: MessageTemplate) -> None:
    _templates[template.key] = template


def get_template(key: str) -> MessageTemplate:
    try:
        return _templates[key]
    except KeyError:
        raise KeyError(f"no notification template {key!r}") from None


def render(key: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    template = get_template(key)
    english = language.startswith("en")
    subject = template.subject_en if english else template.subject_th
    body = template.body_en if english else template.body_th
    ctx = Context(context, autoescape=False)
    return (
        _engine.from_string(subject).render(ctx).strip().replace("\n", " ")[:255],
        _engine.from_string(body).render(ctx).strip(),
    )


register_template(
    MessageTemplate(
        key="generic",
        subject_th="{{ subject }}",
        body_th="{{ body }}",
        subject_en="{{ subject }}",
        body_en="{{ body }}",
    )
)
