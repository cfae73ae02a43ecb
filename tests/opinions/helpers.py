"""Shared fixtures-as-values for the opinion tests: paths to the documented examples and small builders of
opinion parts. A plain module (not collected by pytest), imported as ``tests.opinions.helpers``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [ROOT / "docs/examples/opinion-first.json", ROOT / "docs/examples/opinion-second.json"]

DX = {"site": "C50.4", "histology": "8500/3", "grade": "2", "laterality": "left"}
ST = {"type": "clinical", "t": "cT2", "n": "cN1", "m": "cM0", "group": "IIB"}
TNM = {"t": "cT2", "n": "cN1", "m": "cM0"}

# A row of the comparison table: id, dimension, first part, second part, expected class, expected `because`.
Case = tuple[str, str, Any, Any, str, list[str]]


def opt(*modalities: str, intent: str | None = "curative", **extra: Any) -> dict[str, Any]:
    option: dict[str, Any] = {"modalities": list(modalities), **extra}
    if intent is not None:
        option["intent"] = intent
    return option


def tx(*options: dict[str, Any]) -> dict[str, Any]:
    return {"options": list(options)}
