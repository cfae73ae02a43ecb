"""The verification queue flags an application whose NPI another account already gives.

An NPI names one clinician: an applicant giving a number already verified for someone else, or two
applications waiting with the same number, may be an impersonation, so the admin sees it before approving.
"""

from __future__ import annotations

import pytest
from django.test import Client

from secondopinion.accounts.models import ClinicianProfile, Role, User
from tests.factories import login, make_user

pytestmark = pytest.mark.django_db

QUEUE = "/accounts/clinicians/"
VERIFIED = "This NPI is already verified for another account"
WAITING = "Another application waiting for verification gives the same NPI"


def clinician(name: str, npi: str, status: str = ClinicianProfile.Status.PENDING) -> User:
    user = make_user(Role.CONSULTANT, clinician_status=status, name=name)
    ClinicianProfile.objects.filter(user=user).update(npi=npi)
    return user


def queue() -> str:
    response = login(Client(), make_user(Role.ADMIN)).get(QUEUE)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.content.decode()


def test_an_npi_verified_for_another_account_is_flagged_on_that_row_only() -> None:
    verified = clinician("Dr Real Holder", "1111111112", ClinicianProfile.Status.APPROVED)
    copycat = clinician("Dr Copy Cat", "1111111112")
    unique = clinician("Dr Only One", "2222222224")
    page = queue()
    assert f'id="npi-verified-{copycat.clinician_profile.pk}"' in page
    assert f"{VERIFIED}: {verified.full_name} ({verified.email}). Check before approving." in page
    assert f'id="npi-verified-{unique.clinician_profile.pk}"' not in page
    assert f'id="npi-pending-{unique.clinician_profile.pk}"' not in page
    assert page.count(VERIFIED) == 1 and WAITING not in page


def test_two_waiting_applications_with_one_npi_are_both_flagged() -> None:
    first = clinician("Dr First Applicant", "3333333336")
    second = clinician("Dr Second Applicant", "3333333336")
    clinician("Dr Someone Else", "4444444448")
    page = queue()
    assert f"{WAITING}: {second.full_name} ({second.email}). Check before approving." in page
    assert f"{WAITING}: {first.full_name} ({first.email}). Check before approving." in page
    assert page.count(WAITING) == 2 and VERIFIED not in page


def test_a_rejected_account_with_the_npi_does_not_flag() -> None:
    clinician("Dr Turned Down", "5555555550", ClinicianProfile.Status.REJECTED)
    applicant = clinician("Dr New Try", "5555555550")
    page = queue()
    assert applicant.full_name in page
    assert VERIFIED not in page and WAITING not in page


def test_only_admins_see_the_queue_and_its_flags() -> None:
    clinician("Dr Real Holder", "1111111112", ClinicianProfile.Status.APPROVED)
    copycat = clinician("Dr Copy Cat", "1111111112")
    for role in (Role.PATIENT, Role.CONSULTANT, Role.COMPANION):
        response = login(Client(), make_user(role)).get(QUEUE)
        assert response.status_code == 403, role
        assert copycat.email not in response.content.decode()
    anonymous = Client().get(QUEUE)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
