"""Streaming, encrypting upload handler (``settings.FILE_UPLOAD_HANDLERS``).

Each chunk Django reads from the request is encrypted as it arrives into
``FILE_STORE_DIR/tmp/<storage_key>.part``; at most one frame (64 KiB) of plaintext and the first
132 bytes are held in memory, and plaintext never touches the disk. The kind is sniffed from the
content; the size limit depends on it (``UPLOAD_MAX_BYTES_LARGE`` for zips and TIFF/SVS slides,
``UPLOAD_MAX_BYTES`` for everything else, single DICOM files included).

All checks run here, so every ``EncryptedUpload`` a view finds in ``request.FILES`` is accepted:

* unknown type or too large: the temporary file is deleted and the upload stops at once
  (``StopUpload(connection_reset=False)``: Django reads and drops the rest of the body without
  storing it, so the browser receives a page that says why, instead of a reset connection; put the
  file field last in forms so the other fields are parsed first);
* empty file, or a zip that is not a safe DICOM study (checked in ``file_complete`` by reading the
  encrypted file back through ``EncryptedReader``): the file is deleted and left out of
  ``request.FILES``; the rest of the form is still parsed.

Either way the reason is recorded as ``request.upload_error`` (the first one; read it with
``get_upload_error(request)``) and in ``handler.rejections``.

How the product uses it: `cases.views.documents.receive_upload` (the page and the API) checks
``get_upload_error(request)`` and the form, then calls `cases.actions.add_document`, which creates the
row and its audit entry in one transaction, calls ``storage.promote_on_commit(upload)``, and
``storage.discard(upload)`` on any failure.
"""

from __future__ import annotations

import contextlib
import os
import weakref
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers, StopUpload
from django.http import HttpRequest

from . import storage
from .crypto import EncryptedReader, EncryptedWriter
from .sniff import (
    KIND_DICOM_ZIP,
    KIND_TIFF,
    KIND_ZIP,
    SNIFF_BYTES,
    UploadRejected,
    ZipSummary,
    detect_kind,
    inspect_dicom_zip,
    too_large,
)

__all__ = [
    "EncryptedUpload",
    "EncryptingUploadHandler",
    "UploadRejected",
    "discard_request_files",
    "get_upload_error",
    "size_limit",
    "upload_from_bytes",
]

LARGE_KINDS = frozenset({KIND_ZIP, KIND_DICOM_ZIP, KIND_TIFF})


def size_limit(kind: str | None) -> int:
    """Upper bound in bytes for a file of ``kind`` (None: kind not known yet - the larger limit)."""
    if kind is None or kind in LARGE_KINDS:
        return max(int(settings.UPLOAD_MAX_BYTES_LARGE), int(settings.UPLOAD_MAX_BYTES))
    return int(settings.UPLOAD_MAX_BYTES)


def get_upload_error(request: HttpRequest) -> UploadRejected | None:
    """The first upload refused while parsing this request's body, if any."""
    return getattr(request, "upload_error", None)


class EncryptedUpload(UploadedFile):
    """An accepted upload, encrypted in a temporary file until ``storage.promote_on_commit``.

    ``name`` is the original file name (metadata only), ``size`` the plaintext size, ``sha256`` its
    hex digest, ``kind`` one of ``pdf jpeg png dicom tiff dicom_zip``; ``content_type`` is what the
    browser claimed; ``CONTENT_TYPES[kind]`` is what we found. ``open()`` / ``chunks()`` and
    ``open_plaintext()`` read the plaintext (decrypting on the fly). There is no
    ``temporary_file_path()``: the file on disk is ciphertext.
    """

    def __init__(
        self,
        *,
        name: str,
        size: int,
        sha256: str,
        kind: str,
        storage_key: str,
        temp_path: Path,
        content_type: str | None = None,
        zip_summary: ZipSummary | None = None,
    ) -> None:
        super().__init__(file=None, name=name, content_type=content_type, size=size)
        self.sha256 = sha256
        self.kind = kind
        self.zip_summary = zip_summary
        self.pending = storage.PendingFile(storage_key, temp_path)
        # Safety net: once nothing refers to this upload (request over, or a rolled-back transaction
        # dropped the on-commit callback) an unpromoted temporary file is removed.
        self._finalizer = weakref.finalize(self, storage.release_unpromoted, self.pending)
        self._finalizer.atexit = False

    @property
    def storage_key(self) -> str:
        return self.pending.storage_key

    @property
    def temp_path(self) -> Path:
        return self.pending.temp_path

    @property
    def state(self) -> str:
        return self.pending.state

    def open_plaintext(self) -> EncryptedReader:
        """A new seekable plaintext reader (the caller closes it); works before and after promotion."""
        if self.pending.state == storage.PROMOTED:
            return EncryptedReader(storage.final_path(self.storage_key))
        return EncryptedReader(self.temp_path)

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> EncryptedUpload:
        if self.file is not None and not self.file.closed:
            self.file.seek(0)
        else:
            self.file = self.open_plaintext()  # type: ignore[assignment]
        return self

    def chunks(self, chunk_size: int | None = None) -> Any:
        self.open()
        return super().chunks(chunk_size)

    def close(self) -> None:
        """Close the plaintext reader, if open. The temporary file stays until promoted or discarded."""
        if self.file is not None:
            self.file.close()
            self.file = None


def _remove_paths(paths: set[Path]) -> None:
    for path in list(paths):
        with contextlib.suppress(OSError):
            path.unlink()
    paths.clear()


class EncryptingUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.rejections: list[UploadRejected] = []
        # Temporary files of uploads still being received; removed if the handler is dropped mid-file
        # (e.g. the parser raised on a malformed or cut-off body and never called upload_interrupted).
        self._inflight: set[Path] = set()
        weakref.finalize(self, _remove_paths, self._inflight).atexit = False
        self._reset()

    def _reset(self) -> None:
        self._fh: Any = None
        self._writer: EncryptedWriter | None = None
        self._key: str | None = None
        self._path: Path | None = None
        self._head = bytearray()
        self._kind: str | None = None
        self._received = 0

    # -- Django's handler interface -------------------------------------------------------------

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._abandon()
        self._key = storage.new_storage_key()
        self._path = storage.temp_path(self._key)
        storage.ensure_dir(self._path.parent)
        fd = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        self._inflight.add(self._path)
        self._fh = os.fdopen(fd, "wb")
        self._writer = EncryptedWriter(self._fh)
        raise StopFutureHandlers  # this handler stores the file; no other handler sees it

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self._writer is None:
            return None
        if self._kind is None:
            self._head += raw_data[: SNIFF_BYTES - len(self._head)]
            if len(self._head) >= SNIFF_BYTES:
                self._decide_kind(stop=True)
        limit = size_limit(self._kind)
        if self._received + len(raw_data) > limit:
            self._reject(too_large(limit), stop=True)
        try:
            self._writer.write(raw_data)
        except OSError:  # e.g. disk full: leave nothing behind
            self._abandon()
            raise
        self._received += len(raw_data)
        return None  # the chunk is consumed: later handlers get nothing

    def file_complete(self, file_size: int) -> EncryptedUpload | None:
        if self._writer is None or self._path is None or self._key is None:
            return None
        if self._received == 0:
            self._reject(UploadRejected("empty_file"), stop=False)
            return None
        if self._kind is None and not self._decide_kind(stop=False):
            return None
        kind = self._kind
        assert kind is not None
        try:
            self._writer.close()
            self._fh.flush()
            os.fsync(self._fh.fileno())  # durable before the database row can point at it
            self._fh.close()
        except OSError:
            self._abandon()
            raise
        upload = EncryptedUpload(
            name=self.file_name or "upload",
            size=self._writer.size,
            sha256=self._writer.sha256_hex,
            kind=kind,
            storage_key=self._key,
            temp_path=self._path,
            content_type=self.content_type,
        )
        self._inflight.discard(self._path)  # the upload owns the temporary file now
        self._reset()
        if kind == KIND_ZIP:
            try:
                with upload.open_plaintext() as reader:
                    upload.zip_summary = inspect_dicom_zip(
                        reader,
                        max_entries=settings.ZIP_MAX_ENTRIES,
                        max_uncompressed=settings.ZIP_MAX_UNCOMPRESSED,
                        max_ratio=settings.ZIP_MAX_RATIO,
                    )
            except UploadRejected as exc:
                storage.discard(upload)
                self._record(exc)
                return None
            upload.kind = KIND_DICOM_ZIP
        return upload

    def upload_interrupted(self) -> None:
        self._abandon()

    def upload_complete(self) -> None:
        self._abandon()  # nothing should be in flight here; be certain

    # -- helpers ------------------------------------------------------------------------------------

    def _decide_kind(self, *, stop: bool) -> bool:
        kind = detect_kind(bytes(self._head))
        if kind is None:
            self._reject(UploadRejected("unsupported_type"), stop=stop)
            return False
        self._kind = kind
        return True

    def _record(self, exc: UploadRejected) -> None:
        exc.field_name = getattr(self, "field_name", None)  # type: ignore[attr-defined]
        exc.file_name = self.file_name  # type: ignore[attr-defined]
        self.rejections.append(exc)
        if self.request is not None and getattr(self.request, "upload_error", None) is None:
            setattr(self.request, "upload_error", exc)  # noqa: B010 - an attribute HttpRequest does not declare

    def _reject(self, exc: UploadRejected, *, stop: bool) -> None:
        self._record(exc)
        self._abandon()
        if stop:
            raise StopUpload(connection_reset=False)

    def _abandon(self) -> None:
        """Forget the file being received and delete its temporary file."""
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.close()
        if self._path is not None:
            with contextlib.suppress(FileNotFoundError):
                self._path.unlink()
            self._inflight.discard(self._path)
        self._reset()


def upload_from_bytes(data: bytes, name: str) -> EncryptedUpload:
    """Encrypt bytes made by code (demo data, imports) into a pending upload, as the handler would.

    The same content rules apply: an unknown type or an empty file raises ``UploadRejected``.
    """
    import hashlib

    kind = detect_kind(data[:SNIFF_BYTES])
    if not data:
        raise UploadRejected("empty_file")
    if kind is None or kind == KIND_ZIP:
        raise UploadRejected("unsupported_type")
    key = storage.new_storage_key()
    temp = storage.temp_path(key)
    storage.ensure_dir(temp.parent)
    with open(temp, "wb") as handle:
        writer = EncryptedWriter(handle)
        writer.write(data)
        writer.close()
    return EncryptedUpload(
        name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        storage_key=key,
        temp_path=temp,
    )


def discard_request_files(request: HttpRequest) -> None:
    """Delete the temporary files of every upload in a request that will not be stored."""
    for upload in request.FILES.values() if hasattr(request, "_files") else []:
        if isinstance(upload, EncryptedUpload):
            storage.discard(upload)
