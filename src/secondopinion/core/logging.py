"""Error reports never carry request bodies, cookies or uploaded data (they may hold health data), and no
log line carries a link token or a query string."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter
from gunicorn.glogging import Logger as GunicornLogger


class _BodylessFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request: Any) -> dict[str, Any]:
        return {}

    def get_safe_cookies(self, request: Any) -> dict[str, Any]:
        return {}


class BodylessExceptionReporter(ExceptionReporter):
    def __init__(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.filter = _BodylessFilter()

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        data["request_FILES_items"] = []
        data["filtered_POST_items"] = []
        data["frames"] = [{**f, "vars": []} for f in data.get("frames", [])]
        return data


class StripRequestFilter(logging.Filter):
    """Drops the request object from records so no handler can serialise its body."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        return True


# Paths whose segments are secrets: e-mail confirmation, password reset, companion invitations, the first
# doctor's shared opinion link. Query strings may carry anything, so none is ever written.
_SECRET_SEGMENTS = re.compile(
    r"(?P<head>/(?:accounts/verify|cases/invitations|opinions/shared)/)[^/?#\s\"']+"
    r"|(?P<reset>/accounts/password-reset/)(?!sent/|done/)[^/?#\s\"']+/[^/?#\s\"']+"
)
_QUERY = re.compile(r"\?[^\s\"']*")
MASK = "…"


def mask_secrets(text: str) -> str:
    """The text with token segments of our paths and every query string replaced by "…"."""
    text = _QUERY.sub(f"?{MASK}", text)

    def masked(match: re.Match[str]) -> str:
        if match.group("head"):
            return f"{match.group('head')}{MASK}"
        return f"{match.group('reset')}{MASK}/{MASK}"

    return _SECRET_SEGMENTS.sub(masked, text)


class MaskSecretsFilter(logging.Filter):
    """Log records (Django's "Not Found: /opinions/shared/…" and the like, error mails' subjects) carry no
    link token and no query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class MaskingGunicornLogger(GunicornLogger):
    """gunicorn's access log, with the request line, path, query and referrer masked (`mask_secrets`)."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():  # request line, path, referrer, every {header}/{environ} atom
            if isinstance(value, str):
                atoms[key] = mask_secrets(value)
        for key in ("q", "{query_string}e"):
            if atoms.get(key):
                atoms[key] = MASK
        return atoms
