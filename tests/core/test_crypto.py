"""The framed AES-256-GCM file format: round trips, random access, tamper and truncation detection."""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path

import pytest

from secondopinion.core.crypto import (
    FRAME_SIZE,
    HEADER_SIZE,
    TAG_SIZE,
    CorruptFileError,
    EncryptedReader,
    EncryptedWriter,
    encrypted_size,
)

KEY = bytes(range(32))
F = FRAME_SIZE


def seal(path: Path, data: bytes, *, piece: int = 10_000, key: bytes = KEY) -> EncryptedWriter:
    with path.open("wb") as fh:
        writer = EncryptedWriter(fh, master_key=key)
        for start in range(0, len(data), piece):
            writer.write(data[start : start + piece])
        writer.close()
    return writer


def pattern(n: int, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(n)


@pytest.mark.parametrize("size", [0, 1, F - 1, F, F + 1, 3 * F + 5])
def test_round_trip(tmp_path: Path, size: int) -> None:
    import hashlib

    data = pattern(size)
    path = tmp_path / "f.enc"
    writer = seal(path, data)
    assert writer.size == size
    assert writer.sha256_hex == hashlib.sha256(data).hexdigest()
    assert path.stat().st_size == encrypted_size(size)
    with EncryptedReader(path, master_key=KEY) as reader:
        assert reader.size == size
        assert reader.read() == data
        assert reader.read() == b""
        assert reader.tell() == size


@pytest.mark.parametrize("piece", [1, 7, F - 1, F, F + 3, 5 * F])
def test_write_piece_sizes_do_not_matter(tmp_path: Path, piece: int) -> None:
    data = pattern(2 * F + 17, seed=piece)
    path = tmp_path / "f.enc"
    writer = seal(path, data, piece=piece)
    assert writer.buffered == 0
    with EncryptedReader(path, master_key=KEY) as reader:
        assert reader.read() == data


def test_writer_holds_less_than_one_frame(tmp_path: Path) -> None:
    with (tmp_path / "f.enc").open("wb") as fh:
        writer = EncryptedWriter(fh, master_key=KEY)
        for _ in range(50):
            writer.write(os.urandom(24_000))
            assert writer.buffered < F
        writer.close()


def test_random_seek_and_read(tmp_path: Path) -> None:
    data = pattern(3 * F + 5, seed=7)
    path = tmp_path / "f.enc"
    seal(path, data)
    rng = random.Random(42)
    with EncryptedReader(path, master_key=KEY) as reader:
        assert reader.seekable() and reader.readable() and not reader.writable()
        for _ in range(300):
            start = rng.randrange(0, len(data) + 10)
            length = rng.randrange(0, 2 * F)
            assert reader.seek(start) == start
            assert reader.read(length) == data[start : start + length]
            assert reader.tell() == min(start + length, max(start, len(data)))
        reader.seek(-5, io.SEEK_END)
        assert reader.read() == data[-5:]
        reader.seek(10)
        reader.seek(F, io.SEEK_CUR)
        assert reader.read(3) == data[F + 10 : F + 13]
        buf = bytearray(F + 100)
        reader.seek(F - 50)
        assert reader.readinto(buf) == F + 100
        assert bytes(buf) == data[F - 50 : 2 * F + 50]
        with pytest.raises(ValueError, match="negative"):
            reader.seek(-1)


def test_reader_has_no_path_or_fileno(tmp_path: Path) -> None:
    path = tmp_path / "f.enc"
    seal(path, b"x" * 100)
    reader = EncryptedReader(path, master_key=KEY)
    assert not hasattr(reader, "name")
    with pytest.raises(io.UnsupportedOperation):
        reader.fileno()
    reader.close()
    with pytest.raises(ValueError):
        reader.read(1)


def test_zipfile_reads_through_the_reader(tmp_path: Path) -> None:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(20):
            zf.writestr(f"dir/{i}.bin", pattern(F // 3 + i, seed=i))
    path = tmp_path / "z.enc"
    seal(path, raw.getvalue())
    with EncryptedReader(path, master_key=KEY) as reader, zipfile.ZipFile(reader) as zf:
        assert zf.testzip() is None
        assert zf.read("dir/7.bin") == pattern(F // 3 + 7, seed=7)


def test_stored_bytes_do_not_contain_plaintext(tmp_path: Path) -> None:
    secret = b"PATIENT: Jane Doe, DOB 1970-01-01, adenocarcinoma of the lung. " * 2000
    path = tmp_path / "f.enc"
    seal(path, secret)
    stored = path.read_bytes()
    assert b"Jane Doe" not in stored
    assert b"adenocarcinoma" not in stored
    assert stored.startswith(b"SOE1\x01")


def test_same_plaintext_gives_different_ciphertext(tmp_path: Path) -> None:
    data = pattern(1000)
    seal(tmp_path / "a", data)
    seal(tmp_path / "b", data)
    assert (tmp_path / "a").read_bytes() != (tmp_path / "b").read_bytes()


@pytest.mark.parametrize("offset", [HEADER_SIZE + 3, HEADER_SIZE + F + TAG_SIZE + 100, -3])
def test_tampered_byte_is_detected(tmp_path: Path, offset: int) -> None:
    data = pattern(3 * F + 5)
    path = tmp_path / "f.enc"
    seal(path, data)
    stored = bytearray(path.read_bytes())
    stored[offset] ^= 0x01
    path.write_bytes(bytes(stored))
    with pytest.raises(CorruptFileError), EncryptedReader(path, master_key=KEY) as reader:
        reader.read()


def test_tampered_header_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "f.enc"
    seal(path, pattern(100))
    stored = bytearray(path.read_bytes())
    stored[20] ^= 0x80  # inside the wrapped key
    path.write_bytes(bytes(stored))
    with pytest.raises(CorruptFileError):
        EncryptedReader(path, master_key=KEY)


def test_wrong_master_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.enc"
    seal(path, pattern(100))
    with pytest.raises(CorruptFileError, match="unwrapped"):
        EncryptedReader(path, master_key=bytes(32))


@pytest.mark.parametrize(
    "cut",
    [
        5 + TAG_SIZE,  # exactly the final frame: the file now ends on a frame boundary
        5 + TAG_SIZE + F + TAG_SIZE,  # the final frame and the full frame before it
        1,  # one byte short
        F,  # mid-frame
    ],
)
def test_truncation_is_detected(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "f.enc"
    seal(path, pattern(3 * F + 5))
    stored = path.read_bytes()
    path.write_bytes(stored[:-cut])
    with pytest.raises(CorruptFileError):
        EncryptedReader(path, master_key=KEY)


def test_appended_bytes_are_detected(tmp_path: Path) -> None:
    path = tmp_path / "f.enc"
    seal(path, pattern(F + 5))
    with path.open("ab") as fh:
        fh.write(b"\x00" * 40)
    with pytest.raises(CorruptFileError):
        EncryptedReader(path, master_key=KEY)


def test_reordered_frames_are_detected(tmp_path: Path) -> None:
    path = tmp_path / "f.enc"
    seal(path, pattern(3 * F + 5))
    stored = path.read_bytes()
    e = F + TAG_SIZE
    frames = [stored[HEADER_SIZE + i * e : HEADER_SIZE + (i + 1) * e] for i in range(3)]
    path.write_bytes(stored[:HEADER_SIZE] + frames[1] + frames[0] + frames[2] + stored[HEADER_SIZE + 3 * e :])
    with EncryptedReader(path, master_key=KEY) as reader, pytest.raises(CorruptFileError):
        reader.read(10)


def test_not_an_encrypted_file(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    path.write_bytes(b"%PDF-1.7 " + b"x" * 200)
    with pytest.raises(CorruptFileError):
        EncryptedReader(path, master_key=KEY)
    (tmp_path / "short").write_bytes(b"SOE1")
    with pytest.raises(CorruptFileError):
        EncryptedReader(tmp_path / "short", master_key=KEY)
