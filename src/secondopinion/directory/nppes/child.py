"""The parsing child process of a parallel import: `python -m secondopinion.directory.nppes.child`."""

from __future__ import annotations

import gc
import marshal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from .columns import Row
from .reader import Batch, read_batches


def batches_from_child(path: Path, skip: int, stop_after: int | None, batch_rows: int) -> Iterator[Batch]:
    """`read_batches` run in a child process (`python -m secondopinion.directory.nppes.child`), so that
    reading and
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
