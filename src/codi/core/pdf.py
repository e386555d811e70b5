"""Thai PDF printouts: a Django template rendered to HTML, then to PDF by WeasyPrint.

WeasyPrint shapes text with HarfBuzz through Pango, so Thai vowels and tone marks
sit where they belong (reportlab drops them). The Sarabun family shipped with the
platform is embedded in every PDF, so a printout looks the same on any machine.
Every module prints through here: ``render_pdf("projects/summary_pdf.html", {...})``.
A template extends ``core/pdf_base.html`` for the page size, margins, font and footer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

FONT_FILES = {
    "normal": "codi/fonts/Sarabun-Regular.ttf",
    "600": "codi/fonts/Sarabun-SemiBold.ttf",
    "bold": "codi/fonts/Sarabun-Bold.ttf",
}


def font_faces_css() -> str:
    """@font-face rules pointing at the font files on disk (no network, no static server)."""
    rules = []
    for weight, relative in FONT_FILES.items():
        found = finders.find(relative)
        if not found:
            continue
        path = Path(str(found)).resolve()
        rules.append(
            f"@font-face {{ font-family: 'Sarabun'; font-weight: {weight}; src: url('{path.as_uri()}'); }}"
        )
    return "\n".join(rules)


def html_to_pdf(html: str) -> bytes:
    """PDF bytes for a complete HTML document (WeasyPrint is imported here, not at start-up)."""
    # heavy: WeasyPrint (Pango, cairo) is loaded only when a PDF is made
    from weasyprint import HTML

    return bytes(HTML(string=html, base_url=str(Path.cwd())).write_pdf())


def render_pdf(template_name: str, context: dict[str, Any] | None = None) -> bytes:
    """Render a template that extends ``core/pdf_base.html`` and return the PDF bytes."""
    full_context = {"pdf_font_faces": font_faces_css(), **(context or {})}
    return html_to_pdf(render_to_string(template_name, full_context))
