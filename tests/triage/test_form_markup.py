"""The triage questions as served (no browser): each radio and checkbox group is a USWDS fieldset whose
legend is the question, with USWDS radio and checkbox styling."""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


class Groups(HTMLParser):
    """name -> (legend of the innermost fieldset around each input, the input's class)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[dict[str, object]] = []
        self.in_legend = False
        self.inputs: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.legends: dict[int, str] = {}
        self.fieldset_classes: dict[int, str] = {}
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "fieldset":
            self.count += 1
            self.stack.append({"id": self.count})
            self.legends[self.count] = ""
            self.fieldset_classes[self.count] = a.get("class") or ""
        elif tag == "legend" and self.stack:
            self.in_legend = "usa-legend" in (a.get("class") or "")
        elif tag == "input" and a.get("type") in ("radio", "checkbox"):
            fieldset = int(self.stack[-1]["id"]) if self.stack else 0  # type: ignore[call-overload]
            self.inputs[f"{a['type']}:{a.get('name')}"].append((fieldset, a.get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "fieldset" and self.stack:
            self.stack.pop()
        elif tag == "legend":
            self.in_legend = False

    def handle_data(self, data: str) -> None:
        if self.in_legend and self.stack:
            self.legends[int(self.stack[-1]["id"])] += data  # type: ignore[call-overload]


def parse(html: str) -> Groups:
    groups = Groups()
    groups.feed(html)
    return groups


QUESTIONS = {
    "radio:pathology_definite": "Does the pathology report give a definite diagnosis?",
    "radio:metastatic": "Has the cancer spread to other parts of the body?",
    "radio:results_unclear": "Are your test results unclear about the type or where the cancer is?",
    "checkbox:options_considered": "Which treatments have been mentioned to you?",
    "radio:unsure_about_options": "Do you feel unsure about which treatment to choose?",
    "radio:doctor_experience": "How many people with this cancer has your doctor treated?",
    "radio:comfortable": "Are you comfortable with your diagnosis and treatment plan?",
    "radio:already_treated": "Have you already started treatment?",
}


@pytest.mark.parametrize("posted", [False, True], ids=["empty", "with-errors"])
def test_every_triage_choice_group_is_a_fieldset_with_its_question(posted: bool) -> None:
    client = Client()
    url = reverse("triage:start")
    response = client.post(url, {"cancer_type": ""}) if posted else client.get(url)
    groups = parse(response.content.decode())
    assert set(groups.inputs) == set(QUESTIONS)
    for key, question in QUESTIONS.items():
        fieldsets = {fieldset for fieldset, _cls in groups.inputs[key]}
        assert len(fieldsets) == 1 and 0 not in fieldsets, key
        (fieldset,) = fieldsets
        assert groups.legends[fieldset].strip() == question
        assert "usa-fieldset" in groups.fieldset_classes[fieldset]
        kind = key.split(":")[0]
        assert all(cls == f"usa-{kind}__input" for _f, cls in groups.inputs[key]), key


def test_the_unsure_answer_is_chosen_until_the_person_says_otherwise() -> None:
    html = Client().get(reverse("triage:start")).content.decode()
    assert 'value="unsure" id="id_metastatic_2" checked' in html
