"""Signing in and out, password reset without address disclosure, hashing, idle timeout."""

from __future__ import annotations

import importlib.util
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from secondopinion.accounts.models import Role, User
from secondopinion.core.models import AuditEvent
from tests.accounts.test_mail_privacy import links_in, mail_is_private, path_of, private_case  # noqa: F401
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "an-entirely-new-passphrase-77"


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra: str):
    return client.post("/accounts/login/", {"username": email, "password": password, **extra})


def signed_in_as(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def scrub(html: str, *words: str) -> str:
    """The page without its CSRF token and the address the person typed."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    for word in words:
        html = html.replace(word, "ADDRESS")
    return html


# --- log-in / log-out -----------------------------------------------------------------------------


def test_login_and_logout(patient: User) -> None:
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    response = sign_in(client, patient.email)
    assert response.status_code == 302
    assert signed_in_as(client) == str(patient.pk)
    assert AuditEvent.objects.filter(action="auth.login", actor=patient).exists()

    assert client.get("/accounts/logout/").status_code == 405  # never by a link
    assert signed_in_as(client) == str(patient.pk)
    response = client.post("/accounts/logout/", follow=True)
    assert signed_in_as(client) is None
    assert "You are signed out." in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.logout", actor=patient).exists()


def test_login_matches_the_address_however_it_is_typed(patient: User) -> None:
    client = Client()
    sign_in(client, "  " + patient.email.upper() + " ")
    assert signed_in_as(client) == str(patient.pk)


def test_login_follows_a_safe_next_only(patient: User) -> None:
    response = sign_in(Client(), patient.email, next="/triage/")
    assert response["Location"] == "/triage/"
    response = sign_in(Client(), patient.email, next="https://evil.example/")
    assert response["Location"] == "/"


def test_login_page_never_says_whether_an_address_exists(patient: User) -> None:
    unknown = sign_in(Client(), "nobody-here@example.test", "whatever-password-1")
    wrong = sign_in(Client(), patient.email, "not-the-password-1")
    assert unknown.status_code == wrong.status_code == 200
    message = "That e-mail address and password do not match. Please try again."
    assert unknown.context["form"].non_field_errors() == wrong.context["form"].non_field_errors() == [message]
    assert scrub(unknown.content.decode(), "nobody-here@example.test") == scrub(
        wrong.content.decode(), patient.email
    )
    assert AuditEvent.objects.filter(action="auth.login_failed", outcome="failed").count() == 2


def test_inactive_account_gets_the_same_message(patient: User) -> None:
    User.objects.filter(pk=patient.pk).update(is_active=False)
    response = sign_in(Client(), patient.email)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "That e-mail address and password do not match. Please try again."
    ]


# --- password reset -------------------------------------------------------------------------------


def _reset(email: str):
    client = Client()
    response = client.post("/accounts/password-reset/", {"email": email})
    page = client.get(response["Location"])
    return response, page


def test_password_reset_does_not_reveal_whether_an_address_has_an_account(patient: User) -> None:
    private_case(patient)
    known, known_page = _reset(patient.email)
    assert len(mail.outbox) == 1
    unknown, unknown_page = _reset("no-account@example.test")
    assert len(mail.outbox) == 1  # nothing sent for the unknown address
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password-reset/sent/"
    assert known_page.status_code == unknown_page.status_code == 200
    assert scrub(known_page.content.decode()) == scrub(unknown_page.content.decode())
    assert "If an account uses this address" in known_page.content.decode()
    assert mail.outbox[0].to == [patient.email]


def test_password_reset_link_sets_a_new_password(patient: User) -> None:
    private_case(patient)  # the mail is checked for its health data by the autouse fixture
    Client().post("/accounts/password-reset/", {"email": patient.email.upper()})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert patient.full_name not in body
    [link] = [u for u in links_in(mail.outbox[0]) if "/password-reset/" in u]

    client = Client()
    response = client.get(path_of(link))
    assert response.status_code == 302  # to the same URL with the token moved into the session
    form_url = response["Location"]
    assert "Choose a new password" in client.get(form_url).content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/done/"
    patient.refresh_from_db()
    assert patient.check_password(NEW_PASSWORD)

    fresh = Client()
    sign_in(fresh, patient.email, NEW_PASSWORD)
    assert signed_in_as(fresh) == str(patient.pk)
    stale = Client()
    assert sign_in(stale, patient.email, PASSWORD).status_code == 200
    assert signed_in_as(stale) is None

    # The link is single-use.
    reuse = Client().get(path_of(link), follow=True)
    assert "This link does not work any more" in reuse.content.decode()


def test_password_reset_link_uses_site_url_not_the_request_host(patient: User) -> None:
    Client().post("/accounts/password-reset/", {"email": patient.email}, HTTP_HOST="localhost")
    [link] = [u for u in links_in(mail.outbox[0]) if "/password-reset/" in u]
    assert link.startswith(settings.SITE_URL.rstrip("/") + "/accounts/password-reset/")
    assert "localhost" not in mail.outbox[0].body


def test_password_reset_refuses_a_weak_new_password(patient: User) -> None:
    Client().post("/accounts/password-reset/", {"email": patient.email})
    [link] = [u for u in links_in(mail.outbox[0]) if "/password-reset/" in u]
    client = Client()
    form_url = client.get(path_of(link))["Location"]
    response = client.post(form_url, {"new_password1": "12345", "new_password2": "12345"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


# --- hashing --------------------------------------------------------------------------------------


def _production_settings(monkeypatch: pytest.MonkeyPatch, tmp_path) -> object:
    """Execute config/settings.py afresh, as production would, without the test override."""
    monkeypatch.setenv("SECONDOPINION_TESTING", "false")
    monkeypatch.setenv("SECONDOPINION_DATA_DIR", str(tmp_path))
    path = settings.BASE_DIR / "config" / "settings.py"
    spec = importlib.util.spec_from_file_location("production_settings_probe", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_argon2_is_the_production_hasher(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    production = _production_settings(monkeypatch, tmp_path)
    assert production.TESTING is False
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        encoded = make_password(PASSWORD)
        assert encoded.startswith("argon2$")
        assert identify_hasher(encoded).algorithm == "argon2"
        assert check_password(PASSWORD, encoded)
        user = make_user(Role.PATIENT)
        assert user.password.startswith("argon2$")
        client = Client()
        sign_in(client, user.email)
        assert signed_in_as(client) == str(user.pk)


# --- idle timeout ---------------------------------------------------------------------------------


def test_idle_timeout_settings() -> None:
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def _session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_whose_expiry_passed_is_signed_out(patient_client: Client) -> None:
    assert patient_client.get("/cases/").status_code == 200
    Session.objects.filter(pk=_session_row(patient_client).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = patient_client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_each_request_pushes_the_expiry_forward(
    patient_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = timezone.now()
    assert patient_client.get("/cases/").status_code == 200
    real_now = timezone.now
    for minutes in (29, 58, 87):  # every 29 minutes: never idle for 30
        monkeypatch.setattr(timezone, "now", lambda m=minutes: real_now() + timedelta(minutes=m))
        assert patient_client.get("/cases/").status_code == 200, minutes
        assert _session_row(patient_client).expire_date >= start + timedelta(minutes=minutes + 29)
    # 31 idle minutes later: signed out.
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(minutes=87 + 31))
    response = patient_client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
