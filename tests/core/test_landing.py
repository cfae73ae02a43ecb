"""Each role lands on its work after signing in; the header shows the links that role needs (issue 11, 5)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from secondopinion.accounts.models import ClinicianProfile, Role, User
from secondopinion.consults.models import Program
from tests.accounts.test_mfa import code_for
from tests.factories import PASSWORD, login, make_case, make_companion, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
VERIFY = "/accounts/mfa/verify/"
INBOX = "/requests/inbox/"


def program(name: str, *, coordinators: tuple[User, ...] = (), consultants: tuple[User, ...] = ()) -> Program:
    made = Program.objects.create(name=name, turnaround_days=5, kinds=["independent_specialist"])
    made.coordinators.add(*coordinators)
    made.consultants.add(*consultants)
    return made


def sign_in(user: User, next_url: str = "") -> tuple[Client, str]:
    """Sign in through the form (and the second-factor page where the role needs it); the page reached."""
    client = Client()
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(LOGIN + (f"?next={next_url}" if next_url else ""), data)
    assert response.status_code == 302, response.content.decode()[:300]
    for _hop in range(6):
        location = response["Location"]
        if location.startswith(VERIFY):
            device = TOTPDevice.objects.get(user=user, confirmed=True)
            page = client.get(location)
            assert page.status_code == 200
            hidden = re.search(r'name="next" value="([^"]*)"', page.content.decode())
            response = client.post(
                VERIFY, {"otp_token": code_for(device), "next": hidden.group(1) if hidden else ""}
            )
            assert response.status_code == 302
            continue
        response = client.get(location)
        if response.status_code != 302:
            assert response.status_code == 200, location
            return client, location
    raise AssertionError("too many redirects")


def nav(html: str) -> list[str]:
    """The data-nav keys of the header's links, in order."""
    header = html[html.index("<header") : html.index("</header>")]
    return re.findall(r'data-nav="([^"]+)"', header)


def test_a_patient_lands_on_their_cases() -> None:
    _client, page = sign_in(make_user(Role.PATIENT))
    assert page == "/cases/"


def test_a_companion_lands_on_the_cases_shared_with_them() -> None:
    owner = make_user(Role.PATIENT)
    companion = make_user(Role.COMPANION)
    make_companion(make_case(owner), companion)
    _client, page = sign_in(companion)
    assert page == "/cases/"


def test_a_consultant_lands_on_the_inbox_after_the_second_factor() -> None:
    _client, page = sign_in(make_user(Role.CONSULTANT))
    assert page == INBOX


def test_a_pathologist_lands_on_the_inbox() -> None:
    _client, page = sign_in(make_user(Role.PATHOLOGIST))
    assert page == INBOX


def test_a_coordinator_lands_on_the_program_queue_with_the_figures_one_click_away() -> None:
    coordinator = make_user(Role.COORDINATOR)
    queue = program("Breast second opinions", coordinators=(coordinator,))
    client, page = sign_in(coordinator)
    assert page == f"/requests/program/{queue.pk}/"
    html = client.get(page).content.decode()
    assert f'href="/outcomes/?program={queue.pk}"' in html
    assert client.get(f"/outcomes/?program={queue.pk}").status_code == 200


def test_a_person_with_two_staff_roles_gets_a_home_listing_both() -> None:
    consultant = make_user(Role.CONSULTANT)
    queue = program("Sarcoma board program", coordinators=(consultant,), consultants=(consultant,))
    client, page = sign_in(consultant)
    assert page == "/"
    html = client.get("/").content.decode()
    assert re.findall(r'data-work="([^"]+)"', html) == ["inbox", f"program:{queue.pk}"]
    assert f'href="{INBOX}"' in html and f'href="/requests/program/{queue.pk}/"' in html


def test_a_coordinator_of_two_programs_gets_both_queues() -> None:
    coordinator = make_user(Role.COORDINATOR)
    first, second = (
        program("A program", coordinators=(coordinator,)),
        program("B program", coordinators=(coordinator,)),
    )
    client, page = sign_in(coordinator)
    assert page == "/"
    html = client.get("/").content.decode()
    assert re.findall(r'data-work="([^"]+)"', html) == [f"program:{first.pk}", f"program:{second.pk}"]


def test_an_admin_lands_on_the_verification_and_moderation_queues_with_what_waits() -> None:
    admin = make_user(Role.ADMIN)
    make_user(Role.CONSULTANT, clinician_status=ClinicianProfile.Status.PENDING)
    make_user(Role.PATHOLOGIST, clinician_status=ClinicianProfile.Status.PENDING)
    client, page = sign_in(admin)
    assert page == "/"
    html = client.get("/").content.decode()
    cards = dict(re.findall(r'data-work="([^"]+)".*?<p class="text-bold">(\d+) waiting', html, re.DOTALL))
    assert cards == {"verification": "2", "moderation": "0"}
    assert 'href="/accounts/clinicians/"' in html and 'href="/directory/moderation/"' in html


def test_a_referring_physician_lands_on_their_patients_cases() -> None:
    _client, page = sign_in(make_user(Role.REFERRING_PHYSICIAN))
    assert page == "/cases/"


def test_a_safe_next_still_wins_through_the_second_factor() -> None:
    _client, page = sign_in(make_user(Role.CONSULTANT), next_url="/accounts/me/")
    assert page == "/accounts/me/"
    _client, page = sign_in(make_user(Role.PATIENT), next_url="/triage/")
    assert page == "/triage/"


def test_an_unsafe_next_is_ignored_and_the_person_lands_on_their_work() -> None:
    _client, page = sign_in(make_user(Role.CONSULTANT), next_url="https://evil.example/")
    assert page == INBOX


def test_the_anonymous_home_page_is_the_public_one() -> None:
    html = Client().get("/").content.decode()
    assert nav(html) == ["find", "sign-in", "sign-up", "language"]


HEADERS = {
    Role.PATIENT: ["cases", "find", "account", "sign-out", "language"],
    Role.COMPANION: ["cases", "find", "account", "sign-out", "language"],
    Role.REFERRING_PHYSICIAN: ["cases", "find", "account", "sign-out", "language"],
    Role.CONSULTANT: ["inbox", "profile", "account", "sign-out", "language"],
    Role.PATHOLOGIST: ["inbox", "profile", "account", "sign-out", "language"],
    Role.ADMIN: ["verification", "moderation", "audit", "account", "sign-out", "language"],
}


@pytest.mark.parametrize("role", list(HEADERS))
def test_the_header_shows_the_links_each_role_needs_and_only_those(role: str) -> None:
    client = login(Client(), make_user(role))
    html = client.get("/accounts/me/").content.decode()
    assert nav(html) == HEADERS[role]


def test_a_coordinators_header_has_the_queue_and_the_outcome_figures() -> None:
    coordinator = make_user(Role.COORDINATOR)
    queue = program("Lung program", coordinators=(coordinator,))
    html = login(Client(), coordinator).get("/accounts/me/").content.decode()
    assert nav(html) == [f"program:{queue.pk}", "outcomes", "account", "sign-out", "language"]
    assert 'href="/outcomes/"' in html


def test_a_coordinator_whose_license_is_not_verified_yet_reaches_only_the_inbox() -> None:
    coordinator = make_user(Role.COORDINATOR, clinician_status=ClinicianProfile.Status.PENDING)
    program("Hidden program", coordinators=(coordinator,))
    client = login(Client(), coordinator)
    assert client.get("/")["Location"] == INBOX
    assert nav(client.get(INBOX).content.decode()) == ["inbox", "account", "sign-out", "language"]


def test_the_current_page_is_marked_in_the_header() -> None:
    html = login(Client(), make_user(Role.PATIENT)).get("/cases/").content.decode()
    assert re.search(r'class="usa-nav-link usa-current" href="/cases/" aria-current="page"', html)


def test_the_header_folds_into_a_menu_on_a_phone() -> None:
    html = Client().get("/").content.decode()
    assert '<button type="button" class="usa-menu-btn">' in html
    assert 'class="usa-nav so-nav"' in html and 'class="usa-nav__close"' in html
    assert 'class="usa-overlay"' in html
    assert re.search(r'<script src="/static/vendor/uswds/js/uswds\.min\.js[^"]*"></script>', html)


def test_a_favicon_is_linked_and_favicon_ico_is_answered() -> None:
    client = Client()
    html = client.get("/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/img/favicon\.svg[^"]*" type="image/svg\+xml">', html)
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].startswith("/static/img/favicon")
    # The tests run without WhiteNoise (config/test_settings.py): the file is found where it serves from.
    icon = finders.find("img/favicon.svg")
    assert icon and "<svg" in Path(str(icon)).read_text()


def test_a_signed_in_person_with_no_place_of_work_sees_the_public_home() -> None:
    user = make_user(Role.PATIENT)
    user.role = "unknown"
    user.save()
    response = login(Client(), user).get("/")
    assert response.status_code == 200
    assert "triage" in response.content.decode()


def test_signing_out_lands_on_the_public_home() -> None:
    client = login(Client(), make_user(Role.CONSULTANT))
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
