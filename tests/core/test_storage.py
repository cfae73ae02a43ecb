"""Promotion after commit, discarding on rollback, reading back, and the sweep."""

from __future__ import annotations

import gc
import hashlib
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from secondopinion.core import storage
from secondopinion.core.crypto import EncryptedWriter
from secondopinion.core.uploads import EncryptedUpload

DATA = b"%PDF-1.7\n" + os.urandom(200_000)
OLD = time.time() - 7200


@pytest.fixture
def store(settings: Any, tmp_path: Path) -> Path:
    settings.FILE_STORE_DIR = tmp_path / "files"
    return Path(settings.FILE_STORE_DIR)


def write_encrypted(path: Path, data: bytes) -> None:
    storage.ensure_dir(path.parent)
    with path.open("wb") as fh:
        writer = EncryptedWriter(fh)
        writer.write(data)
        writer.close()


def make_upload(data: bytes = DATA) -> EncryptedUpload:
    key = storage.new_storage_key()
    write_encrypted(storage.temp_path(key), data)
    return EncryptedUpload(
        name="report.pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        kind="pdf",
        storage_key=key,
        temp_path=storage.temp_path(key),
    )


def files_under(store: Path) -> set[Path]:
    return {p for p in store.rglob("*") if p.is_file()}


def test_paths(store: Path) -> None:
    key = "abcdef0123456789abcdef0123456789"
    assert storage.final_path(key) == store / "ab" / "cd" / f"{key}.enc"
    assert storage.temp_path(key) == store / "tmp" / f"{key}.part"
    for bad in ["../../etc/passwd", "ABCDEF0123456789ABCDEF0123456789", "abc", key + "0", ""]:
        with pytest.raises(ValueError):
            storage.final_path(bad)
    assert len(storage.new_storage_key()) == 32


@pytest.mark.django_db
def test_promote_on_commit(store: Path, django_capture_on_commit_callbacks: Any) -> None:
    upload = make_upload()
    key = upload.storage_key
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            storage.promote_on_commit(upload)
            assert upload.temp_path.exists()
            assert not storage.final_path(key).exists()
        assert upload.state == storage.PENDING
    assert len(callbacks) == 1
    assert upload.state == storage.PROMOTED
    assert files_under(store) == {storage.final_path(key)}
    assert oct(storage.final_path(key).parent.stat().st_mode & 0o777) == "0o700"
    with storage.open_document(key) as reader:
        assert reader.read() == DATA
    assert b"".join(storage.stream_plaintext(key, chunk_size=7000)) == DATA
    with upload.open_plaintext() as reader:  # the upload follows its file
        assert reader.read(5) == b"%PDF-"
    storage.discard(upload)  # no-op once promoted
    assert storage.final_path(key).exists()
    with pytest.raises(ValueError):
        storage.promote_on_commit(upload)


@pytest.mark.django_db
def test_rollback_then_discard(store: Path, django_capture_on_commit_callbacks: Any) -> None:
    upload = make_upload()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                storage.promote_on_commit(upload)
                raise RuntimeError("the row could not be saved")
        except RuntimeError:
            storage.discard(upload)
    assert callbacks == []
    assert upload.state == storage.DISCARDED
    assert files_under(store) == set()


@pytest.mark.django_db
def test_rollback_without_discard_is_cleaned_when_upload_is_dropped(
    store: Path, django_capture_on_commit_callbacks: Any
) -> None:
    upload = make_upload()
    temp = upload.temp_path
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        storage.promote_on_commit(upload)
        raise RuntimeError("boom")
    assert temp.exists()
    del upload
    gc.collect()
    assert not temp.exists()


@pytest.mark.django_db
def test_pending_upload_survives_until_commit_even_if_caller_drops_it(
    store: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        upload = make_upload()
        key = upload.storage_key
        storage.promote_on_commit(upload)
        del upload
        gc.collect()
        assert storage.temp_path(key).exists()
    assert storage.final_path(key).exists()


def test_unpromoted_upload_is_removed_when_dropped(store: Path) -> None:
    upload = make_upload()
    temp = upload.temp_path
    del upload
    gc.collect()
    assert not temp.exists()


def test_promote_now_and_delete(store: Path) -> None:
    upload = make_upload()
    storage._promote(upload.pending)  # what promote_on_commit does once the transaction commits
    final = storage.final_path(upload.storage_key)
    assert final.exists() and not upload.temp_path.exists()
    assert storage.delete_document_file(upload.storage_key) is True
    assert storage.delete_document_file(upload.storage_key) is False
    with pytest.raises(FileNotFoundError):
        storage.open_document(upload.storage_key)


def age(path: Path, when: float = OLD) -> Path:
    os.utime(path, (when, when))
    return path


def test_sweep(store: Path) -> None:
    names = "fresh_temp stale_temp known_temp bad_known final_orphan final_known fresh_orphan"
    keys = {name: storage.new_storage_key() for name in names.split()}
    write_encrypted(storage.temp_path(keys["fresh_temp"]), b"uploading")
    write_encrypted(storage.temp_path(keys["stale_temp"]), b"x")
    age(storage.temp_path(keys["stale_temp"]))
    write_encrypted(storage.temp_path(keys["known_temp"]), DATA)
    age(storage.temp_path(keys["known_temp"]))
    storage.temp_path(keys["bad_known"]).write_bytes(b"SOE1 truncated")
    age(storage.temp_path(keys["bad_known"]))
    junk = storage.temp_dir() / "stray.tmp"
    junk.write_bytes(b"?")
    age(junk)
    for name in ("final_orphan", "final_known", "fresh_orphan"):
        write_encrypted(storage.final_path(keys[name]), b"doc")
    age(storage.final_path(keys["final_orphan"]))
    age(storage.final_path(keys["final_known"]))
    unrelated = store / "README"
    unrelated.write_text("not ours")

    known = {keys["known_temp"], keys["bad_known"], keys["final_known"]}
    asked: list[str] = []

    def known_keys(batch: list[str]) -> set[str]:
        asked.extend(batch)
        return known & set(batch)

    counts = storage.sweep(known_keys, older_than_seconds=3600)
    assert counts == {"temp_removed": 2, "temp_promoted": 1, "orphans_removed": 1, "kept": 4}
    assert keys["fresh_temp"] not in asked and keys["fresh_orphan"] not in asked  # fresh files: no query
    assert files_under(store) == {
        storage.temp_path(keys["fresh_temp"]),
        storage.temp_path(keys["bad_known"]),
        storage.final_path(keys["known_temp"]),
        storage.final_path(keys["final_known"]),
        storage.final_path(keys["fresh_orphan"]),
        unrelated,
    }
    with storage.open_document(keys["known_temp"]) as reader:
        assert reader.read() == DATA
    # A second run finds nothing more to do.
    again = storage.sweep(known_keys, older_than_seconds=3600)
    assert again == {"temp_removed": 0, "temp_promoted": 0, "orphans_removed": 0, "kept": 5}


def test_sweep_batches_queries(store: Path) -> None:
    for _ in range(1200):
        path = storage.temp_path(storage.new_storage_key())
        storage.ensure_dir(path.parent)
        path.write_bytes(b"")
        age(path)
    batches: list[int] = []

    def known_keys(batch: list[str]) -> set[str]:
        batches.append(len(batch))
        return set()

    assert storage.sweep(known_keys)["temp_removed"] == 1200
    assert max(batches) <= 500 and sum(batches) == 1200


def test_sweep_without_store(store: Path) -> None:
    assert storage.sweep(lambda keys: set()) == {
        "temp_removed": 0,
        "temp_promoted": 0,
        "orphans_removed": 0,
        "kept": 0,
    }
