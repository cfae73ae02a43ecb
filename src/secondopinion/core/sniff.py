"""Decide what an uploaded file is from its content, and check zips of DICOM studies without unpacking.

Kinds: ``pdf``, ``jpeg``, ``png``, ``dicom`` (a DICOM Part 10 file: ``DICM`` at offset 128), ``tiff``
(classic and BigTIFF, either byte order; Aperio SVS slides are TIFF), ``zip``. A zip is accepted only
as a DICOM study; once checked, the upload's kind becomes ``dicom_zip``. The file name and the
browser's content type are never consulted.

DICOM wins over every other signature: the DICOM standard lets the 128-byte preamble hold another
format's header (e.g. TIFF), so a file with ``DICM`` at offset 128 is treated as DICOM - unless the
preamble starts like an archive (zip, gzip, 7z...): such a polyglot would let a zip bomb pass as a
single DICOM file without the zip checks, so it is not accepted.
DICOM files without the preamble (bare data sets) are not accepted.

Zip policy (``inspect_dicom_zip``):

* directory entries are ignored; so are macOS / Windows junk files (anything under ``__MACOSX/``,
  ``.DS_Store``, ``Thumbs.db``, ``desktop.ini``) and the ``DICOMDIR`` index; every other file must
  start like a DICOM Part 10 file (only its first 132 bytes are read, streaming), so a hospital CD
  export with a viewer program or a README in it is refused (``zip_not_dicom``) - the patient is
  asked to zip the study alone; a zip with no DICOM file but other files (a zip of PDFs, say) is
  ``unsupported_type``; one with nothing but folders, junk or a DICOMDIR is ``zip_no_dicom``;
* all entries, junk included, count towards the entry limit and the size and ratio limits;
* names that are absolute, hold ``..`` segments, backslashes, drive letters or NUL, and symbolic
  links, are refused, although nothing is ever extracted here (whoever unpacks later stays safe);
* the entry count and central directory size declared in the end record are checked before
  ``zipfile`` loads the directory (at most ``DIRECTORY_BYTES_PER_ENTRY`` bytes per allowed entry),
  so a forged directory cannot make it allocate gigabytes; the real count is checked again after;
* the per-entry ratio check applies to entries whose declared size exceeds ``RATIO_MIN_ENTRY_BYTES``
  (1 MiB): a tiny file that compresses very well (e.g. a mostly-blank DICOM header) cannot be a bomb,
  and the whole-archive ratio and the total size limit still apply to it;
* then the archive is judged by what it really unpacks to (``archives``): entries whose data overlap
  or share bytes (the non-recursive zip bomb), local headers that disagree with the central
  directory, entries that unpack to more than they declare (decompression stops there, so the
  limits on declared sizes bound the work), and entries that are themselves archives (zip, gzip, 7z,
  rar..., by content, junk and DICOMDIR included) are refused with ``archive_refused`` and a message
  saying why; the ratio limits are checked again on the bytes really used and produced.
"""

from __future__ import annotations

import io
import stat
import struct
import zipfile
from dataclasses import dataclass
from typing import IO, Any, cast

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .archives import ArchiveProblem, EntryContent, check_layout, nested_archive, read_entry

KIND_PDF = "pdf"
KIND_JPEG = "jpeg"
KIND_PNG = "png"
KIND_DICOM = "dicom"
KIND_TIFF = "tiff"
KIND_ZIP = "zip"
KIND_DICOM_ZIP = "dicom_zip"

#: For each kind: the MIME type we report (never the browser's claim) and the file name extension a copy
#: of such a file gets (a packet export names its documents by kind). The one table; the rest derive.
KINDS: dict[str, tuple[str, str]] = {
    KIND_PDF: ("application/pdf", ".pdf"),
    KIND_JPEG: ("image/jpeg", ".jpg"),
    KIND_PNG: ("image/png", ".png"),
    KIND_DICOM: ("application/dicom", ".dcm"),
    KIND_TIFF: ("image/tiff", ".tif"),
    KIND_ZIP: ("application/zip", ".zip"),
    KIND_DICOM_ZIP: ("application/zip", ".zip"),
}
CONTENT_TYPES = {kind: content_type for kind, (content_type, _extension) in KINDS.items()}
EXTENSIONS = {kind: extension for kind, (_content_type, extension) in KINDS.items()}

#: Bytes needed to decide the kind of any file (the DICOM magic ends at offset 132).
SNIFF_BYTES = 132
RATIO_MIN_ENTRY_BYTES = 1024 * 1024
#: Central directory bytes allowed per permitted entry (a typical entry takes 60-150).
DIRECTORY_BYTES_PER_ENTRY = 512

_DICOM_MAGIC_OFFSET = 128
_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", KIND_PDF),
    (b"\xff\xd8\xff", KIND_JPEG),
    (b"\x89PNG\r\n\x1a\n", KIND_PNG),
    (b"II*\x00", KIND_TIFF),
    (b"MM\x00*", KIND_TIFF),
    (b"II+\x00", KIND_TIFF),
    (b"MM\x00+", KIND_TIFF),
    (b"PK\x03\x04", KIND_ZIP),
    (b"PK\x05\x06", KIND_ZIP),  # an empty archive: refused later, with a clearer message
)
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}

MESSAGES: dict[str, Promise] = {
    "empty_file": _("This file is empty. Please choose the file again."),
    "unsupported_type": _(
        "We cannot accept this type of file. Please upload a PDF, a JPEG or PNG picture, a DICOM image, "
        "a zip file of a DICOM study, or a TIFF or SVS slide image."
    ),
    "zip_too_large": _(
        "The files in this zip file would be too large once unpacked. "
        "Please split the study into smaller zip files."
    ),
    "zip_ratio": _(
        "This zip file is packed in an unusual way that we cannot accept for safety reasons. "
        "Please make a new zip file of the study and try again."
    ),
    "zip_path_traversal": _(
        "Some file names in this zip file are not safe. "
        "Please make a new zip file of the study and try again."
    ),
    "zip_not_dicom": _(
        "This zip file holds files that are not medical images in DICOM format. "
        "Please upload a zip file that holds only the DICOM study."
    ),
    "zip_no_dicom": _("This zip file does not hold any medical images in DICOM format."),
    "zip_encrypted": _(
        "This zip file is protected with a password. Please make a zip file without a password and try again."
    ),
    "zip_corrupt": _(
        "We could not open this zip file. It may be damaged. Please make a new zip file and try again."
    ),
    "archive_refused": _(
        "This zip file is built in a way that we cannot accept for safety reasons. "
        "Please make a new zip file of the study and try again."
    ),
}
#: Why an archive is refused with ``archive_refused``, by ``ArchiveProblem.reason``.
ARCHIVE_MESSAGES: dict[str, Promise] = {
    "overlap": _(
        "Some files in this zip file share the same packed data, a trick used to hide a huge amount of "
        "data in a small file. Please make a new zip file of the study and try again."
    ),
    "headers": _(
        "The information stored about the files in this zip file does not match. "
        "Please make a new zip file of the study and try again."
    ),
    "size": _(
        "A file in this zip file unpacks to more data than the zip file says. "
        "Please make a new zip file of the study and try again."
    ),
    "ratio": _(
        "A file in this zip file unpacks to far more data than its packed size, which we cannot accept "
        "for safety reasons. Please make a new zip file of the study and try again."
    ),
    "nested": _(
        "This zip file holds another packed file, such as a zip file. "
        "Please unpack it and make one zip file of the DICOM study alone."
    ),
    "method": _(
        "This zip file is packed with a method that we cannot check. "
        "Please make a new zip file with your computer's standard settings and try again."
    ),
}


class UploadRejected(Exception):
    """An upload we refuse. ``code`` is stable (for APIs and tests); ``message`` is for the patient.

    ``detail`` is for logs only (e.g. the offending zip entry); never show it as-is to other users.
    """

    def __init__(self, code: str, message: Any = None, *, detail: str = "") -> None:
        self.code = code
        self.message = message if message is not None else MESSAGES.get(code, MESSAGES["unsupported_type"])
        self.detail = detail
        super().__init__(code)

    def __str__(self) -> str:
        return str(self.message)

    def __repr__(self) -> str:
        return f"UploadRejected({self.code!r}, detail={self.detail!r})"


def too_large(limit: int) -> UploadRejected:
    from django.template.defaultfilters import filesizeformat

    return UploadRejected(
        "too_large",
        format_lazy(
            _("This file is too large. Files of this type can be up to {limit}."), limit=filesizeformat(limit)
        ),
        detail=f"limit={limit}",
    )


def detect_kind(head: bytes) -> str | None:
    """The kind of a file from its first bytes (pass at least ``SNIFF_BYTES`` when the file has them)."""
    if head[_DICOM_MAGIC_OFFSET : _DICOM_MAGIC_OFFSET + 4] == b"DICM":
        return None if nested_archive(head) else KIND_DICOM
    for prefix, kind in _PREFIXES:
        if head.startswith(prefix):
            return kind
    return None


@dataclass(frozen=True)
class ZipSummary:
    entries: int  # every entry in the central directory
    dicom_files: int
    ignored: int  # directories, OS junk and DICOMDIR
    has_dicomdir: bool
    total_uncompressed: int  # declared
    total_compressed: int


def _unsafe_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return True
    if len(name) >= 2 and name[1] == ":" and name[0].isalpha():
        return True
    return any(part == ".." for part in name.split("/"))


def _ignored(info: zipfile.ZipInfo) -> bool:
    if info.is_dir():
        return True
    parts = info.filename.split("/")
    if parts[0] == "__MACOSX":
        return True
    base = parts[-1].lower()
    return base in _JUNK_NAMES or base.startswith("._")


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def _too_many(limit: int, found: int, detail: str = "") -> UploadRejected:
    return UploadRejected(
        "zip_too_many_entries",
        format_lazy(
            _("This zip file has too many files in it. A zip file can hold up to {limit} files."), limit=limit
        ),
        detail=detail or f"entries={found}",
    )


def _ratio(uncompressed: int, compressed: int) -> float:
    return uncompressed / max(compressed, 1)


_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")


def _declared_directory(fileobj: IO[bytes] | io.RawIOBase) -> tuple[int, int] | None:
    """(entries, central directory size) from the end records, read before ``zipfile`` loads the
    directory into memory; None when no end record is found (``zipfile`` then reports the damage)."""
    end = fileobj.seek(0, io.SEEK_END)
    start = max(0, end - (_EOCD.size + 65535))
    fileobj.seek(start)
    tail = fileobj.read(end - start) or b""
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        return None
    _sig, _d, _dcd, _n_disk, entries, cd_size, _off, _clen = _EOCD.unpack_from(tail, at)
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        loc_at = at - _ZIP64_LOCATOR.size
        if loc_at >= 0 and tail[loc_at : loc_at + 4] == b"PK\x06\x07":
            _sig, _disk, eocd64_offset, _total = _ZIP64_LOCATOR.unpack_from(tail, loc_at)
            fileobj.seek(eocd64_offset)
            record = fileobj.read(_ZIP64_EOCD.size) or b""
            if len(record) == _ZIP64_EOCD.size and record[:4] == b"PK\x06\x06":
                fields = _ZIP64_EOCD.unpack(record)
                entries, cd_size = fields[7], fields[8]
    fileobj.seek(0)
    return entries, cd_size


def _archive_refused(problem: ArchiveProblem) -> UploadRejected:
    if problem.reason == "corrupt":
        return UploadRejected("zip_corrupt", detail=problem.detail)
    return UploadRejected(
        "archive_refused",
        ARCHIVE_MESSAGES.get(problem.reason, MESSAGES["archive_refused"]),
        detail=f"{problem.reason}: {problem.detail}",
    )


def _check_real_ratio(infos: list[zipfile.ZipInfo], contents: list[EntryContent], max_ratio: float) -> None:
    """The ratio limits again, on the compressed bytes the decompressor really used (padding after
    the end of a compressed stream would otherwise pass for packed data)."""
    for info, content in zip(infos, contents, strict=True):
        if content.size > RATIO_MIN_ENTRY_BYTES and _ratio(content.size, content.compressed) > max_ratio:
            raise UploadRejected(
                "archive_refused", ARCHIVE_MESSAGES["ratio"], detail=f"ratio: {info.filename[:200]}"
            )
    total_u = sum(c.size for c in contents)
    total_c = sum(c.compressed for c in contents)
    if total_u > RATIO_MIN_ENTRY_BYTES and _ratio(total_u, total_c) > max_ratio:
        raise UploadRejected(
            "archive_refused", ARCHIVE_MESSAGES["ratio"], detail=f"ratio: archive {total_u}/{total_c}"
        )


def inspect_dicom_zip(
    fileobj: IO[bytes] | io.RawIOBase, *, max_entries: int, max_uncompressed: int, max_ratio: float
) -> ZipSummary:
    """Check a zip of a DICOM study without extracting it; raise ``UploadRejected`` when it is refused.

    ``fileobj`` must be seekable (an ``EncryptedReader`` is). Cheap checks on the central directory
    run before any entry is opened; then every entry is decompressed as a stream (only its first bytes
    are kept), stopping at its declared size.
    """
    try:
        declared = _declared_directory(fileobj)
    except (OSError, ValueError) as exc:
        raise UploadRejected("zip_corrupt", detail=str(exc)) from exc
    if declared is not None:
        # Refuse before zipfile reads the central directory into memory.
        if declared[0] > max_entries:
            raise _too_many(max_entries, declared[0])
        if declared[1] > max_entries * DIRECTORY_BYTES_PER_ENTRY + 65536:
            raise _too_many(max_entries, declared[0], detail=f"central directory of {declared[1]} bytes")
    try:
        archive = zipfile.ZipFile(cast(IO[bytes], fileobj))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise UploadRejected("zip_corrupt", detail=str(exc)) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > max_entries:
            raise _too_many(max_entries, len(infos))
        total_u = sum(i.file_size for i in infos)
        total_c = sum(i.compress_size for i in infos)
        if total_u > max_uncompressed:
            raise UploadRejected("zip_too_large", detail=f"uncompressed={total_u}")
        for info in infos:
            if _unsafe_name(info.filename) or _is_symlink(info):
                raise UploadRejected("zip_path_traversal", detail=info.filename[:200])
            if info.flag_bits & 0x41:  # traditional (0x01) or strong (0x40) encryption
                raise UploadRejected("zip_encrypted", detail=info.filename[:200])
            if (
                info.file_size > RATIO_MIN_ENTRY_BYTES
                and _ratio(info.file_size, info.compress_size) > max_ratio
            ):
                raise UploadRejected("zip_ratio", detail=info.filename[:200])
        if total_u > RATIO_MIN_ENTRY_BYTES and _ratio(total_u, total_c) > max_ratio:
            raise UploadRejected("zip_ratio", detail=f"archive {total_u}/{total_c}")

        dicom = ignored = 0
        has_dicomdir = False
        first_other: str | None = None
        reader = cast(IO[bytes], fileobj)
        try:
            starts = check_layout(reader, infos, archive.start_dir)
            contents = [read_entry(reader, info, start) for info, start in zip(infos, starts, strict=True)]
        except ArchiveProblem as problem:
            raise _archive_refused(problem) from problem
        except (OSError, EOFError, ValueError) as exc:
            raise UploadRejected("zip_corrupt", detail=str(exc)) from exc
        _check_real_ratio(infos, contents, max_ratio)
        for info, content in zip(infos, contents, strict=True):
            nested = nested_archive(content.head)
            if nested is not None:
                raise UploadRejected(
                    "archive_refused",
                    ARCHIVE_MESSAGES["nested"],
                    detail=f"nested: {info.filename[:200]} is {nested}",
                )
        for info, content in zip(infos, contents, strict=True):
            base = info.filename.rsplit("/", 1)[-1]
            if _ignored(info):
                ignored += 1
                continue
            if base.upper() == "DICOMDIR":
                has_dicomdir = True
                ignored += 1
                continue
            if detect_kind(content.head[:SNIFF_BYTES]) == KIND_DICOM:
                dicom += 1
            elif first_other is None:
                first_other = info.filename[:200]
        if first_other is not None:
            # Nothing but other files: not a study at all. A study with extra files: say so.
            raise UploadRejected("zip_not_dicom" if dicom else "unsupported_type", detail=first_other)
        if not dicom:
            raise UploadRejected("zip_no_dicom")
    return ZipSummary(
        entries=len(infos),
        dicom_files=dicom,
        ignored=ignored,
        has_dicomdir=has_dicomdir,
        total_uncompressed=total_u,
        total_compressed=total_c,
    )
