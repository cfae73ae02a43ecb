"""The NPPES file (CSV or a zip holding one) read in batches of parsed rows (no database, no Django)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from .columns import MAX_REPORTED_BAD_ROWS, ColumnMap, HeaderError, Row


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
