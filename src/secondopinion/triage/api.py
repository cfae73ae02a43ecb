from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Body, Router, Status

from secondopinion.accounts.types import AuthedRequest
from secondopinion.cases import queries as case_queries
from secondopinion.core.access import NotFound, Perm
from secondopinion.core.problems import ApiError
from secondopinion.core.ratelimit import over_limit
from secondopinion.triage import actions
from secondopinion.triage.engine import TriageInputError
from secondopinion.triage.queries import latest_assessment
from secondopinion.triage.views import RATE_LIMIT, evaluate

router = Router(tags=["triage"])


def _evaluate(payload: Any) -> dict[str, Any]:
    try:
        return evaluate(payload)
    except TriageInputError as exc:
        extra: dict[str, Any] = {}
        if exc.suggestions is not None:
            extra["suggestions"] = exc.suggestions
        if exc.field is not None:
            extra["field"] = exc.field
        raise ApiError(422, exc.code, "Invalid triage input", exc.message, **extra) from None


@router.post("/triage", auth=None, summary="Run the triage (no account needed; nothing is stored)")
def triage(request: HttpRequest, payload: dict[str, Any] = Body(...)) -> Any:  # noqa: B008
    if over_limit(request, "triage", *RATE_LIMIT):
        raise ApiError(
            429, "too_many_requests", "Too many requests", "Please wait a few minutes and try again."
        )
    return _evaluate(payload)


def _assessment_out(assessment: Any) -> dict[str, Any]:
    return {
        "id": str(assessment.pk),
        "created_at": assessment.created_at.isoformat(),
        "answers": assessment.answers,
        "result": assessment.result,
    }


@router.post(
    "/cases/{case_id}/triage", response={201: dict}, summary="Run the triage and save it with a case"
)
def save_case_triage(request: AuthedRequest, case_id: UUID, payload: dict[str, Any] = Body(...)) -> Any:  # noqa: B008
    case = case_queries.get_case(request.user, case_id, Perm.EDIT, audit=False)
    result = _evaluate(payload)
    return Status(201, _assessment_out(actions.save_assessment(request.user, case, payload, result)))


@router.get("/cases/{case_id}/triage", response=dict, summary="The newest triage saved with a case")
def get_case_triage(request: AuthedRequest, case_id: UUID) -> Any:
    case = case_queries.get_case(request.user, case_id)
    assessment = latest_assessment(request.user, case)
    if assessment is None:
        raise NotFound
    return _assessment_out(assessment)
