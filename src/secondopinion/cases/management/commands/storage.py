"""secondopinion storage sweep — remove files no document row points to."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from secondopinion.cases.queries import known_storage_keys
from secondopinion.core import storage


class Command(BaseCommand):
    help = "Document storage tools: `sweep` removes orphaned and interrupted files."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser("sweep", help="remove stale temporary files and files without a document")
        sweep.add_argument(
            "--older-than",
            type=int,
            default=3600,
            metavar="SECONDS",
            help="only touch temporary files older than this (default 3600)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = storage.sweep(known_storage_keys, older_than_seconds=options["older_than"])
        self.stdout.write(json.dumps(counts))
