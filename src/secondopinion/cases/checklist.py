"""The "what to bring" check: what the seed documents say to bring to a second opinion."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from secondopinion.cases.models import DocumentKind

RESULT_KINDS = frozenset(
    {
        DocumentKind.IMAGING_REPORT,
        DocumentKind.IMAGING_STUDY,
        DocumentKind.LAB_RESULT,
        DocumentKind.SLIDE_IMAGE,
    }
)


# Where on the case page each item is completed (the section's id).
ITEM_ANCHORS = {
    "pathology_report": "documents",
    "test_results": "documents",
    "medicines": "medicines",
    "first_opinion": "first-opinion",
    "questions": "questions",
    "companion": "companions",
}


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str | Promise
    present: bool
    why: str | Promise
    optional: bool = False

    @property
    def anchor(self) -> str:
        return ITEM_ANCHORS.get(self.code, "")


def build_checklist(
    *,
    document_kinds: Iterable[str],
    medicine_count: int,
    has_first_diagnosis: bool,
    has_first_plan: bool,
    question_count: int,
    companion_count: int,
) -> list[ChecklistItem]:
    kinds = set(document_kinds)
    return [
        ChecklistItem(
            "pathology_report",
            _("Pathology report"),
            DocumentKind.PATHOLOGY_REPORT in kinds,
            _("The pathology report says what kind of cancer it is. A second doctor needs it first."),
        ),
        ChecklistItem(
            "test_results",
            _("Imaging and other test results"),
            bool(kinds & RESULT_KINDS),
            _("Scans and lab results show where the cancer is and how far it has spread."),
        ),
        ChecklistItem(
            "medicines",
            _("All your medicines, including vitamins and supplements"),
            medicine_count > 0,
            _("Some medicines and supplements change which treatments are safe for you."),
        ),
        ChecklistItem(
            "first_opinion",
            _("Your first doctor's diagnosis and treatment plan"),
            has_first_diagnosis and has_first_plan,
            _("The second doctor compares their view with your first doctor's plan."),
        ),
        ChecklistItem(
            "questions",
            _("Your questions"),
            question_count > 0,
            _("Writing questions down helps you get every answer you need."),
        ),
        ChecklistItem(
            "companion",
            _("A family member or friend (optional)"),
            companion_count > 0,
            _("Someone with you can listen, take notes and help you remember."),
            optional=True,
        ),
    ]


def is_complete(items: list[ChecklistItem]) -> bool:
    return all(item.present for item in items if not item.optional)


# --- The journey: packet → request → opinion → compare → decide ---------------------------------------

STEPS: tuple[tuple[str, str | Promise], ...] = (
    ("packet", _("Gather your records")),
    ("request", _("Ask for a second opinion")),
    ("opinion", _("Get the second opinion")),
    ("compare", _("Compare the opinions")),
    ("decide", _("Decide")),
)


class StepState(StrEnum):
    DONE = "done"
    CURRENT = "current"
    TODO = "todo"


@dataclass(frozen=True)
class JourneyFacts:
    """What the case's data says, read through the queries (for the journey: opinions/journey.py)."""

    missing: tuple[ChecklistItem, ...] = ()  # required checklist items still missing, in checklist order
    draft_request: bool = False  # a request was started but not sent
    requests_sent: int = 0  # requests sent that are open or completed (not cancelled, declined or failed)
    signed_opinions: int = 0
    has_decision: bool = False  # the patient recorded a decision, "not decided yet" included
    decided: bool = False  # the latest decision answers the advice question


@dataclass(frozen=True)
class JourneyStep:
    code: str
    label: str | Promise
    state: StepState


@dataclass(frozen=True)
class NextAction:
    """The one next thing to do. `code` names the target (the view turns it into a link): complete_item
    (the checklist item `item`), finish_request, ask, see_request, compare, decide."""

    code: str
    label: str | Promise
    item: str = ""


@dataclass(frozen=True)
class Journey:
    steps: list[JourneyStep]
    next_action: NextAction | None

    @property
    def current(self) -> JourneyStep | None:
        return next((s for s in self.steps if s.state == StepState.CURRENT), None)

    @property
    def number(self) -> int:
        """The current step's number (1…5); the number of steps once all are done."""
        current = self.current
        return self.steps.index(current) + 1 if current else len(self.steps)

    @property
    def finished(self) -> bool:
        return self.current is None


def build_journey(facts: JourneyFacts) -> Journey:
    """Each step is done when its own fact holds or a later step is done (a signed opinion means the request
    was made); the current step is the first one not done; the next action is the current step's."""
    own = [
        not facts.missing,
        facts.requests_sent > 0,
        facts.signed_opinions > 0,
        facts.has_decision,
        facts.decided,
    ]
    done = [any(own[i:]) for i in range(len(own))]
    current = next((i for i, d in enumerate(done) if not d), None)
    steps = [
        JourneyStep(
            code,
            label,
            StepState.DONE if done[i] else StepState.CURRENT if i == current else StepState.TODO,
        )
        for i, (code, label) in enumerate(STEPS)
    ]
    return Journey(steps, _next_action(STEPS[current][0], facts) if current is not None else None)


def _next_action(step: str, facts: JourneyFacts) -> NextAction:
    if step == "packet":
        item = facts.missing[0]
        return NextAction(
            "complete_item", _("Add what is missing: %(item)s") % {"item": item.label}, item.code
        )
    if step == "request":
        if facts.draft_request:
            return NextAction("finish_request", _("Finish and send your request"))
        return NextAction("ask", _("Ask for a second opinion"))
    if step == "opinion":
        return NextAction("see_request", _("See how your request is going"))
    if step == "compare":
        return NextAction("compare", _("Compare the opinions"))
    return NextAction("decide", _("Record your decision"))
