"""Zips judged by what they really unpack to: overlapping entries, lying headers, nested archives, ratios.

Every hostile archive is built here, small; the one that would inflate to a gigabyte is refused after a
few kilobytes, and the test counts the bytes the decompressor produced to prove it.
"""

from __future__ import annotations

import bz2
import gzip
import io
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydicom.data import get_testdata_file

from secondopinion.cases.models import Document
from secondopinion.core import archives
from secondopinion.core.sniff import UploadRejected, ZipSummary, detect_kind, inspect_dicom_zip
from tests.api.test_api import assert_problem
from tests.api.test_api import upload as api_upload
from tests.cases.test_document_upload import assert_refused, stored_files
from tests.cases.test_document_upload import upload as page_upload

DICOM = Path(str(get_testdata_file("CT_small.dcm"))).read_bytes()
DICOM_2 = Path(str(get_testdata_file("MR_small.dcm"))).read_bytes()
LIMITS = {"max_entries": 10_000, "max_uncompressed": 4 * 1024**3, "max_ratio": 100}
LOCAL = struct.Struct("<4s5H3L2H")
CENTRAL = struct.Struct("<4s6H3L5H2L")
END = struct.Struct("<4s4H2LH")


@dataclass
class Entry:
    name: bytes
    data: bytes  # the bytes stored after the local header (compressed)
    crc: int
    size: int  # uncompressed size declared in the central directory
    method: int = zipfile.ZIP_DEFLATED
    local_size: int | None = None  # a different size in the local header
    extra: bytes = b""


def deflate(plain: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(plain) + packer.flush()


def deflated(name: str, plain: bytes, *, size: int | None = None, pad: bytes = b"") -> Entry:
    return Entry(name.encode(), deflate(plain) + pad, zlib.crc32(plain), len(plain) if size is None else size)


def local_header(entry: Entry) -> bytes:
    size = entry.size if entry.local_size is None else entry.local_size
    fields = (b"PK\x03\x04", 20, 0, entry.method, 0, 0x21, entry.crc, len(entry.data), size)
    return LOCAL.pack(*fields, len(entry.name), len(entry.extra)) + entry.name + entry.extra


def central_header(entry: Entry, offset: int) -> bytes:
    fields = (b"PK\x01\x02", 20, 20, 0, entry.method, 0, 0x21, entry.crc, len(entry.data), entry.size)
    return CENTRAL.pack(*fields, len(entry.name), 0, 0, 0, 0, 0, offset) + entry.name


def end_record(count: int, directory: bytes, offset: int) -> bytes:
    return END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)


def raw_zip(entries: list[Entry]) -> bytes:
    """Entries one after another, each with its own local header: a well-formed layout."""
    body, directory = bytearray(), bytearray()
    for entry in entries:
        directory += central_header(entry, len(body))
        body += local_header(entry) + entry.data
    return bytes(body + directory + end_record(len(entries), bytes(directory), len(body)))


def overlapping_zip(count: int, kernel: bytes) -> bytes:
    """Fifield's non-recursive bomb, small: each entry's data quotes the next entry's local header in a
    stored deflate block and then continues into that entry's data, so all share one compressed kernel.
    The quoted headers' extra field puts ``DICM`` at offset 128, so every entry sniffs as DICOM (the
    first header, at the start of the file, has none: the upload itself must sniff as a zip)."""
    names = [f"study/IM{i:04}".encode() for i in range(count)]
    entries: list[Entry] = []
    data, plain = deflate(kernel), kernel
    for name in reversed(names):
        entry = Entry(name, data, zlib.crc32(plain), len(plain))
        entries.insert(0, entry)
        if name == names[0]:
            break
        pad = 128 - LOCAL.size - len(name) - 4
        entry.extra = struct.pack("<HH", 0x6666, pad + 4) + bytes(pad) + b"DICM"
        header = local_header(entry)
        data = b"\x00" + struct.pack("<HH", len(header), len(header) ^ 0xFFFF) + header + data
        plain = header + plain
    body = local_header(entries[0]) + entries[0].data
    directory, offset = bytearray(), 0
    for entry in entries:
        directory += central_header(entry, offset)
        offset += len(local_header(entry)) + 5  # the next header sits right after the quote's 5 bytes
    return body + bytes(directory) + end_record(count, bytes(directory), len(body))


def inspect(data: bytes, **limits: int) -> ZipSummary:
    return inspect_dicom_zip(io.BytesIO(data), **{**LIMITS, **limits})


def refusal(data: bytes, **limits: int) -> UploadRejected:
    with pytest.raises(UploadRejected) as info:
        inspect(data, **limits)
    assert str(info.value.message).endswith(".")  # a sentence for the patient
    return info.value


def zipped(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return raw.getvalue()


@pytest.fixture
def produced(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the pieces the deflate decompressor hands out, to show where it stopped."""
    pieces: list[int] = []
    feed = archives._Deflated.feed

    def counting(self: archives._Deflated, data: bytes, *, last: bool) -> Iterator[bytes]:
        for piece in feed(self, data, last=last):
            pieces.append(len(piece))
            yield piece

    monkeypatch.setattr(archives._Deflated, "feed", counting)
    return pieces


# -- still accepted -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2])
def test_small_dicom_study_is_accepted(method: int) -> None:
    data = zipped({"study/": b"", "study/IM1": DICOM, "study/IM2": DICOM_2, "DICOMDIR": b"index"}, method)
    summary = inspect(data)
    assert (summary.dicom_files, summary.entries, summary.has_dicomdir) == (2, 4, True)


def test_the_hand_built_layout_is_accepted_when_honest() -> None:
    assert inspect(raw_zip([deflated("IM1", DICOM), deflated("IM2", DICOM_2)])).dicom_files == 2


# -- overlapping entries ------------------------------------------------------------------------------


def test_fifield_overlapping_entries_are_refused() -> None:
    bomb = overlapping_zip(30, DICOM)
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        infos = archive.infolist()
        assert [archive.read(i)[128:132] for i in infos[:3]] == [b"DICM"] * 3  # a valid zip to zipfile
    declared = sum(i.file_size for i in infos)
    assert declared > 20 * len(bomb)  # unpacks to far more than its size...
    assert (
        declared / sum(i.compress_size for i in infos) < LIMITS["max_ratio"]
    )  # ...yet its headers look fine
    refused = refusal(bomb)
    assert refused.code == "archive_refused"
    assert refused.detail.startswith("overlap")
    assert "share the same packed data" in str(refused.message)


def test_entries_pointing_at_the_same_data_are_refused() -> None:
    entry = deflated("IM1", DICOM)
    body = local_header(entry) + entry.data
    directory = b"".join(
        central_header(Entry(f"IM{i}".encode(), entry.data, entry.crc, entry.size), 0) for i in range(5)
    )
    data = body + directory + end_record(5, directory, len(body))
    refused = refusal(data)
    assert (refused.code, refused.detail[:7]) == ("archive_refused", "overlap")


def test_entry_data_running_into_the_directory_is_refused() -> None:
    data = bytearray(raw_zip([deflated("IM1", DICOM)]))
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<L", data, central + 20, len(data))  # compressed size past the end of the data
    struct.pack_into("<L", data, 18, len(data))  # and the same in the local header
    assert refusal(bytes(data)).code == "archive_refused"


# -- headers that under-declare sizes -----------------------------------------------------------------


def gigabyte_of_zeros() -> bytes:
    """A raw deflate stream of DICOM[:132] and then 1 GiB of zeros, about 1 MB long, made without
    inflating anything: after a full flush, every further MiB of zeros compresses to the same bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    first = packer.compress(DICOM[:132] + bytes(1024 * 1024 - 132)) + packer.flush(zlib.Z_FULL_FLUSH)
    segment = packer.compress(bytes(1024 * 1024)) + packer.flush(zlib.Z_FULL_FLUSH)
    return first + segment * 1023 + b"\x03\x00"  # an empty final block ends the stream


def test_under_declared_size_stops_inflating_at_the_declared_size(produced: list[int]) -> None:
    stream = gigabyte_of_zeros()
    assert len(stream) < 1_200_000
    declared = 200_000  # under the per-entry ratio floor, so the headers alone raise no alarm
    data = raw_zip([deflated("IM1", DICOM), Entry(b"IM2", stream, 0, declared)])
    refused = refusal(data)
    assert refused.code == "archive_refused"
    assert refused.detail.startswith("size")
    assert "unpacks to more data than the zip file says" in str(refused.message)
    # The first entry is read whole; the second stops within one piece of its declared size.
    assert sum(produced) <= len(DICOM) + declared + archives.OUTPUT_CHUNK
    assert max(produced) <= archives.OUTPUT_CHUNK


def test_under_declared_stored_entry_is_refused() -> None:
    data = raw_zip([Entry(b"IM1", DICOM, zlib.crc32(DICOM), 1000, method=zipfile.ZIP_STORED)])
    assert refusal(data).code == "archive_refused"


def test_local_header_disagreeing_with_the_directory_is_refused() -> None:
    # A reader that trusts local headers would see a different archive than zipfile does.
    entry = deflated("IM1", DICOM)
    entry.local_size = 132
    refused = refusal(raw_zip([entry]))
    assert (refused.code, refused.detail[:7]) == ("archive_refused", "headers")


def test_over_declared_size_is_corrupt() -> None:
    assert refusal(raw_zip([deflated("IM1", DICOM, size=len(DICOM) + 10)])).code == "zip_corrupt"


def test_a_method_without_a_bounded_decompressor_is_refused() -> None:
    assert refusal(zipped({"IM1": DICOM}, zipfile.ZIP_LZMA)).code == "archive_refused"


# -- nested archives ----------------------------------------------------------------------------------


def tar_of_dicom() -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        member = tarfile.TarInfo("IM1")
        member.size = len(DICOM)
        tar.addfile(member, io.BytesIO(DICOM))
    return raw.getvalue()


@pytest.mark.parametrize(
    "inner",
    [
        pytest.param(lambda: zipped({"IM1": DICOM}), id="zip"),
        pytest.param(lambda: gzip.compress(DICOM), id="gzip"),
        pytest.param(lambda: bz2.compress(DICOM), id="bzip2"),
        pytest.param(lambda: b"7z\xbc\xaf\x27\x1c\x00\x04" + DICOM, id="7z"),
        pytest.param(lambda: b"Rar!\x1a\x07\x01\x00" + DICOM, id="rar"),
        pytest.param(tar_of_dicom, id="tar"),
    ],
)
def test_nested_archive_is_refused(inner: object) -> None:
    payload = inner()  # type: ignore[operator]
    refused = refusal(zipped({"study/IM1": DICOM, "study/more.bin": payload}))
    assert refused.code == "archive_refused"
    assert "holds another packed file" in str(refused.message)


@pytest.mark.parametrize("name", ["DICOMDIR", "__MACOSX/study/._IM1", "study/.DS_Store"])
def test_nested_archive_in_an_ignored_entry_is_refused(name: str) -> None:
    refused = refusal(zipped({"study/IM1": DICOM, name: zipped({"IM2": DICOM})}))
    assert refused.code == "archive_refused"


def test_dicom_whose_preamble_is_a_zip_is_refused() -> None:
    # DICOM lets the 128-byte preamble hold anything; a zip header there makes a zip/DICOM polyglot.
    polyglot = b"PK\x03\x04" + DICOM[4:]
    refused = refusal(zipped({"IM1": DICOM, "IM2": polyglot}))
    assert refused.code == "archive_refused"


# -- too many entries and ratios ----------------------------------------------------------------------


def test_too_many_entries() -> None:
    data = zipped({f"IM{i}": DICOM for i in range(6)})
    assert refusal(data, max_entries=5).code == "zip_too_many_entries"


def test_high_ratio_single_entry_by_its_headers() -> None:
    assert refusal(zipped({"IM1": DICOM[:132] + bytes(8 * 1024 * 1024)})).code == "zip_ratio"


def test_high_ratio_hidden_by_padding_is_refused_on_real_bytes() -> None:
    # 4 MiB of zeros deflate to about 4 kB; 60 kB of padding after the stream makes the header's
    # ratio look fine (about 70:1), but the decompressor really used a thousandth of the bytes.
    plain = DICOM[:132] + bytes(4 * 1024 * 1024)
    entry = deflated("IM1", plain, pad=bytes(60_000))
    assert entry.size / len(entry.data) < LIMITS["max_ratio"]
    refused = refusal(raw_zip([entry]))
    assert (refused.code, refused.detail[:5]) == ("archive_refused", "ratio")


# -- through HTTP: refused at upload, nothing stored --------------------------------------------------


@pytest.mark.django_db
def test_page_shows_why_an_overlapping_zip_is_refused(patient_client: Any, case: Any) -> None:
    response = page_upload(
        patient_client, case, overlapping_zip(30, DICOM), "study.zip", kind="imaging_study"
    )
    assert_refused(response, "share the same packed data", "archive_refused")  # 400, on the form, no file


@pytest.mark.django_db
def test_api_refuses_a_nested_zip_with_a_stable_code(patient_client: Any, case: Any) -> None:
    data = zipped({"study/IM1": DICOM, "study/IM2.zip": zipped({"IM2": DICOM})})
    response = api_upload(patient_client, case.pk, data, name="study.zip", kind="imaging_study")
    body = assert_problem(response, 422, "archive_refused")
    assert "holds another packed file" in body["detail"]
    assert not Document.objects.filter(case=case).exists()
    assert stored_files() == []


def test_single_dicom_file_whose_preamble_is_a_zip_is_not_accepted() -> None:
    # Otherwise a zip bomb with DICM at offset 128 would be stored as one DICOM file, never inspected.
    assert detect_kind(b"PK\x03\x04" + DICOM[4:132]) is None
    assert detect_kind(gzip.compress(b"x")[:4] + DICOM[4:132]) is None
    assert detect_kind(DICOM[:132]) == "dicom"  # a TIFF preamble is still fine
