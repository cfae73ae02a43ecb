"""The companion profiles file (`FILE.profiles.csv` from `directory synth`, or an admin's export):
npi, languages (";"-separated codes), offers_video (0/1), accepts_second_opinions (0/1), cancer_focus
(";"-separated OncoTree codes or everyday names). Streamed in batches."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from django.db import transaction

from . import actions
from .models import FocusSource
from .nppes import writer as bulk
from .nppes.importer import REFRESH_STATISTICS_ROWS, refresh_statistics

BATCH = 10_000
TRUE = {"1", "true", "yes", "y"}


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def read_profiles(path: Path, bad: list[str]) -> Iterator[actions.Profile]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = {"npi", "languages", "offers_video", "accepts_second_opinions", "cancer_focus"} - set(
            reader.fieldnames or []
        )
        if missing:
            raise ValueError(f"{path}: not a profiles file (missing {', '.join(sorted(missing))})")
        for row in reader:
            npi = (row.get("npi") or "").strip()
            if len(npi) != 10 or not npi.isdigit():
                bad.append(f"line {reader.line_num}: NPI {npi[:20]!r} is not 10 digits")
                continue
            yield actions.Profile(
                npi=npi,
                languages=[code.lower() for code in _split(row.get("languages") or "")],
                offers_video=(row.get("offers_video") or "").strip().lower() in TRUE,
                accepts_second_opinions=(row.get("accepts_second_opinions") or "").strip().lower() in TRUE,
                cancer_focus=_split(row.get("cancer_focus") or ""),
            )


def import_profiles(path: Path, source: str = FocusSource.GENERATOR) -> dict[str, int]:
    """Apply a profiles file (the rule of `actions.apply_profiles`, written set-wise by `bulk.write_profiles`,
    one transaction per batch); returns {"applied", "unknown_npi", "bad_rows"}."""
    counts = {"applied": 0, "unknown_npi": 0, "bad_rows": 0}
    bad: list[str] = []
    batch: list[actions.Profile] = []

    def apply() -> None:
        with transaction.atomic():
            for key, value in bulk.write_profiles(batch, source).items():
                counts[key] += value

    for profile in read_profiles(path, bad):
        batch.append(profile)
        if len(batch) >= BATCH:
            apply()
            batch = []
    if batch:
        apply()
    counts["bad_rows"] = len(bad)
    if counts["applied"] >= REFRESH_STATISTICS_ROWS:
        refresh_statistics()  # the search slots were rewritten: see importer.refresh_statistics
    return counts
