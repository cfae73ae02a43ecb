"""Types for the type checker only: a request whose user is known to be signed in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from secondopinion.accounts.models import User


class AuthedRequest(HttpRequest):
    """`HttpRequest` after login_required (or API auth): `user` is a `User`, never `AnonymousUser`.

    Annotation only (django-stubs' recommended pattern); no request is ever an instance of it.
    """

    user: User
