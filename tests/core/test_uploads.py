"""The encrypting upload handler, driven through Django's own multipart parser."""

from __future__ import annotations

import gc
import hashlib
import io
import random
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopFutureHandlers
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParser
from django.template.defaultfilters import filesizeformat
from django.test import RequestFactory
from pydicom.data import get_testdata_file

from secondopinion.core.crypto import FRAME_SIZE
from secondopinion.core.sniff import CONTENT_TYPES, SNIFF_BYTES, detect_kind
from secondopinion.core.uploads import EncryptedUpload, EncryptingUploadHandler, get_upload_error

BOUNDARY = "----secondopinionTestBoundary7MA4YWxkTrZu0gW"
DICOM = Path(str(get_testdata_file("CT_small.dcm"))).read_bytes()
PDF = b"%PDF-1.7\n" + b"BT /F1 12 Tf (Patient Jane Roe - invasive ductal carcinoma) Tj ET\n" * 3000


@pytest.fixture
def store(settings: Any, tmp_path: Path) -> Path:
    settings.FILE_STORE_DIR = tmp_path / "files"
    settings.UPLOAD_MAX_BYTES = 1_000_000
    settings.UPLOAD_MAX_BYTES_LARGE = 3_000_000
    return Path(settings.FILE_STORE_DIR)


def error_code(request: HttpRequest) -> str | None:
    error = get_upload_error(request)
    return None if error is None else error.code


def error_message(request: HttpRequest) -> str:
    error = get_upload_error(request)
    assert error is not None
    return str(error.message)


def stored_files(store: Path) -> list[Path]:
    return sorted(p for p in store.rglob("*") if p.is_file()) if store.exists() else []


class StreamingBody(io.RawIOBase):
    """A request body produced piece by piece, never held whole in memory; counts what was read."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self._pieces = pieces
        self._pending = b""
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1, /) -> bytes:
        if size is None:
            size = -1
        while size < 0 or len(self._pending) < size:
            try:
                self._pending += next(self._pieces)
            except StopIteration:
                break
        if size < 0:
            size = len(self._pending)
        out, self._pending = self._pending[:size], self._pending[size:]
        self.consumed += len(out)
        return out


def file_part(field: str, filename: str, content: Iterator[bytes], content_type: str) -> Iterator[bytes]:
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    yield from content
    yield b"\r\n"


def field_part(name: str, value: str) -> Iterator[bytes]:
    yield f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()


def body(*parts: Iterator[bytes], close: bool = True) -> Iterator[bytes]:
    for part in parts:
        yield from part
    if close:
        yield f"--{BOUNDARY}--\r\n".encode()


def parse(pieces: Iterator[bytes], length: int = 10**12) -> tuple[Any, Any, HttpRequest, StreamingBody]:
    request = HttpRequest()
    handler = EncryptingUploadHandler(request)
    request.upload_handlers = [handler]
    stream = StreamingBody(pieces)
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "CONTENT_LENGTH": str(length)}
    post, files = MultiPartParser(meta, stream, [handler]).parse()
    return post, files, request, stream


def upload_one(data: bytes, filename: str = "file.bin", content_type: str = "application/octet-stream"):
    payload = b"".join(
        body(file_part("file", filename, iter([data]), content_type), field_part("note", "hi"))
    )
    return parse(iter([payload]), len(payload))


def test_pdf_with_wrong_name_and_type_is_stored_encrypted(store: Path) -> None:
    post, files, request, _ = upload_one(PDF, "holiday.jpg", "image/jpeg")
    upload = files["file"]
    assert isinstance(upload, EncryptedUpload)
    assert get_upload_error(request) is None
    assert post["note"] == "hi"
    assert upload.name == "holiday.jpg"
    assert upload.kind == "pdf"
    assert upload.content_type == "image/jpeg"  # the browser's claim, kept as metadata
    assert CONTENT_TYPES[upload.kind] == "application/pdf"
    assert upload.size == len(PDF)
    assert upload.sha256 == hashlib.sha256(PDF).hexdigest()
    assert upload.temp_path == store / "tmp" / f"{upload.storage_key}.part"
    assert stored_files(store) == [upload.temp_path]
    assert b"Jane Roe" not in upload.temp_path.read_bytes()
    with upload.open_plaintext() as reader:
        assert reader.read() == PDF
    assert b"".join(upload.chunks()) == PDF
    upload.close()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\xff\xd8\xff\xe0" + b"j" * 5000, "jpeg"),
        (b"\x89PNG\r\n\x1a\n" + b"p" * 5000, "png"),
        (DICOM, "dicom"),
        (b"II*\x00" + b"t" * 5000, "tiff"),
        (b"%PDF-1.4\n%%EOF", "pdf"),  # shorter than the sniffing window
    ],
)
def test_each_kind(store: Path, data: bytes, kind: str) -> None:
    _, files, request, _ = upload_one(data)
    assert get_upload_error(request) is None
    assert files["file"].kind == kind
    assert files["file"].size == len(data)


def test_dicom_zip_is_checked_and_accepted(store: Path) -> None:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(3):
            zf.writestr(f"study/IM{i}", DICOM)
    _, files, _request, _ = upload_one(raw.getvalue(), "study.zip", "application/zip")
    upload = files["file"]
    assert upload.kind == "dicom_zip"
    assert upload.zip_summary.dicom_files == 3


def test_unsafe_zip_is_refused_and_deleted_but_form_still_parses(store: Path) -> None:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as zf:
        zf.writestr("../IM1", DICOM)
    post, files, request, _ = upload_one(raw.getvalue(), "study.zip")
    assert "file" not in files
    assert post["note"] == "hi"
    assert error_code(request) == "zip_path_traversal"
    assert stored_files(store) == []


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"GIF89a" + b"g" * 5000, "unsupported_type"),
        (b"plain text", "unsupported_type"),  # shorter than the sniffing window
        (DICOM[132:], "unsupported_type"),  # bare DICOM data set, no preamble
    ],
)
def test_refused_uploads_leave_nothing(store: Path, data: bytes, code: str) -> None:
    _, files, request, _ = upload_one(data, "scan.dcm")
    assert "file" not in files
    assert error_code(request) == code
    assert error_message(request).endswith(".")
    assert stored_files(store) == []


def test_unknown_type_stops_storing_and_drains_the_body(store: Path) -> None:
    chunks = (b"<html>" + b"x" * 65530 if i == 0 else b"x" * 65536 for i in range(200))
    _, files, request, stream = parse(body(file_part("file", "x.pdf", chunks, "application/pdf")))
    assert error_code(request) == "unsupported_type"
    assert stream.consumed > 200 * 65536  # read to the end (so the client gets the answer), nothing kept
    assert not files
    assert stored_files(store) == []


@pytest.mark.parametrize(
    ("head", "size", "accepted"),
    [
        (b"%PDF-", 1_000_000, True),
        (b"%PDF-", 1_000_001, False),
        (DICOM[:132], 1_000_001, False),  # single DICOM files get the default limit
        (b"II*\x00", 2_500_000, True),  # slides get the large limit
        (b"MM\x00*", 3_000_001, False),
    ],
)
def test_size_limit_depends_on_kind(store: Path, head: bytes, size: int, accepted: bool) -> None:
    content = head + b"\x00" * (size - len(head))
    _, files, request, _ = upload_one(content)
    if accepted:
        assert files["file"].size == size
        assert get_upload_error(request) is None
    else:
        assert "file" not in files
        assert error_code(request) == "too_large"
        limit = 3_000_000 if detect_kind(head) == "tiff" else 1_000_000
        assert filesizeformat(limit) in error_message(request)
        assert stored_files(store) == []


def test_over_limit_stops_storing_and_leaves_no_part_file(store: Path) -> None:
    chunks = (b"%PDF-" + b"x" * 65531 if i == 0 else b"x" * 65536 for i in range(500))  # ~32 MB
    _, files, request, stream = parse(body(file_part("file", "big.pdf", chunks, "application/pdf")))
    assert error_code(request) == "too_large"
    assert stream.consumed > 500 * 65536  # drained, not stored
    assert not files
    assert stored_files(store) == []


def test_memory_does_not_grow_with_file_size(store: Path, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 64 * 1024 * 1024
    size = 48 * 1024 * 1024
    digest = hashlib.sha256()
    rng = random.Random(5)

    def content() -> Iterator[bytes]:
        sent = 0
        while sent < size:
            piece = (b"%PDF-" + rng.randbytes(100_000 - 5)) if sent == 0 else rng.randbytes(100_000)
            piece = piece[: size - sent]
            digest.update(piece)
            sent += len(piece)
            yield piece

    request = HttpRequest()
    handler = EncryptingUploadHandler(request)
    most = 0
    original = handler.receive_data_chunk

    def spy(raw: bytes, start: int) -> None:
        nonlocal most
        original(raw, start)
        writer = handler._writer  # plaintext bytes held in memory right now
        most = max(most, len(handler._head) + (writer.buffered if writer is not None else 0))

    handler.receive_data_chunk = spy  # type: ignore[method-assign,assignment]
    meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}", "CONTENT_LENGTH": str(10**12)}
    tracemalloc.start()
    try:
        stream = StreamingBody(body(file_part("f", "a.pdf", content(), "x/y")))
        _, files = MultiPartParser(meta, stream, [handler]).parse()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    upload = files["f"]
    assert isinstance(upload, EncryptedUpload)
    assert upload.size == size
    assert upload.sha256 == digest.hexdigest()
    assert most <= FRAME_SIZE + SNIFF_BYTES
    print(f"peak traced memory {peak} bytes, most plaintext held {most}")
    assert peak < 4 * 1024 * 1024, f"peak traced memory {peak} bytes for a {size}-byte upload"


def test_several_files_in_one_request(store: Path) -> None:
    pieces = body(
        file_part("a", "one.pdf", iter([PDF]), "application/pdf"),
        file_part("b", "two.png", iter([b"\x89PNG\r\n\x1a\n" + b"p" * 300]), "image/png"),
        file_part("c", "three.gif", iter([b"GIF89a" + b"g" * 300]), "image/gif"),
    )
    _, files, request, _ = parse(pieces)
    # The unsupported third file stops the upload, the first two are kept.
    assert files["a"].kind == "pdf" and files["b"].kind == "png"
    assert error_code(request) == "unsupported_type"
    assert {p.name for p in stored_files(store)} == {
        f"{files['a'].storage_key}.part",
        f"{files['b'].storage_key}.part",
    }


def test_cut_off_body_calls_upload_interrupted_and_leaves_nothing(store: Path) -> None:
    pieces = body(file_part("file", "a.pdf", iter([PDF[:200_000]]), "application/pdf"), close=False)
    _, files, _, _ = parse(pieces)
    assert not files
    assert stored_files(store) == []


def test_upload_interrupted_directly(store: Path) -> None:
    handler = EncryptingUploadHandler(HttpRequest())
    with pytest.raises(StopFutureHandlers):
        handler.new_file("file", "a.pdf", "application/pdf", None)
    handler.receive_data_chunk(PDF[:100_000], 0)
    assert len(stored_files(store)) == 1
    handler.upload_interrupted()
    assert stored_files(store) == []


def test_dropped_handler_removes_its_part_file(store: Path) -> None:
    handler = EncryptingUploadHandler(HttpRequest())
    with pytest.raises(StopFutureHandlers):
        handler.new_file("file", "a.pdf", "application/pdf", None)
    handler.receive_data_chunk(PDF[:100_000], 0)
    assert len(stored_files(store)) == 1
    del handler
    gc.collect()
    assert stored_files(store) == []


def test_request_factory_uses_the_configured_handler(store: Path) -> None:
    request = RequestFactory().post("/upload", {"file": SimpleUploadedFile("r.pdf", PDF), "note": "x"})
    upload = request.FILES["file"]
    assert isinstance(upload, EncryptedUpload)
    assert upload.kind == "pdf"
    with upload.open() as f:
        assert f.read(5) == b"%PDF-"


def test_disk_full_leaves_nothing(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    handler = EncryptingUploadHandler(HttpRequest())
    with pytest.raises(StopFutureHandlers):
        handler.new_file("file", "a.pdf", "application/pdf", None)

    def full(self: Any, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("secondopinion.core.crypto.EncryptedWriter.write", full)
    with pytest.raises(OSError, match="No space"):
        handler.receive_data_chunk(PDF[:1000], 0)
    assert stored_files(store) == []
