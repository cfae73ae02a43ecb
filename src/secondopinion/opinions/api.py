"""The opinions JSON API: a case's opinions, the consultant's draft, signing, comparison, decision.

Errors are problem+json with stable codes: opinion_invalid (with `field`), unanswered_questions (with
`questions`), stated_class_missing (with `field`), already_signed, not_in_progress, not_found.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ValidationError

from secondopinion.cases import queries as case_queries
from secondopinion.core.access import NotFound, Perm
from secondopinion.core.problems import ApiError
from secondopinion.opinions import actions, queries
from secondopinion.opinions.comparison import compare_opinions
from secondopinion.opinions.content import DIMENSIONS, SIGN_CLASSES, STATED_CLASSES
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


class DimensionOut(Schema):
    """One dimension: `class` computed from the structured fields (the check), `because` its reasons,
    `stated_class` the signing clinician's own class (null for opinions signed before it was asked)."""

    class_: str = Field(alias="class")
    because: list[str]
    stated_class: str | None


class ComparisonOut(Schema):
    opinion_id: UUID
    diagnosis: DimensionOut
    stage: DimensionOut
    treatment: DimensionOut


class SignIn(Schema):
    stated_change: dict[str, str] = {}


class DecisionIn(Schema):
    treating_doctor: str = Field(
        "", max_length=200, description="Required unless follows_advice is undecided"
    )
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
    status = {"not_found": 404, "opinion_invalid": 422, "stated_class_missing": 422}.get(error.code, 409)
    extra: dict[str, Any] = {}
    if error.code in ("opinion_invalid", "stated_class_missing"):
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
    _check_stated(payload.stated_change, STATED_CLASSES)
    try:
        opinion = actions.save_draft(request.user, req, payload.content, payload.stated_change)
    except actions.OpinionError as error:
        raise _fail(error) from None
    return opinion if existed else Status(201, opinion)


def _check_stated(stated: dict[str, str], allowed: tuple[str, ...]) -> None:
    """Every key a dimension and every value one of `allowed` classes, else 422 opinion_invalid."""
    if any(k not in DIMENSIONS or v not in allowed for k, v in stated.items()):
        raise ApiError(
            422,
            "opinion_invalid",
            "Invalid opinion",
            "stated_change: unknown dimension or class",
            field="stated_change",
        )


def _stated_body(request: HttpRequest) -> dict[str, str]:
    """The sign request's optional JSON body `{"stated_change": {dimension: class}}` (none unless JSON)."""
    if request.content_type != "application/json" or not request.body.strip():
        return {}
    try:
        return SignIn.model_validate(json.loads(request.body)).stated_change
    except (ValueError, ValidationError):
        raise ApiError(
            422,
            "opinion_invalid",
            "Invalid opinion",
            'The body must be {"stated_change": {"diagnosis": class, "stage": class, "treatment": class}}.',
            field="stated_change",
        ) from None


@router.post("/requests/{request_id}/opinion/sign", response=OpinionOut)
def sign(request: HttpRequest, request_id: UUID) -> Any:
    """Sign; the clinician's class for every dimension is required (the optional body's `stated_change`,
    `SignIn`, over the draft's), else 422 stated_class_missing."""
    req = _consultant_request(request, request_id)
    opinion = queries.draft_for_request(request.user, req)
    if opinion is None:
        raise NotFound
    given = _stated_body(request)
    _check_stated(given, SIGN_CLASSES)
    try:
        return actions.sign(request.user, opinion, {**opinion.stated_change, **given})
    except actions.OpinionError as error:
        raise _fail(error) from None


@router.get("/cases/{case_id}/comparison", response=list[ComparisonOut], by_alias=True)
def comparison(request: HttpRequest, case_id: UUID) -> Any:
    """The first opinion against each signed opinion, in signing order."""
    case = case_queries.get_case(request.user, case_id)
    first = queries.first_opinion(request.user, case)
    first_content = first.content if first else {}
    rows = []
    for o in queries.signed_opinions(request.user, case):
        result = compare_opinions(first_content, o.content)
        for dim in DIMENSIONS:
            result[dim] = {**result[dim], "stated_class": o.stated_change.get(dim)}
        rows.append({"opinion_id": o.pk, **result})
    return rows


@router.post("/cases/{case_id}/decisions", response={201: DecisionOut})
def decide(request: HttpRequest, case_id: UUID, payload: DecisionIn) -> Any:
    case = case_queries.get_case(request.user, case_id, Perm.EDIT, audit=False)
    opinion = None
    if payload.opinion_id is not None:
        opinion = queries.get_opinion(request.user, payload.opinion_id, audit=False)
        if opinion.case_id != case.pk:
            raise NotFound
    if not payload.treating_doctor.strip() and payload.follows_advice != Decision.Follows.UNDECIDED:
        raise ApiError(
            422,
            "treating_doctor_required",
            "Invalid input",
            "Say who will treat you, or answer follows_advice: undecided.",
            field="treating_doctor",
        )
    if payload.share_with_first_doctor and not case.first_doctor_email:
        raise ApiError(
            422, "no_first_doctor_email", "Invalid input", "The case has no e-mail for the first doctor."
        )
    signed = queries.signed_opinions(request.user, case)
    to_share = opinion if opinion is not None and opinion.signed_at else (signed[-1] if signed else None)
    data = payload.model_dump(exclude={"opinion_id"})
    return Status(201, actions.record_decision(request.user, case, data, opinion, to_share))
