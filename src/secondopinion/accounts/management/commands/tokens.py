"""secondopinion tokens create|list|revoke — personal access tokens for the API."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from secondopinion.accounts import actions
from secondopinion.accounts.models import AccessToken, User


class Command(BaseCommand):
    help = "Personal access tokens: create (prints the token alone, once), list, revoke."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--user", required=True, help="the account's e-mail address")
        create.add_argument("--name", default="command line")
        create.add_argument("--days", type=int, help="days it opens the API (SECONDOPINION_TOKEN_DAYS)")
        listing = sub.add_parser("list")
        listing.add_argument("--user", required=True)
        revoke = sub.add_parser("revoke")
        revoke.add_argument("--user", required=True)
        revoke.add_argument("--id", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["user"]).first()
        if user is None:
            raise CommandError(f"no account with the e-mail address {options['user']}")
        if options["action"] == "create":
            if options["days"] is not None and options["days"] < 1:
                raise CommandError("--days must be 1 or more")
            _token, raw = actions.create_access_token(user, options["name"], options["days"])
            self.stdout.write(raw)
        elif options["action"] == "list":
            for token in AccessToken.objects.filter(user=user).order_by("id"):
                state = "revoked" if token.revoked_at else "active"
                if not token.revoked_at and (token.expires_at is None or token.expires_at <= timezone.now()):
                    state = "expired"
                expires = f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "-"
                used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never used"
                self.stdout.write(
                    f"{token.pk}\t{token.name}\t…{token.hint}\t{state}\t{token.created_at:%Y-%m-%d}"
                    f"\texpires {expires}\t{used}"
                )
        else:
            found = AccessToken.objects.filter(user=user, pk=options["id"]).first()
            if found is None:
                raise CommandError(f"no token {options['id']} for {user.email}")
            actions.revoke_access_token(user, found)
            self.stdout.write(f"revoked token {found.pk}")
