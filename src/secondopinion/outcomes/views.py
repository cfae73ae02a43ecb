from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from secondopinion.consults.queries import coordinated_programs
from secondopinion.outcomes.figures import CLASSES, DIMENSIONS, PUBLISHED, Figures, csv_rows, published_source
from secondopinion.outcomes.queries import program_figures

CLASS_LABELS = {
    "confirmed": _("Confirmed"),
    "refined": _("Refined"),
    "changed": _("Changed"),
    "not_comparable": _("Not comparable"),
}
DIMENSION_LABELS = {"diagnosis": _("Diagnosis"), "stage": _("Stage"), "treatment": _("Treatment")}
BAR_COLORS = {"confirmed": "#216e1f", "refined": "#005ea2", "changed": "#c05600"}


def _programs(request: HttpRequest) -> list[Any]:
    programs = list(coordinated_programs(request.user))
    wanted = request.GET.get("program")
    if wanted:
        programs = [p for p in programs if str(p.pk) == wanted]
    if not programs:
        raise Http404
    return programs


def _bars(figures: Figures) -> list[dict[str, Any]]:
    """Stacked bars (percent of comparable opinions) for the SVG chart, one per dimension."""
    bars = []
    for row, dimension in enumerate(DIMENSIONS):
        counts = figures.by_dimension[dimension]
        x = 0.0
        segments = []
        for cls in CLASSES[:3]:
            share = counts.share(cls) or 0.0
            segments.append(
                {
                    "cls": cls,
                    "label": CLASS_LABELS[cls],
                    "x": x,
                    "width": share * 4,
                    "share": share,
                    "color": BAR_COLORS[cls],
                }
            )
            x += share * 4
        bars.append(
            {
                "label": DIMENSION_LABELS[dimension],
                "y": 10 + row * 50,
                "segments": segments,
                "n": counts.comparable,
                "published": PUBLISHED.get(dimension),
            }
        )
    return bars


@login_required
def outcomes(request: HttpRequest) -> HttpResponse:
    programs = _programs(request)
    figures = program_figures(request.user, programs)
    tables = [
        (
            DIMENSION_LABELS[d],
            [
                (CLASS_LABELS[c], figures.by_dimension[d].counts[c], figures.by_dimension[d].share(c))
                for c in CLASSES
            ],
        )
        for d in DIMENSIONS
    ]
    return render(
        request,
        "outcomes/pages/outcomes.html",
        {
            "programs": programs,
            "all_programs": coordinated_programs(request.user),
            "figures": figures,
            "bars": _bars(figures),
            "tables": tables,
            "published_source": published_source(),
            "by_kind": [
                (kind, sorted(statuses.items()))
                for kind, statuses in sorted(figures.requests_by_kind_status.items())
            ],
            "follows": [(a, figures.follows[a], figures.follows_share(a)) for a in ("yes", "partly", "no")],
            "agreement": [
                {
                    "label": DIMENSION_LABELS[d],
                    "dimension": d,
                    "stated": figures.agreement[d].stated,
                    "differ": figures.agreement[d].differ,
                    "share": figures.agreement[d].share,
                    "width": (figures.agreement[d].share or 0.0) * 4,
                    "y": 10 + row * 40,
                }
                for row, d in enumerate(DIMENSIONS)
                if d in figures.agreement
            ],
        },
    )


@login_required
def outcomes_csv(request: HttpRequest) -> HttpResponse:
    figures = program_figures(request.user, _programs(request))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="secondopinion-outcomes.csv"'
    writer = csv.writer(response)
    writer.writerows(csv_rows(figures))
    return response
