"""Clinician accounts: NPI and licence at sign-up, pending until an admin approves, no health data before."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from secondopinion.accounts.models import ClinicianProfile, Role, User
from secondopinion.core.access import may_see_health_data, visible_cases
from secondopinion.core.models import AuditEvent
from tests.accounts.test_mail_privacy import links_in, mail_is_private, path_of, private_case  # noqa: F401
from tests.factories import PASSWORD, login, make_user

pytestmark = pytest.mark.django_db

VALID_NPI = "1234567893"
EMAIL = "dr.osler@example.test"


def apply(client: Client | None = None, **overrides: str):
    data = {
        "full_name": "William Osler",
        "email": EMAIL,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": Role.CONSULTANT,
        "npi": VALID_NPI,
        "licence_state": "MD",
        "specialty": "Medical oncology",
        "institution": "Johns Hopkins",
    }
    return (client or Client()).post("/accounts/signup/clinician/", {**data, **overrides})


def test_clinician_signup_is_pending_and_audited(django_capture_on_commit_callbacks) -> None:
    assert Client().get("/accounts/signup/clinician/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = apply()
    assert response.status_code == 200
    assert "Check your e-mail" in response.content.decode()
    user = User.objects.get(email=EMAIL)
    assert user.role == Role.CONSULTANT
    profile = user.clinician_profile
    assert (profile.npi, profile.licence_state, profile.status) == (
        VALID_NPI,
        "MD",
        ClinicianProfile.Status.PENDING,
    )
    assert AuditEvent.objects.filter(action="clinician.apply", actor=user).exists()
    assert len(mail.outbox) == 1 and "/accounts/verify/" in links_in(mail.outbox[0])[0]


@pytest.mark.parametrize(
    ("npi", "message"),
    [
        ("1234567890", "not a valid NPI"),  # bad check digit
        ("123456789", "An NPI has exactly 10 digits."),
        ("12345678AB", "An NPI has exactly 10 digits."),
    ],
)
def test_bad_npi_is_a_field_error(npi: str, message: str) -> None:
    response = apply(npi=npi)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["npi"])
    assert not User.objects.filter(email=EMAIL).exists()


def test_licence_state_is_required_and_must_be_a_state() -> None:
    for state in ("", "XX"):
        response = apply(licence_state=state)
        assert "licence_state" in response.context["form"].errors, state
    assert not User.objects.filter(email=EMAIL).exists()


def test_a_patient_role_cannot_be_chosen_on_the_clinician_form() -> None:
    for role in (Role.PATIENT, Role.ADMIN):
        response = apply(role=role)
        assert "role" in response.context["form"].errors
    assert not User.objects.filter(email=EMAIL).exists()


def test_pending_clinician_sees_no_health_data_through_the_gateway(patient: User) -> None:
    private_case(patient)
    for status in (ClinicianProfile.Status.PENDING, ClinicianProfile.Status.REJECTED):
        doctor = make_user(Role.CONSULTANT, clinician_status=status)
        assert doctor.email_verified_at is not None
        assert doctor.may_see_health_data is False
        assert may_see_health_data(doctor) is False
        assert list(visible_cases(doctor)) == []
    no_profile = make_user(Role.PATHOLOGIST, clinician_status=None)
    assert no_profile.may_see_health_data is False
    approved = make_user(Role.CONSULTANT)
    assert approved.may_see_health_data is True


def test_pending_clinician_journey_after_verification(django_capture_on_commit_callbacks) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        apply(client)
    client.get(path_of(links_in(mail.outbox[0])[0]))
    response = client.post("/accounts/login/", {"username": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/me/")["Location"].startswith("/accounts/mfa/setup/")
    user = User.objects.get(email=EMAIL)
    assert user.may_see_health_data is False
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page = login(Client(), user).get("/accounts/me/")
    assert "Waiting for review" in page.content.decode()


def _admin() -> Client:
    return login(Client(), make_user(Role.ADMIN))


def test_admin_approves_a_clinician(django_capture_on_commit_callbacks, patient: User) -> None:
    private_case(patient)
    doctor = make_user(Role.CONSULTANT, clinician_status="pending", name="Dr Pending Person")
    admin_user = make_user(Role.ADMIN)
    admin = login(Client(), admin_user)
    page = admin.get("/accounts/clinicians/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<td>Dr Pending Person" in html and VALID_NPI in html

    profile = doctor.clinician_profile
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            f"/accounts/clinicians/{profile.pk}/review/", {"decision": "approve", "note": "ok"}
        )
    assert response.status_code == 302 and response["Location"] == "/accounts/clinicians/"
    profile.refresh_from_db()
    assert profile.status == ClinicianProfile.Status.APPROVED
    assert profile.reviewed_by == admin_user and profile.reviewed_at is not None
    row = AuditEvent.objects.get(action="clinician.approve")
    assert row.actor_id == admin_user.pk and row.entity_id == str(profile.pk)
    doctor = User.objects.get(pk=doctor.pk)
    assert doctor.may_see_health_data is True
    assert "<td>Dr Pending Person" not in admin.get("/accounts/clinicians/").content.decode()

    [message] = mail.outbox
    assert message.to == [doctor.email]
    assert "verified" in message.body
    assert VALID_NPI not in message.body  # nothing but "please sign in"


def test_admin_rejects_a_clinician(django_capture_on_commit_callbacks) -> None:
    doctor = make_user(Role.PATHOLOGIST, clinician_status="pending")
    admin = _admin()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/accounts/clinicians/{doctor.clinician_profile.pk}/review/", {"decision": "reject"})
    doctor = User.objects.get(pk=doctor.pk)
    assert doctor.clinician_profile.status == ClinicianProfile.Status.REJECTED
    assert doctor.may_see_health_data is False
    assert AuditEvent.objects.filter(action="clinician.reject").count() == 1
    assert len(mail.outbox) == 1 and "could not verify" in mail.outbox[0].body
    # A decided profile cannot be decided again.
    again = admin.post(f"/accounts/clinicians/{doctor.clinician_profile.pk}/review/", {"decision": "approve"})
    assert again.status_code == 404
    assert User.objects.get(pk=doctor.pk).clinician_profile.status == ClinicianProfile.Status.REJECTED


def test_review_needs_a_decision_and_a_post() -> None:
    doctor = make_user(Role.CONSULTANT, clinician_status="pending")
    admin = _admin()
    url = f"/accounts/clinicians/{doctor.clinician_profile.pk}/review/"
    assert admin.get(url).status_code == 405
    response = admin.post(url, {"decision": "maybe"}, follow=True)
    assert "Choose approve or reject." in response.content.decode()
    doctor.clinician_profile.refresh_from_db()
    assert doctor.clinician_profile.status == ClinicianProfile.Status.PENDING
    assert admin.post("/accounts/clinicians/999999/review/", {"decision": "approve"}).status_code == 404


@pytest.mark.parametrize("role", [Role.PATIENT, Role.COMPANION, Role.CONSULTANT, Role.COORDINATOR])
def test_non_admins_get_403_on_the_review_pages(role: str) -> None:
    doctor = make_user(Role.CONSULTANT, clinician_status="pending")
    client = login(Client(), make_user(role))
    assert client.get("/accounts/clinicians/").status_code == 403
    response = client.post(
        f"/accounts/clinicians/{doctor.clinician_profile.pk}/review/", {"decision": "approve"}
    )
    assert response.status_code == 403
    doctor.clinician_profile.refresh_from_db()
    assert doctor.clinician_profile.status == ClinicianProfile.Status.PENDING
    assert not AuditEvent.objects.filter(action="clinician.approve").exists()


def test_anonymous_is_sent_to_sign_in() -> None:
    response = Client().get("/accounts/clinicians/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
