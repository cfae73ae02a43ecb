"""tools/install-system-deps.sh with a fake `dpkg-query`, `id` and `apt-get` on PATH (issue 11, item 15)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "install-system-deps.sh"
ALL = ["chromium", "fonts-dejavu-core", "libpango-1.0-0", "libpangoft2-1.0-0"]
RUNTIME = ["fonts-dejavu-core", "libpango-1.0-0", "libpangoft2-1.0-0"]


def _fake_bin(tmp_path: Path, *, installed: list[str], uid: int, dpkg: bool = True) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    scripts = {
        "id": f'#!/bin/bash\n[ "$1" = "-u" ] && echo {uid}\n',
        "apt-get": f'#!/bin/bash\necho "$*" >> {log}\n',
    }
    if dpkg:
        # dpkg-query -W -f='${db:Status-Status}' PACKAGE
        listed = " ".join(installed)
        scripts["dpkg-query"] = (
            f"#!/bin/bash\nfor p in {listed}; do\n"
            '[ "$p" = "${@: -1}" ] && { printf installed; exit 0; }\ndone\n'
            "printf not-installed; exit 1\n"
        )
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text(body)
        path.chmod(0o755)
    return bin_dir


def _run(tmp_path: Path, mode: str, **fake: object) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    bin_dir = _fake_bin(tmp_path, **fake)  # type: ignore[arg-type]
    done = subprocess.run(
        ["/bin/bash", str(SCRIPT), mode],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    log = tmp_path / "apt.log"
    return done, log.read_text().splitlines() if log.exists() else []


def test_the_script_holds_one_literal_install_line_naming_every_package() -> None:
    lines = [line for line in SCRIPT.read_text().splitlines() if "apt-get install -y" in line]
    assert len(lines) == 1
    assert all(package in lines[0].split() or f"{package}'" in lines[0] for package in ALL)


def test_root_with_everything_missing_installs_all_for_the_tests(tmp_path: Path) -> None:
    done, apt = _run(tmp_path, "all", installed=[], uid=0)
    assert done.returncode == 0, done.stderr
    assert apt[0] == "update -qq"
    assert apt[1].split()[-4:] == ALL
    assert "-y" in apt[1].split()


def test_runtime_mode_never_installs_the_browser(tmp_path: Path) -> None:
    done, apt = _run(tmp_path, "runtime", installed=[], uid=0)
    assert done.returncode == 0, done.stderr
    assert apt[1].split()[-3:] == RUNTIME
    assert "chromium" not in apt[1]


def test_only_what_is_missing_is_installed(tmp_path: Path) -> None:
    done, apt = _run(tmp_path, "all", installed=RUNTIME, uid=0)
    assert done.returncode == 0, done.stderr
    assert apt[1].split()[-1] == "chromium"
    assert not set(RUNTIME) & set(apt[1].split())


@pytest.mark.parametrize("mode", ["all", "runtime"])
def test_nothing_missing_runs_no_apt_get_even_without_root(tmp_path: Path, mode: str) -> None:
    done, apt = _run(tmp_path, mode, installed=ALL, uid=1000)
    assert done.returncode == 0, done.stderr
    assert apt == []


def test_without_root_it_prints_the_one_command_and_stops(tmp_path: Path) -> None:
    done, apt = _run(tmp_path, "all", installed=["fonts-dejavu-core"], uid=1000)
    assert done.returncode == 1
    assert apt == []
    commands = re.findall(r"^\s*sudo (apt-get install .*)$", done.stderr, re.MULTILINE)
    assert commands == [
        "apt-get install -y --no-install-recommends chromium libpango-1.0-0 libpangoft2-1.0-0"
    ]


def test_without_dpkg_it_names_the_packages_and_goes_on(tmp_path: Path) -> None:
    done, apt = _run(tmp_path, "runtime", installed=[], uid=1000, dpkg=False)
    assert done.returncode == 0
    assert apt == []
    assert " ".join(RUNTIME) in done.stderr


def test_an_unknown_mode_is_refused(tmp_path: Path) -> None:
    done, apt = _run(tmp_path, "everything", installed=[], uid=0)
    assert done.returncode == 2
    assert "usage" in done.stderr
    assert apt == []


def _make_dry_run(target: str) -> list[str]:
    done = subprocess.run(
        ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return [line.strip() for line in done.stdout.splitlines() if "install-system-deps.sh" in line]


@pytest.mark.parametrize("target", ["install", "demo"])
def test_make_install_and_demo_ask_only_for_the_run_time_packages(target: str) -> None:
    assert _make_dry_run(target) == ["bash tools/install-system-deps.sh runtime"]


def test_make_test_asks_for_everything_first() -> None:
    assert _make_dry_run("test")[0] == "bash tools/install-system-deps.sh all"


def test_ci_calls_the_script() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "bash tools/install-system-deps.sh all" in ci
    assert "apt-get" not in ci
