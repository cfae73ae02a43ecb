"""Writing a ZIP archive as a stream of chunks, without a temporary file and without holding it in memory."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime


class _Sink:
    """A write-only, non-seekable file: zipfile writes into it; we hand the bytes on."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._offset = 0

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        self._offset += len(data)
        return len(data)

    def tell(self) -> int:
        return self._offset

    def flush(self) -> None:
        pass

    def close(self) -> None:  # zipfile never closes a file it was handed; here for the protocol
        pass

    def drain(self) -> bytes:
        data, self._chunks = b"".join(self._chunks), []
        return data


def stream_zip(
    entries: Iterable[tuple[str, Iterable[bytes]]], when: datetime | None = None
) -> Iterator[bytes]:
    """Yield the bytes of a ZIP holding `entries` (name, chunks), one entry streamed at a time."""
    sink = _Sink()
    stamp = (when or datetime.now()).timetuple()[:6]
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for name, chunks in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, mode="w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
                    if sink.tell() and len(sink._chunks) > 16:
                        yield sink.drain()
            yield sink.drain()
    yield sink.drain()
