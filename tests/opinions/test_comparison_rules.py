"""Table-driven tests of the opinion comparison rules (docs/opinion-comparison.md). Pure: no database.

The table's rows live, one module per dimension, in rule_cases_*.py."""

from __future__ import annotations

import json
from typing import Any

import pytest

from secondopinion.opinions.comparison import CLASSES, DIMENSIONS, compare_opinions
from tests.opinions.helpers import DX, EXAMPLES, ST, Case, opt, tx
from tests.opinions.rule_cases_diagnosis import DIAGNOSIS_CASES
from tests.opinions.rule_cases_procedure import PROCEDURE_CASES
from tests.opinions.rule_cases_stage import STAGE_CASES
from tests.opinions.rule_cases_treatment import TREATMENT_CASES

# --- the comparison table -----------------------------------------------------------------------------
# Each row: id, dimension, first part, second part, expected class, expected `because` (exact).
# A part is the value of that dimension's key ("diagnosis", "stage" or "treatment") in an opinion;
# None leaves the key out.

CASES: list[Case] = [*DIAGNOSIS_CASES, *STAGE_CASES, *TREATMENT_CASES, *PROCEDURE_CASES]


def _opinion(dimension: str, part: Any) -> dict[str, Any]:
    return {} if part is None else {dimension: part}


@pytest.mark.parametrize(
    ("dimension", "first", "second", "expected", "because"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_comparison_rules(dimension: str, first: Any, second: Any, expected: str, because: list[str]) -> None:
    result = compare_opinions(_opinion(dimension, first), _opinion(dimension, second))
    assert result[dimension] == {"class": expected, "because": because}


@pytest.mark.parametrize(("dimension", "first", "second"), [c[1:4] for c in CASES], ids=[c[0] for c in CASES])
def test_swapping_the_opinions_keeps_the_class(dimension: str, first: Any, second: Any) -> None:
    forward = compare_opinions(_opinion(dimension, first), _opinion(dimension, second))
    backward = compare_opinions(_opinion(dimension, second), _opinion(dimension, first))
    assert forward[dimension]["class"] == backward[dimension]["class"]


def test_table_is_large_and_covers_every_class_of_every_dimension() -> None:
    assert len(CASES) >= 30
    assert len({case[0] for case in CASES}) == len(CASES)
    covered = {(case[1], case[4]) for case in CASES}
    assert covered == {(dimension, cls) for dimension in DIMENSIONS for cls in CLASSES}


def test_result_shape_and_independent_dimensions() -> None:
    first = {"diagnosis": DX, "stage": ST, "treatment": tx(opt("surgery"))}
    second = {"diagnosis": {**DX, "site": "C34.1"}, "treatment": tx(opt("surgery"))}
    result = compare_opinions(first, second)
    assert list(result) == ["diagnosis", "stage", "treatment"]
    assert [result[d]["class"] for d in DIMENSIONS] == ["changed", "not_comparable", "confirmed"]
    json.dumps(result)  # plain JSON values only


def test_examples_compare_as_documented() -> None:
    first, second = (json.loads(path.read_text()) for path in EXAMPLES)
    result = compare_opinions(first, second)
    assert {d: result[d]["class"] for d in DIMENSIONS} == {
        "diagnosis": "refined",
        "stage": "confirmed",
        "treatment": "changed",
    }


def test_null_blank_and_extra_fields_count_as_missing_or_are_ignored() -> None:
    plain = {"diagnosis": {"site": "C50.4"}}
    noisy = {
        "diagnosis": {
            "site": "C50.4",
            "histology": "  ",
            "grade": "",
            "laterality": None,
            "icd10": "C50.412",
        },
        "stage": None,
        "treatment": None,
        "patient_name": "ignored",
    }
    assert compare_opinions(plain, noisy) == compare_opinions(plain, plain)
