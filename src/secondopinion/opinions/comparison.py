"""Compare two structured opinions, dimension by dimension (pure logic, no database).

`compare_opinions(first, second)` takes two decoded opinions (see docs/opinion-schema.md) and returns::

    {"diagnosis": {"class": ..., "because": [...]}, "stage": {...}, "treatment": {...}}

where each class is one of `CLASSES`. The rules are documented in docs/opinion-comparison.md. In
`because`, "X → Y" reads "first opinion → second opinion"; only the reasons that decide the class are
listed (for `confirmed`, what matched; for `not_comparable`, what was missing). Texts (site_text,
histology_text, rationale) never change a class.
"""

from __future__ import annotations

from typing import Any

from secondopinion.opinions.opinion_format import (
    PROCEDURES,
    Category,
    Diagnosis,
    Opinion,
    OpinionFormatError,
    Stage,
    TreatmentOption,
    parse_opinion,
)

__all__ = ["CLASSES", "DIMENSIONS", "OpinionFormatError", "compare_opinions"]

CONFIRMED = "confirmed"
REFINED = "refined"
CHANGED = "changed"
NOT_COMPARABLE = "not_comparable"
CLASSES: tuple[str, ...] = (CONFIRMED, REFINED, CHANGED, NOT_COMPARABLE)
DIMENSIONS: tuple[str, ...] = ("diagnosis", "stage", "treatment")

BEHAVIOURS = {
    "0": "benign",
    "1": "uncertain whether benign or malignant",
    "2": "in situ",
    "3": "malignant",
    "6": "metastatic",
    "9": "malignant, primary or metastatic uncertain",
}


def compare_opinions(first: Any, second: Any) -> dict[str, dict[str, Any]]:
    """Classify each dimension of `second` against `first`. Raises OpinionFormatError (side "A" or "B")."""
    parsed: list[Opinion] = []
    for side, data in (("A", first), ("B", second)):
        try:
            parsed.append(parse_opinion(data))
        except OpinionFormatError as error:
            raise error.for_side(side) from None
    a, b = parsed
    return {
        "diagnosis": compare_diagnosis(a.diagnosis, b.diagnosis),
        "stage": compare_stage(a.stage, b.stage),
        "treatment": compare_treatment(a.options, b.options),
    }


def _result(cls: str, because: list[str]) -> dict[str, Any]:
    return {"class": cls, "because": because}


def _one_side(name: str, first: str | None, second: str | None) -> str | None:
    """The reason when a field is given on one side only, else None."""
    if first is not None and second is None:
        return f"{name} only in the first opinion ({first})"
    if first is None and second is not None:
        return f"{name} only in the second opinion ({second})"
    return None


def _shown(value: Any, attribute: str) -> str | None:
    """The text to show for an optional parsed value (its `code` or `text` attribute)."""
    return None if value is None else str(getattr(value, attribute))


def _missing(name: str, first: object, second: object) -> str:
    if first is None and second is None:
        return f"{name} missing from both opinions"
    return f"{name} missing from the {'first' if first is None else 'second'} opinion"


def _matches(name: str, first: str, second: str, verb: str = "matches") -> str:
    return f"{name} {first} {verb}" if first == second else f"{name} {first} {verb} {second}"


# --- diagnosis ----------------------------------------------------------------------------------------


def compare_diagnosis(a: Diagnosis, b: Diagnosis) -> dict[str, Any]:
    if not ((a.site and b.site) or (a.histology and b.histology)):
        return _result(
            NOT_COMPARABLE,
            [
                "needs a site code or a histology code on both sides",
                _missing("site code", a.site, b.site),
                _missing("histology code", a.histology, b.histology),
            ],
        )

    changed: list[str] = []
    if a.site and b.site and a.site.category != b.site.category:
        changed.append(f"topography category {a.site.category} → {b.site.category}")
    if a.histology and b.histology:
        if a.histology.morphology != b.histology.morphology:
            changed.append(f"morphology {a.histology.morphology} → {b.histology.morphology}")
        if a.histology.behaviour != b.histology.behaviour:
            before, after = a.histology.behaviour, b.histology.behaviour
            changed.append(f"behaviour /{before} ({BEHAVIOURS[before]}) → /{after} ({BEHAVIOURS[after]})")
    if a.laterality and b.laterality and a.laterality != b.laterality:
        changed.append(f"laterality {a.laterality} → {b.laterality}")
    if changed:
        return _result(CHANGED, changed)

    refined: list[str | None] = []
    if a.site and b.site and a.site.subsite != b.site.subsite:
        if a.site.subsite and b.site.subsite:
            refined.append(f"subsite {a.site.code} → {b.site.code}")
        else:  # "C50" against "C50.4": the subsite is given on one side only
            first_code = a.site.code if a.site.subsite else None
            second_code = b.site.code if b.site.subsite else None
            refined.append(_one_side("subsite", first_code, second_code))
    if a.grade and b.grade and a.grade.key != b.grade.key:
        refined.append(f"grade {a.grade.text} → {b.grade.text}")
    refined += [
        _one_side("site", _shown(a.site, "code"), _shown(b.site, "code")),
        _one_side("histology", _shown(a.histology, "code"), _shown(b.histology, "code")),
        _one_side("grade", _shown(a.grade, "text"), _shown(b.grade, "text")),
        _one_side("laterality", a.laterality, b.laterality),
    ]
    if reasons := [reason for reason in refined if reason]:
        return _result(REFINED, reasons)

    confirmed: list[str] = []
    if a.site and b.site:
        confirmed.append(_matches("site", a.site.code, b.site.code))
    if a.histology and b.histology:
        confirmed.append(_matches("histology", a.histology.code, b.histology.code))
    if a.grade and b.grade:
        confirmed.append(_matches("grade", a.grade.text, b.grade.text))
    if a.laterality and b.laterality:
        confirmed.append(_matches("laterality", a.laterality, b.laterality))
    return _result(CONFIRMED, confirmed)


# --- stage --------------------------------------------------------------------------------------------

_LETTERS = (("t", "T"), ("n", "N"), ("m", "M"))


def _stage_gap(stage: Stage, side: str) -> str | None:
    """Why a side's stage cannot be compared (no group and not all of T, N, M), else None."""
    if stage.group:
        return None
    absent = [letter for field, letter in _LETTERS if getattr(stage, field) is None]
    if not absent:
        return None
    return f"the {side} opinion has no stage group and no {' or '.join(absent)} category"


def compare_stage(a: Stage, b: Stage) -> dict[str, Any]:
    gaps = [gap for gap in (_stage_gap(a, "first"), _stage_gap(b, "second")) if gap]
    if gaps:
        return _result(NOT_COMPARABLE, ["needs a stage group, or all of T, N and M, on both sides", *gaps])

    changed: list[str] = []
    if a.group and b.group:
        if a.group.roman != b.group.roman:
            changed.append(f"stage group {a.group.roman} → {b.group.roman} ({a.group.text} → {b.group.text})")
    else:
        for field, letter in _LETTERS:
            before: Category | None = getattr(a, field)
            after: Category | None = getattr(b, field)
            if before and after and before.main != after.main:
                changed.append(
                    f"main {letter} category {before.main} → {after.main} ({before.text} → {after.text})"
                )
    if changed:
        return _result(CHANGED, changed)

    refined: list[str] = []
    for field, letter in _LETTERS:
        before, after = getattr(a, field), getattr(b, field)
        if before and after and before.key != after.key:
            refined.append(f"{letter} category {before.text} → {after.text}")
        elif reason := _one_side(f"{letter} category", _shown(before, "text"), _shown(after, "text")):
            refined.append(reason)
    if a.group and b.group and a.group.text != b.group.text:
        refined.append(f"stage group {a.group.text} → {b.group.text}")
    elif reason := _one_side("stage group", _shown(a.group, "text"), _shown(b.group, "text")):
        refined.append(reason)
    if a.type and b.type and a.type != b.type:
        refined.append(f"stage type {a.type} → {b.type}")
    elif reason := _one_side("stage type", a.type, b.type):
        refined.append(reason)
    if refined:
        return _result(REFINED, refined)

    confirmed: list[str] = []
    if a.group and b.group:
        confirmed.append(_matches("stage group", a.group.text, b.group.text))
    for field, letter in _LETTERS:
        before, after = getattr(a, field), getattr(b, field)
        if before and after:
            confirmed.append(_matches(f"{letter} category", before.text, after.text))
    if a.type and b.type:
        confirmed.append(_matches("stage type", a.type, b.type))
    return _result(CONFIRMED, confirmed)


# --- treatment ----------------------------------------------------------------------------------------


def primary_option(options: tuple[TreatmentOption, ...]) -> TreatmentOption | None:
    """The first option marked preferred, else the first option; None when there is no option."""
    return next((option for option in options if option.preferred), options[0] if options else None)


def compare_treatment(
    first_options: tuple[TreatmentOption, ...], second_options: tuple[TreatmentOption, ...]
) -> dict[str, Any]:
    a, b = primary_option(first_options), primary_option(second_options)
    if a is None or b is None:
        sides = (("first", a), ("second", b))
        missing = [f"no treatment option in the {side} opinion" for side, option in sides if option is None]
        return _result(NOT_COMPARABLE, ["needs a treatment option on both sides", *missing])

    if a.modalities[0] != b.modalities[0]:
        return _result(CHANGED, [f"primary modality {a.modalities[0]} → {b.modalities[0]}"])
    # Procedures count for the modalities both primary options give (an added modality is a refinement).
    shared = [m for m in PROCEDURES if m in a.modalities and m in b.modalities]
    changed = [
        f"{m} procedure {a.procedure(m)} → {b.procedure(m)}"
        for m in shared
        if a.procedure(m) and b.procedure(m) and a.procedure(m) != b.procedure(m)
    ]
    if changed:
        return _result(CHANGED, changed)

    refined: list[str] = []
    if set(a.modalities) != set(b.modalities):
        refined.append(
            f"modalities of the primary option {', '.join(a.modalities)} → {', '.join(b.modalities)}"
        )
    for m in shared:
        if reason := _one_side(f"{m} procedure", a.procedure(m), b.procedure(m)):
            refined.append(reason)
    if a.intent and b.intent and a.intent != b.intent:
        refined.append(f"intent {a.intent} → {b.intent}")
    elif reason := _one_side("intent", a.intent, b.intent):
        refined.append(reason)
    if refined:
        return _result(REFINED, refined)

    first_set, second_set = ", ".join(a.modalities), ", ".join(b.modalities)
    confirmed = [
        f"primary modality {a.modalities[0]} matches",
        _matches("modalities of the primary option", first_set, second_set, "match"),
    ]
    confirmed += [f"{m} procedure {a.procedure(m)} matches" for m in shared if a.procedure(m)]
    if a.intent and b.intent:
        confirmed.append(_matches("intent", a.intent, b.intent))
    return _result(CONFIRMED, confirmed)
