"""`directory import-nppes`: stream an NPPES file (CSV or a zip holding one) into the directory.

Constant memory: the csv module reads a text stream (a zip member is streamed, never extracted); rows go to
`actions.upsert_nppes_batch` in batches. After each batch the checkpoint (rows committed, counts so far) is
saved in the same transaction, so `--resume` continues exactly where an interrupted run stopped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from django.conf import settings

from . import actions, nppes

BATCH_ROWS = 2000
MAX_REPORTED_BAD_ROWS = 5
COUNT_KEYS = ("inserted", "updated", "unchanged", "deactivated", "bad_rows")
csv.field_size_limit(1 << 20)


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


def _stderr(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


@dataclass
class Progress:
    enabled: bool
    total_bytes: int
    emit: Callable[[str], None] = _stderr
    started: float = field(default_factory=time.monotonic)
    last: float = 0.0

    def update(self, rows: int, bytes_read: int, final: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not final and now - self.last < 1.0):
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        rate = rows / elapsed
        done = min(bytes_read / self.total_bytes, 1.0) if self.total_bytes else 0.0
        eta = elapsed * (1 - done) / done if done > 0 else 0.0
        line = f"\r{rows:,} rows  {rate:,.0f} rows/s  {done:6.1%}  ETA {int(eta) // 60}:{int(eta) % 60:02d}"
        self.emit(line + ("\n" if final else ""))


@dataclass
class ImportResult:
    counts: dict[str, int]
    bad_examples: list[str]
    unknown_codes: set[str]
    stopped_early: bool


def import_nppes(
    path: Path,
    *,
    resume: bool = False,
    progress: bool | None = None,
    batch_rows: int = BATCH_ROWS,
    stop_after: int | None = None,
    warn: Callable[[str], None] | None = None,
    emit: Callable[[str], None] = _stderr,
) -> ImportResult:
    """Import an NPPES file. `stop_after` (or the setting DIRECTORY_IMPORT_STOP_AFTER_ROWS) stops after that
    many data rows, as an interruption would: a test hook for `--resume`."""
    if stop_after is None:
        stop_after = getattr(settings, "DIRECTORY_IMPORT_STOP_AFTER_ROWS", None)
    stat = path.stat()
    with open_source(path) as source:
        reader = csv.reader(source.text)
        header = next(reader, None)
        if header is None:
            raise nppes.HeaderError(f"{path}: the file is empty")
        header[0] = header[0].lstrip("\ufeff")
        cols = nppes.ColumnMap(header)
        header_hash = hashlib.sha256("\x1f".join(header).encode()).hexdigest()
        run = actions.start_import(str(path.resolve()), stat.st_size, stat.st_mtime, header_hash, resume)
        run.counts = {k: int(run.counts.get(k, 0)) for k in COUNT_KEYS}
        skip = run.rows_done
        meter = Progress(progress if progress is not None else sys.stderr.isatty(), source.total_bytes, emit)
        bad_examples: list[str] = []
        unknown: set[str] = set()
        batch: list[nppes.Record] = []
        bad = 0
        rows_done = skip  # CSV records after the header, blank ones included: the resume position
        stopped = False

        def commit() -> None:
            nonlocal batch, bad
            run.rows_done = rows_done
            run.counts["bad_rows"] += bad
            result = actions.upsert_nppes_batch(batch, checkpoint=run)  # adds its counts, saves `run`
            unknown.update(result.unknown_codes)
            batch, bad = [], 0

        for index, row in enumerate(reader):
            if index < skip:
                continue
            if stop_after is not None and rows_done - skip >= stop_after:
                stopped = True
                break
            rows_done += 1
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line is not a row
            try:
                batch.append(nppes.parse_row(row, cols))
            except ValueError as exc:
                bad += 1
                if len(bad_examples) < MAX_REPORTED_BAD_ROWS:
                    bad_examples.append(f"line {reader.line_num}: {exc}")
            if len(batch) + bad >= batch_rows:
                commit()
                meter.update(rows_done, source.counter.bytes_read)
        commit()
        if not stopped:
            actions.finish_import(run)
        meter.update(rows_done, source.counter.bytes_read, final=True)
    if warn:
        for line in bad_examples:
            warn(f"bad row, {line}")
        if unknown:
            shown = ", ".join(sorted(unknown)[:10])
            warn(f"{len(unknown)} taxonomy code(s) not in the shipped NUCC table, kept as codes: {shown}")
    return ImportResult(dict(run.counts), bad_examples, unknown, stopped)
