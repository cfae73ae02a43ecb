"""Lock-out after 5 failed sign-ins in 15 minutes (accounts.lockout), through HTTP, with a moving clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from secondopinion.accounts.models import LoginFailure, LoginLock, User
from tests.accounts.test_mail_privacy import mail_is_private  # noqa: F401
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "wrong-password-123"


class Clock:
    """django.utils.timezone.now, moved by hand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now: datetime = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


_browser = Client()


def attempt(email: str, password: str):
    """One sign-in from a fresh browser (no cookies); one Client is reused because building one is slow."""
    _browser.cookies.clear()
    response = _browser.post("/accounts/login/", {"username": email, "password": password})
    return response, _browser.session.get("_auth_user_id")


def fail(email: str, times: int = 1) -> None:
    for _ in range(times):
        response, user_id = attempt(email, WRONG)
        assert response.status_code in (200, 429) and user_id is None


def assert_locked(email: str, password: str = PASSWORD) -> None:
    response, user_id = attempt(email, password)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert user_id is None


def assert_signs_in(user: User) -> None:
    response, user_id = attempt(user.email, PASSWORD)
    assert response.status_code == 302
    assert user_id == str(user.pk)


def test_settings_say_five_in_fifteen_minutes() -> None:
    assert settings.LOCKOUT_FAILURES == 5
    assert settings.LOCKOUT_MINUTES == 15


def test_four_failures_do_not_lock(patient: User, clock: Clock) -> None:
    for _ in range(4):
        response, _user_id = attempt(patient.email, WRONG)
        assert response.status_code == 200
        assert "do not match" in response.content.decode()
    assert_signs_in(patient)


def test_sixth_attempt_is_locked_out_even_with_the_right_password(patient: User, clock: Clock) -> None:
    fail(patient.email, 4)
    clock.advance(minutes=1)
    response, _ = attempt(patient.email, WRONG)  # the fifth failure locks
    assert response.status_code == 429
    clock.advance(minutes=1)
    assert_locked(patient.email)
    # Typing the address differently does not get around it.
    assert_locked(patient.email.upper())
    clock.advance(minutes=12, seconds=59)  # 14:59 after the fifth failure
    assert_locked(patient.email)


def test_it_works_again_after_fifteen_minutes(patient: User, clock: Clock) -> None:
    fail(patient.email, 5)
    assert_locked(patient.email)
    clock.advance(minutes=15, seconds=1)
    assert_signs_in(patient)
    assert not LoginFailure.objects.filter(username=patient.email).exists()  # reset on success
    assert not LoginLock.objects.filter(username=patient.email).exists()


def test_attempts_while_locked_do_not_extend_the_lock(patient: User, clock: Clock) -> None:
    fail(patient.email, 5)
    for _ in range(3):
        clock.advance(minutes=4)
        assert_locked(patient.email, WRONG)
    clock.advance(minutes=3, seconds=1)  # 15 minutes after the fifth failure
    assert_signs_in(patient)


def test_an_expired_lock_row_does_not_lock(patient: User) -> None:
    fail(patient.email, 5)
    assert_locked(patient.email)
    LoginLock.objects.filter(username=patient.email).update(until=timezone.now() - timedelta(seconds=1))
    assert_signs_in(patient)


def test_lockout_is_per_account(patient: User, clock: Clock) -> None:
    from tests.factories import make_user

    other = make_user("patient")
    fail(patient.email, 5)
    assert_locked(patient.email)
    assert_signs_in(other)


def test_unknown_addresses_lock_out_the_same_way(clock: Clock) -> None:
    fail("nobody@example.test", 5)
    assert_locked("nobody@example.test", WRONG)


def test_five_failures_more_than_fifteen_minutes_apart_do_not_lock(patient: User, clock: Clock) -> None:
    fail(patient.email, 4)
    clock.advance(minutes=15, seconds=1)
    fail(patient.email, 1)  # five failures, but only one in the last 15 minutes
    assert_signs_in(patient)


def test_five_failures_evenly_spread_over_twenty_minutes_do_not_lock(patient: User, clock: Clock) -> None:
    """At 0, 5, 10, 15 and 20 minutes: no 15-minute window holds five failures."""
    fail(patient.email, 1)
    for _ in range(4):
        clock.advance(minutes=5)
        fail(patient.email, 1)
    assert_signs_in(patient)
