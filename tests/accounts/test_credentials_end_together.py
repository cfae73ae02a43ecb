"""Credentials end together: a new password (reset link, or set any other way) ends every API token and the
account's other sessions; tokens expire after SECONDOPINION_TOKEN_DAYS and show when they were last used."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secondopinion.accounts import actions
from secondopinion.accounts.models import AccessToken, User
from secondopinion.core.models import AuditEvent
from tests.accounts.test_login import NEW_PASSWORD, links_in, path_of
from tests.factories import login, make_user

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases"


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def opens_api(raw: str) -> bool:
    return Client().get(CASES, **bearer(raw)).status_code == 200


def reset_password(user: User) -> None:
    Client().post("/accounts/password-reset/", {"email": user.email})
    [link] = [u for u in links_in(mail.outbox[-1]) if "/password-reset/" in u]
    client = Client()
    form_url = client.get(path_of(link))["Location"]
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/accounts/password-reset/done/"


def test_a_password_reset_ends_every_token_and_the_other_sessions() -> None:
    patient = make_user("patient")
    _, first = actions.create_access_token(patient, "first")
    _, second = actions.create_access_token(patient, "second")
    elsewhere = login(Client(), patient)
    assert opens_api(first) and opens_api(second) and elsewhere.get(CASES).status_code == 200

    reset_password(patient)

    assert not opens_api(first) and not opens_api(second)
    assert elsewhere.get(CASES).status_code == 401  # the session signed in before the reset is over
    assert not AccessToken.objects.filter(user=patient, revoked_at__isnull=True).exists()
    reasons = AuditEvent.objects.filter(action="token.revoke", actor_id=patient.pk).values_list(
        "detail", flat=True
    )
    assert [d["reason"] for d in reasons] == ["password_changed", "password_changed"]
    _, fresh = actions.create_access_token(patient, "after the reset")
    assert opens_api(fresh)  # and new ones work


def test_setting_a_password_any_other_way_ends_the_tokens_too() -> None:
    clinician = make_user("consultant")
    _, raw = actions.create_access_token(clinician, "integration")
    clinician.set_password("another-long-password-2026")
    clinician.save()
    assert not opens_api(raw)


def test_saving_an_account_without_a_new_password_keeps_its_tokens() -> None:
    patient = make_user("patient")
    _, raw = actions.create_access_token(patient, "kept")
    patient.full_name = "A new name"
    patient.save()
    assert opens_api(raw)


def test_a_token_stops_at_its_expiry(settings) -> None:
    settings.SECONDOPINION_TOKEN_DAYS = 30
    patient = make_user("patient")
    token, raw = actions.create_access_token(patient, "short")
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert opens_api(raw)
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not opens_api(raw)


def test_the_account_page_shows_expiry_last_use_and_what_a_new_password_does() -> None:
    patient = make_user("patient")
    _used, raw = actions.create_access_token(patient, "used one")
    actions.create_access_token(patient, "unused one")
    assert opens_api(raw)
    page = login(Client(), patient).get(reverse("accounts:account")).content.decode()
    assert "all your tokens stop working" in page
    assert page.count("works until") == 2
    assert "never used" in page and "last used" in page


def test_the_command_line_sets_and_lists_the_expiry() -> None:
    patient = make_user("patient")
    out = io.StringIO()
    call_command("tokens", "create", "--user", patient.email, "--days", "7", stdout=out)
    token = AccessToken.objects.get(user=patient)
    assert abs(token.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    listing = io.StringIO()
    call_command("tokens", "list", "--user", patient.email, stdout=listing)
    assert f"expires {token.expires_at:%Y-%m-%d}" in listing.getvalue() and "never used" in listing.getvalue()
