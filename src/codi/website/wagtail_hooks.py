"""Admin hooks: the date pickers' starter script (no inline scripts under the platform's CSP)."""

from __future__ import annotations

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def widget_starter() -> SafeString:
    return format_html('<script src="{}"></script>', static("website/cms-widgets.js"))
