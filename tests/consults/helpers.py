"""Shared set-up for the consult tests: a patient with a case and two documents, a program with a
coordinator and a consultant, and a request made through the product's actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client

from secondopinion.accounts.models import Role, User
from secondopinion.cases import actions as case_actions
from secondopinion.cases.models import Case, Document
from secondopinion.consults import actions
from secondopinion.consults.models import ConsultRequest, Program
from secondopinion.consults.transitions import Actor, Status
from secondopinion.core.models import AuditEvent
from tests.factories import login, make_case, make_document, make_user, unique_pdf

CANCER = "Invented angiosarcoma of the left breast"
SECRET_TEXT = "my tumour marker CA 15-3 went up to 87"


@dataclass
class World:
    patient: User
    case: Case
    docs: list[Document]
    consultant: User
    other_consultant: User
    coordinator: User
    program: Program

    def client(self, user: User) -> Client:
        return login(Client(), user)


def make_world() -> World:
    patient = make_user(Role.PATIENT)
    case = make_case(patient, cancer_type=CANCER, first_doctor_email="first.doctor@example.test")
    case_actions.add_question(patient, case, "Is surgery needed?")
    docs = [
        make_document(patient, case, unique_pdf("a")),
        make_document(patient, case, unique_pdf("b"), kind="imaging_report"),
    ]
    consultant = make_user(Role.CONSULTANT, name="Dr Assigned")
    other = make_user(Role.CONSULTANT, name="Dr Other")
    coordinator = make_user(Role.COORDINATOR, name="Coord")
    program = Program.objects.create(
        name="Test Program", fee_notes="Fee 500", insurance_notes="Most plans", turnaround_days=5
    )
    program.coordinators.add(coordinator)
    program.consultants.add(consultant, other)
    return World(patient, case, docs, consultant, other, coordinator, program)


def make_request(
    world: World,
    *,
    status: Status = Status.REQUESTED,
    to_program: bool = True,
    kind: str = "independent_specialist",
    docs: Any = None,
) -> ConsultRequest:
    cr = actions.create_request(
        world.patient,
        world.case,
        kind=kind,
        program=world.program if to_program else None,
        consultant=None if to_program else world.consultant,
        documents=world.docs if docs is None else docs,
    )
    if to_program:
        actions.assign(world.coordinator, cr, world.consultant)
    path = {
        Status.DRAFT: [],
        Status.REQUESTED: [Status.REQUESTED],
        Status.RECEIVED: [Status.REQUESTED, Status.RECEIVED],
        Status.ACCEPTED: [Status.REQUESTED, Status.RECEIVED, Status.ACCEPTED],
        Status.IN_PROGRESS: [Status.REQUESTED, Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS],
    }[status]
    for target in path:
        actor = {Status.REQUESTED: Actor.PATIENT, Status.RECEIVED: Actor.SYSTEM}.get(target, Actor.CONSULTANT)
        user = world.patient if actor == Actor.PATIENT else world.consultant
        actions.move(user, cr, target, {actor})
    cr.refresh_from_db()
    return cr


def audit_actions(**filters: Any) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("id").values_list("action", flat=True))
