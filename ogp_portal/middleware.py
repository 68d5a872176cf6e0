from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .views import healthz

LANGUAGES = {code for code, _name in settings.LANGUAGES}


class HealthCheckMiddleware:
    """/healthz is answered first, before the host is checked, HTTPS enforced or a session
    opened: the healthcheck calls it as http://127.0.0.1:8000/healthz inside the container."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)


class ApiLanguageMiddleware:
    """The API's language: ?lang=fr|ar|en, else the Accept-Language header (LocaleMiddleware).

    Content fields fall back to French where a translation is missing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        use_api_language(request)
        return self.get_response(request)


def use_api_language(request: HttpRequest) -> None:
    """Under /api/, the language ?lang= names, if it is one of the portal's."""
    if request.path.startswith("/api/"):
        lang = request.GET.get("lang", "")
        if lang in LANGUAGES:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang


class RefuseNulBytesMiddleware:
    """A path or query holding a NUL byte is refused with a 400 before any view runs: no
    database stores one, and PostgreSQL would answer with an error (a 500). Forms and the API's
    serializers refuse NUL bytes in what is posted, field by field."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul_byte(request.path, request.META.get("QUERY_STRING", "")):
            return bad_request(request, _("The address holds a character that is not allowed."))
        return self.get_response(request)


def has_nul_byte(path: str, query: str) -> bool:
    return "\x00" in path or "%00" in query or "\x00" in query


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """A 400: JSON under /api/, the portal's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    html = render_to_string("400.html", {"message": message}, request=request)
    return HttpResponseBadRequest(html)
