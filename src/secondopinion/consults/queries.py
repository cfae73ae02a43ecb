"""Every read of consult data, through the access gateway."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from secondopinion.accounts.models import CONSULTANT_ROLES, ClinicianProfile, User
from secondopinion.cases.models import Case, Document, Question
from secondopinion.cases.queries import is_companion
from secondopinion.consults import turnaround
from secondopinion.consults.actions import CONSENT_DAYS
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
from secondopinion.consults.transitions import Actor, Status
from secondopinion.consults.turnaround import business_days_running, is_overdue
from secondopinion.core.access import NotFound, Perm, access_object, accessible, visible_cases
from secondopinion.core.audit import AuditAction, Purpose, record


def actor_kinds(user: Any, request: ConsultRequest) -> set[Actor]:
    """What the user is to this request (a user may be several things)."""
    kinds: set[Actor] = set()
    if not user.is_authenticated:
        return kinds
    if request.case.owner_id == user.pk:
        kinds.add(Actor.PATIENT)
    if request.consultant_id == user.pk and user.may_see_health_data:
        kinds.add(Actor.CONSULTANT)
    if (
        request.program_id
        and user.may_see_health_data
        and request.program.coordinators.filter(pk=user.pk).exists()  # type: ignore[union-attr]
    ):
        kinds.add(Actor.COORDINATOR)
    if user.is_admin:
        kinds.add(Actor.ADMIN)
    if is_referrer(user, request.case):
        kinds.add(Actor.REFERRER)
    if not kinds and is_companion(user, request.case, Perm.ASK):
        kinds.add(Actor.COMPANION)
    return kinds


def is_referrer(user: Any, case: Case) -> bool:
    """The patient's own doctor, acting on the patient's consent (the gateway's `referrer` rule)."""
    from secondopinion.cases.rules import referrer_rule

    q = referrer_rule(user, Perm.REQUEST, "") if user.is_authenticated and user.may_see_health_data else None
    return q is not None and Case.objects.filter(q, pk=case.pk).exists()


def may_request(user: Any, case: Case) -> bool:
    """May the user ask for second opinions on this case (the owner, or the referrer)?"""
    return (
        bool(user and user.is_authenticated) and visible_cases(user, Perm.REQUEST).filter(pk=case.pk).exists()
    )


# Who reads a request's messages: the patient's side and the handlers. A referrer who is nothing else
# sees the request's status and history, not what the patient and the consultant write to each other.
THREAD_READERS = frozenset({Actor.PATIENT, Actor.COMPANION, Actor.CONSULTANT, Actor.COORDINATOR, Actor.ADMIN})


def reads_thread(actors: set[Actor]) -> bool:
    return Actor.REFERRER not in actors or bool(actors & THREAD_READERS)


def get_request(user: Any, request_id: Any, perm: Perm = Perm.VIEW, *, audit: bool = True) -> ConsultRequest:
    return access_object(
        user, ConsultRequest, request_id, perm=perm, action=AuditAction.REQUEST_READ if audit else None
    )


def requests_for_case(user: Any, case: Case) -> QuerySet[ConsultRequest]:
    return accessible(user, ConsultRequest).filter(case=case).select_related("consultant", "program")


def inbox(
    user: Any, *, status: str = "", kind: str = "", program: Program | None = None
) -> QuerySet[ConsultRequest]:
    """Requests a consultant handles or a coordinator's programs hold (never drafts)."""
    rows = (
        accessible(user, ConsultRequest)
        .filter(Q(consultant=user) | Q(program__coordinators=user))
        .exclude(status=Status.DRAFT)
        .select_related("case", "consultant", "program")
        .prefetch_related(Prefetch("status_changes", queryset=StatusChange.objects.order_by("at", "id")))
        .order_by("-submitted_at")
    )
    if program is not None:
        rows = rows.filter(program=program)
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    return rows


def turnaround_days(request: ConsultRequest) -> float | None:
    """Business days on the clock (accepted → completed, holds left out); uses prefetched history."""
    history = [(c.at, c.target) for c in request.status_changes.all()]
    history.sort(key=lambda item: item[0])
    return business_days_running(history, request.completed_at or timezone.now())


def overdue(request: ConsultRequest) -> bool:
    return request.status in (Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD) and is_overdue(
        turnaround_days(request), request.target_days
    )


def active_consent(request: ConsultRequest) -> Consent | None:
    return (
        Consent.objects.filter(
            request=request,
            revoked_at__isnull=True,
            superseded_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .prefetch_related("documents")
        .first()
    )


def latest_consent(request: ConsultRequest) -> Consent | None:
    return Consent.objects.filter(request=request).prefetch_related("documents").first()


def shared_documents(user: Any, request: ConsultRequest) -> QuerySet[Document]:
    """The documents of the request's active consent that this user may open."""
    consent = active_consent(request)
    if consent is None:
        return Document.objects.none()
    return accessible(user, Document).filter(pk__in=consent.documents.values("pk"))


def consent_documents(user: Any, consent: Consent) -> QuerySet[Document]:
    """The documents a consent shares, those of them this user may open (all of them for the patient)."""
    return accessible(user, Document).filter(pk__in=consent.documents.values("pk"))


def sent_questions(request: ConsultRequest) -> QuerySet[RequestQuestion]:
    """The patient's questions as the request carries them (the request came through the gateway)."""
    return RequestQuestion.objects.filter(request=request).order_by("position")


def case_documents(user: Any, case: Case) -> QuerySet[Document]:
    """Documents the owner (or the referrer) may share from this case (`case` came with Perm.REQUEST)."""
    return accessible(user, Document, Perm.REQUEST).filter(case=case).order_by("created_at")


def programs() -> QuerySet[Program]:
    return Program.objects.filter(active=True).order_by("name")


def verified_consultants() -> QuerySet[User]:
    """Named consultants a patient may ask: verified, and not refusing requests (no health data)."""
    return (
        User.objects.filter(
            role__in=[str(r) for r in CONSULTANT_ROLES],
            is_active=True,
            clinician_profile__status=ClinicianProfile.Status.APPROVED,
        )
        .exclude(consult_profile__accepts_requests=False)
        .select_related("clinician_profile", "consult_profile")
        .order_by("full_name")
    )


def coordinated_programs(user: Any) -> QuerySet[Program]:
    if not user.is_authenticated or not user.may_see_health_data:
        return Program.objects.none()
    return Program.objects.filter(coordinators=user).order_by("name")


def get_coordinated_program(user: Any, program_id: Any) -> Program:
    try:
        return coordinated_programs(user).get(pk=program_id)
    except (Program.DoesNotExist, ValueError, TypeError):
        raise NotFound from None


def status_history(request: ConsultRequest) -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(request=request).select_related("actor").order_by("at", "id")


def messages(request: ConsultRequest) -> QuerySet[Message]:
    """The thread of a request the caller fetched through `get_request`."""
    return Message.objects.filter(request=request).select_related("author").order_by("created_at", "id")


def slots(request: ConsultRequest) -> QuerySet[AppointmentSlot]:
    return AppointmentSlot.objects.filter(request=request).order_by("starts_at")


def shipments(request: ConsultRequest) -> QuerySet[Shipment]:
    return Shipment.objects.filter(request=request).order_by("created_at")


def urgent_findings(request: ConsultRequest) -> QuerySet[UrgentFinding]:
    return UrgentFinding.objects.filter(request=request).select_related("flagged_by").order_by("-created_at")


def _child[M: Any](model: type[M], request: ConsultRequest, object_id: Any) -> M:
    try:
        return model.objects.get(request=request, pk=object_id)
    except (model.DoesNotExist, ValueError, TypeError):
        raise NotFound from None


def get_slot(request: ConsultRequest, slot_id: Any) -> AppointmentSlot:
    return _child(AppointmentSlot, request, slot_id)


def get_shipment(request: ConsultRequest, shipment_id: Any) -> Shipment:
    return _child(Shipment, request, shipment_id)


def get_attachment(user: Any, request: ConsultRequest, message_id: Any, actors: set[Actor]) -> Message:
    """A message's attachment, audited as a download. Clinicians open what the patient side sent
    only while a consent is active (an attachment is a document, not the request's history)."""
    message = _child(Message, request, message_id)
    if not message.attachment_key:
        raise NotFound
    patient_side = bool(actors & {Actor.PATIENT, Actor.COMPANION})
    if not patient_side and message.author_id != user.pk and active_consent(request) is None:
        raise NotFound
    record(
        user,
        AuditAction.DOCUMENT_DOWNLOAD,
        message,
        Purpose.PATIENT_REQUEST if patient_side else Purpose.TREATMENT,
        case_id=request.case_id,
        detail={"attachment": True},
    )
    return message


def case_questions(user: Any, case: Case) -> QuerySet[Question]:
    """The case's questions as they are now (copied into the request when it is sent)."""
    return accessible(user, Question).filter(case=case).order_by("position", "id")


def expected_by(request: ConsultRequest) -> date | None:
    """When the patient should hear (see `turnaround.expected_by`): a draft counts the program's or the
    consultant's turnaround as it is now; a sent request the target it was sent with."""
    history = [(c.at, c.target) for c in status_history(request)]
    sent_on = timezone.localtime(request.submitted_at).date() if request.submitted_at else None
    days = target_terms(request)["days"] if request.status == Status.DRAFT else request.target_days
    return turnaround.expected_by(
        request.status,
        business_days_running(history, timezone.now()),
        days,
        timezone.localdate(),
        sent_on,
    )


def sharing_days(consent: Consent | None, now: datetime | None = None) -> int:
    """The number of days the sharing form starts from: what is left of the current consent (so saving it
    unchanged keeps its end date; on a draft that is the length chosen), else the length it had."""
    if consent is None:
        return CONSENT_DAYS
    now = now or timezone.now()
    span = consent.expires_at - (now if consent.is_active else consent.created_at)
    return max(1, min(365, math.ceil(span.total_seconds() / 86400)))


def target_terms(request: ConsultRequest) -> dict[str, Any]:
    """Fee, insurance and turnaround of the program or consultant the request goes to."""
    if request.program_id:
        p = request.program
        return {"fee": p.fee_notes, "insurance": p.insurance_notes, "days": p.turnaround_days}  # type: ignore[union-attr]
    profile = getattr(request.consultant, "consult_profile", None)
    if profile is None:
        return {"fee": "", "insurance": "", "days": request.target_days}
    return {"fee": profile.fee_notes, "insurance": profile.insurance_notes, "days": profile.turnaround_days}


def request_for_operator(request_id: Any) -> ConsultRequest | None:
    """A request by id for an operator's status move (`secondopinion requests`): the command reads and
    prints no health data, and the move itself is audited."""
    try:
        return ConsultRequest.objects.filter(pk=request_id).first()
    except (ValueError, ValidationError):
        return None
