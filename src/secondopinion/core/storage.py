"""Where encrypted documents live on disk, and how they get there.

Layout under ``settings.FILE_STORE_DIR``::

    tmp/<key>.part        an upload being received, or received but not yet committed
    ab/cd/<key>.enc       a stored document (key = 32 lowercase hex characters, ``ab``/``cd`` its first 4)

Life of an upload (see ``core.uploads``): the upload handler writes ``tmp/<key>.part``; the view creates
the database row inside a transaction and calls ``promote_on_commit(upload)``; after the commit the file
is moved to its final place. On a rollback the caller calls ``discard(upload)`` in its ``except``; as a
safety net an upload that is garbage-collected without having been promoted removes its temporary file
too (a rolled-back transaction drops the on-commit callback, the last reference to the upload), and
``sweep`` removes whatever a crash left behind.

Deleting a document: delete the row, then ``transaction.on_commit(lambda: delete_document_file(key))``.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from .crypto import CorruptFileError, EncryptedReader

if TYPE_CHECKING:
    from .uploads import EncryptedUpload

logger = logging.getLogger(__name__)

_KEY_RE = re.compile(r"[0-9a-f]{32}")
_SWEEP_BATCH = 500

NEW, PENDING, PROMOTED, DISCARDED = "new", "pending", "promoted", "discarded"


@dataclass
class PendingFile:
    """The temporary file of one upload and where it stands (shared with the upload's finalizer)."""

    storage_key: str
    temp_path: Path
    state: str = NEW


def new_storage_key() -> str:
    return secrets.token_hex(16)


def _check_key(storage_key: str) -> str:
    if not isinstance(storage_key, str) or not _KEY_RE.fullmatch(storage_key):
        raise ValueError("invalid storage key")
    return storage_key


def store_dir() -> Path:
    return Path(settings.FILE_STORE_DIR)


def temp_dir() -> Path:
    return store_dir() / "tmp"


def temp_path(storage_key: str) -> Path:
    return temp_dir() / f"{_check_key(storage_key)}.part"


def final_path(storage_key: str) -> Path:
    key = _check_key(storage_key)
    return store_dir() / key[:2] / key[2:4] / f"{key}.enc"


def ensure_dir(path: Path) -> None:
    """Create ``path`` (inside the store) and any missing parents, readable by the owner only."""
    root = store_dir()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    current = root
    for part in path.relative_to(root).parts:
        current = current / part
        current.mkdir(mode=0o700, exist_ok=True)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _move_into_place(storage_key: str, source: Path) -> Path:
    target = final_path(storage_key)
    ensure_dir(target.parent)
    os.replace(source, target)
    # The sweep measures a file's age from its arrival here, not from the upload's last write: a file
    # moved into place just before its row commits must look new.
    os.utime(target)
    _fsync_dir(target.parent)
    return target


def _promote(pending: PendingFile) -> None:
    if pending.state in (PROMOTED, DISCARDED):
        if pending.state == DISCARDED:
            logger.error(
                "document file %s was discarded before its commit; not promoted", pending.storage_key
            )
        return
    try:
        _move_into_place(pending.storage_key, pending.temp_path)
    except FileNotFoundError:
        if final_path(pending.storage_key).exists():
            pending.state = PROMOTED
            return
        logger.error("document file %s vanished before it could be promoted", pending.storage_key)
        raise
    pending.state = PROMOTED


def promote_on_commit(upload: EncryptedUpload, *, using: str | None = None) -> None:
    """Move the upload's temporary file to its final place once the current transaction commits.

    Outside a transaction the move happens at once. If the transaction rolls back the callback is
    dropped: call ``discard(upload)`` in your ``except`` (the garbage-collection safety net and
    ``sweep`` catch what is missed). A failed move after commit is logged, not raised (the row is
    committed already); ``sweep`` promotes the leftover ``.part`` file later.
    """
    pending = upload.pending
    if pending.state != NEW:
        raise ValueError(f"upload {pending.storage_key} is already {pending.state}")
    pending.state = PENDING
    # The callback holds the upload itself, keeping it (and so its temporary file) alive until the
    # callback runs or a rollback drops it; only then may the upload's finalizer clean up.
    transaction.on_commit(partial(_promote_upload, upload), using=using, robust=True)


def _promote_upload(upload: EncryptedUpload) -> None:
    _promote(upload.pending)


def discard(upload: EncryptedUpload) -> None:
    """Delete an upload's temporary file unless it has been promoted. Safe to call more than once."""
    discard_pending(upload.pending)


def discard_pending(pending: PendingFile) -> None:
    if pending.state == PROMOTED:
        return
    pending.state = DISCARDED
    _unlink(pending.temp_path)


def release_unpromoted(pending: PendingFile) -> None:
    """Finalizer of an upload: its temporary file is useless once nothing can promote it any more."""
    try:
        if pending.state != PROMOTED:
            discard_pending(pending)
    except Exception:  # a finalizer must never raise
        logger.exception("could not remove temporary upload %s", pending.storage_key)


def open_document(storage_key: str) -> EncryptedReader:
    """A seekable plaintext reader over a stored document (raises FileNotFoundError, CorruptFileError)."""
    return EncryptedReader(final_path(storage_key))


def stream_plaintext(storage_key: str, chunk_size: int = 65536) -> Iterator[bytes]:
    """Yield a stored document's plaintext in chunks (for StreamingHttpResponse)."""
    reader = open_document(storage_key)
    try:
        while chunk := reader.read(chunk_size):
            yield chunk
    finally:
        reader.close()


def delete_document_file(storage_key: str) -> bool:
    """Remove a document's file (and any temporary copy); True if something was removed."""
    removed = _unlink(final_path(storage_key))
    return _unlink(temp_path(storage_key)) or removed


def _known(known_keys: Callable[[list[str]], set[str]], keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), _SWEEP_BATCH):
        found |= set(known_keys(keys[start : start + _SWEEP_BATCH]))
    return found


def _stale(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False


def _final_files() -> Iterator[tuple[str, Path]]:
    root = store_dir()
    if not root.is_dir():
        return
    for path in root.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]/*.enc"):
        key = path.name[: -len(".enc")]
        if _KEY_RE.fullmatch(key) and path.parent.parent.name == key[:2] and path.parent.name == key[2:4]:
            yield key, path


def sweep(
    known_keys: Callable[[list[str]], set[str]],
    older_than_seconds: float = 3600,
    *,
    now: float | None = None,
    keep_newer_than_seconds: float = 0,
    delete: bool = True,
    listing: dict[str, list[str]] | None = None,
) -> dict[str, int]:
    """Tidy the store. ``known_keys(keys)`` returns the subset of ``keys`` that a database row holds.

    Only files last modified more than ``older_than_seconds`` ago are touched (uploads in flight and
    files just promoted are left alone), and nothing is removed that changed less than
    ``keep_newer_than_seconds`` ago, however small ``older_than_seconds`` is: the caller passes the
    longest an upload may take to reach its row's commit. Stale temporary files: deleted when
    unknown, promoted when known (a crash between commit and move; promoted only if the file
    authenticates). Final files with no row: deleted. With ``delete=False`` nothing changes on disk
    and the counts say what a real run would do. ``listing``, when given, receives the keys of the
    files removed and promoted (or that would be) under the count's name; a stray file in ``tmp/``
    whose name is no key is counted, not listed.
    """
    moment = time.time() if now is None else now
    cutoff = moment - older_than_seconds
    remove_cutoff = min(cutoff, moment - keep_newer_than_seconds)
    counts = {"temp_removed": 0, "temp_promoted": 0, "orphans_removed": 0, "kept": 0}
    listed: dict[str, list[str]] = {name: [] for name in ("temp_removed", "temp_promoted", "orphans_removed")}

    def remove(path: Path, count: str, key: str | None) -> None:
        if not delete or _unlink(path):
            counts[count] += 1
            if key is not None:
                listed[count].append(key)

    stale_temps: dict[str, Path] = {}
    tmp = temp_dir()
    if tmp.is_dir():
        for path in sorted(tmp.iterdir()):
            if not path.is_file():
                continue
            if not _stale(path, cutoff):
                counts["kept"] += 1
                continue
            key = path.name[: -len(".part")] if path.name.endswith(".part") else ""
            if _KEY_RE.fullmatch(key):
                stale_temps[key] = path
            elif _stale(path, remove_cutoff):
                remove(path, "temp_removed", None)
            else:
                counts["kept"] += 1
    promoted: set[str] = set()
    known = _known(known_keys, sorted(stale_temps))
    for key, path in stale_temps.items():
        if key not in known:
            if _stale(path, remove_cutoff):
                remove(path, "temp_removed", key)
            else:
                counts["kept"] += 1
            continue
        try:
            EncryptedReader(path).close()  # authenticates the header and the final frame
        except (CorruptFileError, OSError):
            logger.error("temporary file for document %s is damaged; left in place", key)
            counts["kept"] += 1
            continue
        if delete:
            try:
                _move_into_place(key, path)
            except FileNotFoundError:  # the commit's own callback moved it a moment ago
                counts["kept"] += 1
                continue
        promoted.add(key)
        counts["temp_promoted"] += 1
        listed["temp_promoted"].append(key)

    finals = {key: path for key, path in sorted(_final_files()) if key not in promoted}
    stale_finals = {key: path for key, path in finals.items() if _stale(path, remove_cutoff)}
    counts["kept"] += len(finals) - len(stale_finals)
    known = _known(known_keys, sorted(stale_finals))
    for key, path in stale_finals.items():
        if key in known:
            counts["kept"] += 1
        else:
            remove(path, "orphans_removed", key)
    if listing is not None:
        for name, keys in listed.items():
            listing.setdefault(name, []).extend(keys)
    return counts
