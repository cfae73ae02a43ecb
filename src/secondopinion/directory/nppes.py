"""The NPPES full-replacement file: its columns, found by header name, and one row parsed into a record.

Both the older 329-column layout (e.g. the December 2018 file) and the current one (330 columns, with
"Certification Date" at the end) load, because every column is looked up by its header name, never by
position. Pure functions: no database here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date

from secondopinion.accounts.validators import npi_check_digit_ok

SLOTS = range(1, 16)

# Our field -> the header names it has had (first match wins).
COLUMNS: dict[str, tuple[str, ...]] = {
    "npi": ("NPI",),
    "entity_type": ("Entity Type Code",),
    "org_name": ("Provider Organization Name (Legal Business Name)",),
    "family_name": ("Provider Last Name (Legal Name)",),
    "given_name": ("Provider First Name",),
    "middle_name": ("Provider Middle Name",),
    "prefix": ("Provider Name Prefix Text",),
    "suffix": ("Provider Name Suffix Text",),
    "credentials": ("Provider Credential Text",),
    "line1": ("Provider First Line Business Practice Location Address",),
    "line2": ("Provider Second Line Business Practice Location Address",),
    "city": ("Provider Business Practice Location Address City Name",),
    "state": ("Provider Business Practice Location Address State Name",),
    "postal_code": ("Provider Business Practice Location Address Postal Code",),
    "country": ("Provider Business Practice Location Address Country Code (If outside U.S.)",),
    "phone": ("Provider Business Practice Location Address Telephone Number",),
    "deactivated_on": ("NPI Deactivation Date",),
    "reactivated_on": ("NPI Reactivation Date",),
    "sex": ("Provider Sex Code", "Provider Gender Code"),
}
SLOT_COLUMNS: dict[str, str] = {
    "code": "Healthcare Provider Taxonomy Code_{}",
    "license": "Provider License Number_{}",
    "license_state": "Provider License Number State Code_{}",
    "primary": "Healthcare Provider Primary Taxonomy Switch_{}",
}
REQUIRED = ("npi", "entity_type", "family_name", "org_name", "postal_code", "deactivated_on")


class HeaderError(ValueError):
    """The file's first row is not an NPPES header (a required column is missing)."""


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


class ColumnMap:
    """Header name -> position, resolved once per file."""

    def __init__(self, header: list[str]) -> None:
        position = {name.strip(): i for i, name in enumerate(header)}
        self.width = len(header)
        self.index: dict[str, int] = {}
        for key, names in COLUMNS.items():
            found = next((position[n] for n in names if n in position), None)
            if found is None and key in REQUIRED:
                raise HeaderError(f"not an NPPES file: no column {names[0]!r}")
            if found is not None:
                self.index[key] = found
        self.slots: list[tuple[int, int | None, int | None, int | None, int | None]] = []
        for n in SLOTS:
            code, lic, state, primary = (position.get(SLOT_COLUMNS[k].format(n)) for k in SLOT_COLUMNS)
            self.slots.append((n, code, lic, state, primary))
        self.simple = [
            (k, i) for k, i in self.index.items() if k not in ("npi", "entity_type", "deactivated_on")
        ]


_NON_ALPHA = re.compile(r"[^a-z]")


def name_key(name: str) -> str:
    """Lower-case ASCII letters only: the key that name-prefix search compares."""
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _NON_ALPHA.sub("", ascii_name.lower())


def parse_date(text: str) -> date | None:
    """NPPES dates are MM/DD/YYYY; ISO dates are accepted too. Raises ValueError on anything else."""
    text = text.strip()
    if not text:
        return None
    if "/" in text:
        month, day, year = text.split("/")
        return date(int(year), int(month), int(day))
    return date.fromisoformat(text)


def zip5_of(postal_code: str) -> str:
    """ZIP+4 -> first 5 digits; a ZIP that lost its leading zero (4 or 8 digits) is padded back."""
    digits = postal_code.strip().replace("-", "")
    if not digits.isdigit():
        return ""
    if len(digits) in (4, 8):
        digits = "0" + digits
    return digits[:5] if len(digits) >= 5 else ""


def _cell(row: list[str], i: int | None) -> str:
    return row[i].strip() if i is not None else ""


def parse_row(row: list[str], cols: ColumnMap) -> Record:
    """One CSV row -> a Record. Raises ValueError with a short reason for a bad row."""
    if len(row) != cols.width:
        raise ValueError(f"expected {cols.width} fields, got {len(row)}")
    npi = row[cols.index["npi"]].strip()
    if len(npi) != 10 or not npi.isdigit():
        raise ValueError(f"NPI {npi[:20]!r} is not 10 digits")
    if not npi_check_digit_ok(npi):
        raise ValueError(f"NPI {npi} fails its check digit")
    entity_type = row[cols.index["entity_type"]].strip()
    try:
        deactivated_on = parse_date(row[cols.index["deactivated_on"]])
        reactivated_on = parse_date(_cell(row, cols.index.get("reactivated_on")))
    except ValueError:
        raise ValueError("a deactivation or reactivation date is not a date") from None
    if deactivated_on and reactivated_on and reactivated_on >= deactivated_on:
        deactivated_on = None
    if entity_type not in ("1", "2") and not (entity_type == "" and deactivated_on):
        raise ValueError(f"entity type {entity_type[:10]!r} is neither 1 nor 2")
    fields = {key: row[i].strip() for key, i in cols.simple}
    if entity_type == "2" and not fields.get("org_name"):
        raise ValueError("organization without a name")
    slots = []
    for n, code_i, lic_i, state_i, primary_i in cols.slots:
        code = _cell(row, code_i)
        if code:
            slots.append(
                Slot(
                    n,
                    code.upper(),
                    _cell(row, primary_i).upper() == "Y",
                    _cell(row, lic_i),
                    _cell(row, state_i),
                )
            )
    country = fields.get("country", "")
    zip5 = zip5_of(fields.get("postal_code", "")) if country in ("", "US") else ""
    record = Record(npi, entity_type, fields, slots, zip5, deactivated_on)
    record.digest = digest(record)
    return record


def digest(record: Record) -> str:
    """A digest of everything the directory keeps from the row (not of the raw row, so a layout change alone
    does not make every row look updated)."""
    parts = [record.npi, record.entity_type, str(record.deactivated_on or "")]
    parts += [f"{k}={v}" for k, v in sorted(record.fields.items())]
    parts += [
        f"{s.slot}:{s.code}:{int(s.primary)}:{s.license_number}:{s.license_state}" for s in record.slots
    ]
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


def address_key(record: Record) -> str:
    f = record.fields
    parts = [f.get(k, "").upper() for k in ("line1", "line2", "city", "state")] + [record.zip5]
    return hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()
