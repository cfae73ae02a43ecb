"""The NPPES full-replacement file: its columns, found by header name, one row parsed into a record, and the
file read in batches.

Both the older 329-column layout (e.g. the December 2018 file) and the current one (330 columns, with
"Certification Date" at the end) load, because every column is looked up by its header name, never by
position. No database here (and no Django): `python -m secondopinion.directory.nppes` is the parsing child
process of a parallel import (see `batches_from_child`).

The importer parses millions of rows, so `ColumnMap.parse` is written for speed: one `itemgetter` built from
the header picks the ~80 cells we keep, and a row becomes one flat tuple (`Row`), not a dict or an object.
`parse_row` wraps the same parse into a `Record` for callers that want names.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import marshal
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from operator import add, itemgetter
from pathlib import Path
from typing import IO, Any, BinaryIO, NamedTuple, cast

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


@dataclass(frozen=True, slots=True)
class Slot:
    slot: int
    code: str
    primary: bool
    license_number: str
    license_state: str


class Row(NamedTuple):
    """One parsed NPPES row, as the importer passes it around (a plain tuple underneath)."""

    npi: str
    entity_type: str  # "1" individual, "2" organization, "" for a deactivated NPI with no other data
    deactivated_on: date | None
    fields: tuple[str, ...]  # stripped cells, in FIELDS order ("" for a column the file lacks)
    slots: tuple[tuple[int, str, bool, str, str], ...]  # (slot, CODE, primary, licence number, state)
    zip5: str
    digest: str


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
        self.simple = [(k, i) for k, i in self.index.items() if k in F]
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


def parse_row(row: list[str], cols: ColumnMap) -> Record:
    """One CSV row -> a Record. Raises ValueError with a short reason for a bad row."""
    r = cols.parse(list(row))
    fields = {key: r.fields[F[key]] for key, _ in cols.simple}
    return Record(
        r.npi, r.entity_type, fields, [Slot(*s) for s in r.slots], r.zip5, r.deactivated_on, r.digest
    )


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


class CountingReader(io.RawIOBase):
    """A binary stream that counts the bytes read through it (for the progress line's ETA)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.bytes_read += len(data)
        return len(data)


@dataclass
class Source:
    text: IO[str]
    counter: CountingReader
    total_bytes: int


@contextmanager
def open_source(path: Path) -> Iterator[Source]:
    """Open a plain CSV or the (first, or only) .csv member of a zip as a text stream."""
    with path.open("rb") as raw:
        if zipfile.is_zipfile(raw):
            raw.seek(0)
            with zipfile.ZipFile(raw) as archive:
                members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
                # The monthly zip also holds other files (endpoints, practice locations, the header file).
                data = [
                    m
                    for m in members
                    if "npidata" in m.filename.lower() and "header" not in m.filename.lower()
                ]
                if not (data or members):
                    raise ValueError(f"{path}: no .csv file in this zip")
                chosen = (data or members)[0]
                with archive.open(chosen) as member:
                    yield _source(cast(BinaryIO, member), chosen.file_size)
        else:
            raw.seek(0)
            yield _source(raw, path.stat().st_size)


def _source(raw: BinaryIO, total: int) -> Source:
    counter = CountingReader(raw)
    buffered = io.BufferedReader(counter, buffer_size=1 << 20)
    text = io.TextIOWrapper(buffered, encoding="utf-8", errors="replace", newline="")
    return Source(text, counter, total)


def read_header(path: Path) -> tuple[list[str], int]:
    """The header row (BOM stripped) and the size in bytes of the data (the CSV, or the zip member)."""
    with open_source(path) as source:
        header = next(csv.reader(source.text), None)
    if header is None:
        raise HeaderError(f"{path}: the file is empty")
    header[0] = header[0].lstrip("\ufeff")
    return header, source.total_bytes


@dataclass(slots=True)
class Batch:
    """Up to `batch_rows` records of the file (good rows parsed, bad rows counted), and where it ends."""

    rows: list[Row]
    rows_done: int  # CSV records after the header up to here, blank ones included: the resume position
    bad: int
    bad_examples: list[str]  # the first few bad rows of the whole file, as they turn up
    bytes_read: int
    last: bool = False  # the final batch (possibly empty)
    stopped: bool = False  # ended by `stop_after`, not by the end of the file


LINE_ENDS = frozenset(("\n", "\r\n", "\r", ""))


def _csv_record(first: str, rest: Iterator[str]) -> tuple[list[str], int]:
    """The CSV record that starts with the line `first`, reading on in `rest` while a quoted field spans
    lines; and how many lines of `rest` it took."""
    taken = 0

    def lines() -> Iterator[str]:
        nonlocal taken
        yield first
        for line in rest:
            taken += 1
            yield line

    return next(csv.reader(lines()), []), taken


def read_batches(path: Path, skip: int, stop_after: int | None, batch_rows: int) -> Iterator[Batch]:
    """The file's records after the first `skip`, parsed in batches; with `stop_after`, only that many.

    NPPES quotes every cell and almost no cell holds a quote, a comma-quote pair or a line break, so most
    lines are read without the csv module: a line with exactly 2 x width quotes, width - 1 `","` separators,
    a quote first and a quote last (before the line break) is one record of plain quoted cells, and only its
    first `keep` cells are split off. Any other line (unquoted cells, an escaped quote, a field over several
    lines, a blank or short line) goes through `csv.reader`, which reads on as a record needs."""
    with open_source(path) as source:
        head = csv.reader(source.text)
        header = next(head, None)
        if header is None:
            raise HeaderError(f"{path}: the file is empty")
        header[0] = header[0].lstrip("\ufeff")
        cols = ColumnMap(header)
        parse, parse_cells, keep = cols.parse, cols.parse_cells, cols.keep
        quotes = 2 * cols.width if keep < cols.width else -1  # -1: no line is split by hand
        separators = cols.width - 1
        lines = iter(source.text)
        line_num = head.line_num
        rows: list[Row] = []
        examples: list[str] = []
        bad = reported = 0
        rows_done = 0
        limit = None if stop_after is None else skip + stop_after
        stopped = False
        for line in lines:
            if rows_done == limit:
                stopped = True
                break
            line_num += 1
            rows_done += 1
            plain = (
                line.count('"') == quotes
                and line.count('","') == separators
                and line[0] == '"'
                and line[line.rfind('"') + 1 :] in LINE_ENDS
            )
            if not plain:
                row, more = _csv_record(line, lines)
                line_num += more
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # a blank line is not a row (but counts for the resume position)
            if rows_done <= skip:
                continue
            try:
                if plain:
                    cells = line.split('","', keep)
                    cells[0] = cells[0][1:]
                    cells[keep] = ""  # the rest of the line, unread: the empty cell of missing columns
                    rows.append(parse_cells(cells))
                else:
                    rows.append(parse(row))
            except ValueError as exc:
                bad += 1
                if reported < MAX_REPORTED_BAD_ROWS:
                    reported += 1
                    examples.append(f"line {line_num}: {exc}")
            if len(rows) + bad >= batch_rows:
                yield Batch(rows, rows_done, bad, examples, source.counter.bytes_read)
                rows, examples, bad = [], [], 0
        yield Batch(rows, rows_done, bad, examples, source.counter.bytes_read, last=True, stopped=stopped)


def batches_from_child(path: Path, skip: int, stop_after: int | None, batch_rows: int) -> Iterator[Batch]:
    """`read_batches` run in a child process (`python -m secondopinion.directory.nppes`), so that reading and
    parsing the CSV overlap the database writes on a second core. Batches come back through a pipe as
    length-prefixed `marshal` frames (a third of pickle's cost for these flat tuples); the child blocks while
    the pipe is full, so at most about two batches are in memory at once."""
    args = [str(path), str(skip), "" if stop_after is None else str(stop_after), str(batch_rows)]
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
            [sys.executable, "-m", __name__, *args], stdout=subprocess.PIPE, stderr=errors
        )
        try:
            assert child.stdout is not None
            while frame := _read_frame(child.stdout):
                message = marshal.loads(frame)  # noqa: S302 - our own child's output
                if isinstance(message, str):
                    raise ValueError(message)  # the child's error (a bad header, an unreadable zip…)
                batch = _unpack(message)
                yield batch
                if batch.last:
                    break
            if child.wait() != 0:
                errors.seek(0)
                raise RuntimeError(f"the NPPES reader process failed: {errors.read().decode()[-2000:]}")
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()


def _read_frame(stream: IO[bytes]) -> bytes:
    head = stream.read(8)
    if len(head) < 8:
        return b""
    return stream.read(int.from_bytes(head, "little"))


def _pack(batch: Batch) -> bytes:
    rows = [(*r[:2], r[2] and r[2].isoformat(), *r[3:]) for r in batch.rows]
    fields = (
        rows,
        batch.rows_done,
        batch.bad,
        batch.bad_examples,
        batch.bytes_read,
        batch.last,
        batch.stopped,
    )
    return marshal.dumps(fields)


def _unpack(message: tuple[Any, ...]) -> Batch:
    rows, *rest = message
    parsed = [
        Row._make(r) if r[2] is None else Row(r[0], r[1], date.fromisoformat(r[2]), *r[3:]) for r in rows
    ]
    return Batch(parsed, *rest)


def _child(argv: list[str]) -> None:
    path, skip, stop_after, batch_rows = argv
    # Nothing here forms reference cycles, and a batch is a hundred thousand fresh tuples: the cyclic
    # collector's passes over them cost ~6 % of the parse (measured). Collect far less often.
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)
    out = sys.stdout.buffer
    try:
        batches = read_batches(
            Path(path), int(skip), int(stop_after) if stop_after else None, int(batch_rows)
        )
        for batch in batches:
            frame = _pack(batch)
            out.write(len(frame).to_bytes(8, "little") + frame)
    except ValueError as exc:
        frame = marshal.dumps(str(exc))
        out.write(len(frame).to_bytes(8, "little") + frame)
    out.flush()


if __name__ == "__main__":
    _child(sys.argv[1:])
