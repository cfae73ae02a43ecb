from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from secondopinion.core.problems import problem


class ApiProblemMiddleware:
    """Answers the API's own 405s (raised by the router before our handlers run) as problem details."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
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
