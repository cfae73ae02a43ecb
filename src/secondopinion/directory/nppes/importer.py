"""`directory import-nppes`: stream an NPPES file (CSV or a zip holding one) into the directory.

Constant memory: the csv module reads a text stream (a zip member is streamed, never extracted), in a child
process for large files (`child.batches_from_child`); parsed rows go to `writer.NppesWriter` in batches. After
each batch the checkpoint (rows committed, counts so far) is saved in the same transaction, so `--resume`
continues exactly where an interrupted run stopped. See docs/directory-import.md for the measured figures.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from .. import actions
from ..search.tables import SEARCHED_TABLES
from . import child, empty_load, reader
from .columns import ColumnMap
from .writer import NppesWriter

BATCH_ROWS = 10_000
SQLITE_CACHE_KIB = 65_536
PARALLEL_MIN_BYTES = 16 << 20  # below ~15,000 rows a child process costs more than it saves
COUNT_KEYS = ("inserted", "updated", "unchanged", "deactivated", "bad_rows")
REFRESH_STATISTICS_ROWS = 50_000


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


@contextmanager
def tuned_connection() -> Iterator[None]:
    """SQLite only, for the length of the import: a 64 MiB page cache (default 2 MiB) so the indexes being
    filled stay in memory. Durability is unchanged (WAL, synchronous=NORMAL). Restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def relax_commit() -> None:
    """PostgreSQL, for the current transaction (one batch and its checkpoint): commit without waiting for the
    write-ahead log to reach the disk. A machine crash may then lose the last few batches, but never half of
    one (each still commits whole, with its checkpoint), and `--resume` writes them again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def refresh_statistics() -> None:
    """PostgreSQL, after a large import: VACUUM ANALYZE the directory tables, so the planner knows their new
    sizes (without it, searches pick sequential scans: 340 ms instead of 12 ms measured at 1.2 million) and
    the search indexes can answer from the index alone (the visibility map). Autovacuum would get there too,
    later. Inside a transaction (tests) only ANALYZE can run."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(t) for t in SEARCHED_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM (ANALYZE)'} {tables}")


@dataclass(frozen=True)
class ImportOptions:
    """How `import_nppes` runs. `stop_after` (or the setting DIRECTORY_IMPORT_STOP_AFTER_ROWS) stops after
    that many data rows, as an interruption would: a test hook for `--resume`. `parallel` reads and parses the
    file in a child process (default: for files of 16 MB or more, on a machine with two cores or more)."""

    resume: bool = False
    progress: bool | None = None
    batch_rows: int = BATCH_ROWS
    stop_after: int | None = None
    warn: Callable[[str], None] | None = None
    emit: Callable[[str], None] = _stderr
    parallel: bool | None = None


def import_nppes(path: Path, options: ImportOptions | None = None) -> ImportResult:
    """Import an NPPES file (see `ImportOptions`)."""
    o = options or ImportOptions()
    stop_after = o.stop_after
    if stop_after is None:
        stop_after = getattr(settings, "DIRECTORY_IMPORT_STOP_AFTER_ROWS", None)
    stat = path.stat()
    header, total_bytes = reader.read_header(path)
    ColumnMap(header)  # a file that is not NPPES fails here, before anything is recorded
    parallel = o.parallel
    if parallel is None:
        parallel = total_bytes >= PARALLEL_MIN_BYTES and (os.cpu_count() or 1) > 1
    header_hash = hashlib.sha256("\x1f".join(header).encode()).hexdigest()
    run = actions.start_import(str(path.resolve()), stat.st_size, stat.st_mtime, header_hash, o.resume)
    if not run.deferred:  # a new run, or the resumption of one that wrote into a filled directory
        empty_load.restore_unfinished(keep=run)
        if run.rows_done == 0 and empty_load.directory_is_empty():
            empty_load.set_aside(run)
    run.counts = {k: int(run.counts.get(k, 0)) for k in COUNT_KEYS}
    meter = Progress(o.progress if o.progress is not None else sys.stderr.isatty(), total_bytes, o.emit)
    read = child.batches_from_child if parallel else reader.read_batches
    bad_examples: list[str] = []
    unknown: set[str] = set()
    batch = None
    with tuned_connection():
        writer = NppesWriter()
        for batch in read(path, run.rows_done, stop_after, o.batch_rows):
            with transaction.atomic():
                relax_commit()
                result = writer.write(batch.rows)
                run.rows_done = batch.rows_done
                run.counts["bad_rows"] += batch.bad
                for key in ("inserted", "updated", "unchanged", "deactivated"):
                    run.counts[key] += getattr(result, key)
                run.save()  # the checkpoint, in the same transaction as the rows
            unknown.update(result.unknown_codes)
            bad_examples.extend(batch.bad_examples)
            if not batch.last:
                meter.update(batch.rows_done, batch.bytes_read)
    stopped = batch is None or batch.stopped
    if not stopped:
        empty_load.restore(run, o.emit if meter.enabled else None)
        actions.finish_import(run)
    written = sum(run.counts[k] for k in ("inserted", "updated"))
    if written >= REFRESH_STATISTICS_ROWS:
        refresh_statistics()
    meter.update(run.rows_done, batch.bytes_read if batch else 0, final=True)
    if o.warn:
        for line in bad_examples:
            o.warn(f"bad row, {line}")
        if unknown:
            shown = ", ".join(sorted(unknown)[:10])
            o.warn(f"{len(unknown)} taxonomy code(s) not in the shipped NUCC table, kept as codes: {shown}")
    return ImportResult(dict(run.counts), bad_examples, unknown, stopped)
