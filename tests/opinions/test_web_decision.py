"""The decision form: one question about the advice; "who will treat you" optional while not decided."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from secondopinion.opinions.models import Decision
from tests.opinions.support import Setup

pytestmark = pytest.mark.django_db


def _post(s: Setup, **data: str):
    return s.client(s.patient).post(reverse("opinions:decision", args=[s.case.pk]), data)


def test_the_page_asks_one_question_about_the_advice() -> None:
    s = Setup()
    s.signed()
    html = s.client(s.patient).get(reverse("opinions:decision", args=[s.case.pk])).content.decode()
    assert 'name="opinion_choice"' not in html
    assert "Which opinion will you follow?" not in html
    # one group of radio buttons, in a fieldset whose legend holds the question
    assert len(re.findall(r'type="radio" name="follows_advice"', html)) == 4
    assert re.search(
        r'<fieldset[^>]*id="follows-advice"[^>]*>\s*<legend class="usa-legend">Will you follow', html
    )
    assert html.count("<legend") == 1
    assert "You can leave it empty if you have not decided." in html


def test_not_decided_yet_needs_no_treating_doctor() -> None:
    s = Setup()
    s.signed()
    response = _post(s, follows_advice="undecided", treating_doctor="  ")
    assert response.status_code == 302
    decision = Decision.objects.get(case=s.case)
    assert (decision.treating_doctor, decision.follows_advice, decision.opinion) == ("", "undecided", None)
    page = s.client(s.patient).get(reverse("cases:detail", args=[s.case.pk])).content.decode()
    assert "Who will treat you: not decided yet." in page
    assert "Treated by ." not in page


def test_a_decision_names_who_will_treat_you() -> None:
    s = Setup()
    s.signed()
    response = _post(s, follows_advice="yes", treating_doctor="")
    assert response.status_code == 200
    assert "Write who will treat you, or answer “Not decided yet” to the question above." in (
        response.content.decode()
    )
    assert not Decision.objects.exists()


def test_the_answer_says_which_opinion_is_followed() -> None:
    s = Setup()
    signed = s.signed()
    assert _post(s, follows_advice="yes", treating_doctor="Dr Second").status_code == 302
    assert Decision.objects.get().opinion == signed
    assert _post(s, follows_advice="no", treating_doctor="Dr First").status_code == 302
    latest = Decision.objects.order_by("-created_at").first()
    assert latest is not None and latest.follows_advice == "no" and latest.opinion == s.first


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"treating_doctor": "Dr First"}, "Choose one answer."),
        ({"treating_doctor": "Dr First", "follows_advice": "maybe"}, "Choose one of the answers shown."),
        ({"treating_doctor": "x" * 201, "follows_advice": "yes"}, "Keep it under 200 characters."),
    ],
)
def test_bad_answers_get_plain_messages(data: dict[str, str], message: str) -> None:
    s = Setup()
    s.signed()
    response = _post(s, **data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Decision.objects.exists()


def test_with_several_signed_opinions_the_question_names_the_latest() -> None:
    from secondopinion.opinions.forms import DecisionForm

    assert DecisionForm().fields["follows_advice"].label == "Will you follow the second doctor's advice?"
    label = DecisionForm(latest_label="Third opinion — Dr Lee").fields["follows_advice"].label
    assert label == "Will you follow the advice of the latest opinion (Third opinion — Dr Lee)?"
