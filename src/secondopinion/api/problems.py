"""RFC 9457 problem details: every API error, with a stable `code`."""

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
