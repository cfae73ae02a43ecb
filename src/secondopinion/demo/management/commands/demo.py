"""secondopinion demo load | totp EMAIL"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from secondopinion.cases import demo as cases_demo


class Command(BaseCommand):
    help = (
        "Demo data: `load` (idempotent) creates invented accounts, a breast-cancer case with a signed "
        "second opinion, generated requests for the outcome figures and a generated register."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load")
        totp = sub.add_parser("totp", help="print the current two-step code of a demo account")
        totp.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "totp":
            self.stdout.write(cases_demo.current_totp(options["email"]))
            return
        from secondopinion.demo.loader import load_everything

        loaded = load_everything()
        self.stdout.write("Demo data loaded." if loaded.created else "Demo data already present.")
        if loaded.generated:
            self.stdout.write(
                f"  {loaded.generated} generated requests (invented patients) for the outcome figures."
            )
        for line in cases_demo.describe(loaded.accounts):
            self.stdout.write(line)
