"""What every admin page of the portal shares."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse

from .viewutils import positive_int


class SafeLookupsMixin:
    """An object id in the address that cannot be one answers 404, and a prefilled value
    (``?commitment=``) that cannot be one is ignored: Django's admin and django-simple-history
    would otherwise pass "²" or a 30-digit number down to the database and answer 500."""

    model: Any

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        numeric = self.model._meta.pk.get_internal_type().endswith("AutoField")
        if numeric and positive_int(object_id) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)  # type: ignore[misc]
        return {name: value for name, value in initial.items() if self._usable(name, value)}

    def _usable(self, name: str, value: Any) -> bool:
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return True
        if not field.is_relation:
            return "\x00" not in str(value)
        values = value if isinstance(value, list) else str(value).split(",")
        return all(positive_int(str(v)) is not None for v in values if v != "")
