"""`secondopinion compare A.json B.json`: compare two structured opinions and print the result as JSON.

Exit status 0 with the comparison on stdout; 2 with ``{"error": {"code": ..., "message": ...}}`` on stdout
when a file cannot be read, is not JSON (code ``invalid_json``) or is not a valid opinion (code
``invalid_opinion``). See docs/opinion-comparison.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from secondopinion.opinions.comparison import OpinionFormatError, compare_opinions


def _load(path: str, side: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise OpinionFormatError("invalid_json", f"cannot read the file: {reason}", side=side) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise OpinionFormatError("invalid_json", f"not valid JSON: {error}", side=side) from None


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # pure: reads two files, touches no database

    help = "Compare two structured opinions (first, second) per dimension: diagnosis, stage, treatment."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("first", help="the first opinion, a JSON file (A)")
        parser.add_argument("second", help="the second opinion, a JSON file (B)")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = {"A": options["first"], "B": options["second"]}
        try:
            first, second = _load(paths["A"], "A"), _load(paths["B"], "B")
            result: dict[str, Any] = compare_opinions(first, second)
        except OpinionFormatError as error:
            message = error.message
            if error.side in paths:
                message = f"opinion {error.side} ({paths[error.side]}): {error.detail}"
            self.stdout.write(self._dump({"error": {"code": error.code, "message": message}}))
            sys.exit(2)
        self.stdout.write(self._dump(result))

    @staticmethod
    def _dump(value: dict[str, Any]) -> str:
        return json.dumps(value, ensure_ascii=False, indent=2)
