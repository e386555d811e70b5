"""Thai first: the page language is the one the person chose (the language cookie), else Thai.

Django's ``LocaleMiddleware`` falls back to the browser's Accept-Language, so an officer whose
browser happens to be set to English got English pages although the platform is Thai first. Here
only an explicit choice (the switch in the header, which sets the cookie) changes the language.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def chosen_language(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    supported = {code for code, _ in settings.LANGUAGES}
    if chosen in supported:
        return chosen
    return settings.LANGUAGE_CODE


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
