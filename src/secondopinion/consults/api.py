"""The JSON API for consult requests; errors are problem+json with stable codes; hidden is 404."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from secondopinion.cases import queries as case_queries
from secondopinion.consults import actions, queries
from secondopinion.consults.models import Consent, ConsultRequest, Kind
from secondopinion.consults.schemas import (
    ConsentIn,
    ConsentOut,
    MessageIn,
    MessageOut,
    RequestIn,
    RequestOut,
    TransitionIn,
)
from secondopinion.consults.transitions import Actor, IllegalTransition
from secondopinion.consults.transitions import Status as S
from secondopinion.core.access import NotFound, Perm
from secondopinion.core.problems import ApiError

router = Router(tags=["requests"])
STATUS_FOR = {
    "illegal_transition": 409,
    "not_allowed": 403,
    "reason_required": 422,
    "target_required": 422,
    "foreign_document": 422,
    "not_in_program": 422,
    "request_closed": 409,
}


def _illegal(exc: IllegalTransition) -> ApiError:
    return ApiError(STATUS_FOR.get(exc.code, 409), exc.code, "Not possible", exc.message)


def _consent_out(consent: Consent) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "version": consent.version,
        "document_ids": [d.pk for d in consent.documents.all()],
        "expires_at": consent.expires_at,
        "revoked_at": consent.revoked_at,
        "active": consent.is_active,
    }


def _documents(user: Any, case: Any, ids: list[UUID] | None) -> list[Any]:
    documents = queries.case_documents(user, case)
    if ids is None:
        return list(documents)
    found = list(documents.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ApiError(
            422, "foreign_document", "Unknown document", "Only documents of this case can be shared."
        )
    return found


@router.get("/cases/{case_id}/requests", response=list[RequestOut])
def list_requests(request: HttpRequest, case_id: UUID) -> Any:
    case = case_queries.get_case(request.user, case_id)
    return list(queries.requests_for_case(request.user, case))


@router.post("/cases/{case_id}/requests", response={201: RequestOut})
def create_request(request: HttpRequest, case_id: UUID, payload: RequestIn) -> Any:
    case = case_queries.get_case(request.user, case_id, Perm.REQUEST, audit=False)
    if payload.kind not in Kind.values:
        raise ApiError(
            422, "validation_error", "Invalid input", f"kind must be one of {', '.join(Kind.values)}."
        )
    program = consultant = None
    if payload.program_id is not None:
        program = queries.programs().filter(pk=payload.program_id).first()
        if program is None:
            raise ApiError(422, "unknown_program", "Unknown program", "There is no such program.")
    if payload.consultant_id is not None:
        consultant = queries.verified_consultants().filter(pk=payload.consultant_id).first()
        if consultant is None:
            raise ApiError(422, "unknown_consultant", "Unknown consultant", "There is no such consultant.")
    try:
        cr = actions.create_request(
            request.user,
            case,
            kind=payload.kind,
            program=program,
            consultant=consultant,
            reasons_text=payload.reasons_text,
            reason_codes=payload.reason_codes,
            documents=_documents(request.user, case, payload.document_ids),
            consent_days=payload.consent_days,
        )
    except IllegalTransition as exc:
        raise _illegal(exc) from None
    return Status(201, cr)


def _get(
    request: HttpRequest, request_id: UUID, perm: Perm = Perm.VIEW, *, audit: bool = False
) -> tuple[ConsultRequest, set[Actor]]:
    cr = queries.get_request(request.user, request_id, perm, audit=audit)
    return cr, queries.actor_kinds(request.user, cr)


@router.get("/requests/{request_id}", response=RequestOut)
def get_request(request: HttpRequest, request_id: UUID) -> Any:
    cr, actors = _get(request, request_id, audit=True)
    if actors & {Actor.CONSULTANT, Actor.COORDINATOR} and cr.status == S.REQUESTED:
        actions.mark_received(request.user, cr)
    return cr


@router.post("/requests/{request_id}/submit", response=RequestOut)
def submit_request(request: HttpRequest, request_id: UUID) -> Any:
    cr, actors = _get(request, request_id)
    try:
        actions.submit(request.user, cr, actors, queries.case_questions(request.user, cr.case))
    except IllegalTransition as exc:
        raise _illegal(exc) from None
    cr.refresh_from_db()
    return cr


@router.post("/requests/{request_id}/transition", response=RequestOut)
def transition(request: HttpRequest, request_id: UUID, payload: TransitionIn) -> Any:
    cr, actors = _get(request, request_id)
    if not payload.target:
        raise ApiError(422, "target_required", "Target required", "Give the status to move the request to.")
    if payload.target not in {str(s) for s in S}:
        raise ApiError(422, "unknown_status", "Unknown status", f"{payload.target} is not a status.")
    if payload.target == S.COMPLETED:
        raise ApiError(
            409, "illegal_transition", "Not possible", "A request is completed only by signing the opinion."
        )
    try:
        if payload.target == S.REQUESTED:
            actions.submit(request.user, cr, actors, queries.case_questions(request.user, cr.case))
        elif payload.target == S.ON_HOLD and payload.reason.strip():
            actions.put_on_hold(request.user, cr, actors, payload.reason.strip())
        else:
            actions.move(request.user, cr, S(payload.target), actors, payload.reason)
    except IllegalTransition as exc:
        raise _illegal(exc) from None
    cr.refresh_from_db()
    return cr


@router.get("/requests/{request_id}/messages", response=list[MessageOut])
def list_messages(request: HttpRequest, request_id: UUID) -> Any:
    cr, actors = _get(request, request_id)
    if not queries.reads_thread(actors):
        raise NotFound
    return list(queries.messages(cr))


@router.post("/requests/{request_id}/messages", response={201: MessageOut})
def post_message(request: HttpRequest, request_id: UUID, payload: MessageIn) -> Any:
    cr, actors = _get(request, request_id, Perm.ASK)
    if not actors & {Actor.PATIENT, Actor.COMPANION, Actor.CONSULTANT, Actor.COORDINATOR}:
        raise NotFound
    if cr.status == S.DRAFT:
        raise ApiError(409, "request_draft", "Not sent yet", "Send the request before writing messages.")
    return Status(201, actions.post_message(request.user, cr, payload.body, actors))


@router.get("/requests/{request_id}/consent", response=ConsentOut)
def current_consent(request: HttpRequest, request_id: UUID) -> Any:
    cr, _actors = _get(request, request_id)
    consent = queries.latest_consent(cr)
    if consent is None:
        raise NotFound
    return _consent_out(consent)


@router.post("/requests/{request_id}/consent", response={201: ConsentOut})
def new_consent(request: HttpRequest, request_id: UUID, payload: ConsentIn) -> Any:
    cr, actors = _get(request, request_id, Perm.MANAGE)
    if Actor.PATIENT not in actors:
        raise NotFound
    documents = _documents(request.user, cr.case, payload.document_ids)
    consent = actions.grant_consent(
        request.user, cr, documents, timezone.now() + timedelta(days=payload.days)
    )
    return Status(201, _consent_out(consent))


@router.post("/requests/{request_id}/consent/revoke", response={204: None})
def revoke_consent(request: HttpRequest, request_id: UUID) -> Any:
    cr, actors = _get(request, request_id, Perm.MANAGE)
    if Actor.PATIENT not in actors:
        raise NotFound
    actions.revoke_consent(request.user, cr)
    return Status(204, None)
