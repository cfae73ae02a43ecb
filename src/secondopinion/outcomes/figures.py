"""Program outcome figures from plain rows: pure functions, so they are easy to test and to trust."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

DIMENSIONS = ("diagnosis", "stage", "treatment")
CLASSES = ("confirmed", "refined", "changed", "not_comparable")
FOLLOWS = ("yes", "partly", "no", "undecided")
# Meyer AN, Singh H, Graber ML. Am J Med Qual 2015: 6,791 second opinions.
PUBLISHED = {"diagnosis": 14.8, "treatment": 37.4}
PUBLISHED_CASES = 6791


def published_source() -> str:
    """The published figures' source in the active language, its numbers in the language's format."""
    from django.utils.translation import gettext

    from secondopinion.core.numbers import format_number

    return gettext(
        "Meyer, Singh & Graber, Am J Med Qual 2015 (%(cases)s cases): diagnosis changed %(diagnosis)s %%, "
        "treatment %(treatment)s %%"
    ) % {
        "cases": format_number(PUBLISHED_CASES),
        "diagnosis": format_number(PUBLISHED["diagnosis"]),
        "treatment": format_number(PUBLISHED["treatment"]),
    }


@dataclass
class ClassCounts:
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def comparable(self) -> int:
        return sum(self.counts[c] for c in CLASSES if c != "not_comparable")

    def share(self, cls: str) -> float | None:
        """Percent of the comparable opinions in this class (None when nothing is comparable)."""
        return round(100 * self.counts[cls] / self.comparable, 1) if self.comparable else None


@dataclass
class Agreement:
    """How often the signing clinician's stated class differs from the computed one, for a dimension."""

    stated: int = 0  # opinions where both a stated class and a computed class exist
    differ: int = 0

    @property
    def share(self) -> float | None:
        return round(100 * self.differ / self.stated, 1) if self.stated else None


@dataclass
class Figures:
    requests_by_kind_status: dict[str, Counter[str]]
    median_turnaround_days: float | None
    completed: int
    by_dimension: dict[str, ClassCounts]
    by_cancer_type: dict[str, dict[str, ClassCounts]]
    follows: Counter[str]
    agreement: dict[str, Agreement] = field(default_factory=dict)

    @property
    def decided(self) -> int:
        return sum(self.follows[f] for f in ("yes", "partly", "no"))

    def follows_share(self, answer: str) -> float | None:
        return round(100 * self.follows[answer] / self.decided, 1) if self.decided else None


def build_figures(
    requests: Iterable[tuple[str, str]],
    turnarounds: Iterable[float],
    comparisons: Iterable[tuple[str, dict[str, str]] | tuple[str, dict[str, str], dict[str, str]]],
    decisions: Iterable[str],
) -> Figures:
    """requests: (kind, status); decisions: follows_advice; comparisons: (cancer type, {dimension: class
    counted}, and optionally {dimension: computed class}). The class counted is the one the signing
    clinician stated (the computed one where none was stated); where the computed classes are given,
    `agreement` says how often the stated class differs from them."""
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for kind, status in requests:
        by_kind[kind][status] += 1
    times = sorted(turnarounds)
    by_dimension = {d: ClassCounts() for d in DIMENSIONS}
    by_type: dict[str, dict[str, ClassCounts]] = defaultdict(lambda: {d: ClassCounts() for d in DIMENSIONS})
    agreement = {d: Agreement() for d in DIMENSIONS}
    for cancer_type, classes, *rest in comparisons:
        computed = rest[0] if rest else {}
        for dimension in DIMENSIONS:
            cls = classes.get(dimension, "not_comparable")
            by_dimension[dimension].counts[cls] += 1
            by_type[cancer_type][dimension].counts[cls] += 1
            if dimension in computed and dimension in classes:
                agreement[dimension].stated += 1
                agreement[dimension].differ += classes[dimension] != computed[dimension]
    return Figures(
        requests_by_kind_status=dict(by_kind),
        median_turnaround_days=round(statistics.median(times), 1) if times else None,
        completed=len(times),
        by_dimension=by_dimension,
        by_cancer_type=dict(sorted(by_type.items())),
        follows=Counter(decisions),
        agreement=agreement,
    )


def csv_rows(figures: Figures) -> list[list[str]]:
    rows = [["section", "group", "dimension_or_status", "class_or_answer", "count", "percent"]]
    for kind, statuses in sorted(figures.requests_by_kind_status.items()):
        for status, n in sorted(statuses.items()):
            rows.append(["requests", kind, status, "", str(n), ""])
    rows.append(
        [
            "turnaround",
            "median_business_days",
            "",
            "",
            str(figures.completed),
            "" if figures.median_turnaround_days is None else str(figures.median_turnaround_days),
        ]
    )
    groups = [("all", figures.by_dimension), *figures.by_cancer_type.items()]
    for group, dims in groups:
        for dimension, counts in dims.items():
            for cls in CLASSES:
                share = counts.share(cls) if cls != "not_comparable" else None
                rows.append(
                    [
                        "opinions",
                        group,
                        dimension,
                        cls,
                        str(counts.counts[cls]),
                        "" if share is None else str(share),
                    ]
                )
    for dimension, check in figures.agreement.items():
        rows.append(
            [
                "stated_vs_computed",
                "all",
                dimension,
                "differ",
                str(check.differ),
                "" if check.share is None else str(check.share),
            ]
        )
        rows.append(["stated_vs_computed", "all", dimension, "stated", str(check.stated), ""])
    for answer in FOLLOWS:
        share = figures.follows_share(answer) if answer != "undecided" else None
        rows.append(
            [
                "decisions",
                "all",
                "follows_advice",
                answer,
                str(figures.follows[answer]),
                "" if share is None else str(share),
            ]
        )
    return rows
