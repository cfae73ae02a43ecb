from __future__ import annotations

import json
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from secondopinion.core.problems import problem


def _scalar_json_body(request: HttpRequest) -> bool:
    """A JSON body that is a string, a number, true, false or null: no operation takes one (the schemas would
    read a string's methods as its fields). Unparseable bodies are left to the API's own 400."""
    if request.method not in ("POST", "PUT", "PATCH") or request.content_type != "application/json":
        return False
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError, RequestDataTooBig):
        return False  # the API answers these itself (400, 413)
    return not isinstance(data, dict | list)


class ApiProblemMiddleware:
    """Answers the API's own 405s (raised by the router before our handlers run) as problem details, and
    refuses scalar JSON bodies with a 422 before any operation sees them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and _scalar_json_body(request):
            return problem(
                422,
                "Invalid input",
                "The request body must be a JSON object.",
                code="validation_error",
                errors=[{"loc": ["body"], "message": "Expected a JSON object.", "type": "object_type"}],
            )
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith("/api/")
            and response.get("Content-Type", "") != "application/problem+json"
        ):
            converted = problem(
                405, "Method not allowed", f"{request.method} is not allowed here.", code="method_not_allowed"
            )
            if response.has_header("Allow"):
                converted["Allow"] = response["Allow"]
            return converted
        return response
