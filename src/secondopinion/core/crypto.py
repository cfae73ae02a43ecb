"""Framed AES-256-GCM file format for documents at rest.

Layout of an encrypted file::

    header  = b"SOE1" | version (1 byte) | frame size F (uint32, big-endian) | wrapped key (40 bytes)
    frames  = frame_0 | frame_1 | ... | frame_n

Every frame but the last holds exactly F plaintext bytes; the last holds 0..F-1 bytes (so a file
whose size is a multiple of F ends with an empty final frame). A frame is stored as
``ciphertext | 16-byte GCM tag``. Each file has its own random 256-bit data key, wrapped with the
master key (RFC 3394 AES key wrap). Because the data key is unique per file, the nonce can simply be
the frame index. The associated data binds each frame to the header, to its position and to whether
it is the last frame, so reordering, truncation, extension and swapping frames between files are all
detected as a tag failure.

The plaintext size follows from the stored size, so a reader can seek without decrypting anything;
the reader still authenticates the final frame when it opens, so a truncated file is refused at once.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap

MAGIC = b"SOE1"
VERSION = 1
FRAME_SIZE = 65536
TAG_SIZE = 16
KEY_SIZE = 32
WRAPPED_KEY_SIZE = KEY_SIZE + 8
_HEADER = struct.Struct(f">4sBI{WRAPPED_KEY_SIZE}s")
HEADER_SIZE = _HEADER.size
_AAD_SUFFIX = struct.Struct(">QB")
_MIN_FRAME, _MAX_FRAME = 1024, 16 * 1024 * 1024


class CorruptFileError(Exception):
    """The stored file is damaged, truncated, tampered with, or was sealed with another master key."""


def _master_key(master_key: bytes | None) -> bytes:
    if master_key is None:
        from django.conf import settings

        master_key = settings.FILE_MASTER_KEY
    if not isinstance(master_key, bytes | bytearray) or len(master_key) != KEY_SIZE:
        raise ValueError("FILE_MASTER_KEY must be exactly 32 bytes")
    return bytes(master_key)


def _nonce(index: int) -> bytes:
    return index.to_bytes(12, "big")


def _aad(header: bytes, index: int, final: bool) -> bytes:
    return header + _AAD_SUFFIX.pack(index, 1 if final else 0)


def encrypted_size(plaintext_size: int, frame_size: int = FRAME_SIZE) -> int:
    """Number of bytes the encrypted form of ``plaintext_size`` bytes occupies."""
    full, _ = divmod(plaintext_size, frame_size)
    return HEADER_SIZE + full * (frame_size + TAG_SIZE) + plaintext_size - full * frame_size + TAG_SIZE


class EncryptedWriter:
    """Encrypts a stream written in pieces of any size; holds at most one frame of plaintext.

    The header is written at construction. ``close()`` writes the final frame and flushes, but leaves
    ``fileobj`` open (the caller owns it; it may want to fsync it).
    """

    def __init__(
        self, fileobj: BinaryIO, *, master_key: bytes | None = None, frame_size: int = FRAME_SIZE
    ) -> None:
        if not _MIN_FRAME <= frame_size <= _MAX_FRAME:
            raise ValueError("frame size out of range")
        data_key = secrets.token_bytes(KEY_SIZE)
        self._fileobj = fileobj
        self._frame_size = frame_size
        self._aead = AESGCM(data_key)
        self._header = _HEADER.pack(
            MAGIC, VERSION, frame_size, aes_key_wrap(_master_key(master_key), data_key)
        )
        self._buffer = bytearray()
        self._index = 0
        self._hash = hashlib.sha256()
        self.size = 0
        self.closed = False
        fileobj.write(self._header)

    @property
    def buffered(self) -> int:
        """Plaintext bytes held in memory, waiting for a full frame (always < frame size)."""
        return len(self._buffer)

    @property
    def sha256_hex(self) -> str:
        return self._hash.hexdigest()

    def _emit(self, plaintext: bytes | bytearray | memoryview, final: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._index), plaintext, _aad(self._header, self._index, final))
        self._fileobj.write(sealed)
        self._index += 1

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self.closed:
            raise ValueError("write to a closed EncryptedWriter")
        view = memoryview(data).cast("B")
        length = len(view)
        self._hash.update(view)
        self.size += length
        frame = self._frame_size
        pos = 0
        if self._buffer:
            pos = min(frame - len(self._buffer), length)
            self._buffer += view[:pos]
            if len(self._buffer) < frame:
                return length
            self._emit(self._buffer, final=False)
            self._buffer.clear()
        while length - pos >= frame:
            self._emit(view[pos : pos + frame], final=False)
            pos += frame
        self._buffer += view[pos:]
        return length

    def close(self) -> None:
        if self.closed:
            return
        self._emit(self._buffer, final=True)
        self._buffer.clear()
        self._fileobj.flush()
        self.closed = True


class EncryptedReader(io.RawIOBase):
    """A read-only, seekable view of the plaintext of an encrypted file.

    Frames are decrypted on demand; the last one used is cached. Reads return as many bytes as asked
    for (up to the end of the file), which parsers such as ``zipfile`` rely on. There is deliberately
    no ``name`` attribute and no ``fileno()``, so no library can reopen the ciphertext by path.
    """

    def __init__(self, path: str | os.PathLike[str], *, master_key: bytes | None = None) -> None:
        super().__init__()
        self._raw: BinaryIO = open(path, "rb", buffering=0)  # noqa: SIM115 - closed in close()
        try:
            self._open(_master_key(master_key))
        except BaseException:
            self._raw.close()
            raise
        self._pos = 0

    def _open(self, master_key: bytes) -> None:
        header = self._raw.read(HEADER_SIZE)
        if len(header) < HEADER_SIZE:
            raise CorruptFileError("The file is too short to be an encrypted document.")
        magic, version, frame_size, wrapped = _HEADER.unpack(header)
        if magic != MAGIC:
            raise CorruptFileError("The file is not an encrypted document.")
        if version != VERSION:
            raise CorruptFileError(f"Unsupported encrypted file version {version}.")
        if not _MIN_FRAME <= frame_size <= _MAX_FRAME:
            raise CorruptFileError("The encrypted file has an invalid frame size.")
        try:
            data_key = aes_key_unwrap(master_key, wrapped)
        except InvalidUnwrap as exc:
            raise CorruptFileError(
                "The file key cannot be unwrapped (damaged file or wrong master key)."
            ) from exc
        self._header = header
        self._frame_size = frame_size
        self._aead = AESGCM(data_key)
        body = os.fstat(self._raw.fileno()).st_size - HEADER_SIZE
        self._full_frames, last_stored = divmod(body, frame_size + TAG_SIZE)
        if last_stored < TAG_SIZE:
            raise CorruptFileError("The encrypted file is truncated.")
        self._size = self._full_frames * frame_size + last_stored - TAG_SIZE
        self._cache_index = -1
        self._cache = b""
        self._frame(self._full_frames)  # authenticate the final frame now: detects truncation early

    @property
    def size(self) -> int:
        """Plaintext size in bytes."""
        return self._size

    def _frame(self, index: int) -> bytes:
        if index == self._cache_index:
            return self._cache
        final = index == self._full_frames
        stored = (self._size - index * self._frame_size if final else self._frame_size) + TAG_SIZE
        self._raw.seek(HEADER_SIZE + index * (self._frame_size + TAG_SIZE))
        sealed = self._raw.read(stored)
        if len(sealed) != stored:
            raise CorruptFileError("The encrypted file is truncated.")
        try:
            plaintext = self._aead.decrypt(_nonce(index), sealed, _aad(self._header, index, final))
        except InvalidTag as exc:
            raise CorruptFileError(f"Frame {index} of the encrypted file failed authentication.") from exc
        self._cache_index, self._cache = index, plaintext
        return plaintext

    def _check_open(self) -> None:
        if self.closed:
            raise ValueError("I/O operation on closed file.")

    def readable(self) -> bool:
        self._check_open()
        return True

    def seekable(self) -> bool:
        self._check_open()
        return True

    def writable(self) -> bool:
        return False

    def tell(self) -> int:
        self._check_open()
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._check_open()
        if whence == io.SEEK_SET:
            target = offset
        elif whence == io.SEEK_CUR:
            target = self._pos + offset
        elif whence == io.SEEK_END:
            target = self._size + offset
        else:
            raise ValueError(f"invalid whence ({whence!r})")
        if target < 0:
            raise ValueError(f"negative seek position {target}")
        self._pos = target
        return target

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        self._check_open()
        out = memoryview(buffer).cast("B")
        done = 0
        while done < len(out) and self._pos < self._size:
            index, offset = divmod(self._pos, self._frame_size)
            frame = self._frame(index)
            n = min(len(out) - done, len(frame) - offset)
            out[done : done + n] = frame[offset : offset + n]
            done += n
            self._pos += n
        return done

    def read(self, size: int | None = -1) -> bytes:
        self._check_open()
        if size is None or size < 0:
            size = max(self._size - self._pos, 0)
        buffer = bytearray(min(size, max(self._size - self._pos, 0)))
        n = self.readinto(buffer)
        return bytes(buffer[:n])

    def readall(self) -> bytes:
        return self.read(-1)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
            self._cache = b""
        super().close()

    def __enter__(self) -> EncryptedReader:
        self._check_open()
        return self
