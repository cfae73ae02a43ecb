"""RFC 9457 problem details: every API error, with a stable `code`. Shared by every app's API router and the
middleware; it imports no app, so a router can be imported on its own."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

PROBLEM_TYPE_BASE = "https://secondopinion.invalid/problems/"


def problem_body(status: int, title: str, detail: str, code: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }


def problem(status: int, title: str, detail: str, *, code: str, **extra: Any) -> HttpResponse:
    body = problem_body(status, title, detail, code, **extra)
    return HttpResponse(json.dumps(body), status=status, content_type="application/problem+json")


class ApiError(Exception):
    """Raised by endpoints for an expected failure with a stable code."""

    def __init__(self, status: int, code: str, title: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.code, self.title, self.detail, self.extra = status, code, title, detail, extra
