"""Sign-in is audited (failures with the address tried, lock-outs, attempts while locked, second-factor
failures, throttled client addresses), lock-out counting is atomic under concurrency, and one client address
is slowed down after too many failures across accounts."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from secondopinion.accounts.models import Role
from secondopinion.core.models import AuditEvent
from tests.accounts.test_mail_privacy import mail_is_private  # noqa: F401
from tests.accounts.test_mfa import VERIFY, sign_in, wrong_code
from tests.factories import PASSWORD, login, make_user

LOGIN = "/accounts/login/"
WRONG = "wrong-password-123"


def actions_for(username: str) -> list[str]:
    rows = AuditEvent.objects.filter(detail__username=username).order_by("seq")
    return list(rows.values_list("action", flat=True))


@pytest.mark.django_db
def test_failures_lock_out_and_attempts_while_locked_are_audited_with_the_address_tried() -> None:
    patient = make_user("patient")
    for _ in range(settings.LOCKOUT_FAILURES):
        Client().post(LOGIN, {"username": patient.email.upper(), "password": WRONG})
    locked = Client().post(LOGIN, {"username": patient.email, "password": PASSWORD})
    assert locked.status_code == 429  # the right password does not open a locked address
    assert actions_for(patient.email) == [
        *["auth.login_failed"] * settings.LOCKOUT_FAILURES,
        "auth.locked",
        "auth.login_while_locked",
    ]


@pytest.mark.django_db
def test_a_wrong_second_factor_is_audited() -> None:
    clinician = make_user(Role.CONSULTANT)  # made with a confirmed authenticator
    device = TOTPDevice.objects.get(user=clinician, confirmed=True)
    client = sign_in(clinician)
    client.post(VERIFY, {"otp_token": wrong_code(device), "next": "/cases/"})
    assert AuditEvent.objects.filter(action="auth.mfa_failed", actor_id=clinician.pk).count() == 1


@pytest.mark.django_db
def test_one_client_address_is_slowed_down_across_many_accounts(settings) -> None:
    settings.SIGNIN_FAILURES_PER_ADDRESS = 3
    sprayer = Client()
    for n in range(3):
        sprayer.post(LOGIN, {"username": f"someone{n}@example.test", "password": WRONG})
    patient = make_user("patient")
    refused = sprayer.post(LOGIN, {"username": patient.email, "password": PASSWORD})
    assert refused.status_code == 429
    assert actions_for(patient.email) == ["auth.login_throttled"]
    other = Client(REMOTE_ADDR="192.0.2.7")  # another address is not slowed down
    assert other.post(LOGIN, {"username": patient.email, "password": PASSWORD}).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_forty_wrong_passwords_at_once_check_exactly_the_allowance(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's in-memory test database refuses concurrent writers")
    patient = make_user("patient")
    checked, guard = [0], threading.Lock()
    original = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):  # type: ignore[no-untyped-def]
        with guard:
            checked[0] += 1
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)

    def one(_: int) -> int:
        try:
            return Client().post(LOGIN, {"username": patient.email, "password": WRONG}).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(one, range(40)))
    assert checked[0] == settings.LOCKOUT_FAILURES
    assert statuses.count(429) == 40 - settings.LOCKOUT_FAILURES + 1  # the fifth failure locks, and says so
    assert login(Client(), patient)  # a forced session still works: the lock is on password sign-in only


@pytest.mark.django_db
def test_a_token_used_from_a_new_address_is_audited_once_per_address() -> None:
    from secondopinion.accounts import actions

    patient = make_user("patient")
    token, raw = actions.create_access_token(patient, "integration")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for address in ("192.0.2.1", "192.0.2.1", "198.51.100.9", "198.51.100.9"):
        assert Client(REMOTE_ADDR=address).get("/api/v1/cases", **auth).status_code == 200
    rows = AuditEvent.objects.filter(action="token.new_address", entity_id=str(token.pk)).order_by("seq")
    assert [(r.detail["address"], r.detail["before"]) for r in rows] == [
        ("192.0.2.1", ""),
        ("198.51.100.9", "192.0.2.1"),
    ]
