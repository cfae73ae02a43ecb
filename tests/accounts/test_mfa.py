"""Two-step sign-in (TOTP): required for clinicians and admins, optional for patients, enforced on the API."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from secondopinion.accounts.models import Role, User
from secondopinion.core.models import AuditEvent
from tests.accounts.test_mail_privacy import mail_is_private  # noqa: F401
from tests.factories import PASSWORD, login, make_user

pytestmark = pytest.mark.django_db

SETUP = "/accounts/mfa/setup/"
VERIFY = "/accounts/mfa/verify/"
PAGES = ["/", "/cases/", "/triage/", "/accounts/me/", "/accounts/clinicians/", "/audit/"]


def sign_in(user: User) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.session["_auth_user_id"] == str(user.pk)
    return client


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time() + steps_ahead * device.step
    return f"{generator.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code_for(device, n) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def without_device(role: str) -> User:
    user = make_user(role)
    TOTPDevice.objects.filter(user=user).delete()
    return user


def let_throttle_pass(monkeypatch: pytest.MonkeyPatch, seconds: int = 5) -> None:
    """django-otp throttles after a wrong code (1 s, then 2 s…); the person waits a moment."""
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=seconds))


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.PATHOLOGIST, Role.COORDINATOR, Role.ADMIN])
def test_clinicians_and_admins_without_a_device_must_set_one_up_first(role: str) -> None:
    client = sign_in(without_device(role))
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(f"{SETUP}?next="), (page, response["Location"])
    assert client.get(SETUP).status_code == 200
    assert client.post("/accounts/logout/").status_code == 302  # signing out is always possible


def test_setup_with_a_wrong_code_fails_and_a_right_code_succeeds(monkeypatch: pytest.MonkeyPatch) -> None:
    user = without_device(Role.CONSULTANT)
    client = sign_in(user)
    response = client.get(f"{SETUP}?next=/accounts/me/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="totp-secret"' in html and "<svg" in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post(SETUP, {"otp_token": wrong_code(device), "next": "/accounts/me/"})
    assert response.status_code == 200
    assert "That code did not match" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get("/accounts/me/").status_code == 302

    let_throttle_pass(monkeypatch)
    device.refresh_from_db()
    response = client.post(SETUP, {"otp_token": totp(device.bin_key), "next": "/accounts/me/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(action="auth.mfa_enroll", actor=user).exists()
    assert client.get("/accounts/me/").status_code == 200
    assert client.get("/cases/").status_code == 200


def test_setup_refuses_an_unsafe_next(monkeypatch: pytest.MonkeyPatch) -> None:
    user = without_device(Role.ADMIN)
    client = sign_in(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"otp_token": totp(device.bin_key), "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_clinician_with_a_device_is_sent_to_verify(monkeypatch: pytest.MonkeyPatch) -> None:
    user = make_user(Role.CONSULTANT)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    client = sign_in(user)
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{VERIFY}?next="), page
    # Setting up a new device does not get around the code either.
    assert client.get(SETUP)["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=user).count() == 1

    response = client.post(VERIFY, {"otp_token": wrong_code(device), "next": "/cases/"})
    assert response.status_code == 200
    assert "That code did not match" in response.content.decode()
    assert client.get("/cases/").status_code == 302

    let_throttle_pass(monkeypatch)
    response = client.post(VERIFY, {"otp_token": code_for(device), "next": "/cases/"})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200


def test_the_page_asked_for_is_kept_whole_through_the_code() -> None:
    user = make_user(Role.CONSULTANT)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    client = sign_in(user)
    response = client.get("/triage/?cancer_type=x&zip=10001", follow=True)
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    html = response.content.decode()
    assert 'name="next" value="/triage/?cancer_type=x&amp;zip=10001"' in html
    response = client.post(
        VERIFY, {"otp_token": code_for(device), "next": "/triage/?cancer_type=x&zip=10001"}
    )
    assert response["Location"] == "/triage/?cancer_type=x&zip=10001"


def test_a_used_code_cannot_be_replayed() -> None:
    user = make_user(Role.CONSULTANT)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = code_for(device)
    first = sign_in(user)
    assert first.post(VERIFY, {"otp_token": code})["Location"] == "/"
    second = sign_in(user)
    assert second.post(VERIFY, {"otp_token": code}).status_code == 200
    assert second.get("/cases/").status_code == 302


def test_patients_may_use_the_site_without_totp(patient: User) -> None:
    client = sign_in(patient)
    for page in ("/cases/", "/triage/", "/accounts/me/"):
        assert client.get(page).status_code == 200, page


def test_once_a_patient_enrolls_their_next_login_requires_it(patient: User) -> None:
    client = sign_in(patient)
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user=patient)
    response = client.post(SETUP, {"otp_token": code_for(device)})
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 200  # this session passed the second factor
    client.post("/accounts/logout/")

    again = sign_in(patient)
    response = again.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith(f"{VERIFY}?next=")
    assert again.post(VERIFY, {"otp_token": code_for(device, steps_ahead=1)}).status_code == 302
    assert again.get("/cases/").status_code == 200


def test_api_with_a_session_but_no_second_factor_is_401_problem() -> None:
    client = sign_in(make_user(Role.CONSULTANT))
    response = client.get("/api/v1/cases")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    body = json.loads(response.content)
    assert body["code"] == "second_factor_required"
    assert body["status"] == 401


def test_api_works_once_the_second_factor_is_passed(patient: User) -> None:
    consultant = make_user(Role.CONSULTANT)
    response = login(Client(), consultant).get("/api/v1/cases")
    assert response.status_code == 200
    assert json.loads(response.content) == []


def test_api_for_an_enrolled_patient_without_the_code_is_401(patient: User) -> None:
    TOTPDevice.objects.create(user=patient, name="phone", confirmed=True)
    response = sign_in(patient).get("/api/v1/cases")
    assert response.status_code == 401
    assert json.loads(response.content)["code"] == "second_factor_required"
