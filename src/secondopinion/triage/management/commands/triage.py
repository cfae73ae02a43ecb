"""`secondopinion triage INPUT.json [--rare-threshold N]`: the second-opinion triage for one set of answers.

Prints the answer as JSON on stdout. On input it cannot use it prints ``{"error": {"code", "message", ...}}``
on stdout and exits with status 2. ``-`` reads the JSON from stdin.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from secondopinion.triage.engine import (
    TriageInputError,
    check_threshold,
    run_triage,
    thresholds_from_settings,
)

MAX_INPUT_BYTES = 1_048_576


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in the input")


class Command(BaseCommand):
    help = (
        "Should I get a second opinion, and what kind? Reads the answers as JSON, prints the triage as JSON."
    )
    stealth_options = ("stdin",)
    requires_system_checks: list[str] = []  # pure computation: no models, no need to check the project

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", help="JSON file with the answers, or - to read them from stdin")
        parser.add_argument(
            "--rare-threshold",
            dest="rare_threshold",
            default=None,
            metavar="N",
            help="rare below N new cases per 100,000 people a year (default: the setting "
            "SECONDOPINION_RARE_THRESHOLD, 15 = US definition; 6 = European RARECARE definition)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = self._load(options["input"], options.get("stdin") or sys.stdin)
            rare_threshold, rural_miles = thresholds_from_settings()
            if options["rare_threshold"] is not None:
                rare_threshold = self._threshold(options["rare_threshold"])
            result = run_triage(data, rare_threshold=rare_threshold, rural_miles=rural_miles)
        except TriageInputError as exc:
            self.stdout.write(json.dumps(exc.as_dict(), indent=2, ensure_ascii=False))
            sys.exit(2)
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))

    @staticmethod
    def _threshold(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise TriageInputError(
                "invalid_threshold",
                f"--rare-threshold must be a number, not {raw!r}.",
                field="rare_threshold",
            )
        return check_threshold(value, "rare_threshold")

    @staticmethod
    def _load(source: str, stdin: Any) -> Any:
        try:
            if source == "-":
                text = stdin.read(MAX_INPUT_BYTES + 1)
            else:
                with Path(source).open(encoding="utf-8") as handle:
                    text = handle.read(MAX_INPUT_BYTES + 1)
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
            raise TriageInputError("unreadable_input", f"Cannot read {source}: {reason}.") from exc
        if len(text) > MAX_INPUT_BYTES:
            raise TriageInputError("input_too_large", f"The input is larger than {MAX_INPUT_BYTES} bytes.")
        try:
            return json.loads(text, parse_constant=_reject_constant)
        except ValueError as exc:
            raise TriageInputError("invalid_json", f"The input is not valid JSON: {exc}.") from exc
