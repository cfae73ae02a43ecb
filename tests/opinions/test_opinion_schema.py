"""The JSON Schema (src/secondopinion/opinions/schema/opinion.schema.json, docs/opinion-schema.md) and the
opinion validator agree. Pure: no database."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from secondopinion.opinions.comparison import OpinionFormatError
from secondopinion.opinions.opinion_format import (
    FIELDS,
    GROUP_PATTERN,
    INTENTS,
    LATERALITIES,
    M_PATTERN,
    MODALITIES,
    MORPHOLOGY_PATTERN,
    N_PATTERN,
    NCT_PATTERN,
    PROCEDURES,
    STAGE_TYPES,
    T_PATTERN,
    TOPOGRAPHY_PATTERN,
    parse_opinion,
)
from tests.opinions.helpers import EXAMPLES, ROOT

SCHEMA_PATH = ROOT / "src/secondopinion/opinions/schema/opinion.schema.json"

# --- the JSON Schema and the validator agree ----------------------------------------------------------
# A small evaluator for the keywords the schema uses checks the examples and each sample value (the examples
# are also checked with jsonschema itself); a test makes sure the schema uses no keyword the evaluator would
# silently skip.

SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text())
ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description", "examples"}
ASSERTIONS = {"type", "properties", "items", "enum", "pattern", "minItems", "required", "$ref"}
JSON_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        return dict(SCHEMA["$defs"][name])
    return node


def _type_ok(value: Any, name: str) -> bool:
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, JSON_TYPES[name])


def schema_errors(value: Any, node: dict[str, Any] | None = None, path: str = "") -> list[str]:
    node = _resolve(SCHEMA if node is None else node)
    types = node.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        if not any(_type_ok(value, name) for name in types):
            return [f"{path}: type"]
    errors = []
    if "enum" in node and value not in node["enum"]:
        errors.append(f"{path}: enum")
    if "pattern" in node and isinstance(value, str) and not re.search(node["pattern"], value):
        errors.append(f"{path}: pattern")
    if isinstance(value, list):
        if len(value) < node.get("minItems", 0):
            errors.append(f"{path}: minItems")
        for index, item in enumerate(value):
            if "items" in node:
                errors += schema_errors(item, node["items"], f"{path}[{index}]")
    if isinstance(value, dict):
        errors += [f"{path}.{key}: required" for key in node.get("required", ()) if key not in value]
        for key, sub in node.get("properties", {}).items():
            if key in value:
                errors += schema_errors(value[key], sub, f"{path}.{key}" if path else key)
    return errors


def _walk(node: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every property and array-item node of the schema with its path ("a.b[].c")."""
    found = []
    node = _resolve(node)
    for name, sub in node.get("properties", {}).items():
        child = f"{path}.{name}" if path else name
        found += [(child, _resolve(sub)), *_walk(sub, child)]
    if "items" in node:
        found += [(f"{path}[]", _resolve(node["items"])), *_walk(node["items"], f"{path}[]")]
    return found


NODES = _walk(SCHEMA)
SKELETON = {"treatment.options[]": {"modalities": ["surgery"]}}


def _build(path: str, value: Any) -> Any:
    """The smallest opinion holding `value` at `path`."""

    def place(tokens: list[str], prefix: str) -> dict[str, Any]:
        token, rest = tokens[0], tokens[1:]
        key, is_list = token.removesuffix("[]"), token.endswith("[]")
        here = f"{prefix}.{token}" if prefix else token
        inner = place(rest, here) if rest else value
        if is_list:
            item = {**SKELETON.get(here, {}), **inner} if rest else inner
            return {key: [item]}
        return {key: inner}

    return place(path.split("."), "")  # "treatment.options[].intent" -> treatment, options[], intent


def _field(path: str) -> str:
    return path.replace("[]", "[0]")


def test_schema_uses_only_keywords_the_evaluator_checks() -> None:
    def keywords(node: Any) -> set[str]:
        if isinstance(node, list):
            return set().union(*(keywords(item) for item in node)) if node else set()
        if not isinstance(node, dict):
            return set()
        found = set(node)
        for key, sub in node.items():
            if key in {"properties", "$defs"}:
                found |= set().union(*(keywords(s) for s in sub.values()))
            elif key == "items":
                found |= keywords(sub)
        return found

    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert keywords(SCHEMA) <= ANNOTATIONS | ASSERTIONS


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_are_valid(path: Path) -> None:
    example = json.loads(path.read_text())
    assert schema_errors(example) == []
    parse_opinion(example)
    assert set(example) == set(FIELDS[""])  # the examples show every part of the format


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_with_jsonschema(path: Path) -> None:
    import jsonschema

    jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(path.read_text()))


def test_schema_properties_are_the_validator_fields() -> None:
    objects = {"": set(SCHEMA["properties"])}
    objects |= {path: set(node["properties"]) for path, node in NODES if "properties" in node}
    assert objects == {path: set(fields) for path, fields in FIELDS.items()}


def test_schema_enums_and_patterns_are_the_validator_constants() -> None:
    nodes = dict(NODES)
    assert nodes["diagnosis.laterality"]["enum"] == [*LATERALITIES, None]
    assert nodes["stage.type"]["enum"] == [*STAGE_TYPES, None]
    assert nodes["treatment.options[].intent"]["enum"] == [*INTENTS, None]
    assert nodes["treatment.options[].modalities[]"]["enum"] == list(MODALITIES)
    for modality, procedures in PROCEDURES.items():
        assert nodes[f"treatment.options[].procedures.{modality}"]["enum"] == [*procedures, None]
    patterns = {path: node["pattern"] for path, node in NODES if "pattern" in node}
    assert patterns == {
        "diagnosis.site": TOPOGRAPHY_PATTERN,
        "diagnosis.histology": MORPHOLOGY_PATTERN,
        "stage.t": T_PATTERN,
        "stage.n": N_PATTERN,
        "stage.m": M_PATTERN,
        "stage.group": GROUP_PATTERN,
        "clinical_trials[].nct": NCT_PATTERN,
    }


WRONG_TYPED = {"number": 7.5, "boolean": True, "object": {"x": 1}, "array": ["x"], "string": "x"}
TYPE_CASES = [
    (path, name, value)
    for path, node in NODES
    for name, value in WRONG_TYPED.items()
    if not any(_type_ok(value, allowed) for allowed in node["type"] if isinstance(node["type"], list))
    and not (isinstance(node["type"], str) and _type_ok(value, node["type"]))
    and not (path == "treatment" and name == "array")  # documented leniency: a bare list of options
]


@pytest.mark.parametrize(("path", "name", "value"), TYPE_CASES, ids=[f"{p}-{n}" for p, n, _ in TYPE_CASES])
def test_every_schema_property_is_type_checked_by_the_validator(path: str, name: str, value: Any) -> None:
    opinion = _build(path, value)
    assert schema_errors(opinion) != []
    with pytest.raises(OpinionFormatError) as caught:
        parse_opinion(opinion)
    assert caught.value.field == _field(path)


def _samples(node: dict[str, Any]) -> list[Any]:
    types = node["type"] if isinstance(node["type"], list) else [node["type"]]
    samples = [*node.get("examples", ()), *(v for v in node.get("enum", ()) if v is not None)]
    if "string" in types and not samples:
        samples.append("some words")
    samples += [
        {"integer": 3, "boolean": True, "null": None}[t] for t in types if t in {"integer", "boolean", "null"}
    ]
    return samples


SAMPLE_CASES = [(path, value) for path, node in NODES if "properties" not in node for value in _samples(node)]


@pytest.mark.parametrize(("path", "value"), SAMPLE_CASES, ids=[f"{p}={v!r}" for p, v in SAMPLE_CASES])
def test_what_the_schema_accepts_the_validator_accepts(path: str, value: Any) -> None:
    opinion = _build(path, value)
    assert schema_errors(opinion) == []
    parse_opinion(opinion)


CODE_CASES = [
    ("diagnosis.site", "C50.4", True),
    ("diagnosis.site", "c504", True),
    ("diagnosis.site", "C50", True),
    ("diagnosis.site", "C5", False),
    ("diagnosis.site", "C50.", False),
    ("diagnosis.histology", "8500/3", True),
    ("diagnosis.histology", "85003", False),
    ("diagnosis.histology", "8500/4", False),
    ("stage.t", "ypT1mi", True),
    ("stage.t", "Tis(DCIS)", True),
    ("stage.t", "T2(m)", True),
    ("stage.t", "T5", False),
    ("stage.t", "xT2", False),
    ("stage.n", "pN0(i+)", True),
    ("stage.n", "N1mi", True),
    ("stage.n", "N4", False),
    ("stage.m", "M1c", True),
    ("stage.m", "M1e", False),
    ("stage.group", "IIIC1", True),
    ("stage.group", "0is", True),
    ("stage.group", "IIII", False),
    ("stage.group", "2B", False),
    ("clinical_trials[].nct", "NCT01234567", True),
    ("clinical_trials[].nct", "NCT0123456", False),
]


@pytest.mark.parametrize(("path", "value", "valid"), CODE_CASES, ids=[f"{p}={v}" for p, v, _ in CODE_CASES])
def test_schema_and_validator_agree_on_codes(path: str, value: str, valid: bool) -> None:
    opinion = _build(path, value)
    assert (schema_errors(opinion) == []) is valid
    if valid:
        parse_opinion(opinion)
    else:
        with pytest.raises(OpinionFormatError) as caught:
            parse_opinion(opinion)
        assert caught.value.field == _field(path)
