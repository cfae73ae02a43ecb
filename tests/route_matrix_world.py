"""The consult and opinion part of the route matrix's world (see tests/test_route_matrix.py).

Built with the product's own actions, on the owner's case:

- a program: the `coordinator` coordinates it, the assigned consultant works in it;
- request R (pathology review, in progress), assigned by the coordinator, with a consent sharing the
  owner's document, its copied questions, a message with an attachment sent by the owner, a chosen
  appointment slot, a shipment of slides and the consultant's draft opinion (answers every question);
- request S (independent specialist, completed) with the consultant's signed opinion, the owner's
  first opinion, the owner's decision and a share link for the first doctor;
- the owner's published review, after S, of a practitioner of its own (`review_id`).

`consultant_assigned` and `consultant_ended` are the same account, the consultant of R and S: in the
world built for `consultant_ended` both consents are revoked (the requests, their messages and the
consultant's own opinions stay theirs; the case and its documents do not).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from secondopinion.accounts.models import Role, User
from secondopinion.cases.models import Case, Document
from secondopinion.consults import actions as consult_actions
from secondopinion.consults.models import AppointmentSlot, ConsultRequest, Program, RequestQuestion
from secondopinion.consults.transitions import Actor, Status
from secondopinion.core.uploads import upload_from_bytes
from secondopinion.opinions import actions as opinion_actions
from secondopinion.reviews.models import Review
from tests.directory.people import make_practitioner
from tests.factories import make_document, make_user, unique_pdf

FIRST_CONTENT = {
    "diagnosis": {"site": "C50.4", "site_text": "Breast cancer", "histology": "8500/3"},
    "stage": {"group": "IIA"},
    "treatment": {"options": [{"modalities": ["surgery"], "preferred": True}]},
}


def opinion_content(request: ConsultRequest) -> dict[str, Any]:
    """A valid consult opinion that answers each of the request's questions."""
    return {
        "diagnosis": {"site": "C50.4", "histology": "8500/3"},
        "stage": {"group": "IIA"},
        "treatment": {"options": [{"modalities": ["chemotherapy"], "preferred": True, "intent": "curative"}]},
        "summary_plain": "Chemotherapy first is the better plan for you.",
        "answers": [
            {"question_id": str(q.pk), "question": q.text, "answer": "Yes.", "discuss_in_person": False}
            for q in RequestQuestion.objects.filter(request=request).order_by("position")
        ],
    }


def editor_post(request: ConsultRequest) -> dict[str, Any]:
    """A valid POST for the opinion editor (every question answered)."""
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
    for q in RequestQuestion.objects.filter(request=request):
        data[f"answer_{q.pk}"] = "Yes."
    return data


def owners_review(owner: User, done: ConsultRequest) -> Review:
    """A published review by the owner, after S, of a practitioner of its own. Made directly: the world's
    consultant is linked to no directory entry (the review rules are tested in tests/directory/)."""
    reviewed = make_practitioner("170000002", "Reviewed", "Riley")
    return Review.objects.create(
        author=owner,
        practitioner=reviewed,
        request=done,
        overall=4,
        communication=4,
        explaining_options=5,
        time_given=3,
        text="Clear answers.",
    )


def consult_users() -> dict[str, User]:
    assigned = make_user(Role.CONSULTANT, name="Dr Assigned")
    return {
        "consultant_assigned": assigned,
        "consultant_ended": assigned,
        "coordinator": make_user(Role.COORDINATOR, name="Coordinator"),
    }


def _to_in_progress(owner: User, consultant: User, cr: ConsultRequest, case: Case) -> None:
    consult_actions.submit(owner, cr, {Actor.PATIENT}, case.questions.all())
    cr.refresh_from_db()
    consult_actions.mark_received(consultant, cr)
    consult_actions.move(consultant, cr, Status.ACCEPTED, {Actor.CONSULTANT})
    consult_actions.move(consultant, cr, Status.IN_PROGRESS, {Actor.CONSULTANT})
    cr.refresh_from_db()


def build_consults(
    users: dict[str, Any], case: Case, document: Document, *, consent_ended: bool
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """Requests, opinions…: returns (URL ids, tokens, extra values the request bodies need)."""
    owner, consultant, coordinator = users["owner"], users["consultant_assigned"], users["coordinator"]
    unshared = make_document(owner, case, unique_pdf("unshared"), kind="imaging_report")  # in no consent
    program = Program.objects.create(name="Matrix program", turnaround_days=5, kinds=["pathology_review"])
    program.coordinators.add(coordinator)
    program.consultants.add(consultant)

    # R: in progress, with everything a request can hold.
    cr = consult_actions.create_request(
        owner, case, kind="pathology_review", program=program, documents=[document], reasons_text="Unsure"
    )
    consult_actions.assign(coordinator, cr, consultant)
    _to_in_progress(owner, consultant, cr, case)
    attachment = upload_from_bytes(unique_pdf("attachment"), "scan.pdf")
    message = consult_actions.post_message(owner, cr, "Here is the scan.", {Actor.PATIENT}, attachment)
    slot = consult_actions.propose_slots(
        consultant,
        cr,
        [
            {
                "starts_at": timezone.now() + timedelta(days=7),
                "minutes": 45,
                "mode": AppointmentSlot.Mode.VISIT,
                "place": "Room 4",
            }
        ],
    )[0]
    consult_actions.choose_slot(owner, slot)
    shipment = consult_actions.request_material(consultant, cr, "slides")
    opinion_actions.save_draft(consultant, cr, opinion_content(cr), {})

    # S: completed by the consultant's signed opinion; the owner's first opinion and decision.
    first = opinion_actions.save_first_opinion(owner, case, FIRST_CONTENT)
    done = consult_actions.create_request(
        owner, case, kind="independent_specialist", consultant=consultant, documents=[document]
    )
    _to_in_progress(owner, consultant, done, case)
    signed = opinion_actions.sign(
        consultant, opinion_actions.save_draft(consultant, done, opinion_content(done), {})
    )
    data = {
        "treating_doctor": "Dr First",
        "follows_advice": "yes",
        "note": "",
        "share_with_first_doctor": False,
    }
    opinion_actions.record_decision(owner, case, data, signed)
    share_token = opinion_actions.share(owner, signed, "first.doctor@example.test")

    if consent_ended:
        consult_actions.revoke_consent(owner, cr)
        consult_actions.revoke_consent(owner, done)
    ids = {
        "request_id": cr.pk,
        "message_id": message.pk,
        "slot_id": slot.pk,
        "shipment_id": shipment.pk,
        "program_id": program.pk,
        "opinion_id": signed.pk,
        "review_id": owners_review(owner, done).pk,
    }
    extra = {
        "program": program,
        "request": cr,
        "first_opinion": first,
        "consultant": consultant,
        "document": document,
        "unshared_document": unshared,
    }
    return ids, {"opinions:shared": share_token}, extra
