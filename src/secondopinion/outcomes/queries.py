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
from secondopinion.core.reference import find_cancer_type
from secondopinion.opinions.comparison import compare_opinions
from secondopinion.opinions.models import Decision, Opinion
from secondopinion.opinions.opinion_format import OpinionFormatError
from secondopinion.outcomes.figures import DIMENSIONS, Figures, build_figures


def _cancer_type(text: str) -> str:
    match = find_cancer_type(text) if text else None
    return match.name if match else (text.strip() or "unknown")


def _comparisons(
    requests: QuerySet[ConsultRequest],
) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """(cancer type, the class counted, the computed class) per signed opinion. The class counted is the
    signing clinician's stated class; the computed class stands in where none was stated."""
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
        computed: dict[str, str] = {}
        if first is not None:
            try:
                result = compare_opinions(first.content, opinion.content)
                computed = {dimension: result[dimension]["class"] for dimension in result}
            except OpinionFormatError:
                computed = {}
        stated = {d: c for d, c in (opinion.stated_change or {}).items() if d in DIMENSIONS}
        classes = {**computed, **stated}
        checks = {d: c for d, c in computed.items() if d in stated}
        rows.append((_cancer_type(opinion.case.cancer_type), classes, checks))
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
