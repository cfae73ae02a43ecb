"""The journey overview at the top of the case page, through HTTP: where the patient stands, the one next
action as a link, checklist items linking to where each is completed, and what follows a decision."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from secondopinion.cases import actions as case_actions
from secondopinion.consults import actions as consult_actions
from secondopinion.opinions import actions as opinion_actions
from tests.directory.people import make_practitioner
from tests.factories import login, make_case, make_companion, make_document, make_user, unique_pdf
from tests.opinions.support import FIRST_CONTENT, Setup

pytestmark = pytest.mark.django_db


def _page(client: Client, case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _states(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-step="(\w+)" data-state="(\w+)"', html))


def _next_action(html: str) -> tuple[str, str] | None:
    found = re.search(r'<a class="usa-button" id="next-action" href="([^"]*)">([^<]*)</a>', html)
    return (found[1], found[2]) if found else None


def test_a_new_case_starts_with_the_packet_and_links_to_what_is_missing() -> None:
    patient = make_user("patient")
    case = make_case(patient)
    html = _page(login(Client(), patient), case)
    assert 'class="usa-step-indicator' in html
    assert _states(html) == {
        "packet": "current",
        "request": "todo",
        "opinion": "todo",
        "compare": "todo",
        "decide": "todo",
    }
    assert 'aria-current="step"' in html
    assert _next_action(html) == ("#documents", "Add what is missing: Pathology report")
    # every checklist item links to a section of this page that exists
    anchors = re.findall(r'<li data-item="\w+" data-present="\w+">.*?<a href="#([\w-]+)">', html, re.S)
    assert len(anchors) == 6
    for anchor in anchors:
        assert f'id="{anchor}"' in html, anchor


def test_waiting_for_the_opinion_links_to_the_request() -> None:
    s = Setup()
    html = _page(s.client(s.patient), s.case)
    states = _states(html)
    assert (states["request"], states["opinion"], states["compare"]) == ("done", "current", "todo")
    assert _next_action(html) == (
        reverse("consults:detail", args=[s.request.pk]),
        "See how your request is going",
    )


def test_a_draft_request_is_the_next_thing_to_finish() -> None:
    patient = make_user("patient")
    case = make_case(patient, cancer_type="Breast cancer")
    make_document(patient, case, unique_pdf("pathology"))
    make_document(patient, case, unique_pdf("scan"), kind="imaging_report")
    case_actions.add_medicine(patient, case, {"name": "Vitamin D"})
    case_actions.add_question(patient, case, "Do I need surgery?")
    opinion_actions.save_first_opinion(patient, case, FIRST_CONTENT)
    client = login(Client(), patient)
    html = _page(client, case)
    assert _states(html)["packet"] == "done" and _states(html)["request"] == "current"
    assert _next_action(html) == (reverse("consults:new", args=[case.pk]), "Ask for a second opinion")
    draft = consult_actions.create_request(
        patient, case, kind="independent_specialist", consultant=make_user("consultant")
    )
    html = _page(client, case)
    assert _states(html)["request"] == "current"  # a draft is not a request sent
    assert _next_action(html) == (reverse("consults:detail", args=[draft.pk]), "Finish and send your request")


def test_a_signed_opinion_leads_to_the_comparison_then_the_decision() -> None:
    s = Setup()
    opinion = s.signed()
    client = s.client(s.patient)
    html = _page(client, s.case)
    assert _states(html)["opinion"] == "done" and _states(html)["compare"] == "current"
    assert _next_action(html) == (reverse("opinions:compare", args=[s.case.pk]), "Compare the opinions")
    opinion_actions.record_decision(
        s.patient, s.case, {"treating_doctor": "", "follows_advice": "undecided"}, None, opinion
    )
    html = _page(client, s.case)
    assert _states(html)["compare"] == "done" and _states(html)["decide"] == "current"
    assert _next_action(html) == (reverse("opinions:decision", args=[s.case.pk]), "Record your decision")


def test_after_a_decision_what_happens_next_is_not_the_packet() -> None:
    s = Setup()
    opinion = s.signed()
    opinion_actions.record_decision(
        s.patient, s.case, {"treating_doctor": "Dr First", "follows_advice": "yes"}, opinion, opinion
    )
    html = _page(s.client(s.patient), s.case)
    assert "Write a review of" not in html  # the consultant is not in the register: no dead link
    make_practitioner("123456789", "Consultant", "Three")  # NPI 1234567893, the consultant's
    html = _page(s.client(s.patient), s.case)
    assert set(_states(html).values()) == {"done"}
    assert _next_action(html) is None
    assert "Every step is done: your decision is recorded." in html
    after = html[html.index('id="after-decision"') :]
    assert reverse("consults:new", args=[s.case.pk]) in after  # a third opinion
    assert reverse("opinions:decision", args=[s.case.pk]) in after  # a copy to the first doctor
    assert reverse("reviews:review_practitioner", args=["1234567893"]) in after  # review the doctor
    assert "Download my packet" not in html[html.index('id="next-h"') :]


def test_a_companion_sees_where_the_patient_stands_but_no_action() -> None:
    s = Setup()
    friend = make_user("patient")
    make_companion(s.case, friend)
    html = _page(login(Client(), friend), s.case)
    assert _states(html)["opinion"] == "current"
    assert _next_action(html) is None


def test_adding_a_medicine_with_htmx_updates_the_journey_too() -> None:
    patient = make_user("patient")
    case = make_case(patient)
    response = login(Client(), patient).post(
        reverse("cases:add_medicine", args=[case.pk]), {"name": "Vitamin D"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert '<section id="journey" class="so-journey" aria-labelledby="journey-h" hx-swap-oob="true">' in html
    assert 'data-item="medicines" data-present="yes"' in html
