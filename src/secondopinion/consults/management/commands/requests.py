"""secondopinion requests fail|error ID --reason TEXT [--admin EMAIL] — operators' moves of the transitions
table (any open request → failed; any request → entered-in-error), without opening any health data."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from secondopinion.accounts.models import User
from secondopinion.consults import actions, queries
from secondopinion.consults.transitions import Actor, IllegalTransition, Status

TARGETS = {"fail": Status.FAILED, "error": Status.ENTERED_IN_ERROR}


class Command(BaseCommand):
    help = "Mark a consult request failed (system or admin) or entered in error (admin), with a reason."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=sorted(TARGETS))
        parser.add_argument("request_id")
        parser.add_argument("--reason", required=True)
        parser.add_argument(
            "--admin", help="the admin's e-mail (required for `error`; `fail` without it is the system)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = TARGETS[options["action"]]
        admin = None
        if options["admin"]:
            admin = User.objects.filter(email__iexact=options["admin"], role="admin", is_active=True).first()
            if admin is None:
                raise CommandError(f"no active admin account {options['admin']}")
        request = queries.request_for_operator(options["request_id"])
        if request is None:
            raise CommandError(f"no consult request {options['request_id']}")
        actor = {Actor.ADMIN} if admin else {Actor.SYSTEM}
        try:
            actions.move(admin, request, target, actor, options["reason"])
        except IllegalTransition as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(json.dumps({"request": str(request.pk), "status": str(target)}))
