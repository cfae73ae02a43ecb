"""Small defects on the request pages: what a draft says about sharing, the sharing length kept, the
expected date, no program name said twice, no "(optional) (optional)"."""

from __future__ import annotations

import datetime as dt
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from secondopinion.consults import actions, queries
from secondopinion.consults.models import Consent
from secondopinion.consults.transitions import Status
from secondopinion.consults.turnaround import add_business_days, expected_by
from tests.consults.helpers import make_request, make_world
from tests.factories import login

MONDAY = dt.date(2026, 3, 2)


def _html(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# -- the expected date (pure) -----------------------------------------------------------------------


def test_business_days_skip_weekends():
    assert add_business_days(MONDAY, 0) == MONDAY
    assert add_business_days(MONDAY, 5) == dt.date(2026, 3, 9)  # Monday → next Monday
    assert add_business_days(dt.date(2026, 3, 6), 1) == dt.date(2026, 3, 9)  # Friday → Monday
    assert add_business_days(dt.date(2026, 3, 7), 1) == dt.date(2026, 3, 9)  # Saturday → Monday


def test_expected_by_counts_from_sending_then_what_is_left():
    assert expected_by("draft", None, 5, MONDAY, None) == dt.date(2026, 3, 9)
    assert expected_by("requested", None, 5, dt.date(2026, 3, 4), MONDAY) == dt.date(2026, 3, 9)
    assert expected_by("in-progress", 2.5, 5, dt.date(2026, 3, 4), MONDAY) == dt.date(2026, 3, 9)
    assert expected_by("accepted", 7.0, 5, dt.date(2026, 3, 4), MONDAY) == dt.date(2026, 3, 4)  # overdue
    assert expected_by("on-hold", 1.0, 5, MONDAY, MONDAY) is None
    assert expected_by("completed", 3.0, 5, MONDAY, MONDAY) is None


# -- the request page (HTTP) ------------------------------------------------------------------------


@pytest.mark.django_db
def test_draft_says_nothing_is_shared_until_sent_and_offers_no_stop_sharing():
    world = make_world()
    cr = make_request(world, status=Status.DRAFT)
    html = _html(login(Client(), world.patient).get(reverse("consults:detail", args=[cr.pk])))
    assert 'id="draft-not-shared"' in html and "Nothing is shared until the request is sent." in html
    assert "Stop sharing now" not in html and 'id="revoke"' not in html
    assert "Shared until" not in html
    days = world.program.turnaround_days
    expected = date_format(expected_by("draft", None, days, timezone.localdate(), None))
    assert f"If you send it today, you should hear by {expected}." in html

    sent = make_request(world)
    html = _html(login(Client(), world.patient).get(reverse("consults:detail", args=[sent.pk])))
    assert 'id="draft-not-shared"' not in html and 'id="revoke"' in html and "Shared until" in html
    assert "You should hear by" in html


@pytest.mark.django_db
def test_request_page_shows_the_expected_date_from_the_programs_turnaround():
    world = make_world()
    world.program.turnaround_days = 10
    world.program.save()
    cr = make_request(world)
    sent_on = timezone.localtime(cr.submitted_at).date()
    expected = date_format(add_business_days(sent_on, 10))
    patient = _html(login(Client(), world.patient).get(reverse("consults:detail", args=[cr.pk])))
    assert f"You should hear by {expected}." in patient
    consultant = _html(login(Client(), world.consultant).get(reverse("consults:detail", args=[cr.pk])))
    assert f"Due by {expected}" in consultant


@pytest.mark.django_db
def test_sharing_length_is_kept_when_editing_a_draft_and_after_an_error():
    world = make_world()
    client = login(Client(), world.patient)
    response = client.post(
        reverse("consults:new", args=[world.case.pk]),
        {"kind": "independent_specialist", "target": f"program:{world.program.pk}", "consent_days": "30"},
    )
    assert response.status_code == 302
    cr = world.case.consult_requests.get()
    page = client.get(reverse("consults:detail", args=[cr.pk]))
    assert page.context["consent_form"]["consent_days"].value() == 30
    assert 'name="consent_days" value="30"' in page.content.decode()

    # the new-request page keeps the number when another answer is missing
    again = client.post(reverse("consults:new", args=[world.case.pk]), {"kind": "", "consent_days": "45"})
    assert again.status_code == 200 and 'value="45"' in again.content.decode()

    # a refused change shows the page again with what was typed, and changes nothing
    before = Consent.objects.filter(request=cr).count()
    refused = client.post(reverse("consults:consent", args=[cr.pk]), {"consent_days": "400"})
    assert refused.status_code == 400
    assert 'value="400"' in refused.content.decode()
    assert Consent.objects.filter(request=cr).count() == before


@pytest.mark.django_db
def test_sharing_days_is_what_is_left_of_the_consent():
    world = make_world()
    cr = make_request(world)
    consent = queries.latest_consent(cr)
    assert queries.sharing_days(consent) == 90
    Consent.objects.filter(pk=consent.pk).update(expires_at=timezone.now() + timedelta(days=12, hours=1))
    consent.refresh_from_db()
    assert queries.sharing_days(consent) == 13
    assert queries.sharing_days(None) == actions.CONSENT_DAYS


@pytest.mark.django_db
def test_new_request_page_does_not_repeat_the_programs_name_or_say_optional_twice():
    world = make_world()
    world.program.name = "Lakeside Cancer Center — Second Opinion Program"
    world.program.institution = "Lakeside Cancer Center"
    world.program.save()
    html = _html(login(Client(), world.patient).get(reverse("consults:new", args=[world.case.pk])))
    assert html.count("Lakeside Cancer Center") == 1
    cr = make_request(world)
    page = _html(login(Client(), world.patient).get(reverse("consults:detail", args=[cr.pk])))
    assert "Attach a file" in page
    assert "(optional) (optional)" not in re.sub(r"<[^>]+>", "", page).replace("  ", " ")
