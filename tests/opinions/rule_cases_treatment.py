"""Rows of the comparison table (docs/opinion-comparison.md) for the treatment dimension; see
test_comparison_rules.py."""

from __future__ import annotations

from tests.opinions.helpers import Case, opt, tx

TREATMENT_CASES: list[Case] = [
    # treatment: changed
    (
        "tx-primary-modality",
        "treatment",
        tx(opt("surgery")),
        tx(opt("chemotherapy")),
        "changed",
        ["primary modality surgery → chemotherapy"],
    ),
    (
        "tx-first-option-without-preferred",
        "treatment",
        tx(opt("surgery"), opt("radiation")),
        tx(opt("radiation"), opt("surgery")),
        "changed",
        ["primary modality surgery → radiation"],
    ),
    (
        "tx-preferred-decides",
        "treatment",
        tx(opt("surgery"), opt("radiation", preferred=True)),
        tx(opt("surgery", preferred=True), opt("radiation")),
        "changed",
        ["primary modality radiation → surgery"],
    ),
    (
        "tx-first-modality-order",
        "treatment",
        tx(opt("surgery", "chemotherapy")),
        tx(opt("chemotherapy", "surgery")),
        "changed",
        ["primary modality surgery → chemotherapy"],
    ),
    # treatment: refined
    (
        "tx-modality-set",
        "treatment",
        tx(opt("surgery", "radiation")),
        tx(opt("surgery")),
        "refined",
        ["modalities of the primary option surgery, radiation → surgery"],
    ),
    (
        "tx-intent",
        "treatment",
        tx(opt("chemotherapy")),
        tx(opt("chemotherapy", intent="life_prolonging")),
        "refined",
        ["intent curative → life_prolonging"],
    ),
    (
        "tx-intent-one-side",
        "treatment",
        tx(opt("radiation", intent=None)),
        tx(opt("radiation", intent="symptom_relief")),
        "refined",
        ["intent only in the second opinion (symptom_relief)"],
    ),
    (
        "tx-set-and-intent",
        "treatment",
        tx(opt("surgery")),
        tx(opt("surgery", "radiation", intent=None)),
        "refined",
        [
            "modalities of the primary option surgery → surgery, radiation",
            "intent only in the first opinion (curative)",
        ],
    ),
    # treatment: confirmed
    (
        "tx-identical",
        "treatment",
        tx(opt("surgery", "radiation")),
        tx(opt("surgery", "radiation")),
        "confirmed",
        [
            "primary modality surgery matches",
            "modalities of the primary option surgery, radiation match",
            "intent curative matches",
        ],
    ),
    (
        "tx-later-modalities-reordered",
        "treatment",
        tx(opt("surgery", "radiation", "hormone_therapy")),
        tx(opt("surgery", "hormone_therapy", "radiation")),
        "confirmed",
        [
            "primary modality surgery matches",
            "modalities of the primary option surgery, radiation, hormone_therapy match "
            "surgery, hormone_therapy, radiation",
            "intent curative matches",
        ],
    ),
    (
        "tx-rationale-never-changes-class",
        "treatment",
        tx(opt("surgery", rationale="cut it out")),
        tx(opt("surgery", rationale="a completely different reason")),
        "confirmed",
        [
            "primary modality surgery matches",
            "modalities of the primary option surgery match",
            "intent curative matches",
        ],
    ),
    (
        "tx-other-options-ignored",
        "treatment",
        tx(opt("surgery"), opt("chemotherapy")),
        tx(opt("active_surveillance"), opt("surgery", preferred=True), opt("immunotherapy", preferred=True)),
        "confirmed",
        [
            "primary modality surgery matches",
            "modalities of the primary option surgery match",
            "intent curative matches",
        ],
    ),
    (
        "tx-bare-list-accepted",
        "treatment",
        [opt("surgery")],
        tx(opt("surgery")),
        "confirmed",
        [
            "primary modality surgery matches",
            "modalities of the primary option surgery match",
            "intent curative matches",
        ],
    ),
    (
        "tx-no-intent-either-side",
        "treatment",
        tx(opt("other", intent=None)),
        tx(opt("other", intent=None)),
        "confirmed",
        ["primary modality other matches", "modalities of the primary option other match"],
    ),
    # treatment: not comparable
    (
        "tx-missing-second",
        "treatment",
        tx(opt("surgery")),
        None,
        "not_comparable",
        ["needs a treatment option on both sides", "no treatment option in the second opinion"],
    ),
    (
        "tx-empty-options",
        "treatment",
        tx(),
        {"options": None},
        "not_comparable",
        [
            "needs a treatment option on both sides",
            "no treatment option in the first opinion",
            "no treatment option in the second opinion",
        ],
    ),
]
