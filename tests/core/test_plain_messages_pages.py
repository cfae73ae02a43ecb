"""Bad values posted to the product's forms come back with our plain sentences, never Django's defaults."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from secondopinion.consults.models import AppointmentSlot, ConsultRequest
from secondopinion.consults.transitions import Status
from tests.consults.helpers import make_request, make_world

pytestmark = pytest.mark.django_db

DEFAULTS = (
    "This field is required.",
    "Enter a valid",
    "Enter a whole number.",
    "Ensure this value",
    "Select a valid choice",
    "Please submit at least",
)


def page_text(response: Any) -> str:
    return unescape(response.content.decode())


def assert_plain(response: Any, *sentences: str) -> None:
    text = page_text(response)
    for sentence in sentences:
        assert sentence in text, sentence
    for default in DEFAULTS:
        assert default not in text, default


def test_signup_with_nothing_filled_in() -> None:
    response = Client().post(reverse("accounts:signup"), {"full_name": "", "email": ""})
    assert response.status_code == 200
    assert_plain(response, "Please fill this in.")


def test_signup_with_a_bad_email_address() -> None:
    response = Client().post(
        reverse("accounts:signup"),
        {"full_name": "Ana", "email": "ana-at-home", "password1": "x", "password2": "x"},
    )
    assert_plain(response, "Please give an e-mail address, such as name@example.com.")


def test_login_with_nothing_filled_in() -> None:
    response = Client().post(reverse("accounts:login"), {})
    assert response.status_code == 200
    assert_plain(response, "Please fill this in.")


@pytest.mark.parametrize(
    ("age", "sentence"),
    [
        ("200", "Please give a number of 130 or less."),
        ("-1", "Please give a number of 0 or more."),
        ("fifty", "Please give a whole number, such as 30."),
    ],
)
def test_triage_with_an_impossible_age(age: str, sentence: str) -> None:
    response = Client().post(reverse("triage:start"), {"cancer_type": "Breast cancer", "age": age})
    assert response.status_code == 400
    assert_plain(response, sentence)


def test_triage_without_a_cancer_type_and_with_a_made_up_answer() -> None:
    response = Client().post(reverse("triage:start"), {"cancer_type": "", "metastatic": "perhaps"})
    assert_plain(response, "Please fill this in.", "Please choose one of the options shown.")


def test_companion_invited_for_zero_days(patient_client: Client, case: Any) -> None:
    response = patient_client.post(
        reverse("cases:companions", args=[case.pk]),
        {"name": "Luis", "email": "luis@example.test", "can_view": "on", "days": "0"},
    )
    assert response.status_code == 200
    assert_plain(response, "Please give a number of 1 or more.")


def test_request_shared_for_zero_days_and_without_a_kind(db: Any) -> None:
    world = make_world()
    response = world.client(world.patient).post(
        reverse("consults:new", args=[world.case.pk]),
        {"target": f"program:{world.program.pk}", "consent_days": "0"},
    )
    assert response.status_code == 200
    assert_plain(response, "Please give a number of 1 or more.", "Please choose one.")
    assert not ConsultRequest.objects.exists()


def test_proposing_no_appointment_time(db: Any, settings: Any) -> None:
    world = make_world()
    cr = make_request(world, status=Status.IN_PROGRESS)
    data = {"slots-TOTAL_FORMS": "5", "slots-INITIAL_FORMS": "0", "slots-MIN_NUM_FORMS": "1"}
    response = world.client(world.consultant).post(
        reverse("consults:propose_slots", args=[cr.pk]), data, follow=True
    )
    assert_plain(response, "Please propose at least one time.")
    assert not AppointmentSlot.objects.exists()


def test_directory_search_with_a_distance_not_offered() -> None:
    response = Client().get(reverse("directory:search"), {"near": "59301", "radius_miles": "7"})
    assert response.status_code == 200
    assert_plain(response, "Please choose one of the options shown.")


def test_signup_with_a_common_password() -> None:
    response = Client().post(
        reverse("accounts:signup"),
        {
            "full_name": "Ana",
            "email": "ana@example.test",
            "password1": "password123",
            "password2": "password123",
        },
    )
    assert_plain(response, "Many people use this password, so it is easy to guess. Please choose another.")
    assert "This password is too common." not in page_text(response)


def _reset_page(client: Client, user: Any) -> str:
    """The set-password page a reset link leads to (Django moves the token into the session first)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    response = client.get(link)
    assert response.status_code == 302
    return response["Location"]


def test_password_reset_with_short_and_mismatched_passwords(patient: Any) -> None:
    client = Client()
    url = _reset_page(client, patient)
    page = client.get(url)
    assert "At least 10 characters. Avoid common words." in page_text(page)
    assert "can’t be too similar" not in page_text(page)  # Django's own hint list is gone
    short = client.post(url, {"new_password1": "short", "new_password2": "short"})
    assert_plain(short, "Please use a longer password: at least 10 characters.")
    assert "This password is too short." not in page_text(short)
    mismatch = client.post(url, {"new_password1": "a-long-new-password-1", "new_password2": "another-one-2"})
    assert_plain(mismatch, "The two passwords are not the same.")
    assert "didn’t match" not in page_text(mismatch)
    empty = client.post(url, {"new_password1": "", "new_password2": ""})
    assert_plain(empty, "Please fill this in.")
