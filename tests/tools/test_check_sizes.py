"""tools/check_sizes.py on a small tree of its own: a file over its limit fails, naming the file, its
length and the limit; a short one, a migration and a vendored library pass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.tools.loader import load_tool

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "check_sizes.py"
check_sizes = load_tool("check_sizes")


def _write(base: Path, relative: str, lines: int) -> None:
    path = base / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x = 1\n" * lines)


def test_a_file_over_the_limit_fails(tmp_path: Path) -> None:
    _write(tmp_path, "src/secondopinion/cases/views.py", 501)
    _write(tmp_path, "tests/test_long.py", 600)
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "src/secondopinion/cases/views.py: 501 lines, over the limit of 500" in done.stdout
    assert "tests/test_long.py: 600 lines, over the limit of 500" in done.stdout


def test_files_within_the_limit_pass(tmp_path: Path) -> None:
    _write(tmp_path, "src/secondopinion/cases/views.py", 500)
    _write(tmp_path, "src/secondopinion/directory/search.py", 400)
    _write(tmp_path, "tools/check.py", 20)
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    assert check_sizes.oversized(tmp_path) == []


def test_the_directory_app_is_held_to_400(tmp_path: Path) -> None:
    _write(tmp_path, "src/secondopinion/directory/nppes/writer.py", 401)
    assert check_sizes.oversized(tmp_path) == [
        "src/secondopinion/directory/nppes/writer.py: 401 lines, over the limit of 400"
    ]


def test_every_checked_root_and_kind_of_source_counts(tmp_path: Path) -> None:
    for relative in ("benchmarks/run.py", "config/settings.py", "src/app/templates/app/page.html"):
        _write(tmp_path, relative, 501)
    assert len(check_sizes.oversized(tmp_path)) == 3


def test_migrations_and_vendored_files_are_not_ours_to_split(tmp_path: Path) -> None:
    _write(tmp_path, "src/secondopinion/cases/migrations/0001_initial.py", 900)
    _write(tmp_path, "src/secondopinion/static/vendor/htmx/htmx.min.js", 900)
    _write(tmp_path, "docs/long.md", 900)  # not a checked root
    assert check_sizes.oversized(tmp_path) == []
