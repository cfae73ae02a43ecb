from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from secondopinion.cases import actions as case_actions
from secondopinion.cases.models import Case
from secondopinion.core.audit import AuditAction, Purpose, record
from secondopinion.triage.models import TriageAssessment


@transaction.atomic
def save_assessment(
    user: Any, case: Case, answers: dict[str, Any], result: dict[str, Any]
) -> TriageAssessment:
    """`case` must come from the gateway with Perm.EDIT."""
    assessment = TriageAssessment.objects.create(case=case, answers=answers, result=result, created_by=user)
    record(
        user,
        AuditAction.TRIAGE_SAVE,
        assessment,
        Purpose.PATIENT_REQUEST,
        detail={"reasons": result.get("reasons", []), "recommendation": result.get("recommendation")},
    )
    return assessment


@transaction.atomic
def start_case_from_triage(user: Any, answers: dict[str, Any], result: dict[str, Any]) -> Case:
    """A new case for the person, pre-filled from their triage answers, with the answer saved to it."""
    case = case_actions.create_case(user, {"title": _("My second opinion"), "subject": "self"})
    fields: dict[str, Any] = {"cancer_type": answers.get("cancer_type", "")[:200]}
    case_actions.update_case(user, case, fields)
    # The treatments considered stay in the saved answers; the first-opinion form starts from them.
    save_assessment(user, case, answers, result)
    return case
