"""Set-up for the review tests: a patient whose consults are completed through the product's own actions
(request, consent, opinion signed), practitioners linked to verified accounts by NPI, a center."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import reverse

from secondopinion.accounts.models import Role, User
from secondopinion.cases import actions as case_actions
from secondopinion.cases.models import Case
from secondopinion.consults import actions as consult_actions
from secondopinion.consults.models import ConsultRequest, Program
from secondopinion.consults.transitions import Actor, Status
from secondopinion.directory.models import Organization, Practitioner
from secondopinion.opinions import actions as opinion_actions
from tests.directory.people import link_account, make_practitioner
from tests.factories import login, make_case, make_document, make_user, unique_pdf
from tests.route_matrix_world import opinion_content

GOOD = {"overall": "5", "communication": "4", "explaining_options": "4", "time_given": "3"}


@dataclass
class Scene:
    patient: User
    case: Case
    consultant: User  # verified, linked to `doctor`
    doctor: Practitioner
    other_doctor: Practitioner  # linked to nobody
    coordinator: User
    program: Program
    center: Organization

    def client(self, user: User | None) -> Client:
        return login(Client(), user) if user is not None else Client()


def make_scene() -> Scene:
    patient = make_user(Role.PATIENT, name="Rosa Quintana")
    case = make_case(patient, title="My case", cancer_type="Breast cancer")
    case_actions.add_question(patient, case, "Is surgery needed?")
    consultant = make_user(Role.CONSULTANT, name="Dr Linked")
    doctor = make_practitioner("150000001", "Linked", "Laura")
    link_account(consultant, doctor)
    coordinator = make_user(Role.COORDINATOR, name="Coord")
    program = Program.objects.create(name="Review program", turnaround_days=5)
    program.coordinators.add(coordinator)
    program.consultants.add(consultant)
    center = Organization.objects.create(name="Invented Cancer Center", name_key="inventedcancercenter")
    return Scene(
        patient=patient,
        case=case,
        consultant=consultant,
        doctor=doctor,
        other_doctor=make_practitioner("150000002", "Other", "Omar"),
        coordinator=coordinator,
        program=program,
        center=center,
    )


def request_in_status(
    scene: Scene, status: Status = Status.COMPLETED, *, via_program: bool = False, consultant: Any = None
) -> ConsultRequest:
    """A request on the scene's case, moved to `status` (completed: by signing the opinion)."""
    consultant = consultant or scene.consultant
    document = make_document(scene.patient, scene.case, unique_pdf("review"))
    cr = consult_actions.create_request(
        scene.patient,
        scene.case,
        kind="independent_specialist",
        program=scene.program if via_program else None,
        consultant=None if via_program else consultant,
        documents=[document],
    )
    if via_program:
        consult_actions.assign(scene.coordinator, cr, consultant)
    if status == Status.DRAFT:
        return cr
    consult_actions.submit(scene.patient, cr, {Actor.PATIENT}, scene.case.questions.all())
    cr.refresh_from_db()
    if status != Status.REQUESTED:
        consult_actions.mark_received(consultant, cr)
        consult_actions.move(consultant, cr, Status.ACCEPTED, {Actor.CONSULTANT})
        consult_actions.move(consultant, cr, Status.IN_PROGRESS, {Actor.CONSULTANT})
        cr.refresh_from_db()
    if status == Status.COMPLETED:
        draft = opinion_actions.save_draft(consultant, cr, opinion_content(cr), {})
        opinion_actions.sign(consultant, draft)
        cr.refresh_from_db()
    assert cr.status == status, cr.status
    return cr


def doctor_review_url(practitioner: Practitioner) -> str:
    return reverse("reviews:review_practitioner", args=[practitioner.npi])


def center_review_url(center: Organization) -> str:
    return reverse("reviews:review_center", args=[center.pk])


def write_review(client: Client, url: str, **changes: str) -> Any:
    return client.post(url, {**GOOD, "text": "Clear and kind.", **changes})


def reviews_panel(response: Any) -> dict[str, Any]:
    """The context of the reviews panel that a directory page (practitioner or center) rendered."""
    main = response.context["panels"]["main"]
    return next(p.context for p in main if p.template.startswith("reviews/"))
