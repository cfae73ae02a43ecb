"""Fixtures for the opinion pages: a request in progress, made through the consults actions."""

from __future__ import annotations

from typing import Any

from django.test import Client

from secondopinion.cases import actions as case_actions
from secondopinion.consults import actions as consult_actions
from secondopinion.consults.models import ConsultRequest, RequestQuestion
from secondopinion.consults.transitions import Actor, Status
from secondopinion.opinions import actions
from tests.factories import login, make_case, make_document, make_user, unique_pdf

FIRST_CONTENT = {
    "diagnosis": {"site": "C50.4", "site_text": "Breast cancer", "histology": "8500/3"},
    "stage": {"group": "IIA"},
    "treatment": {"options": [{"modalities": ["surgery"], "preferred": True}]},
}


def second_content(
    request: ConsultRequest, *, modality: str = "chemotherapy", answered: bool = True
) -> dict[str, Any]:
    questions = RequestQuestion.objects.filter(request=request).order_by("position")
    return {
        "diagnosis": {"site": "C50.4", "histology": "8500/3"},
        "stage": {"group": "IIA"},
        "treatment": {"options": [{"modalities": [modality], "preferred": True, "intent": "curative"}]},
        "summary_plain": "Chemotherapy first is the better plan for you.",
        "answers": [
            {
                "question_id": str(q.pk),
                "question": q.text,
                "answer": "Yes." if answered else "",
                "discuss_in_person": False,
            }
            for q in questions
        ],
    }


class Setup:
    """A patient's case with a first opinion, two questions, one document, and a request in progress."""

    def __init__(self, *, kind: str = "independent_specialist", first: bool = True) -> None:
        self.patient = make_user("patient")
        self.case = make_case(
            self.patient,
            cancer_type="Breast cancer",
            first_doctor_email="first.doctor@example.test",
        )
        self.document = make_document(self.patient, self.case, unique_pdf("report"))
        for text in ("Do I need chemotherapy?", "Can I keep my breast?"):
            case_actions.add_question(self.patient, self.case, text)
        self.consultant = make_user("consultant")
        self.request = consult_actions.create_request(
            self.patient, self.case, kind=kind, consultant=self.consultant, documents=[self.document]
        )
        consult_actions.submit(self.patient, self.request, {Actor.PATIENT}, self.case.questions.all())
        self.request.refresh_from_db()
        consult_actions.mark_received(self.consultant, self.request)
        consult_actions.move(self.consultant, self.request, Status.ACCEPTED, {Actor.CONSULTANT})
        consult_actions.move(self.consultant, self.request, Status.IN_PROGRESS, {Actor.CONSULTANT})
        self.request.refresh_from_db()
        self.first = actions.save_first_opinion(self.patient, self.case, FIRST_CONTENT) if first else None

    def client(self, user: Any) -> Client:
        return login(Client(), user)

    def questions(self) -> list[RequestQuestion]:
        return list(RequestQuestion.objects.filter(request=self.request).order_by("position"))

    def draft(self, **kw: Any) -> Any:
        return actions.save_draft(self.consultant, self.request, second_content(self.request, **kw), {})

    def signed(self, **kw: Any) -> Any:
        return actions.sign(self.consultant, self.draft(**kw))


def editor_post(setup: Setup, **overrides: Any) -> dict[str, Any]:
    """A valid POST for the editor form (every question answered, chemotherapy preferred)."""
    data: dict[str, Any] = {
        "site": "C50.4",
        "histology": "8500/3",
        "group": "IIA",
        "opt0_modalities": ["chemotherapy"],
        "opt0_intent": "curative",
        "opt0_preferred": "on",
        "summary_plain": "Chemotherapy first is the better plan for you.",
        "stated_treatment": "changed",
    }
    for q in setup.questions():
        data[f"answer_{q.pk}"] = "Yes."
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
