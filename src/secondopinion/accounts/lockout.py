"""Sign-in lock-out: 5 failed sign-ins for one address within 15 minutes lock that address for 15 minutes.

The window is exact (the failures must fall inside one 15-minute span); attempts made while locked are
refused without checking the password and do not extend the lock; a successful sign-in clears the count.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from secondopinion.accounts.models import LoginFailure, LoginLock


def _window() -> timedelta:
    return timedelta(minutes=settings.LOCKOUT_MINUTES)


def normalise(username: str) -> str:
    return username.strip().lower()[:254]


def is_locked(username: str) -> bool:
    return LoginLock.objects.filter(username=normalise(username), until__gt=timezone.now()).exists()


@transaction.atomic
def record_failure(username: str, client_ip: str) -> bool:
    """Count a failed sign-in; True when it locks the address."""
    username, now = normalise(username), timezone.now()
    if not username:
        return False
    LoginFailure.objects.create(username=username, at=now, client_ip=client_ip)
    recent = LoginFailure.objects.filter(username=username, at__gt=now - _window()).count()
    if recent >= settings.LOCKOUT_FAILURES:
        LoginLock.objects.update_or_create(username=username, defaults={"until": now + _window()})
        LoginFailure.objects.filter(username=username).delete()
        return True
    LoginFailure.objects.filter(username=username, at__lte=now - _window()).delete()
    return False


@transaction.atomic
def clear(username: str) -> None:
    username = normalise(username)
    LoginFailure.objects.filter(username=username).delete()
    LoginLock.objects.filter(username=username).delete()
