"""Wagtail hooks: the date pickers' starter script (no inline scripts under the CSP), cacheable pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail import hooks

from codi.website import pagecache
from codi.website.models import ContactPage


@hooks.register("insert_global_admin_js")
def widget_starter() -> SafeString:
    return format_html('<script src="{}"></script>', static("website/cms-widgets.js"))


@hooks.register("before_serve_page")
def mark_cacheable(page: Any, request: HttpRequest, serve_args: Any, serve_kwargs: Any) -> None:
    """Anonymous views of every page type but the contact form may be cached (``pagecache``)."""
    if not isinstance(page.specific, ContactPage):
        pagecache.mark_cacheable(request)
