"""`secondopinion compare A.json B.json`, run as a subprocess: exit status and JSON on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from secondopinion.opinions.comparison import compare_opinions

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
SCRIPT = Path(sys.executable).with_name("secondopinion")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "secondopinion.cli"]


def run_compare(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, "compare", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def write(directory: Path, name: str, content: Any) -> str:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return str(path)


def test_examples_compare() -> None:
    first, second = EXAMPLES / "opinion-first.json", EXAMPLES / "opinion-second.json"
    done = run_compare(str(first), str(second))
    assert done.returncode == 0, done.stdout + done.stderr
    printed = json.loads(done.stdout)
    assert printed == compare_opinions(json.loads(first.read_text()), json.loads(second.read_text()))
    assert printed["diagnosis"] == {"class": "refined", "because": ["grade G2 → G3"]}
    assert printed["stage"]["class"] == "confirmed"
    assert printed["treatment"] == {
        "class": "changed",
        "because": ["primary modality surgery → chemotherapy"],
    }


DX = {"site": "C50.4", "histology": "8500/3"}
VALID_CASES = [
    (
        "every-class",
        {"diagnosis": DX, "stage": {"group": "IIA"}, "treatment": {"options": [{"modalities": ["surgery"]}]}},
        {
            "diagnosis": {**DX, "site": "C34.1"},
            "stage": {"group": "IIB"},
            "treatment": [{"modalities": ["surgery"], "rationale": "other words"}],
        },
        {"diagnosis": "changed", "stage": "refined", "treatment": "confirmed"},
    ),
    ("empty-objects", {}, {}, dict.fromkeys(("diagnosis", "stage", "treatment"), "not_comparable")),
    (
        "extra-fields-ignored",
        {"diagnosis": DX, "author": "Dr A", "signed": True},
        {"diagnosis": {**DX, "laterality": "left", "note": 1}},
        {"diagnosis": "refined", "stage": "not_comparable", "treatment": "not_comparable"},
    ),
]


@pytest.mark.parametrize(
    ("first", "second", "classes"), [c[1:] for c in VALID_CASES], ids=[c[0] for c in VALID_CASES]
)
def test_valid_pairs(tmp_path: Path, first: Any, second: Any, classes: dict[str, str]) -> None:
    done = run_compare(write(tmp_path, "a.json", first), write(tmp_path, "b.json", second))
    assert done.returncode == 0, done.stdout + done.stderr
    printed = json.loads(done.stdout)
    assert {dimension: printed[dimension]["class"] for dimension in printed} == classes
    assert all(isinstance(printed[d]["because"], list) and printed[d]["because"] for d in printed)


GOOD = {"diagnosis": DX}
ERROR_CASES: list[tuple[str, Any, Any, str, str]] = [
    ("first-not-json", '{"diagnosis": ', GOOD, "invalid_json", "opinion A ({a}): not valid JSON"),
    ("second-not-json", GOOD, "", "invalid_json", "opinion B ({b}): not valid JSON"),
    ("not-utf8", b"\xff\xfe{}", GOOD, "invalid_json", "opinion A ({a}): cannot read the file"),
    ("missing-file", GOOD, None, "invalid_json", "opinion B ({b}): cannot read the file"),
    ("top-level-array", [GOOD], GOOD, "invalid_opinion", "opinion A ({a}): the top level must be an object"),
    (
        "dimension-wrong-type",
        GOOD,
        {"stage": "IIA"},
        "invalid_opinion",
        "opinion B ({b}): stage: must be an object",
    ),
    (
        "malformed-site",
        {"diagnosis": {"site": "C5"}},
        GOOD,
        "invalid_opinion",
        "opinion A ({a}): diagnosis.site: 'C5' is not a valid code",
    ),
    (
        "malformed-histology",
        GOOD,
        {"diagnosis": {"histology": "85003"}},
        "invalid_opinion",
        "opinion B ({b}): diagnosis.histology: '85003' is not a valid code",
    ),
    (
        "unknown-modality",
        GOOD,
        {"treatment": {"options": [{"modalities": ["chemo"]}]}},
        "invalid_opinion",
        "opinion B ({b}): treatment.options[0].modalities[0]: 'chemo' is not one of",
    ),
    (
        "unknown-intent",
        GOOD,
        {"treatment": {"options": [{"modalities": ["surgery"], "intent": "cure"}]}},
        "invalid_opinion",
        "opinion B ({b}): treatment.options[0].intent: 'cure' is not one of",
    ),
    (
        "unknown-laterality",
        {"diagnosis": {"laterality": "both"}},
        GOOD,
        "invalid_opinion",
        "opinion A ({a}): diagnosis.laterality: 'both' is not one of left, right, bilateral",
    ),
    (
        "unknown-stage-type",
        GOOD,
        {"stage": {"type": "surgical"}},
        "invalid_opinion",
        "opinion B ({b}): stage.type: 'surgical' is not one of clinical, pathologic",
    ),
]


@pytest.mark.parametrize(
    ("first", "second", "code", "message"), [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES]
)
def test_invalid_input_exits_2_with_error_json(
    tmp_path: Path, first: Any, second: Any, code: str, message: str
) -> None:
    a = write(tmp_path, "a.json", first)
    b = str(tmp_path / "absent.json") if second is None else write(tmp_path, "b.json", second)
    done = run_compare(a, b)
    assert done.returncode == 2, done.stdout + done.stderr
    printed = json.loads(done.stdout)
    assert list(printed) == ["error"]
    assert printed["error"]["code"] == code
    assert printed["error"]["message"].startswith(message.format(a=a, b=b)), printed["error"]["message"]


def test_missing_argument_is_a_usage_error() -> None:
    done = run_compare(str(EXAMPLES / "opinion-first.json"))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "second" in done.stderr
