"""secondopinion demo load | totp EMAIL"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from secondopinion.cases import demo


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
            self.stdout.write(demo.current_totp(options["email"]))
            return
        from secondopinion.consults.demo import PROGRAM, load_demo_program
        from secondopinion.directory.demo import load_demo_directory
        from secondopinion.opinions.demo import load_demo_opinions
        from secondopinion.outcomes.demo import load_demo_outcomes

        created, accounts = demo.load()
        accounts.extend(load_demo_program())
        load_demo_opinions()
        generated = load_demo_outcomes()
        load_demo_directory(PROGRAM)
        self.stdout.write("Demo data loaded." if created else "Demo data already present.")
        if generated:
            self.stdout.write(
                f"  {generated} generated requests (invented patients) for the outcome figures."
            )
        for line in demo.describe(accounts):
            self.stdout.write(line)
