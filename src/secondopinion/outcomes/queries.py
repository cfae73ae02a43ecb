"""The rows behind a program's outcome figures.

Only aggregates leave this module: a coordinator sees counts for the programs they coordinate, never a
patient's record; each read is audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from secondopinion.consults.models import ConsultRequest, Program
from secondopinion.consults.queries import turnaround_days
from secondopinion.consults.transitions import Status
from secondopinion.core.audit import AuditAction, Purpose, record
from secondopinion.opinions.comparison import compare_opinions
from secondopinion.opinions.models import Decision, Opinion
from secondopinion.opinions.opinion_format import OpinionFormatError
from secondopinion.outcomes.figures import Figures, build_figures
from secondopinion.triage.reference import find_cancer_type


def coordinated_programs(user: Any) -> QuerySet[Program]:
    if not (user.is_authenticated and user.may_see_health_data):
        return Program.objects.none()
    return Program.objects.filter(coordinators=user).order_by("name")


def _cancer_type(text: str) -> str:
    match = find_cancer_type(text) if text else None
    return match.name if match else (text.strip() or "unknown")


def _comparisons(requests: QuerySet[ConsultRequest]) -> list[tuple[str, dict[str, str]]]:
    signed = Opinion.objects.filter(
        request__in=requests, source=Opinion.Source.CONSULT, signed_at__isnull=False
    ).select_related("case")
    firsts = {
        o.case_id: o
        for o in Opinion.objects.filter(case__in=signed.values("case"), source=Opinion.Source.FIRST).order_by(
            "-created_at"
        )
    }
    rows = []
    for opinion in signed:
        first = firsts.get(opinion.case_id)
        if first is None:
            classes = {}
        else:
            try:
                result = compare_opinions(first.content, opinion.content)
                classes = {dimension: result[dimension]["class"] for dimension in result}
            except OpinionFormatError:
                classes = {}
        rows.append((_cancer_type(opinion.case.cancer_type), classes))
    return rows


def program_figures(user: Any, programs: list[Program]) -> Figures:
    requests = ConsultRequest.objects.filter(program__in=programs).exclude(status=Status.DRAFT)
    completed = requests.filter(status=Status.COMPLETED)
    turnarounds = [t for t in (turnaround_days(r) for r in completed) if t is not None]
    decisions = Decision.objects.filter(opinion__request__in=requests).order_by("case_id", "-created_at")
    latest: dict[Any, str] = {}
    for decision in decisions:
        latest.setdefault(decision.case_id, decision.follows_advice)
    figures = build_figures(
        requests.values_list("kind", "status"), turnarounds, _comparisons(requests), latest.values()
    )
    for program in programs:
        record(
            user,
            AuditAction.OUTCOMES_READ,
            program,
            Purpose.OPERATIONS,
            detail={"requests": requests.count()},
        )
    return figures
