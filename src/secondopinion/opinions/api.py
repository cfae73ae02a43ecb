"""The opinions JSON API: a case's opinions, the consultant's draft, signing, comparison, decision.

Errors are problem+json with stable codes: opinion_invalid (with `field`), unanswered_questions (with
`questions`), already_signed, not_in_progress, not_found.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema, Status

from secondopinion.api.setup import ApiError
from secondopinion.cases import queries as case_queries
from secondopinion.core.access import NotFound, Perm
from secondopinion.opinions import actions, queries
from secondopinion.opinions.comparison import compare_opinions
from secondopinion.opinions.models import Decision

router = Router(tags=["opinions"])


class OpinionOut(Schema):
    id: UUID
    case_id: UUID
    request_id: UUID | None
    source: str
    content: dict[str, Any]
    stated_change: dict[str, str]
    signed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class DraftIn(Schema):
    content: dict[str, Any]
    stated_change: dict[str, str] = {}


class ComparisonOut(Schema):
    opinion_id: UUID
    diagnosis: dict[str, Any]
    stage: dict[str, Any]
    treatment: dict[str, Any]


class DecisionIn(Schema):
    treating_doctor: str
    opinion_id: UUID | None = None
    follows_advice: Decision.Follows = Decision.Follows.UNDECIDED
    note: str = ""
    share_with_first_doctor: bool = False


class DecisionOut(Schema):
    id: UUID
    case_id: UUID
    treating_doctor: str
    opinion_id: UUID | None
    follows_advice: str
    note: str
    share_with_first_doctor: bool
    created_at: datetime


def _fail(error: actions.OpinionError) -> ApiError:
    status = {"not_found": 404, "opinion_invalid": 422}.get(error.code, 409)
    extra: dict[str, Any] = {}
    if error.code == "opinion_invalid":
        extra["field"] = error.field
    if error.questions:
        extra["questions"] = error.questions
    return ApiError(status, error.code, error.code.replace("_", " ").capitalize(), error.message, **extra)


def _consultant_request(request: HttpRequest, request_id: UUID) -> Any:
    return queries.assigned_request(request.user, request_id)


@router.get("/cases/{case_id}/opinions", response=list[OpinionOut])
def list_opinions(request: HttpRequest, case_id: UUID) -> Any:
    case = case_queries.get_case(request.user, case_id)
    return queries.opinions_for_case(request.user, case)


@router.get("/requests/{request_id}/opinion", response=OpinionOut)
def get_draft(request: HttpRequest, request_id: UUID) -> Any:
    req = _consultant_request(request, request_id)
    opinion = queries.draft_for_request(request.user, req)
    if opinion is None:
        raise NotFound
    return queries.get_opinion(request.user, opinion.pk)


@router.put("/requests/{request_id}/opinion", response={200: OpinionOut, 201: OpinionOut})
def put_draft(request: HttpRequest, request_id: UUID, payload: DraftIn) -> Any:
    req = _consultant_request(request, request_id)
    existed = queries.draft_for_request(request.user, req) is not None
    bad = {k: v for k, v in payload.stated_change.items() if k not in ("diagnosis", "stage", "treatment")}
    if bad or any(v not in ("confirmed", "refined", "changed") for v in payload.stated_change.values()):
        raise ApiError(
            422,
            "opinion_invalid",
            "Invalid opinion",
            "stated_change: unknown dimension or class",
            field="stated_change",
        )
    try:
        opinion = actions.save_draft(request.user, req, payload.content, payload.stated_change)
    except actions.OpinionError as error:
        raise _fail(error) from None
    return opinion if existed else Status(201, opinion)


@router.post("/requests/{request_id}/opinion/sign", response=OpinionOut)
def sign(request: HttpRequest, request_id: UUID) -> Any:
    req = _consultant_request(request, request_id)
    opinion = queries.draft_for_request(request.user, req)
    if opinion is None:
        raise NotFound
    try:
        return actions.sign(request.user, opinion)
    except actions.OpinionError as error:
        raise _fail(error) from None


@router.get("/cases/{case_id}/comparison", response=list[ComparisonOut])
def comparison(request: HttpRequest, case_id: UUID) -> Any:
    """The first opinion against each signed opinion, in signing order."""
    case = case_queries.get_case(request.user, case_id)
    first = queries.first_opinion(request.user, case)
    first_content = first.content if first else {}
    return [
        {"opinion_id": o.pk, **compare_opinions(first_content, o.content)}
        for o in queries.signed_opinions(request.user, case)
    ]


@router.post("/cases/{case_id}/decisions", response={201: DecisionOut})
def decide(request: HttpRequest, case_id: UUID, payload: DecisionIn) -> Any:
    case = case_queries.get_case(request.user, case_id, Perm.EDIT, audit=False)
    opinion = None
    if payload.opinion_id is not None:
        opinion = queries.get_opinion(request.user, payload.opinion_id, audit=False)
        if opinion.case_id != case.pk:
            raise NotFound
    if payload.share_with_first_doctor and not case.first_doctor_email:
        raise ApiError(
            422, "no_first_doctor_email", "Invalid input", "The case has no e-mail for the first doctor."
        )
    signed = queries.signed_opinions(request.user, case)
    to_share = opinion if opinion is not None and opinion.signed_at else (signed[-1] if signed else None)
    data = payload.model_dump(exclude={"opinion_id"})
    return Status(201, actions.record_decision(request.user, case, data, opinion, to_share))
