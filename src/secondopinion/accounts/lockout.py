"""Sign-in lock-out: 5 failed sign-ins for one address within 15 minutes lock that address for 15 minutes.

The window is exact (the failures must fall inside one 15-minute span); attempts made while locked are
refused without checking the password and do not extend the lock; a successful sign-in clears the count.
An attempt is counted before its password is checked, under a lock on the address's row, so however many
arrive at once no more than 5 passwords are ever checked (`reserve_attempt`).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from secondopinion.accounts.models import LoginFailure, LoginLock
from secondopinion.core.middleware import client_ip
from secondopinion.core.ratelimit import hit, seen


def _window() -> timedelta:
    return timedelta(minutes=settings.LOCKOUT_MINUTES)


def normalise(username: str) -> str:
    return username.strip().lower()[:254]


def address_throttled(request: HttpRequest) -> bool:
    """True while this client address has failed more sign-ins, for any accounts, than
    SECONDOPINION_SIGNIN_FAILURES_PER_ADDRESS within the lock-out window: password spraying slows down."""
    failures = seen("signin-failures", client_ip(request), _window_seconds())
    return failures >= settings.SIGNIN_FAILURES_PER_ADDRESS


def count_address_failure(request: HttpRequest) -> None:
    hit("signin-failures", client_ip(request), _window_seconds())


def _window_seconds() -> int:
    return int(_window().total_seconds())


@transaction.atomic
def reserve_attempt(username: str, client_ip: str) -> bool:
    """Count this attempt before its password is checked; False when the address is locked, or when the
    attempts already counted in the window use up the allowance (the password is then not checked)."""
    username, now = normalise(username), timezone.now()
    if not username:
        return True
    # The address's lock row is the mutex: concurrent attempts for one address queue here.
    lock, _ = LoginLock.objects.select_for_update().get_or_create(username=username, defaults={"until": now})
    if lock.until > now:
        return False
    recent = LoginFailure.objects.filter(username=username, at__gt=now - _window()).count()
    if recent >= settings.LOCKOUT_FAILURES:
        return False
    LoginFailure.objects.create(username=username, at=now, client_ip=client_ip)
    return True


@transaction.atomic
def settle_failure(username: str) -> bool:
    """A counted attempt failed; True when it used up the allowance and now locks the address."""
    username, now = normalise(username), timezone.now()
    if not username:
        return False
    lock, _ = LoginLock.objects.select_for_update().get_or_create(username=username, defaults={"until": now})
    recent = LoginFailure.objects.filter(username=username, at__gt=now - _window()).count()
    if recent >= settings.LOCKOUT_FAILURES:
        lock.until = now + _window()
        lock.save(update_fields=["until"])
        LoginFailure.objects.filter(username=username).delete()
        return True
    LoginFailure.objects.filter(username=username, at__lte=now - _window()).delete()
    return False


@transaction.atomic
def clear(username: str) -> None:
    username = normalise(username)
    LoginFailure.objects.filter(username=username).delete()
    LoginLock.objects.filter(username=username).delete()
