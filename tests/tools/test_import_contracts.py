"""The app-to-app dependency table in docs/architecture.md is the import-linter contract in pyproject.toml,
and lint-imports fails on a package that breaks a contract."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS_DIR = ROOT / "src" / "secondopinion"
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"


def documented_table() -> dict[str, set[str]]:
    doc = (ROOT / "docs" / "architecture.md").read_text()
    table = doc.split("<!-- dependency-table: start -->")[1].split("<!-- dependency-table: end -->")[0]
    allowed: dict[str, set[str]] = {}
    for line in table.strip().splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        allowed[cells[0].strip("`")] = set(re.findall(r"`(\w+)`", cells[2]))
    return allowed


def contracts() -> dict[str, set[str]]:
    """Source app -> the apps its forbidden contract names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    forbidden: dict[str, set[str]] = {}
    for contract in config["contracts"]:
        assert contract["type"] == "forbidden", contract["name"]
        assert not contract.get("ignore_imports"), f"{contract['name']}: no exceptions to the table"
        for source in contract["source_modules"]:
            forbidden[source.removeprefix("secondopinion.")] = {
                m.removeprefix("secondopinion.") for m in contract["forbidden_modules"]
            }
    return forbidden


def test_every_app_has_a_row() -> None:
    apps = {p.name for p in APPS_DIR.iterdir() if (p / "__init__.py").exists()}
    assert apps == set(documented_table())


def test_the_contracts_forbid_exactly_what_the_table_does_not_allow() -> None:
    allowed, forbidden = documented_table(), contracts()
    apps = set(allowed)
    for app, may_import in allowed.items():
        assert may_import <= apps, f"{app} names an unknown app: {may_import - apps}"
        expected = apps - may_import - {app}
        assert forbidden.get(app, set()) == expected, app
    assert forbidden["cli"] == apps  # the command line imports no app


def _lint(config_dir: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [LINT_IMPORTS, str(config_dir / "setup.cfg"), "--no-cache"],
        cwd=config_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _package(tmp_path: Path, core_source: str) -> Path:
    root = tmp_path / "pkg"
    for app, source in (("core", core_source), ("cases", "from pkg import core\n")):
        (root / app).mkdir(parents=True)
        (root / app / "__init__.py").write_text(source)
    (root / "__init__.py").write_text("")
    (tmp_path / "setup.cfg").write_text(
        "[importlinter]\nroot_package = pkg\n\n"
        "[importlinter:contract:core]\nname = core imports no app\ntype = forbidden\n"
        "source_modules = pkg.core\nforbidden_modules = pkg.cases\n"
    )
    return tmp_path


def test_lint_imports_fails_on_a_forbidden_import(tmp_path: Path) -> None:
    broken = _package(tmp_path, "def later():\n    from pkg.cases import x  # a lazy import counts too\n")
    result = _lint(broken, broken)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout and "pkg.core -> pkg.cases" in result.stdout


def test_lint_imports_passes_a_package_that_keeps_the_contract(tmp_path: Path) -> None:
    kept = _package(tmp_path, "")
    result = _lint(kept, kept)
    assert result.returncode == 0, result.stdout + result.stderr
