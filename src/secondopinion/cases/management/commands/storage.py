"""secondopinion storage sweep — show, or with --delete remove, files no row points to.

A file is kept while any model's StorageKeyField holds its key (``core.storage_keys``), and while it is
younger than the longest upload (``settings.UPLOAD_MAX_SECONDS``), row or no row. Without --delete
the command only reports: the counts and the storage keys it would remove or promote, never a file
name, a title or other health data.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from secondopinion.core import storage
from secondopinion.core.storage_keys import referenced_keys


class Command(BaseCommand):
    help = (
        "Document storage tools: `sweep` lists orphaned and interrupted files; `sweep --delete` removes them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser(
            "sweep", help="list (or with --delete remove) stale temporary files and files no row points to"
        )
        sweep.add_argument(
            "--older-than",
            type=int,
            default=3600,
            metavar="SECONDS",
            help="only touch temporary files older than this (default 3600); nothing younger than "
            "SECONDOPINION_UPLOAD_MAX_SECONDS is ever removed",
        )
        sweep.add_argument(
            "--delete",
            action="store_true",
            help="remove and promote the files (without it: a dry run that only reports)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        listing: dict[str, list[str]] = {}
        counts = storage.sweep(
            referenced_keys,
            older_than_seconds=options["older_than"],
            keep_newer_than_seconds=int(settings.UPLOAD_MAX_SECONDS),
            delete=options["delete"],
            listing=listing,
        )
        self.stdout.write(json.dumps({"dry_run": not options["delete"], **counts, "keys": listing}))
