"""Patient sign-up and e-mail verification, through HTTP."""

from __future__ import annotations

import pytest
from django.core import mail, signing
from django.test import Client

from secondopinion.accounts import actions
from secondopinion.accounts.models import Role, User
from secondopinion.core.models import AuditEvent
from tests.accounts.test_mail_privacy import links_in, mail_is_private, path_of  # noqa: F401
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

EMAIL = "Ada.Patient@Example.test"


def signup(client: Client, **overrides: str):
    data = {"full_name": "Ada Patient", "email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", {**data, **overrides})


def sign_in(client: Client, email: str = EMAIL, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": email, "password": password}, follow=True)


def test_signup_page_renders() -> None:
    response = Client().get("/accounts/signup/")
    assert response.status_code == 200
    assert 'name="password1"' in response.content.decode()


def test_signup_sends_a_verification_link_and_login_waits_for_it(django_capture_on_commit_callbacks) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client)
    assert response.status_code == 200
    assert "Check your e-mail" in response.content.decode()
    user = User.objects.get(email=EMAIL.lower())
    assert user.role == Role.PATIENT and user.email_verified_at is None
    assert AuditEvent.objects.filter(action="auth.signup", actor=user).exists()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL.lower()]
    [link] = links_in(message)
    assert "/accounts/verify/" in link

    # Before verifying: refused with a message, and a new link goes out.
    response = sign_in(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please confirm your e-mail address first" in html
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 2
    assert "/accounts/verify/" in links_in(mail.outbox[1])[0]

    # Opening the link confirms the address; then signing in works.
    response = client.get(path_of(link), follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "Your e-mail address is confirmed" in response.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is not None

    response = sign_in(client)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert response.redirect_chain[-1][0] == "/cases/"


def test_the_second_link_works_too(django_capture_on_commit_callbacks) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    sign_in(client)
    new_link = links_in(mail.outbox[-1])[0]
    assert client.get(path_of(new_link)).status_code == 302
    assert User.objects.get(email=EMAIL.lower()).email_verified_at is not None


# Tokens are made inside the test: a signed token carries a timestamp, and a parameter id that differs
# between xdist workers makes them collect different tests.
INVALID_TOKENS = {
    "garbage": lambda: "not-a-token",
    "other_salt": lambda: signing.dumps({"u": 1, "e": "x@example.test"}, salt="some-other-salt"),
}


@pytest.mark.parametrize("kind", sorted(INVALID_TOKENS))
def test_invalid_verification_token_is_a_400_page(kind: str) -> None:
    token = INVALID_TOKENS[kind]()
    response = Client().get(f"/accounts/verify/{token}/")
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_tampered_verification_token_is_a_400_page() -> None:
    user = make_user(Role.PATIENT, verified_email=False)
    token = actions.email_token(user)
    _payload, rest = token.split(":", 1)
    other = make_user(Role.PATIENT, verified_email=False)
    forged = signing.dumps({"u": other.pk, "e": other.email}, salt="x").split(":", 1)[0] + ":" + rest
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (forged, flipped):
        response = Client().get(f"/accounts/verify/{bad}/")
        assert response.status_code == 400
    user.refresh_from_db()
    other.refresh_from_db()
    assert user.email_verified_at is None and other.email_verified_at is None


def test_expired_verification_token_is_a_400_page(monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user(Role.PATIENT, verified_email=False)
    token = actions.email_token(user)
    import time

    later = time.time() + actions.EMAIL_MAX_AGE + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = Client().get(f"/accounts/verify/{token}/")
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_token_for_an_address_that_changed_is_refused() -> None:
    user = make_user(Role.PATIENT, verified_email=False)
    token = actions.email_token(user)
    User.objects.filter(pk=user.pk).update(email="changed@example.test")
    assert Client().get(f"/accounts/verify/{token}/").status_code == 400


def test_duplicate_email_is_a_field_error(django_capture_on_commit_callbacks) -> None:
    make_user(Role.PATIENT, email=EMAIL.lower())
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(Client(), email=EMAIL.upper())
    assert response.status_code == 200
    assert "An account with this address already exists" in str(response.context["form"].errors["email"])
    assert User.objects.filter(email__iexact=EMAIL).count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("password", ["short1", "password123", "1234567890123", "ada patient"])
def test_weak_password_is_a_field_error(password: str) -> None:
    response = signup(Client(), password1=password, password2=password)
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email__iexact=EMAIL).exists()


def test_password_similar_to_the_address_is_refused() -> None:
    response = signup(
        Client(), email="zebracrossing@example.test", password1="zebracrossing", password2="zebracrossing"
    )
    assert "password1" in response.context["form"].errors
    assert not User.objects.filter(email="zebracrossing@example.test").exists()


def test_mismatched_passwords_are_a_field_error() -> None:
    response = signup(Client(), password2=PASSWORD + "x")
    assert response.status_code == 200
    assert "The two passwords are not the same." in response.context["form"].errors["password2"]
    assert not User.objects.filter(email__iexact=EMAIL).exists()
    assert mail.outbox == []
