"""Error reports never carry request bodies, cookies or uploaded data (they may hold health data)."""

from __future__ import annotations

import logging
from typing import Any

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter


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
