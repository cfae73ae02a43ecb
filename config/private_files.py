"""The data folder and the embedded database are the server account's alone: folders 0700, the SQLite file
0600. SQLite gives its WAL and shared-memory files the database file's mode, so they follow."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: Path) -> Path:
    """Create the folder (and its missing parents) owner-only; tighten it if it exists with more."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(FOLDER_MODE)
    return path


def private_sqlite_file(database: Mapping[str, Any]) -> None:
    """For an on-disk SQLite database: create the file owner-only before SQLite does, or tighten it."""
    name = str(database.get("NAME") or "")
    if database.get("ENGINE") != "django.db.backends.sqlite3" or not name or name.startswith(":memory:"):
        return
    if name.startswith("file:"):
        return  # a URI: SQLite opens what the URI says
    path = Path(name)
    private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    os.close(fd)
    for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if part.exists() and stat.S_IMODE(part.stat().st_mode) & 0o077:
            part.chmod(FILE_MODE)
