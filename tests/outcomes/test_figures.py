"""The outcome figures, from plain rows (pure functions)."""

from __future__ import annotations

from secondopinion.outcomes.figures import build_figures, csv_rows

REQUESTS = [("independent_specialist", "completed")] * 3 + [
    ("pathology_review", "completed"),
    ("pathology_review", "in-progress"),
]
COMPARISONS = [
    ("Breast cancer (female)", {"diagnosis": "confirmed", "stage": "refined", "treatment": "changed"}),
    ("Breast cancer (female)", {"diagnosis": "changed", "stage": "not_comparable", "treatment": "confirmed"}),
    ("Lung cancer", {"diagnosis": "refined", "stage": "confirmed", "treatment": "changed"}),
    ("Lung cancer", {}),  # no first opinion to compare with
]


def figures():
    return build_figures(REQUESTS, [4.0, 2.5, 7.0, 3.0], COMPARISONS, ["yes", "yes", "no", "undecided"])


def test_requests_by_kind_and_status() -> None:
    f = figures()
    assert f.requests_by_kind_status["independent_specialist"]["completed"] == 3
    assert f.requests_by_kind_status["pathology_review"] == {"completed": 1, "in-progress": 1}


def test_median_turnaround_of_completed_requests() -> None:
    f = figures()
    assert (f.median_turnaround_days, f.completed) == (3.5, 4)
    assert build_figures([], [], [], []).median_turnaround_days is None


def test_shares_are_of_comparable_opinions_only() -> None:
    f = figures()
    diagnosis = f.by_dimension["diagnosis"]
    assert diagnosis.comparable == 3 and diagnosis.counts["not_comparable"] == 1
    assert (diagnosis.share("confirmed"), diagnosis.share("refined"), diagnosis.share("changed")) == (
        33.3,
        33.3,
        33.3,
    )
    assert f.by_dimension["treatment"].share("changed") == 66.7
    assert f.by_dimension["stage"].comparable == 2


def test_by_cancer_type() -> None:
    f = figures()
    assert list(f.by_cancer_type) == ["Breast cancer (female)", "Lung cancer"]
    assert f.by_cancer_type["Lung cancer"]["treatment"].counts["changed"] == 1
    assert f.by_cancer_type["Lung cancer"]["treatment"].counts["not_comparable"] == 1


def test_advice_followed_among_those_who_decided() -> None:
    f = figures()
    assert f.decided == 3
    assert (f.follows_share("yes"), f.follows_share("no")) == (66.7, 33.3)


def test_csv_has_a_header_and_every_section() -> None:
    rows = csv_rows(figures())
    assert rows[0] == ["section", "group", "dimension_or_status", "class_or_answer", "count", "percent"]
    sections = {r[0] for r in rows[1:]}
    assert sections == {"requests", "turnaround", "opinions", "stated_vs_computed", "decisions"}
    assert ["opinions", "all", "treatment", "changed", "2", "66.7"] in rows
    assert ["turnaround", "median_business_days", "", "", "4", "3.5"] in rows
