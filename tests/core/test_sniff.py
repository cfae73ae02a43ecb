"""Type detection by content, and the checks on zips of DICOM studies."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.data import get_testdata_file

from secondopinion.core.crypto import EncryptedReader, EncryptedWriter
from secondopinion.core.sniff import SNIFF_BYTES, UploadRejected, ZipSummary, detect_kind, inspect_dicom_zip

CT_SMALL = Path(str(get_testdata_file("CT_small.dcm")))
DICOM = CT_SMALL.read_bytes()
LIMITS = {"max_entries": 10_000, "max_uncompressed": 4 * 1024**3, "max_ratio": 100}


def build_zip(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", method) as zf:
        for name, data in entries.items():
            if name.endswith("/"):
                zf.writestr(zipfile.ZipInfo(name), b"")
            else:
                zf.writestr(name, data)
    return raw.getvalue()


def inspect(data: bytes, **limits: int) -> ZipSummary:
    return inspect_dicom_zip(io.BytesIO(data), **{**LIMITS, **limits})


def code_of(data: bytes, **limits: int) -> str:
    with pytest.raises(UploadRejected) as info:
        inspect(data, **limits)
    assert str(info.value.message)  # a sentence for the patient
    return info.value.code


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"),
        (b"II*\x00\x08\x00\x00\x00", "tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "tiff"),
        (b"II+\x00\x08\x00\x00\x00", "tiff"),
        (b"MM\x00+\x00\x08\x00\x00", "tiff"),
        (b"PK\x03\x04\x14\x00", "zip"),
        (b"PK\x05\x06" + b"\x00" * 18, "zip"),
        (b"GIF89a", None),
        (b"<html><script>", None),
        (b"MZ\x90\x00", None),
        (b"", None),
        (b"%PD", None),
    ],
)
def test_detect_kind_by_signature(head: bytes, kind: str | None) -> None:
    assert detect_kind(head + b"\x00" * 200) == kind
    assert detect_kind(head) == kind


def test_real_dicom_file() -> None:
    assert detect_kind(DICOM[:SNIFF_BYTES]) == "dicom"
    assert detect_kind(DICOM) == "dicom"


def test_dicom_with_tiff_preamble_is_dicom() -> None:
    # The DICOM standard allows a TIFF header in the preamble (CT_small.dcm has one): DICM at 128 decides.
    assert DICOM.startswith(b"II*\x00")
    assert detect_kind(DICOM[:SNIFF_BYTES]) == "dicom"
    assert detect_kind(b"%PDF-" + DICOM[5:]) == "dicom"


def test_dicom_without_preamble_is_refused() -> None:
    assert detect_kind(DICOM[132:]) is None


def test_extension_is_irrelevant(tmp_path: Path) -> None:
    # detect_kind takes no name at all; a PDF called .jpg is a PDF, a text file called .dcm is nothing.
    fake = tmp_path / "scan.dcm"
    fake.write_bytes(b"just text, not a DICOM file" * 10)
    assert detect_kind(fake.read_bytes()[:SNIFF_BYTES]) is None
    pdf = tmp_path / "photo.jpg"
    pdf.write_bytes(b"%PDF-1.4 ...")
    assert detect_kind(pdf.read_bytes()) == "pdf"


def test_good_dicom_zip() -> None:
    entries = {
        "study/": b"",
        "study/series1/IM0001": DICOM,
        "study/series1/IM0002.dcm": DICOM,
        "DICOMDIR": b"not checked",
        "__MACOSX/study/._IM0001": b"\x00\x05\x16\x07 mac resource fork",
        "study/.DS_Store": b"\x00\x00\x00\x01Bud1",
    }
    summary = inspect(build_zip(entries))
    assert summary.dicom_files == 2
    assert summary.has_dicomdir
    assert summary.entries == 6
    assert summary.ignored == 4
    assert summary.total_uncompressed == sum(len(v) for v in entries.values())


def test_stored_dicom_zip_read_from_encrypted_file(tmp_path: Path) -> None:
    data = build_zip({f"IM{i:04}": DICOM for i in range(30)}, method=zipfile.ZIP_STORED)
    path = tmp_path / "z.enc"
    key = bytes(32)
    with path.open("wb") as fh:
        writer = EncryptedWriter(fh, master_key=key)
        writer.write(data)
        writer.close()
    with EncryptedReader(path, master_key=key) as reader:
        assert inspect_dicom_zip(reader, **LIMITS).dicom_files == 30


def test_pydicom_reads_plaintext_through_encrypted_reader(tmp_path: Path) -> None:
    path = tmp_path / "ct.enc"
    key = bytes(32)
    with path.open("wb") as fh:
        writer = EncryptedWriter(fh, master_key=key)
        writer.write(DICOM)
        writer.close()
    with EncryptedReader(path, master_key=key) as reader:
        ds = dcmread(reader)
        assert ds.Modality == "CT"
        assert ds.PixelData == dcmread(CT_SMALL).PixelData  # read to the end, through seeks


def test_too_many_entries() -> None:
    data = build_zip({f"IM{i}": DICOM for i in range(6)})
    assert code_of(data, max_entries=5) == "zip_too_many_entries"
    assert inspect(data, max_entries=6).dicom_files == 6


def test_declared_total_too_large() -> None:
    data = build_zip({"IM1": DICOM, "IM2": DICOM})
    assert code_of(data, max_uncompressed=len(DICOM)) == "zip_too_large"


def test_zip_bomb_entry_ratio() -> None:
    bomb = build_zip({"IM1": DICOM, "zeros.dcm": DICOM[:132] + b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    assert code_of(bomb) == "zip_ratio"


def test_whole_archive_ratio() -> None:
    # Many 900 KiB entries of zeros: each under the per-entry floor, together far over the ratio.
    data = build_zip({f"IM{i}": DICOM[:132] + b"\x00" * (900 * 1024) for i in range(4)})
    assert code_of(data) == "zip_ratio"
    assert inspect(data, max_ratio=10_000).dicom_files == 4


def test_small_compressible_entry_is_not_a_bomb() -> None:
    data = build_zip({"IM1": DICOM[:132] + b"\x00" * 50_000, "IM2": DICOM})
    assert inspect(data).dicom_files == 2


@pytest.mark.parametrize(
    "name",
    ["../x.dcm", "/etc/x", "study/../../x.dcm", "study\\..\\x.dcm", "C:/x.dcm", "c:x.dcm", "a/b/.."],
)
def test_path_traversal(name: str) -> None:
    assert code_of(build_zip({"IM1": DICOM, name: DICOM})) == "zip_path_traversal"


def test_symlink_entry_is_refused() -> None:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as zf:
        zf.writestr("IM1", DICOM)
        link = zipfile.ZipInfo("link")
        link.create_system = 3
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
    assert code_of(raw.getvalue()) == "zip_path_traversal"


def test_dicom_study_with_other_files() -> None:
    assert code_of(build_zip({"IM1": DICOM, "viewer.exe": b"MZ" + b"\x00" * 500})) == "zip_not_dicom"


def test_zip_of_something_else_is_unsupported() -> None:
    assert code_of(build_zip({"report.pdf": b"%PDF-1.4" + b"x" * 300})) == "unsupported_type"


def test_zip_with_no_files() -> None:
    assert code_of(build_zip({"empty/": b""})) == "zip_no_dicom"
    assert code_of(build_zip({})) == "zip_no_dicom"


def test_encrypted_entry() -> None:
    data = bytearray(build_zip({"IM1": DICOM}, method=zipfile.ZIP_STORED))
    # Set the "encrypted" general-purpose flag in both the local and the central header.
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.find(sig)
        flag_at = at + (6 if sig == b"PK\x03\x04" else 8)
        data[flag_at] |= 0x01
    assert code_of(bytes(data)) == "zip_encrypted"


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + b"garbage" * 50,
        build_zip({"IM1": DICOM})[:-30],  # end of central directory cut off
    ],
)
def test_corrupt_zip(data: bytes) -> None:
    assert code_of(data) == "zip_corrupt"


def test_corrupt_entry_data() -> None:
    data = bytearray(build_zip({"IM1": DICOM}))
    start = data.find(b"IM1") + 3  # compressed data follows the local header's name
    data[start : start + 40] = b"\xff" * 40
    assert code_of(bytes(data)) == "zip_corrupt"


def test_rejection_messages_are_translatable_sentences() -> None:
    from django.utils.translation import override

    with pytest.raises(UploadRejected) as info:
        inspect(build_zip({"../x": DICOM}))
    with override("en"):
        text = str(info.value)
    assert text.endswith(".") and "zip" in text
    assert "x" not in info.value.code


def test_oversized_central_directory_is_refused_before_loading() -> None:
    # Five entries are allowed, but their 20 kB names make a directory larger than five entries need.
    data = build_zip({f"{'d' * 20_000}/IM{i}": DICOM for i in range(5)}, method=zipfile.ZIP_STORED)
    assert code_of(data, max_entries=5) == "zip_too_many_entries"
    assert inspect(data, max_entries=200).dicom_files == 5


def test_forged_entry_count_is_still_caught() -> None:
    data = bytearray(build_zip({f"IM{i}": DICOM for i in range(6)}))
    eocd = data.rfind(b"PK\x05\x06")
    data[eocd + 8 : eocd + 12] = (1).to_bytes(2, "little") * 2  # claim a single entry
    assert code_of(bytes(data), max_entries=5) == "zip_too_many_entries"


def test_zip64_end_records_are_understood(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 2)  # make zipfile write zip64 end records
    data = build_zip({f"IM{i}": DICOM for i in range(4)})
    monkeypatch.undo()
    assert b"PK\x06\x06" in data and b"PK\x06\x07" in data
    assert inspect(data).dicom_files == 4
    assert code_of(data, max_entries=3) == "zip_too_many_entries"
