"""The NPPES columns, found by header name, and one row parsed into a record (no database, no Django)."""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from datetime import date
from operator import add, itemgetter
from typing import NamedTuple

SLOTS = range(1, 16)
MAX_REPORTED_BAD_ROWS = 5
csv.field_size_limit(1 << 20)

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
# The kept text fields, in the (sorted) order of the digest and of `Row.fields`.
FIELDS = tuple(sorted(k for k in COLUMNS if k not in ("npi", "entity_type", "deactivated_on")))
F = {name: i for i, name in enumerate(FIELDS)}  # field name -> position in `Row.fields`


class HeaderError(ValueError):
    """The file's first row is not an NPPES header (a required column is missing)."""


class Row(NamedTuple):
    """One parsed NPPES row, as the importer passes it around (a plain tuple underneath)."""

    npi: str
    entity_type: str  # "1" individual, "2" organization, "" for a deactivated NPI with no other data
    deactivated_on: date | None
    fields: tuple[str, ...]  # stripped cells, in FIELDS order ("" for a column the file lacks)
    slots: tuple[tuple[int, str, bool, str, str], ...]  # (slot, CODE, primary, licence number, state)
    zip5: str
    digest: str


class ColumnMap:
    """Header name -> position, resolved once per file; `parse` turns one CSV row into a `Row`."""

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
        # Only the cells before `keep` are read (the NPPES columns we use end at about 107 of 330). A row is
        # cut there and one empty cell appended at `keep`: columns the file lacks point at it.
        used = [*self.index.values(), *(i for slot in self.slots for i in slot[1:] if i is not None)]
        self.keep = missing = max(used) + 1
        self._head = itemgetter(
            self.index["npi"],
            self.index["entity_type"],
            self.index["deactivated_on"],
            self.index.get("reactivated_on", missing),
        )
        self._fields = itemgetter(*(self.index.get(k, missing) for k in FIELDS))
        self._codes = itemgetter(*(missing if code is None else code for _, code, _, _, _ in self.slots))
        self._slot_cells = [
            itemgetter(*(missing if i is None else i for i in (lic, state, primary)))
            for _, _, lic, state, primary in self.slots
        ]
        # The digest names only the fields the file has, so the 2018 layout digests like the current one.
        present = [i for i, k in enumerate(FIELDS) if k in self.index]
        self._prefixes = tuple(f"{FIELDS[i]}=" for i in present)
        self._present = None if len(present) == len(FIELDS) else itemgetter(*present)
        self._zip_i, self._country_i = F["postal_code"], F["country"]
        self._org_i = F["org_name"]

    def parse(self, row: list[str]) -> Row:
        """One CSV row -> a Row. Raises ValueError with a short reason for a bad row."""
        if len(row) != self.width:
            raise ValueError(f"expected {self.width} fields, got {len(row)}")
        del row[self.keep :]
        row.append("")
        return self.parse_cells(row)

    def parse_cells(self, row: list[str]) -> Row:
        """`parse` of a row already cut to its first `keep` cells plus one empty cell."""
        npi, entity_type, deactivated, reactivated = self._head(row)
        npi = npi.strip()
        if len(npi) != 10 or not npi.isdigit():
            raise ValueError(f"NPI {npi[:20]!r} is not 10 digits")
        if not check_digit_ok(npi):
            raise ValueError(f"NPI {npi} fails its check digit")
        entity_type = entity_type.strip()
        deactivated_on = None
        if deactivated or reactivated:
            try:
                deactivated_on = parse_date(deactivated)
                reactivated_on = parse_date(reactivated)
            except ValueError:
                raise ValueError("a deactivation or reactivation date is not a date") from None
            if deactivated_on and reactivated_on and reactivated_on >= deactivated_on:
                deactivated_on = None
        if entity_type not in ("1", "2") and not (entity_type == "" and deactivated_on):
            raise ValueError(f"entity type {entity_type[:10]!r} is neither 1 nor 2")
        fields = tuple(map(str.strip, self._fields(row)))
        if entity_type == "2" and not fields[self._org_i]:
            raise ValueError("organization without a name")
        slots = []
        codes = self._codes(row)
        for i in range(1 if not any(codes[1:]) else len(codes)):  # most rows fill the first slot only
            code = codes[i]
            if code and (code := code.strip()):
                lic, state, primary = self._slot_cells[i](row)
                slots.append(
                    (i + 1, code.upper(), primary.strip().upper() == "Y", lic.strip(), state.strip())
                )
        country = fields[self._country_i]
        zip5 = zip5_of(fields[self._zip_i]) if country in ("", "US") else ""
        kept = fields if self._present is None else self._present(fields)
        parts = [npi, entity_type, str(deactivated_on or ""), *map(add, self._prefixes, kept)]
        for n, code, primary_switch, lic, state in slots:
            parts.append(f"{n}:{code}:{int(primary_switch)}:{lic}:{state}")
        text = "\x1f".join(parts)
        digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
        return tuple.__new__(Row, (npi, entity_type, deactivated_on, fields, tuple(slots), zip5, digest))


# Luhn over "80840" + the first nine digits: the prefix adds 24; digits 1, 3, 5, 7 and 9 are doubled.
_DOUBLED = {str(d): (2 * d if d < 5 else 2 * d - 9) for d in range(10)}
_PAIRS = {f"{a}{b}": _DOUBLED[str(a)] + b for a in range(10) for b in range(10)}


def check_digit_ok(npi: str) -> bool:
    """`accounts.validators.npi_check_digit_ok` for a 10-character string of digits, with table look-ups."""
    try:
        total = 24 + _PAIRS[npi[0:2]] + _PAIRS[npi[2:4]] + _PAIRS[npi[4:6]] + _PAIRS[npi[6:8]]
        total += _DOUBLED[npi[8]]
    except KeyError:
        return False
    return str((10 - total % 10) % 10) == npi[9]


_NON_ALPHA = re.compile(r"[^a-z]")


def name_key(name: str) -> str:
    """Lower-case ASCII letters only: the key that name-prefix search compares."""
    if name.isascii() and name.isalpha():
        return name.lower()
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


def address_text(line1: str, line2: str, city: str, state: str, zip5: str) -> str:
    return f"{line1}|{line2}|{city}|{state}".upper() + f"|{zip5}"


# --- Reading the file ------------------------------------------------------------------------------------
