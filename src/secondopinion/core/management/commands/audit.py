"""secondopinion audit verify — check the HMAC chain of the audit log."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from secondopinion.core.audit import verify_chain


class Command(BaseCommand):
    help = "Audit log tools: `verify` checks that no row was changed, removed or inserted."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="check the HMAC chain; exit 1 naming the first bad row")
        verify.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if options.get("json"):
            self.stdout.write(
                json.dumps(
                    {
                        "ok": result.ok,
                        "checked": result.checked,
                        "bad_seq": result.bad_seq,
                        "reason": result.reason,
                    }
                )
            )
        elif result.ok:
            self.stdout.write(f"audit chain intact: {result.checked} rows checked")
        else:
            self.stdout.write(
                f"audit chain BROKEN at row {result.bad_seq}: {result.reason} "
                f"({result.checked} rows before it are intact)"
            )
        if not result.ok:
            sys.exit(1)
