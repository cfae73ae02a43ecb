"""Rows of the comparison table (docs/opinion-comparison.md) for the diagnosis dimension; see
test_comparison_rules.py."""

from __future__ import annotations

from tests.opinions.helpers import DX, Case

DX_CONFIRMED = [
    "site C50.4 matches",
    "histology 8500/3 matches",
    "grade 2 matches",
    "laterality left matches",
]
NEEDS_DX = "needs a site code or a histology code on both sides"

DIAGNOSIS_CASES: list[Case] = [
    # diagnosis: changed
    (
        "dx-topography-category",
        "diagnosis",
        DX,
        {**DX, "site": "C34.1"},
        "changed",
        ["topography category C50 → C34"],
    ),
    ("dx-morphology", "diagnosis", DX, {**DX, "histology": "8520/3"}, "changed", ["morphology 8500 → 8520"]),
    (
        "dx-behaviour",
        "diagnosis",
        DX,
        {**DX, "histology": "8500/2"},
        "changed",
        ["behaviour /3 (malignant) → /2 (in situ)"],
    ),
    (
        "dx-laterality-both-given",
        "diagnosis",
        DX,
        {**DX, "laterality": "right"},
        "changed",
        ["laterality left → right"],
    ),
    (
        "dx-laterality-bilateral",
        "diagnosis",
        DX,
        {**DX, "laterality": "bilateral"},
        "changed",
        ["laterality left → bilateral"],
    ),
    (
        "dx-changed-by-histology-alone",
        "diagnosis",
        {"histology": "8500/3"},
        {"histology": "8140/3"},
        "changed",
        ["morphology 8500 → 8140"],
    ),
    (
        "dx-several-changes-all-listed",
        "diagnosis",
        DX,
        {"site": "C34.1", "histology": "8140/3", "laterality": "right", "grade": "3"},
        "changed",
        ["topography category C50 → C34", "morphology 8500 → 8140", "laterality left → right"],
    ),
    (
        "dx-change-outranks-refinement",
        "diagnosis",
        DX,
        {**DX, "site": "C18.2", "grade": "3"},
        "changed",
        ["topography category C50 → C18"],
    ),
    # diagnosis: refined
    ("dx-subsite", "diagnosis", DX, {**DX, "site": "C50.2"}, "refined", ["subsite C50.4 → C50.2"]),
    (
        "dx-subsite-one-side",
        "diagnosis",
        {**DX, "site": "C50"},
        DX,
        "refined",
        ["subsite only in the second opinion (C50.4)"],
    ),
    ("dx-grade", "diagnosis", DX, {**DX, "grade": "3"}, "refined", ["grade 2 → 3"]),
    (
        "dx-grade-one-side",
        "diagnosis",
        {**DX, "grade": None},
        DX,
        "refined",
        ["grade only in the second opinion (2)"],
    ),
    (
        "dx-laterality-one-side",
        "diagnosis",
        DX,
        {**DX, "laterality": None},
        "refined",
        ["laterality only in the first opinion (left)"],
    ),
    (
        "dx-histology-one-side",
        "diagnosis",
        {"site": "C50.4"},
        {"site": "C50.4", "histology": "8500/3"},
        "refined",
        ["histology only in the second opinion (8500/3)"],
    ),
    (
        "dx-site-one-side",
        "diagnosis",
        {"site": "C50.4", "histology": "8500/3"},
        {"histology": "8500/3"},
        "refined",
        ["site only in the first opinion (C50.4)"],
    ),
    (
        "dx-subsite-and-grade",
        "diagnosis",
        DX,
        {**DX, "site": "C50.9", "grade": "G3"},
        "refined",
        ["subsite C50.4 → C50.9", "grade 2 → G3"],
    ),
    # diagnosis: confirmed
    ("dx-identical", "diagnosis", DX, dict(DX), "confirmed", DX_CONFIRMED),
    (
        "dx-codes-normalised",
        "diagnosis",
        DX,
        {**DX, "site": " c504 ", "histology": "8500/3 "},
        "confirmed",
        DX_CONFIRMED,
    ),
    (
        "dx-grade-spellings",
        "diagnosis",
        {**DX, "grade": "G2"},
        {**DX, "grade": "Grade 2"},
        "confirmed",
        [
            "site C50.4 matches",
            "histology 8500/3 matches",
            "grade G2 matches Grade 2",
            "laterality left matches",
        ],
    ),
    ("dx-integer-grade", "diagnosis", {**DX, "grade": 2}, DX, "confirmed", DX_CONFIRMED),
    (
        "dx-texts-never-change-class",
        "diagnosis",
        {**DX, "site_text": "left breast", "histology_text": "ductal carcinoma"},
        {**DX, "site_text": "lung", "histology_text": "adenocarcinoma"},
        "confirmed",
        DX_CONFIRMED,
    ),
    (
        "dx-no-laterality-either-side",
        "diagnosis",
        {"site": "C18.2"},
        {"site": "C18.2", "laterality": None},
        "confirmed",
        ["site C18.2 matches"],
    ),
    # diagnosis: not comparable
    (
        "dx-texts-only",
        "diagnosis",
        {"site_text": "breast"},
        {"site_text": "breast"},
        "not_comparable",
        [NEEDS_DX, "site code missing from both opinions", "histology code missing from both opinions"],
    ),
    (
        "dx-no-common-code",
        "diagnosis",
        {"site": "C50.4"},
        {"histology": "8500/3"},
        "not_comparable",
        [
            NEEDS_DX,
            "site code missing from the second opinion",
            "histology code missing from the first opinion",
        ],
    ),
    (
        "dx-missing-one-side",
        "diagnosis",
        DX,
        None,
        "not_comparable",
        [
            NEEDS_DX,
            "site code missing from the second opinion",
            "histology code missing from the second opinion",
        ],
    ),
]
