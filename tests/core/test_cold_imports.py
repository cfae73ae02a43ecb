"""Every module imports on its own in a fresh interpreter: an import cycle between apps (a router importing a
helper from the module that mounts the routers) only shows when a module is the first one imported."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PROBE = "import django, importlib, sys; django.setup(); importlib.import_module(sys.argv[1])"


def _modules() -> list[str]:
    names = []
    for path in sorted((SRC / "secondopinion").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(SRC).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _import_alone(module: str) -> tuple[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, module],
        capture_output=True,
        text=True,
        env=env,
        cwd=SRC.parent,
        timeout=120,
    )
    return module, "" if done.returncode == 0 else done.stderr.strip().splitlines()[-1]


def test_every_module_imports_first_in_a_fresh_interpreter():
    modules = _modules()
    assert "secondopinion.cases.api" in modules
    with ThreadPoolExecutor(max_workers=4) as pool:
        failures = {name: error for name, error in pool.map(_import_alone, modules) if error}
    assert not failures, failures
