"""Vulture, as `make lint` runs it (pyproject.toml, [tool.vulture]): it fails on an unused function,
and the repository passes with tools/vulture_whitelist.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VULTURE = ROOT / ".venv" / "bin" / "vulture"
CONFIG = ROOT / "pyproject.toml"


def _vulture(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(VULTURE), *args], cwd=cwd, capture_output=True, text=True)


def test_an_unused_function_fails(tmp_path: Path) -> None:
    (tmp_path / "module.py").write_text(
        "def used() -> int:\n    return 1\n\n\ndef forgotten() -> int:\n    return 2\n\n\nprint(used())\n"
    )
    done = _vulture("--config", str(CONFIG), "module.py", cwd=tmp_path)
    assert done.returncode == 3, done.stdout  # vulture's exit status for dead code found
    assert "module.py:5: unused function 'forgotten'" in done.stdout
    assert "'used'" not in done.stdout


def test_a_function_called_only_from_a_migration_is_still_dead(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_initial.py").write_text("from helpers import only_here\nonly_here()\n")
    (tmp_path / "helpers.py").write_text("def only_here() -> None:\n    pass\n")
    done = _vulture("--config", str(CONFIG), "helpers.py", "migrations", cwd=tmp_path)
    assert "helpers.py:1: unused function 'only_here'" in done.stdout


def test_the_repository_passes() -> None:
    done = _vulture()
    assert done.returncode == 0, done.stdout
