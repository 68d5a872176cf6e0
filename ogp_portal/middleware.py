from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

LANGUAGES = {code for code, _name in settings.LANGUAGES}


class ApiLanguageMiddleware:
    """The API's language: ?lang=fr|ar|en, else the Accept-Language header (LocaleMiddleware).

    Content fields fall back to French where a translation is missing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lang = request.GET.get("lang", "")
        if request.path.startswith("/api/") and lang in LANGUAGES:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        return self.get_response(request)
