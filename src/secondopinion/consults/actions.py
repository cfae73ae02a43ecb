"""Every write to a consult request, with its audit row, in one transaction.

Callers pass objects fetched through `queries` (the gateway) and the actor kinds the user holds on
the request (`queries.actor_kinds`). Every status move goes through `transitions.check_move`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from secondopinion.accounts import notify
from secondopinion.cases.models import Case, Document, Question
from secondopinion.consults.models import (
    AppointmentSlot,
    Consent,
    ConsultRequest,
    Message,
    Program,
    RequestQuestion,
    Shipment,
    StatusChange,
    UrgentFinding,
)
from secondopinion.consults.transitions import FINAL, Actor, IllegalTransition, Status, check_move
from secondopinion.core.audit import AuditAction, Purpose, record

CONSENT_DAYS = 90


def _purpose(actors: set[Actor]) -> Purpose:
    return Purpose.PATIENT_REQUEST if actors & {Actor.PATIENT} else Purpose.TREATMENT


def _notify(*emails: str) -> None:
    for email in {e for e in emails if e}:
        transaction.on_commit(partial(notify.something_waiting, email))


def _people_to_tell(request: ConsultRequest, *, patient: bool = False, clinicians: bool = False) -> list[str]:
    emails: list[str] = []
    if patient:
        emails.append(request.case.owner.email)
    if clinicians:
        if request.consultant_id:
            emails.append(request.consultant.email)  # type: ignore[union-attr]
        elif request.program_id:
            emails += [u.email for u in request.program.coordinators.all()]  # type: ignore[union-attr]
    return emails


@transaction.atomic
def create_request(
    user: Any,
    case: Case,
    *,
    kind: str,
    consultant: Any = None,
    program: Program | None = None,
    reasons_text: str = "",
    reason_codes: Iterable[str] = (),
    documents: Iterable[Document] = (),
    consent_days: int = CONSENT_DAYS,
    previous: ConsultRequest | None = None,
) -> ConsultRequest:
    """A draft request with its first consent; `case` comes from the gateway with Perm.REQUEST (the
    owner, or the referring doctor with the patient's consent, who then becomes `created_by`)."""
    if (consultant is None) == (program is None):
        raise IllegalTransition("target_required", "Choose either one consultant or one program.")
    target_days = (
        program.turnaround_days
        if program
        else getattr(getattr(consultant, "consult_profile", None), "turnaround_days", 5)
    )
    request = ConsultRequest.objects.create(
        case=case,
        kind=kind,
        created_by=user,
        consultant=consultant,
        program=program,
        reasons_text=reasons_text,
        reason_codes=list(reason_codes),
        previous_request=previous,
        target_days=target_days,
    )
    on_behalf = case.owner_id != user.pk
    record(
        user,
        AuditAction.REQUEST_CREATE,
        request,
        Purpose.TREATMENT if on_behalf else Purpose.PATIENT_REQUEST,
        case_id=case.pk,
        detail={"kind": kind, "reasons": list(reason_codes), "on_behalf": on_behalf},
    )
    grant_consent(user, request, documents, timezone.now() + timedelta(days=consent_days))
    if on_behalf:  # the patient hears at once that their doctor started one (no health data in it)
        owner_email = case.owner.email
        transaction.on_commit(partial(notify.request_started_for_you, owner_email))
    return request


@transaction.atomic
def grant_consent(
    user: Any, request: ConsultRequest, documents: Iterable[Document], expires_at: datetime
) -> Consent:
    """A new consent version: exactly these documents, until `expires_at`; earlier versions end."""
    documents = list(documents)
    if any(d.case_id != request.case_id for d in documents):
        raise IllegalTransition("foreign_document", "Only documents of this case can be shared.")
    now = timezone.now()
    previous = Consent.objects.select_for_update().filter(request=request).order_by("-version")
    version = (previous.first().version + 1) if previous.exists() else 1  # type: ignore[union-attr]
    previous.filter(superseded_at__isnull=True).update(superseded_at=now)
    consent = Consent.objects.create(
        request=request,
        version=version,
        expires_at=expires_at,
        created_by=user,
        snapshot=[{"id": str(d.pk), "sha256": d.sha256, "title": str(d), "kind": d.kind} for d in documents],
    )
    consent.documents.set(documents)
    record(
        user,
        AuditAction.CONSENT_GRANT,
        consent,
        Purpose.PATIENT_REQUEST if request.case.owner_id == user.pk else Purpose.TREATMENT,
        case_id=request.case_id,
        detail={"version": version, "documents": len(documents), "expires_at": expires_at.isoformat()},
    )
    return consent


@transaction.atomic
def revoke_consent(user: Any, request: ConsultRequest) -> int:
    count = Consent.objects.filter(request=request, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(user, AuditAction.CONSENT_REVOKE, request, Purpose.PATIENT_REQUEST, case_id=request.case_id)
    return count


@transaction.atomic
def move(user: Any, request: ConsultRequest, target: Status, actors: set[Actor], reason: str = "") -> None:
    """Move a request along the table; an illegal move raises IllegalTransition and changes nothing."""
    request = ConsultRequest.objects.select_for_update().get(pk=request.pk)
    source = Status(request.status)
    check_move(source, target, actors, reason)
    request.status = target
    fields = ["status", "updated_at"]
    if target == Status.REQUESTED:
        request.submitted_at = timezone.now()
        fields.append("submitted_at")
    if target == Status.COMPLETED:
        request.completed_at = timezone.now()
        fields.append("completed_at")
    request.save(update_fields=fields)
    actor_kind = sorted(actors)[0] if len(actors) == 1 else "+".join(sorted(actors))
    StatusChange.objects.create(
        request=request,
        source=source,
        target=target,
        actor=user if user else None,
        actor_kind=actor_kind,
        reason=reason,
    )
    record(
        user,
        AuditAction.REQUEST_TRANSITION,
        request,
        _purpose(actors),
        case_id=request.case_id,
        detail={"from": str(source), "to": str(target)},
    )
    _notify(
        *_people_to_tell(
            request,
            patient=Actor.PATIENT not in actors,
            clinicians=bool(actors & {Actor.PATIENT, Actor.REFERRER, Actor.SYSTEM}),
        )
    )


@transaction.atomic
def submit(user: Any, request: ConsultRequest, actors: set[Actor], questions: Iterable[Question]) -> None:
    """Send a draft: the patient's questions are copied so that each one gets an answer."""
    RequestQuestion.objects.filter(request=request).delete()
    for position, question in enumerate(questions, start=1):
        RequestQuestion.objects.create(request=request, text=question.text, position=position)
    move(user, request, Status.REQUESTED, actors)


def mark_received(user: Any, request: ConsultRequest) -> None:
    """requested → received, automatically, when the consultant or a coordinator first opens it."""
    if request.status == Status.REQUESTED:
        move(user, request, Status.RECEIVED, {Actor.SYSTEM})
        request.status = Status.RECEIVED


@transaction.atomic
def assign(user: Any, request: ConsultRequest, consultant: Any) -> None:
    """A program coordinator assigns (or reassigns) a request to one of the program's consultants."""
    if request.program_id is None or not request.program.consultants.filter(pk=consultant.pk).exists():  # type: ignore[union-attr]
        raise IllegalTransition("not_in_program", "This consultant does not work in the request's program.")
    if Status(request.status) in FINAL:
        raise IllegalTransition("request_closed", "A closed request cannot be reassigned.")
    previous = request.consultant_id
    request.consultant = consultant
    request.save(update_fields=["consultant", "updated_at"])
    record(
        user,
        AuditAction.REQUEST_ASSIGN,
        request,
        Purpose.OPERATIONS,
        case_id=request.case_id,
        detail={"from": previous, "to": consultant.pk},
    )
    _notify(consultant.email)


@transaction.atomic
def put_on_hold(user: Any, request: ConsultRequest, actors: set[Actor], message: str) -> Message:
    """in-progress → on-hold, and the reason goes to the patient as a message in the thread."""
    move(user, request, Status.ON_HOLD, actors, message)
    request.status = Status.ON_HOLD
    return post_message(user, request, message, actors)


@transaction.atomic
def post_message(
    user: Any, request: ConsultRequest, body: str, actors: set[Actor], attachment: Any = None
) -> Message:
    message = Message(request=request, author=user, body=body)
    if attachment is not None:
        from secondopinion.core import storage

        message.attachment_name = (attachment.name or "attachment")[:255]
        message.attachment_key, message.attachment_size = attachment.storage_key, attachment.size
        message.attachment_type, message.attachment_sha256 = attachment.kind, attachment.sha256
        storage.promote_on_commit(attachment)
    message.save()
    record(
        user,
        AuditAction.MESSAGE_SEND,
        message,
        _purpose(actors),
        case_id=request.case_id,
        detail={"attachment": bool(attachment)},
    )
    patient_side = bool(actors & {Actor.PATIENT, Actor.COMPANION})
    if patient_side and request.status == Status.ON_HOLD:
        move(user, request, Status.IN_PROGRESS, {Actor.SYSTEM})
    else:
        _notify(*_people_to_tell(request, patient=not patient_side, clinicians=patient_side))
    return message


MAX_SLOTS = 5


@transaction.atomic
def propose_slots(
    user: Any, request: ConsultRequest, slots: Iterable[dict[str, Any]]
) -> list[AppointmentSlot]:
    slots = list(slots)
    if not 1 <= len(slots) <= MAX_SLOTS:
        raise IllegalTransition("slot_count", f"Propose between 1 and {MAX_SLOTS} times.")
    created = [AppointmentSlot.objects.create(request=request, **slot) for slot in slots]
    record(
        user,
        AuditAction.APPOINTMENT_PROPOSE,
        request,
        Purpose.TREATMENT,
        case_id=request.case_id,
        detail={"slots": len(created)},
    )
    _notify(request.case.owner.email)
    return created


@transaction.atomic
def choose_slot(user: Any, slot: AppointmentSlot) -> None:
    if AppointmentSlot.objects.filter(request=slot.request, chosen_at__isnull=False).exists():
        raise IllegalTransition("slot_taken", "A time has already been chosen for this request.")
    slot.chosen_at = timezone.now()
    slot.save(update_fields=["chosen_at"])
    record(user, AuditAction.APPOINTMENT_CHOOSE, slot, Purpose.PATIENT_REQUEST, case_id=slot.request.case_id)
    _notify(*_people_to_tell(slot.request, clinicians=True))


SHIPMENT_ORDER = [
    Shipment.State.REQUESTED,
    Shipment.State.SHIPPED,
    Shipment.State.RECEIVED,
    Shipment.State.RETURNED,
]


@transaction.atomic
def request_material(user: Any, request: ConsultRequest, material: str) -> Shipment:
    if request.kind != "pathology_review":
        raise IllegalTransition(
            "not_pathology", "Slides and blocks are asked for in a pathology review only."
        )
    shipment = Shipment.objects.create(
        request=request, material=material, events=[{"state": "requested", "at": timezone.now().isoformat()}]
    )
    record(
        user,
        AuditAction.SHIPMENT_UPDATE,
        shipment,
        Purpose.TREATMENT,
        case_id=request.case_id,
        detail={"state": "requested", "material": material},
    )
    _notify(request.case.owner.email)
    return shipment


# Who records each step: the patient (who has the first hospital send the material) or the
# consultant records "shipped"; only the consultant, who holds the material, records the rest.
SHIPMENT_ACTORS = {
    Shipment.State.SHIPPED: frozenset({Actor.PATIENT, Actor.CONSULTANT}),
    Shipment.State.RECEIVED: frozenset({Actor.CONSULTANT}),
    Shipment.State.RETURNED: frozenset({Actor.CONSULTANT}),
}


@transaction.atomic
def advance_shipment(
    user: Any,
    shipment: Shipment,
    state: str,
    carrier: str = "",
    tracking: str = "",
    actors: set[Actor] | None = None,
) -> None:
    """requested → shipped (carrier and tracking number) → received → returned, one step at a time."""
    if actors is not None and not (SHIPMENT_ACTORS.get(state, frozenset()) & actors):  # type: ignore[call-overload]
        raise IllegalTransition("not_allowed", "You cannot record this step for the material.")
    current = SHIPMENT_ORDER.index(Shipment.State(shipment.state))
    if state not in Shipment.State.values or SHIPMENT_ORDER.index(Shipment.State(state)) != current + 1:
        raise IllegalTransition(
            "illegal_shipment_step", f"Material that is {shipment.state} cannot become {state}."
        )
    if state == Shipment.State.SHIPPED and not (carrier.strip() and tracking.strip()):
        raise IllegalTransition("tracking_required", "Give the carrier and the tracking number.")
    shipment.state = state
    if carrier:
        shipment.carrier, shipment.tracking_number = carrier.strip(), tracking.strip()
    shipment.events = [*shipment.events, {"state": state, "at": timezone.now().isoformat()}]
    shipment.save()
    record(
        user,
        AuditAction.SHIPMENT_UPDATE,
        shipment,
        Purpose.TREATMENT,
        case_id=shipment.request.case_id,
        detail={"state": state},
    )
    _notify(*_people_to_tell(shipment.request, patient=True, clinicians=True))


@transaction.atomic
def flag_urgent(user: Any, request: ConsultRequest, note: str) -> UrgentFinding:
    """Tell the patient, and the referring doctor when known, at once to call (no health data in the mail)."""
    finding = UrgentFinding.objects.create(request=request, flagged_by=user, note=note)
    record(user, AuditAction.URGENT_FLAG, finding, Purpose.TREATMENT, case_id=request.case_id)
    emails = [request.case.owner.email, request.case.first_doctor_email]
    for email in {e for e in emails if e}:
        transaction.on_commit(partial(notify.urgent_call, email))
    return finding
