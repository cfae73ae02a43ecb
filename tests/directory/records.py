"""NPPES rows with their columns by name, for tests that check what a row parses to (the importer passes
`columns.Row` tuples around instead)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from secondopinion.directory.nppes.columns import ColumnMap, F


@dataclass(frozen=True, slots=True)
class Slot:
    slot: int
    code: str
    primary: bool
    license_number: str
    license_state: str


@dataclass(slots=True)
class Record:
    npi: str
    entity_type: str  # "1" individual, "2" organization, "" for a deactivated NPI with no other data
    fields: dict[str, str]
    slots: list[Slot]
    zip5: str
    deactivated_on: date | None
    digest: str = field(default="")

    @property
    def active(self) -> bool:
        return self.deactivated_on is None


def parse_row(row: list[str], cols: ColumnMap) -> Record:
    """One CSV row -> a Record. Raises ValueError with a short reason for a bad row."""
    r = cols.parse(list(row))
    fields = {key: r.fields[F[key]] for key in cols.index if key in F}
    return Record(
        r.npi, r.entity_type, fields, [Slot(*s) for s in r.slots], r.zip5, r.deactivated_on, r.digest
    )
