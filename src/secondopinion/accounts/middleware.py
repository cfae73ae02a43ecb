from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from secondopinion.accounts.actions import user_for_token
from secondopinion.core.middleware import client_ip

if TYPE_CHECKING:
    from secondopinion.accounts.models import User

# Pages a signed-in person may reach before passing the second factor.
_OPEN_BEFORE_MFA = ("/accounts/mfa/", "/accounts/logout/", "/static/", "/i18n/")


class BearerTokenMiddleware:
    """`Authorization: Bearer so_…` authenticates API calls with a personal access token."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        request.bearer_user = None  # type: ignore[attr-defined]
        if header.startswith("Bearer ") and request.path.startswith("/api/"):
            token_user = user_for_token(header[7:].strip(), client_ip(request))
            user: User | AnonymousUser
            if token_user is None:
                # A bad token never falls back to the session (nor skips its second factor or CSRF check).
                user = AnonymousUser()
            else:
                user = token_user
                request.bearer_user = user  # type: ignore[attr-defined]
                request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
            request.user = user
            request._cached_user = user  # type: ignore[attr-defined]
        return self.get_response(request)


def second_factor_pending(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated or getattr(request, "bearer_user", None) is not None:
        return False
    if user.is_verified():
        return False
    from django_otp import user_has_device

    return bool(user.needs_second_factor or user_has_device(user))


class SecondFactorRequiredMiddleware:
    """Clinicians and admins must pass TOTP; patients who enrolled must too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if second_factor_pending(request) and not request.path.startswith(_OPEN_BEFORE_MFA):
            if request.path.startswith("/api/"):
                from secondopinion.core.problems import problem

                return problem(
                    401,
                    "Second factor required",
                    "Sign in with your authenticator code first.",
                    code="second_factor_required",
                )
            from django_otp import user_has_device

            target = "accounts:mfa_verify" if user_has_device(request.user) else "accounts:mfa_setup"
            from django.utils.http import urlencode

            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
