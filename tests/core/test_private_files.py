"""The data folder and the embedded database are created owner-only (0700 / 0600), and SQLite's WAL and
shared-memory files follow the database file's mode."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from config.private_files import private_folder, private_sqlite_file

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_its_folder_are_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "data" / "secondopinion.sqlite3"
    private_sqlite_file({"ENGINE": "django.db.backends.sqlite3", "NAME": str(db)})
    assert mode(db.parent) == 0o700 and mode(db) == 0o600
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE t (x)")
    connection.execute("INSERT INTO t VALUES (1)")
    connection.commit()
    for part in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        assert part.exists() and mode(part) == 0o600, part
    connection.close()


def test_an_existing_open_database_and_folder_are_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "open"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    db = folder / "secondopinion.sqlite3"
    db.touch()
    db.chmod(0o644)
    private_sqlite_file({"ENGINE": "django.db.backends.sqlite3", "NAME": str(db)})
    assert mode(folder) == 0o700 and mode(db) == 0o600
    assert private_folder(folder) == folder


def test_other_databases_are_left_alone(tmp_path: Path) -> None:
    private_sqlite_file({"ENGINE": "django.db.backends.postgresql", "NAME": str(tmp_path / "x")})
    private_sqlite_file({"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})
    assert not (tmp_path / "x").exists()


def test_the_server_settings_create_the_data_folder_and_database_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"SECONDOPINION_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, check=True, timeout=120
    )
    assert mode(data) == 0o700
    assert mode(data / "secondopinion.sqlite3") == 0o600
