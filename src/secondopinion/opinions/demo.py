"""Demo data for opinions: María López's first doctor's opinion, and her completed request with Dr. Chen's
signed second opinion, so the comparison, the discussion guide and the outcome figures have real content at
the first sign-in (invented people, no real patient).

Everything goes through the project's actions (audit rows, content validation, the request's state
machine); only the timeline is moved into the past afterwards (`backdate`), which no action offers.
Idempotent: nothing is added when María's case already has an opinion of a consultant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from secondopinion.accounts.models import User
from secondopinion.cases import queries as case_queries
from secondopinion.cases.demo import CONSULTANT, PATIENT
from secondopinion.cases.models import Case, Document, Question
from secondopinion.consults import actions as consult_actions
from secondopinion.consults.demo import COORDINATOR, PROGRAM
from secondopinion.consults.models import ConsultRequest, Program, RequestQuestion
from secondopinion.consults.transitions import Actor, Status
from secondopinion.core.access import Perm, visible_cases
from secondopinion.opinions import actions, queries
from secondopinion.opinions.models import Opinion

# The comparison finds, and Dr. Chen states: diagnosis and stage confirmed, treatment changed
# (mastectomy → breast-conserving surgery with radiation: another procedure of the same modality).
STATED = {"diagnosis": "confirmed", "stage": "confirmed", "treatment": "changed"}
TRIAL = "NCT05914831"  # a registered trial of one-week whole- vs partial-breast radiation after BCS


@contextmanager
def quiet_mail() -> Iterator[None]:
    """Demo set-up sends no "something is waiting" e-mails (they would flood the terminal)."""
    with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}):
        yield


@dataclass(frozen=True)
class Timeline:
    """When a completed request was sent and how many days the consultant took (weekends included)."""

    submitted: datetime
    days: float

    def at(self) -> dict[str, datetime]:
        """The time of each step: the request's own dates and each status change (by its new status)."""
        accepted = self.submitted + timedelta(hours=20)
        return {
            "created": self.submitted - timedelta(minutes=25),
            Status.REQUESTED: self.submitted,
            Status.RECEIVED: self.submitted + timedelta(hours=2),
            Status.ACCEPTED: accepted,
            Status.IN_PROGRESS: accepted + timedelta(hours=1),
            "draft": accepted + timedelta(hours=3),
            Status.COMPLETED: accepted + timedelta(days=self.days),
        }


def open_request(
    *,
    patient: User,
    case: Case,
    program: Program,
    coordinator: User,
    consultant: User,
    kind: str,
    questions: Iterable[Question],
    documents: Iterable[Document],
    reasons: tuple[str, list[str]] = ("", []),
) -> ConsultRequest:
    """A request sent to the program, assigned by the coordinator and accepted, through the actions."""
    request = consult_actions.create_request(
        patient,
        case,
        kind=kind,
        program=program,
        documents=documents,
        reasons_text=reasons[0],
        reason_codes=reasons[1],
    )
    consult_actions.submit(patient, request, {Actor.PATIENT}, questions)
    request.refresh_from_db()
    consult_actions.mark_received(coordinator, request)
    consult_actions.assign(coordinator, request, consultant)
    consult_actions.move(consultant, request, Status.ACCEPTED, {Actor.CONSULTANT})
    consult_actions.move(consultant, request, Status.IN_PROGRESS, {Actor.CONSULTANT})
    request.refresh_from_db()
    return request


def answer(
    request: ConsultRequest,
    consultant: User,
    content: Callable[[list[RequestQuestion]], dict[str, Any]],
    stated: dict[str, str],
) -> Opinion:
    """The consultant saves and signs the opinion (which completes the request). `content` builds the
    opinion from the request's questions, which its answers name."""
    draft = actions.save_draft(consultant, request, content(actions.request_questions(request)), stated)
    opinion = actions.sign(consultant, draft, stated)
    request.refresh_from_db()
    return opinion


def backdate(request: ConsultRequest, opinion: Opinion, timeline: Timeline) -> None:
    """Move a just-completed request's dates into the past (audit rows keep the real time of loading)."""
    at = timeline.at()
    request.created_at, request.submitted_at = at["created"], at[Status.REQUESTED]
    request.completed_at = at[Status.COMPLETED]
    request.save(update_fields=["created_at", "submitted_at", "completed_at"])
    for consent in request.consents.all():  # shared when the request was made (the expiry stays)
        consent.created_at = at["created"]
        consent.save(update_fields=["created_at"])
    for change in request.status_changes.all():
        change.at = at[Status(change.target)]
        change.save(update_fields=["at"])
    opinion.created_at, opinion.signed_at = at["draft"], at[Status.COMPLETED]
    opinion.save(signing=True, update_fields=["created_at", "signed_at"])


# --- María López's opinions -----------------------------------------------------------------------------

FIRST_OPINION: dict[str, Any] = {
    "diagnosis": {
        "site_text": "Breast cancer (female)",
        "site": "C50",
        "histology_text": "Invasive ductal carcinoma, grade 2, ER+/PR+/HER2-",
    },
    "stage": {"as_written": "IIA (T2 N0 M0)", "group": "IIA", "t": "T2", "n": "N0", "m": "M0"},
    "treatment": {
        "options": [
            {
                "modalities": ["surgery", "hormone_therapy"],
                "procedures": {"surgery": "mastectomy"},
                "details": {
                    "surgery": "Mastectomy of the left breast with sentinel lymph node biopsy",
                    "hormone_therapy": "Hormone therapy for 5 years",
                },
                "intent": "curative",
                "preferred": True,
            }
        ]
    },
    "narrative": (
        "Invasive ductal carcinoma of the left breast, grade 2, ER+/PR+/HER2-, clinical stage IIA. "
        "Mastectomy with sentinel lymph node biopsy, then hormone therapy for 5 years."
    ),
}
# What Dr. Chen adds on the first opinion's codes page, from the biopsy report in the packet.
FIRST_CODES = {"site": "C50.4", "histology": "8500/3", "grade": "2", "laterality": "left", "type": "clinical"}

ANSWERS = (
    "Yes. Your tumour is 2.4 cm in a breast of average size, with no lymph nodes involved, so "
    "breast-conserving surgery (lumpectomy) followed by radiation is a good option for you. It controls "
    "the cancer as well as a mastectomy does for a tumour like yours, and you keep your breast.",
    "Yes, I suggest it. Your cancer is hormone-receptor positive, HER2 negative and has not reached the "
    "lymph nodes: a genomic test such as Oncotype DX on the surgery sample tells whether chemotherapy "
    "would add any benefit. For many women with a cancer like yours, it shows that chemotherapy is not "
    "needed.",
    "There is one you could ask about: a trial that compares one week of radiation to the whole breast "
    "with one week to part of the breast, after breast-conserving surgery. Ask your doctors whether it, "
    "or a trial like it, is open near you and fits you.",
)


def second_opinion(questions: list[Any]) -> dict[str, Any]:
    """Dr. Chen's second opinion, as the opinion editor would save it (one answer per question)."""
    answers = [
        {
            "question_id": str(question.pk),
            "question": question.text,
            "answer": ANSWERS[index] if index < len(ANSWERS) else "We can talk about this at your visit.",
            "discuss_in_person": index >= len(ANSWERS),
        }
        for index, question in enumerate(questions)
    ]
    return {
        "diagnosis": {
            "site": "C50.4",
            "site_text": "Left breast, upper outer quadrant",
            "histology": "8500/3",
            "histology_text": "Invasive ductal carcinoma, ER+/PR+/HER2-",
            "grade": "2",
            "laterality": "left",
        },
        "stage": {"type": "clinical", "system": "AJCC 8th", "t": "T2", "n": "N0", "m": "M0", "group": "IIA"},
        "treatment": {
            "options": [
                {
                    "modalities": ["surgery", "radiation", "hormone_therapy"],
                    "procedures": {"surgery": "lumpectomy", "radiation": "whole_organ"},
                    "details": {
                        "surgery": "Lumpectomy with sentinel lymph node biopsy",
                        "radiation": "Whole-breast radiation after surgery",
                        "hormone_therapy": "Hormone therapy for 5 years",
                    },
                    "intent": "curative",
                    "preferred": True,
                    "rationale": "Breast-conserving surgery with radiation controls a tumour of this size "
                    "as well as a mastectomy, with a smaller operation.",
                },
                {
                    "modalities": ["surgery", "hormone_therapy"],
                    "procedures": {"surgery": "mastectomy"},
                    "details": {"surgery": "Mastectomy, with or without reconstruction"},
                    "intent": "curative",
                    "preferred": False,
                    "rationale": "Also reasonable if you prefer it, or if radiation is not possible for you.",
                },
            ]
        },
        "clinical_trials": [
            {
                "nct": TRIAL,
                "note": "One week of whole-breast or of partial-breast radiation after breast-conserving "
                "surgery (held in Serbia: ask about similar trials near you).",
            }
        ],
        "answers": answers,
        "summary_plain": (
            "I agree with your first doctor about the kind of cancer and its stage: an early breast cancer "
            "that has not spread to the lymph nodes. I suggest a different operation: instead of removing "
            "the whole breast (mastectomy), you could have only the tumour removed (lumpectomy), followed "
            "by radiation to the breast, then hormone therapy. Both choices work as well for a cancer like "
            "yours; talk them over with your first doctor. A genomic test can tell whether you need "
            "chemotherapy."
        ),
        "clinical_note": (
            "cT2 cN0 cM0, stage IIA, IDC grade 2, ER 95 %, PR 60 %, HER2 1+. Candidate for BCS + SLNB and "
            "adjuvant WBRT; Oncotype DX on the surgical specimen; endocrine therapy 5 years."
        ),
    }


def _patient_case(patient: User) -> Case | None:
    """María's case (read through the gateway, without an audit row: loading writes nothing twice)."""
    return visible_cases(patient, Perm.EDIT).filter(owner=patient).order_by("created_at").first()


def _with_codes(content: dict[str, Any]) -> dict[str, Any]:
    stage = {"type": FIRST_CODES["type"]}
    diagnosis = {k: v for k, v in FIRST_CODES.items() if k != "type"}
    return {
        **content,
        "diagnosis": {**(content.get("diagnosis") or {}), **diagnosis},
        "stage": {**(content.get("stage") or {}), **stage},
    }


def load_demo_opinions() -> bool:
    """Give María's case its first opinion and a completed request with a signed second opinion, once.

    Call after `cases.demo.load()` and `consults.demo.load_demo_program()`. Returns True when it added them.
    """
    with quiet_mail():  # around the transaction: its e-mails go out when it commits
        return _load()


@transaction.atomic
def _load() -> bool:
    patient = User.objects.filter(email=PATIENT).first()
    consultant = User.objects.filter(email=CONSULTANT).first()
    coordinator = User.objects.filter(email=COORDINATOR).first()
    program = Program.objects.filter(name=PROGRAM).first()
    if patient is None or consultant is None or coordinator is None or program is None:
        return False
    case = _patient_case(patient)
    if case is None or any(
        o.source == Opinion.Source.CONSULT for o in queries.opinions_for_case(patient, case)
    ):
        return False
    # María enters her first doctor's opinion (on a demo database of an older version, this replaces the
    # one migrated from the case's text, which may not compare on every dimension).
    first = actions.save_first_opinion(patient, case, FIRST_OPINION)
    packet = case_queries.packet(patient, case)
    request = open_request(
        patient=patient,
        case=case,
        program=program,
        coordinator=coordinator,
        consultant=consultant,
        kind="independent_specialist",
        questions=packet.questions,
        documents=packet.documents,
        reasons=(
            "My doctor suggests a mastectomy. I would like to know whether I can keep my breast.",
            ["several_options"],
        ),
    )
    # Dr. Chen codes the first doctor's diagnosis from the biopsy report, then writes and signs.
    actions.add_codes(consultant, first, _with_codes(first.content), sorted(FIRST_CODES))
    opinion = answer(request, consultant, second_opinion, STATED)
    backdate(request, opinion, Timeline(timezone.now() - timedelta(days=12), days=6.2))
    return True
