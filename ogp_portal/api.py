"""What every app's API shares: pagination, the integer filter, the serializer mixins that keep
the schema and the server in step (JSON types, rules across fields), and the post-processing of
the OpenAPI schema. Depends on no app of the portal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.utils.translation import gettext as _
from drf_spectacular.drainage import set_override
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .viewutils import MAX_ID, positive_int

if TYPE_CHECKING:
    from drf_spectacular.openapi import AutoSchema


class Pagination(PageNumberPagination):
    """50 a page by default; ?page_size= from 1 to 500, anything else is a 400."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int | None:
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        size = positive_int(value)
        if size is None or not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    "page_size": [
                        _("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_schema_operation_parameters(self, view: APIView) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update({"minimum": 1})
        return parameters


class IntegerFilter(django_filters.NumberFilter):
    """A whole number from 0 to the largest id (django-filter's NumberFilter accepts decimals,
    and a 30-digit number would overflow the database): anything else is a 400. The schema says
    the same (drf-spectacular would call it a "number", decimals allowed)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
        schema = {"type": "integer", "minimum": kwargs["min_value"], "maximum": kwargs["max_value"]}
        if help_text := kwargs.get("help_text"):
            schema["description"] = str(help_text)
        set_override(self, "field", schema)


class JsonTypes:
    """In JSON, each field takes the type its schema names. DRF reads the number 5 as the text
    "5" and the text "5" as the number 5, so a body the schema refuses would be saved; a form,
    where everything is text, is read as DRF reads it."""

    fields: dict[str, serializers.Field]

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and not hasattr(data, "getlist"):  # JSON, not a QueryDict
            errors = {
                name: [message]
                for name, field in self.fields.items()
                if data.get(name) is not None and (message := _json_type_error(field, data[name]))
            }
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)  # type: ignore[misc]


def _json_type_error(field: serializers.Field, value: Any) -> str | None:
    if isinstance(field, serializers.CharField | serializers.SlugRelatedField):
        return None if isinstance(value, str) else str(field.error_messages["invalid"])
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if whole and not isinstance(value, bool):
            return None
        key = "invalid" if isinstance(field, serializers.IntegerField) else "incorrect_type"
        return str(field.error_messages[key]).format(data_type=type(value).__name__)
    return None


class RulesAcrossFields:
    """A serializer whose ``validate()`` ties fields together says so in ``schema_any_of``: its
    request schema then holds when one of these schemas holds too, as the serializer does."""

    schema_any_of: list[dict[str, Any]] = []


# Set by the extension, made ``anyOf`` by the post-processing hook: drf-spectacular's enum hook
# would otherwise turn each single-status enum of the rules into a component of its own.
RULES_KEY = "x-rules-across-fields"


class RulesAcrossFieldsExtension(OpenApiSerializerExtension):
    target_class = RulesAcrossFields
    match_subclasses = True

    def map_serializer(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        schema = auto_schema._map_basic_serializer(self.target, direction)
        if direction == "request":
            schema[RULES_KEY] = self.target.schema_any_of
        return schema


ERROR = {
    "type": "object",
    "description": "Field errors ({field: [messages]}) or {detail: message}.",
    "additionalProperties": True,
}
ERROR_RESPONSES = {
    "400": "Invalid input: the body lists the errors per field.",
    "401": "No valid credentials (writes need a token or a session).",
    "403": "Not allowed: outside the commitments the user holds, or CSRF missing.",
    "404": "No such object, or no such page.",
    "406": "The Accept header names no type the API sends (it sends JSON).",
    "429": "Too many requests: try again after the seconds the Retry-After header gives.",
}
# What an operation taking a body may also answer, and any operation once throttling is on.
BODY_ERROR_RESPONSES = {
    "415": "The body is not JSON, a form or multipart (or its Content-Type is missing).",
}
THROTTLED = {"429": "Too many requests: wait the seconds given by Retry-After."}
# No NUL byte anywhere: the middleware refuses one in a path or query, the serializers in a field.
NO_NUL = "^[^\\u0000]*$"


def add_error_responses(result: dict, generator: object, request: object, public: bool) -> dict:
    """drf-spectacular post-processing hook: document the error answers every endpoint can give
    (415 where there is a body, 429 once throttling is on), that empty filters are allowed, that
    no free text holds a NUL byte, and the serializers' rules across fields, so that clients
    (and the schemathesis test) know."""
    errors = {**ERROR_RESPONSES, **(THROTTLED if api_settings.DEFAULT_THROTTLE_CLASSES else {})}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                # As in HTML forms, an empty filter (?axis=) means "no filter", and an empty
                # ?page= the first page; only page_size is checked strictly.
                if parameter.get("in") == "query" and parameter["name"] != "page_size":
                    parameter["allowEmptyValue"] = True
                refuse_nul_bytes(parameter["schema"])
            responses = operation.setdefault("responses", {})
            body_errors = BODY_ERROR_RESPONSES if "requestBody" in operation else {}
            for status, description in {**errors, **body_errors}.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR}},
                    },
                )
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            for field in component.get("properties", {}).values():
                refuse_nul_bytes(field)
        if RULES_KEY in component:
            component["anyOf"] = component.pop(RULES_KEY)
    return result


def refuse_nul_bytes(schema: dict[str, Any]) -> None:
    """A free text (no choices, no format, no pattern of its own) holds no NUL byte."""
    if schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema):
        schema["pattern"] = NO_NUL
