"""What a zip archive really unpacks to: its layout and every entry's bytes, never its headers' word.

``sniff.inspect_dicom_zip`` checks the declared sizes first (cheap); these checks then catch archives
whose headers lie:

* ``check_layout``: every entry's local header and compressed data lie in a span of their own, before
  the central directory. Overlapping or shared spans are how a small archive unpacks to gigabytes
  (David Fifield's non-recursive zip bomb: many directory entries pointing into the same data). The
  local header must also agree with the central directory (name, method, and sizes and CRC where the
  local header carries them), so a reader that trusts local headers sees the same archive.
* ``read_entry``: stream-decompresses one entry, at most ``OUTPUT_CHUNK`` bytes at a time, counting
  what comes out and stopping as soon as it passes the declared size; the real size and CRC must
  then match. Only stored, deflated and bzip2 entries are read (a decompressor that cannot stop at a
  bound is not used).
* ``nested_archive``: the first bytes of an entry name another archive format (zip, gzip, 7z, rar...).

Problems are raised as ``ArchiveProblem``; the caller turns them into an upload refusal.
"""

from __future__ import annotations

import bz2
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

#: Compressed bytes read from the file at a time, and most bytes a decompressor may return at once.
READ_CHUNK = 64 * 1024
OUTPUT_CHUNK = 64 * 1024
#: Bytes kept from the start of each entry: the DICOM magic ends at 132, a tar header's at 262.
HEAD_BYTES = 512

_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_UNKNOWN_32 = 0xFFFFFFFF  # the real value is in a zip64 extra field
_ARCHIVE_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"PK\x03\x04", "zip"),
    (0, b"PK\x05\x06", "zip"),
    (0, b"PK\x07\x08", "zip"),
    (0, b"\x1f\x8b", "gzip"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z"),
    (0, b"Rar!\x1a\x07", "rar"),
    (0, b"\xfd7zXZ\x00", "xz"),
    (0, b"\x28\xb5\x2f\xfd", "zstd"),
    (0, b"\x04\x22\x4d\x18", "lz4"),
    (0, b"MSCF", "cab"),
    (257, b"ustar", "tar"),
)


class ArchiveProblem(Exception):
    """Why an archive cannot be accepted. ``reason``: ``overlap``, ``headers``, ``size``, ``method`` or
    ``corrupt``; ``detail`` is for logs only."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


@dataclass(frozen=True)
class EntryContent:
    head: bytes  # the first HEAD_BYTES bytes it unpacks to
    size: int  # bytes it really unpacked to
    compressed: int  # compressed bytes the decompressor really used


def nested_archive(head: bytes) -> str | None:
    """The archive format whose signature ``head`` starts with, if any."""
    for offset, signature, name in _ARCHIVE_SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return name
    if head[:3] == b"BZh" and head[3:4] in b"123456789" and len(head) > 3:
        return "bzip2"
    return None


def check_layout(fileobj: IO[bytes], infos: list[zipfile.ZipInfo], directory_start: int) -> list[int]:
    """Where each entry's compressed data starts (in ``infos`` order), once every span is its own."""
    starts: list[int] = []
    local_names: list[bytes] = []
    spans: list[tuple[int, int, str]] = []
    for info in infos:
        fileobj.seek(info.header_offset)
        raw = fileobj.read(_LOCAL_HEADER.size)
        if len(raw) < _LOCAL_HEADER.size or raw[:4] != b"PK\x03\x04":
            raise ArchiveProblem("corrupt", f"{info.filename[:200]}: no local header")
        fields = _LOCAL_HEADER.unpack(raw)
        flags, method, crc, compressed, size, name_len, extra_len = (
            fields[2],
            fields[3],
            fields[6],
            fields[7],
            fields[8],
            fields[9],
            fields[10],
        )
        local_names.append(fileobj.read(name_len))
        start = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len
        starts.append(start)
        spans.append((info.header_offset, start + info.compress_size, info.filename[:100]))
        _same_as_directory(info, flags, method, crc, compressed, size)
    end, previous = 0, ""
    for span_start, span_end, name in sorted(spans):
        if span_start < end:
            raise ArchiveProblem("overlap", f"{name} starts inside {previous}")
        end, previous = span_end, name
    if end > directory_start:
        raise ArchiveProblem("overlap", f"{previous} runs into the central directory")
    for info, local_name in zip(infos, local_names, strict=True):
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        if local_name.decode(encoding, "replace") != info.orig_filename:
            raise ArchiveProblem("corrupt", f"{info.filename[:200]}: local name differs")
    return starts


def _same_as_directory(
    info: zipfile.ZipInfo, flags: int, method: int, crc: int, compressed: int, size: int
) -> None:
    if method != info.compress_type:
        raise ArchiveProblem("headers", f"{info.filename[:200]}: method {method} != {info.compress_type}")
    if flags & 0x08:  # sizes and CRC follow the data (a data descriptor); the local header holds zeros
        return
    local = (crc, compressed, size)
    central = (info.CRC, info.compress_size, info.file_size)
    for got, want in zip(local, central, strict=True):
        if got != want and got != _UNKNOWN_32:
            raise ArchiveProblem("headers", f"{info.filename[:200]}: local header {local} != {central}")


def read_entry(fileobj: IO[bytes], info: zipfile.ZipInfo, data_start: int) -> EntryContent:
    """Decompress one entry as a stream, refusing it as soon as it yields more than it declares."""
    if info.compress_size == 0 and info.file_size == 0:
        return EntryContent(b"", 0, 0)
    inflater = _inflater(info)
    fileobj.seek(data_start)
    left = info.compress_size
    produced = crc = 0
    head = bytearray()
    try:
        while left > 0 and not inflater.eof:
            chunk = fileobj.read(min(READ_CHUNK, left))
            if not chunk:
                raise ArchiveProblem("corrupt", f"{info.filename[:200]}: data cut short")
            left -= len(chunk)
            for piece in inflater.feed(chunk, last=left == 0):
                produced += len(piece)
                if produced > info.file_size:
                    raise ArchiveProblem(
                        "size", f"{info.filename[:200]}: more than the {info.file_size} bytes declared"
                    )
                crc = zlib.crc32(piece, crc)
                if len(head) < HEAD_BYTES:
                    head += piece[: HEAD_BYTES - len(head)]
    except (zlib.error, OSError, EOFError, ValueError) as exc:
        raise ArchiveProblem("corrupt", f"{info.filename[:200]}: {exc}") from exc
    if not inflater.eof:
        raise ArchiveProblem("corrupt", f"{info.filename[:200]}: compressed data ends early")
    if produced != info.file_size or crc != info.CRC:
        raise ArchiveProblem("corrupt", f"{info.filename[:200]}: size or CRC differs")
    return EntryContent(bytes(head), produced, info.compress_size - left - inflater.unused)


class _Inflater:
    """A decompressor that returns at most ``OUTPUT_CHUNK`` bytes per piece."""

    eof = False
    unused = 0  # input bytes after the end of the compressed stream

    def feed(self, data: bytes, *, last: bool) -> Iterator[bytes]:
        raise NotImplementedError


class _Stored(_Inflater):
    def feed(self, data: bytes, *, last: bool) -> Iterator[bytes]:
        for at in range(0, len(data), OUTPUT_CHUNK):
            yield data[at : at + OUTPUT_CHUNK]
        self.eof = last


class _Deflated(_Inflater):
    def __init__(self) -> None:
        self._d = zlib.decompressobj(-zlib.MAX_WBITS)

    def feed(self, data: bytes, *, last: bool) -> Iterator[bytes]:
        while True:
            piece = self._d.decompress(data, OUTPUT_CHUNK)
            if piece:
                yield piece
            data = self._d.unconsumed_tail
            if self._d.eof:
                self.eof, self.unused = True, len(self._d.unused_data)
                return
            if not data and len(piece) < OUTPUT_CHUNK:  # input used up and nothing held back
                return


class _Bzip2(_Inflater):
    def __init__(self) -> None:
        self._d = bz2.BZ2Decompressor()

    def feed(self, data: bytes, *, last: bool) -> Iterator[bytes]:
        while True:
            piece = self._d.decompress(data, OUTPUT_CHUNK)
            if piece:
                yield piece
            data = b""
            if self._d.eof:
                self.eof, self.unused = True, len(self._d.unused_data)
                return
            if self._d.needs_input:
                return


def _inflater(info: zipfile.ZipInfo) -> _Inflater:
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise ArchiveProblem("size", f"{info.filename[:200]}: stored entry sizes differ")
        return _Stored()
    if info.compress_type == zipfile.ZIP_DEFLATED:
        return _Deflated()
    if info.compress_type == zipfile.ZIP_BZIP2:
        return _Bzip2()
    raise ArchiveProblem("method", f"{info.filename[:200]}: compression method {info.compress_type}")


__all__ = ["ArchiveProblem", "EntryContent", "check_layout", "nested_archive", "read_entry"]
