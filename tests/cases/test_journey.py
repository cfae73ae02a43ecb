"""The journey overview's rule: facts → steps (done / current / to do) and the one next action. Pure."""

from __future__ import annotations

import inspect

import pytest

from secondopinion.cases.checklist import (
    ITEM_ANCHORS,
    ChecklistItem,
    JourneyFacts,
    StepState,
    build_checklist,
    build_journey,
)

MISSING = ChecklistItem("medicines", "All your medicines", False, "")
D, C, T = StepState.DONE, StepState.CURRENT, StepState.TODO


def states(facts: JourneyFacts) -> list[str]:
    return [step.state for step in build_journey(facts).steps]


def test_the_steps_are_the_journey_in_order() -> None:
    codes = [s.code for s in build_journey(JourneyFacts()).steps]
    assert codes == ["packet", "request", "opinion", "compare", "decide"]


@pytest.mark.parametrize(
    ("facts", "expected", "action"),
    [
        (JourneyFacts(missing=(MISSING,)), [C, T, T, T, T], "complete_item"),
        (JourneyFacts(), [D, C, T, T, T], "ask"),
        (JourneyFacts(draft_request=True), [D, C, T, T, T], "finish_request"),
        (JourneyFacts(requests_sent=1), [D, D, C, T, T], "see_request"),
        (JourneyFacts(requests_sent=1, signed_opinions=1), [D, D, D, C, T], "compare"),
        (JourneyFacts(requests_sent=1, signed_opinions=1, has_decision=True), [D, D, D, D, C], "decide"),
        (
            JourneyFacts(requests_sent=1, signed_opinions=1, has_decision=True, decided=True),
            [D, D, D, D, D],
            None,
        ),
    ],
)
def test_where_the_patient_stands(facts: JourneyFacts, expected: list[str], action: str | None) -> None:
    journey = build_journey(facts)
    assert states(facts) == expected
    assert (journey.next_action.code if journey.next_action else None) == action
    assert journey.finished is (action is None)


def test_a_later_step_done_means_the_earlier_ones_are_passed() -> None:
    # the packet still misses something and the only request was cancelled, but an opinion is signed
    facts = JourneyFacts(missing=(MISSING,), requests_sent=0, signed_opinions=1)
    assert states(facts) == [D, D, D, C, T]


def test_the_next_action_names_the_first_missing_item() -> None:
    other = ChecklistItem("questions", "Your questions", False, "")
    action = build_journey(JourneyFacts(missing=(MISSING, other))).next_action
    assert action is not None and action.item == "medicines"
    assert action.label == "Add what is missing: All your medicines"


def test_current_step_number() -> None:
    assert build_journey(JourneyFacts(requests_sent=2)).number == 3
    done = JourneyFacts(requests_sent=1, signed_opinions=1, has_decision=True, decided=True)
    assert build_journey(done).number == 5 and build_journey(done).current is None


def test_every_checklist_item_links_to_where_it_is_completed() -> None:
    # every fact false or zero (whatever the checklist's facts are called)
    facts = {n: ([] if "kinds" in n else 0) for n in inspect.signature(build_checklist).parameters}
    items = build_checklist(**facts)
    assert {i.code for i in items} <= set(ITEM_ANCHORS)
    assert all(i.anchor for i in items)
