"""The companion profiles file (`FILE.profiles.csv` from `directory synth`, or an admin's export):
npi, languages (";"-separated codes), offers_video (0/1), accepts_second_opinions (0/1), cancer_focus
(";"-separated OncoTree codes or everyday names). Streamed in batches."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from . import actions
from .models import CancerFocus, FocusSource, Practitioner
from .nppes.importer import REFRESH_STATISTICS_ROWS, refresh_statistics
from .search.tables import run_in, select_in

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
    """Apply a profiles file (`write_profiles`, one transaction per batch); returns {"applied",
    "unknown_npi", "bad_rows"}."""
    counts = {"applied": 0, "unknown_npi": 0, "bad_rows": 0}
    bad: list[str] = []
    batch: list[actions.Profile] = []

    def apply() -> None:
        with transaction.atomic():
            for key, value in write_profiles(batch, source).items():
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


def write_profiles(profiles: Sequence[actions.Profile], source: str) -> dict[str, int]:
    """Profiles in set-wise SQL (the ORM's `bulk_update` needs minutes for a million practitioners): for each
    known NPI set the profile fields (the first row of an NPI wins) and replace its cancer focus of `source`
    (the union of its rows); NPIs we do not hold are counted. Run it inside a transaction."""
    q = connection.ops.quote_name
    pg = connection.vendor == "postgresql"
    people, focus_table = q(Practitioner._meta.db_table), q(CancerFocus._meta.db_table)
    npis = list({p.npi for p in profiles})
    with connection.cursor() as cursor:
        ids = dict(select_in(cursor, f"SELECT npi, id FROM {people} WHERE npi {{values}}", npis))  # noqa: S608
        found = [p for p in profiles if p.npi in ids]
        updates: dict[int, tuple[Any, ...]] = {}
        for p in found:
            updates.setdefault(
                ids[p.npi], (json.dumps(p.languages), p.offers_video, p.accepts_second_opinions)
            )
        cast = "::jsonb" if pg else ""
        sets = f"languages = %s{cast}, offers_video = %s, accepts_second_opinions = %s"
        if updates:
            rows = [(*values, pid) for pid, values in updates.items()]
            cursor.executemany(f"UPDATE {people} SET {sets} WHERE id = %s", rows)  # noqa: S608
            drop = f"DELETE FROM {focus_table} WHERE source = %s AND practitioner_id {{values}}"  # noqa: S608
            run_in(cursor, drop, list(updates), source)
        focus = [(ids[p.npi], c, source) for p in found for c in p.cancer_focus]
        if focus:
            insert = f"INSERT INTO {focus_table} (practitioner_id, cancer_type, source) VALUES (%s, %s, %s)"  # noqa: S608
            cursor.executemany(f"{insert} ON CONFLICT DO NOTHING", focus)
    return {"applied": len(found), "unknown_npi": len(profiles) - len(found)}
