from __future__ import annotations

from typing import Any

from secondopinion.cases.models import Case
from secondopinion.core.access import Perm, accessible
from secondopinion.triage.models import TriageAssessment


def latest_assessment(user: Any, case: Case) -> TriageAssessment | None:
    """The newest triage saved to a case the user may view (the case came from the gateway)."""
    return accessible(user, TriageAssessment, Perm.VIEW).filter(case=case).order_by("-created_at").first()
