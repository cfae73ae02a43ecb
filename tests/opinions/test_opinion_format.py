"""Table-driven tests of the opinion format (docs/opinion-schema.md): parsing, normalisation and the
invalid-opinion table. Pure: no database."""

from __future__ import annotations

from typing import Any

import pytest

from secondopinion.opinions.comparison import OpinionFormatError, compare_opinions
from secondopinion.opinions.opinion_format import MODALITIES, parse_opinion
from tests.opinions.helpers import DX, opt, tx

# --- parsing: main categories and stage-group numerals ------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "text", "main"),
    [
        ("t", "T2a", "T2a", "T2"),
        ("t", "cT2", "cT2", "T2"),
        ("t", "pT2", "pT2", "T2"),
        ("t", "ypT2b", "ypT2b", "T2"),
        ("t", "t2", "T2", "T2"),
        ("t", "2a", "T2a", "T2"),
        ("t", "Tis", "Tis", "Tis"),
        ("t", "Tis (DCIS)", "Tis (DCIS)", "Tis"),
        ("t", "pTX", "pTX", "TX"),
        ("t", "T0", "T0", "T0"),
        ("t", "Ta", "Ta", "Ta"),
        ("t", "pT1mi", "pT1mi", "T1"),
        ("n", "N1mi", "N1mi", "N1"),
        ("n", "pN0(i+)", "pN0(i+)", "N0"),
        ("n", "cNX", "cNX", "NX"),
        ("n", "N3c", "N3c", "N3"),
        ("m", "M1b", "M1b", "M1"),
        ("m", "cM0(i+)", "cM0(i+)", "M0"),
    ],
)
def test_main_tnm_category(field: str, value: str, text: str, main: str) -> None:
    category = getattr(parse_opinion({"stage": {field: value}}).stage, field)
    assert (category.text, category.main) == (text, main)


@pytest.mark.parametrize(
    ("value", "text", "roman"),
    [
        ("IIA", "IIA", "II"),
        ("IIB", "IIB", "II"),
        ("IVB", "IVB", "IV"),
        ("IV", "IV", "IV"),
        ("IIIC1", "IIIC1", "III"),
        ("IA1", "IA1", "I"),
        ("0", "0", "0"),
        ("0is", "0is", "0"),
        ("Stage IIA", "IIA", "II"),
        ("stage iiia", "IIIA", "III"),
    ],
)
def test_stage_group_numeral(value: str, text: str, roman: str) -> None:
    group = parse_opinion({"stage": {"group": value}}).stage.group
    assert group is not None
    assert (group.text, group.roman) == (text, roman)


# --- invalid opinions ---------------------------------------------------------------------------------

INVALID: list[tuple[Any, str]] = [
    ([], ""),
    ("opinion", ""),
    (None, ""),
    ({"diagnosis": ["C50.4"]}, "diagnosis"),
    ({"stage": "IIA"}, "stage"),
    ({"treatment": 3}, "treatment"),
    ({"treatment": {"options": {"modalities": ["surgery"]}}}, "treatment.options"),
    ({"treatment": {"options": ["surgery"]}}, "treatment.options[0]"),
    ({"treatment": ["surgery"]}, "treatment[0]"),
    ({"diagnosis": {"site": "C5"}}, "diagnosis.site"),
    ({"diagnosis": {"site": "C50.44"}}, "diagnosis.site"),
    ({"diagnosis": {"site": "D50.4"}}, "diagnosis.site"),
    ({"diagnosis": {"site": 504}}, "diagnosis.site"),
    ({"diagnosis": {"histology": "85003"}}, "diagnosis.histology"),
    ({"diagnosis": {"histology": "8500/5"}}, "diagnosis.histology"),
    ({"diagnosis": {"histology": "850/3"}}, "diagnosis.histology"),
    ({"diagnosis": {"grade": 2.5}}, "diagnosis.grade"),
    ({"diagnosis": {"grade": True}}, "diagnosis.grade"),
    ({"diagnosis": {"laterality": "both"}}, "diagnosis.laterality"),
    ({"diagnosis": {"laterality": "Left"}}, "diagnosis.laterality"),
    ({"diagnosis": {"site_text": ["breast"]}}, "diagnosis.site_text"),
    ({"stage": {"type": "pathological"}}, "stage.type"),
    ({"stage": {"t": "T5"}}, "stage.t"),
    ({"stage": {"t": "N1"}}, "stage.t"),
    ({"stage": {"n": "N4"}}, "stage.n"),
    ({"stage": {"m": "M2"}}, "stage.m"),
    ({"stage": {"group": "2A"}}, "stage.group"),
    ({"stage": {"group": "V"}}, "stage.group"),
    ({"stage": {"system": 8}}, "stage.system"),
    ({"treatment": tx(opt("chemo"))}, "treatment.options[0].modalities[0]"),
    ({"treatment": tx(opt("surgery", "Radiation"))}, "treatment.options[0].modalities[1]"),
    ({"treatment": tx(opt())}, "treatment.options[0].modalities"),
    ({"treatment": tx({"intent": "curative"})}, "treatment.options[0].modalities"),
    ({"treatment": tx({"modalities": "surgery"})}, "treatment.options[0].modalities"),
    ({"treatment": tx(opt("surgery"), opt("surgery", intent="cure"))}, "treatment.options[1].intent"),
    ({"treatment": tx(opt("surgery", preferred="yes"))}, "treatment.options[0].preferred"),
    ({"treatment": tx(opt("surgery", rationale=1))}, "treatment.options[0].rationale"),
    ({"clinical_trials": [{"nct": "NCT123"}]}, "clinical_trials[0].nct"),
    ({"clinical_trials": {"nct": "NCT01234567"}}, "clinical_trials"),
    ({"answers": ["yes"]}, "answers[0]"),
    ({"answers": [{"question": "Why?", "answer": 42}]}, "answers[0].answer"),
    ({"summary_plain": 1}, "summary_plain"),
    ({"clinical_note": {"text": "x"}}, "clinical_note"),
]


@pytest.mark.parametrize(
    ("opinion", "field"), INVALID, ids=[f"{i}-{f or 'top'}" for i, (_, f) in enumerate(INVALID)]
)
@pytest.mark.parametrize("side", ["A", "B"])
def test_invalid_opinion_names_field_and_side(opinion: Any, field: str, side: str) -> None:
    valid: dict[str, Any] = {"diagnosis": DX}
    pair = (opinion, valid) if side == "A" else (valid, opinion)
    with pytest.raises(OpinionFormatError) as caught:
        compare_opinions(*pair)
    error = caught.value
    assert (error.code, error.side, error.field) == ("invalid_opinion", side, field)
    assert error.message.startswith(f"opinion {side}: {field}")


def test_error_message_names_the_allowed_values() -> None:
    with pytest.raises(OpinionFormatError) as caught:
        compare_opinions({}, {"treatment": tx(opt("surgery", intent="cure"))})
    assert caught.value.message == (
        "opinion B: treatment.options[0].intent: "
        "'cure' is not one of curative, life_prolonging, symptom_relief"
    )


def test_modalities_match_the_product_code_list() -> None:
    from secondopinion.core.codes import MODALITY_CODES

    assert MODALITY_CODES == MODALITIES
