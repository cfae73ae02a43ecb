"""Rows of the comparison table (docs/opinion-comparison.md) for treatment procedures and details; see
test_comparison_rules.py. The rows of rule_cases_treatment.py (modalities only) are unchanged."""

from __future__ import annotations

from tests.opinions.helpers import Case, opt, tx

MASTECTOMY = {"surgery": "mastectomy"}
LUMPECTOMY = {"surgery": "lumpectomy"}

PROCEDURE_CASES: list[Case] = [
    # changed: two different procedures of the same modality
    (
        "tx-mastectomy-to-lumpectomy-and-radiation",
        "treatment",
        tx(opt("surgery", procedures=MASTECTOMY)),
        tx(opt("surgery", "radiation", procedures=LUMPECTOMY)),
        "changed",
        ["surgery procedure mastectomy → lumpectomy"],
    ),
    (
        "tx-mastectomy-vs-lumpectomy",
        "treatment",
        tx(opt("surgery", "hormone_therapy", procedures=MASTECTOMY)),
        tx(opt("surgery", "hormone_therapy", procedures=LUMPECTOMY)),
        "changed",
        ["surgery procedure mastectomy → lumpectomy"],
    ),
    (
        "tx-reconstruction-is-another-procedure",
        "treatment",
        tx(opt("surgery", procedures=MASTECTOMY)),
        tx(opt("surgery", procedures={"surgery": "mastectomy_reconstruction"})),
        "changed",
        ["surgery procedure mastectomy → mastectomy_reconstruction"],
    ),
    (
        "tx-whole-vs-partial-radiation",
        "treatment",
        tx(opt("surgery", "radiation", procedures={**LUMPECTOMY, "radiation": "whole_organ"})),
        tx(opt("surgery", "radiation", procedures={**LUMPECTOMY, "radiation": "partial"})),
        "changed",
        ["radiation procedure whole_organ → partial"],
    ),
    (
        "tx-primary-modality-still-decides-first",
        "treatment",
        tx(opt("surgery", procedures=MASTECTOMY)),
        tx(opt("chemotherapy", "surgery", procedures=LUMPECTOMY)),
        "changed",
        ["primary modality surgery → chemotherapy"],
    ),
    # refined: a procedure given on one side only
    (
        "tx-procedure-one-side",
        "treatment",
        tx(opt("surgery")),
        tx(opt("surgery", procedures=LUMPECTOMY)),
        "refined",
        ["surgery procedure only in the second opinion (lumpectomy)"],
    ),
    (
        "tx-procedure-one-side-and-added-radiation",
        "treatment",
        tx(opt("surgery")),
        tx(opt("surgery", "radiation", procedures={**LUMPECTOMY, "radiation": "whole_organ"})),
        "refined",
        [
            "modalities of the primary option surgery → surgery, radiation",
            "surgery procedure only in the second opinion (lumpectomy)",
        ],
    ),
    # confirmed: the same procedure; details and a procedure of an unlisted modality change nothing
    (
        "tx-same-procedure",
        "treatment",
        tx(opt("surgery", "radiation", procedures=LUMPECTOMY, details={"surgery": "with sentinel nodes"})),
        tx(opt("surgery", "radiation", procedures=LUMPECTOMY, details={"radiation": "three weeks"})),
        "confirmed",
        [
            "primary modality surgery matches",
            "modalities of the primary option surgery, radiation match",
            "surgery procedure lumpectomy matches",
            "intent curative matches",
        ],
    ),
    (
        "tx-procedure-of-unlisted-modality-ignored",
        "treatment",
        tx(opt("surgery", procedures={"radiation": "partial"})),
        tx(opt("surgery")),
        "confirmed",
        [
            "primary modality surgery matches",
            "modalities of the primary option surgery match",
            "intent curative matches",
        ],
    ),
]
