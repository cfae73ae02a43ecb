"""Rows of the comparison table (docs/opinion-comparison.md) for the stage dimension; see
test_comparison_rules.py."""

from __future__ import annotations

from tests.opinions.helpers import ST, TNM, Case

NEEDS_STAGE = "needs a stage group, or all of T, N and M, on both sides"

STAGE_CASES: list[Case] = [
    # stage: changed
    (
        "st-group-numeral",
        "stage",
        ST,
        {**ST, "group": "IIIA"},
        "changed",
        ["stage group II → III (IIB → IIIA)"],
    ),
    (
        "st-group-numeral-iv",
        "stage",
        {"group": "IIIC"},
        {"group": "IVB"},
        "changed",
        ["stage group III → IV (IIIC → IVB)"],
    ),
    (
        "st-group-0-vs-i",
        "stage",
        {"group": "0is"},
        {"group": "IA"},
        "changed",
        ["stage group 0 → I (0is → IA)"],
    ),
    ("st-no-group-t", "stage", TNM, {**TNM, "t": "cT3"}, "changed", ["main T category T2 → T3 (cT2 → cT3)"]),
    (
        "st-no-group-n",
        "stage",
        TNM,
        {**TNM, "n": "pN2a"},
        "changed",
        ["main N category N1 → N2 (cN1 → pN2a)"],
    ),
    ("st-no-group-m", "stage", TNM, {**TNM, "m": "M1b"}, "changed", ["main M category M0 → M1 (cM0 → M1b)"]),
    (
        "st-one-side-has-group",
        "stage",
        ST,
        {**TNM, "t": "pT3"},
        "changed",
        ["main T category T2 → T3 (cT2 → pT3)"],
    ),
    (
        "st-tis-vs-t1",
        "stage",
        {**TNM, "t": "Tis"},
        {**TNM, "t": "T1mi"},
        "changed",
        ["main T category Tis → T1 (Tis → T1mi)"],
    ),
    ("st-tx-vs-t2", "stage", {**TNM, "t": "TX"}, TNM, "changed", ["main T category TX → T2 (TX → cT2)"]),
    # stage: refined
    ("st-group-letter", "stage", ST, {**ST, "group": "IIA"}, "refined", ["stage group IIB → IIA"]),
    (
        "st-group-wins-over-tnm",
        "stage",
        ST,
        {**ST, "t": "cT3", "n": "cN0"},
        "refined",
        ["T category cT2 → cT3", "N category cN1 → cN0"],
    ),
    ("st-t-subcategory", "stage", TNM, {**TNM, "t": "cT2b"}, "refined", ["T category cT2 → cT2b"]),
    ("st-n-mi", "stage", {**TNM, "n": "N1mi"}, {**TNM, "n": "N1a"}, "refined", ["N category N1mi → N1a"]),
    (
        "st-m-subcategory",
        "stage",
        {**TNM, "m": "M1a"},
        {**TNM, "m": "M1c"},
        "refined",
        ["M category M1a → M1c"],
    ),
    ("st-prefix", "stage", TNM, {**TNM, "t": "ypT2"}, "refined", ["T category cT2 → ypT2"]),
    ("st-prefix-one-side", "stage", {**ST, "t": "T2"}, ST, "refined", ["T category T2 → cT2"]),
    (
        "st-n-spaces-and-case",
        "stage",
        {**TNM, "n": "cN0 (i+)"},
        {**TNM, "n": "CN0(I+)"},
        "confirmed",
        ["T category cT2 matches", "N category cN0 (i+) matches cN0(I+)", "M category cM0 matches"],
    ),
    ("st-type", "stage", ST, {**ST, "type": "pathologic"}, "refined", ["stage type clinical → pathologic"]),
    (
        "st-type-one-side",
        "stage",
        ST,
        {**ST, "type": None},
        "refined",
        ["stage type only in the first opinion (clinical)"],
    ),
    (
        "st-group-vs-tnm-only",
        "stage",
        {"group": "IIB"},
        TNM,
        "refined",
        [
            "T category only in the second opinion (cT2)",
            "N category only in the second opinion (cN1)",
            "M category only in the second opinion (cM0)",
            "stage group only in the first opinion (IIB)",
        ],
    ),
    ("st-0is-vs-0", "stage", {"group": "0is"}, {"group": "Stage 0"}, "refined", ["stage group 0is → 0"]),
    # stage: confirmed
    (
        "st-identical",
        "stage",
        ST,
        dict(ST),
        "confirmed",
        [
            "stage group IIB matches",
            "T category cT2 matches",
            "N category cN1 matches",
            "M category cM0 matches",
            "stage type clinical matches",
        ],
    ),
    (
        "st-normalised",
        "stage",
        {"group": "Stage IIB", "t": "ct2"},
        {"group": "iib", "t": "cT2"},
        "confirmed",
        ["stage group IIB matches", "T category cT2 matches"],
    ),
    (
        "st-system-not-compared",
        "stage",
        {**ST, "system": "AJCC 7th"},
        {**ST, "system": "AJCC 8th"},
        "confirmed",
        [
            "stage group IIB matches",
            "T category cT2 matches",
            "N category cN1 matches",
            "M category cM0 matches",
            "stage type clinical matches",
        ],
    ),
    (
        "st-tnm-only",
        "stage",
        TNM,
        dict(TNM),
        "confirmed",
        ["T category cT2 matches", "N category cN1 matches", "M category cM0 matches"],
    ),
    # stage: not comparable
    (
        "st-incomplete-tnm",
        "stage",
        {"t": "T2", "n": "N1"},
        ST,
        "not_comparable",
        [NEEDS_STAGE, "the first opinion has no stage group and no M category"],
    ),
    (
        "st-missing-both",
        "stage",
        None,
        {"system": "AJCC 8th", "type": "clinical"},
        "not_comparable",
        [
            NEEDS_STAGE,
            "the first opinion has no stage group and no T or N or M category",
            "the second opinion has no stage group and no T or N or M category",
        ],
    ),
]
