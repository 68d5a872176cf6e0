from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.views import APIView

from .viewutils import positive_int


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
    "429": "Too many requests: try again after the seconds the Retry-After header gives.",
}


def add_error_responses(result: dict, generator: object, request: object, public: bool) -> dict:
    """drf-spectacular post-processing hook: document the error answers every endpoint can
    give and that empty filters are allowed, so clients (and the schemathesis test) know."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                # As in HTML forms, an empty filter (?axis=) means "no filter", and an empty
                # ?page= the first page; only page_size is checked strictly.
                if parameter.get("in") == "query" and parameter["name"] != "page_size":
                    parameter["allowEmptyValue"] = True
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR}},
                    },
                )
    return result
