"""Project lint: no source file grows past the size a reader can hold in mind.

A file over its limit is split by area before it lands. Generated code (migrations) and the
vendored front-end libraries are not ours to split. Run by `make lint`; exits 1 naming each file.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOTS = ("src", "tests", "tools", "benchmarks", "config")
DEFAULT_LIMIT = 500
# The directory app is held to a tighter limit than the rest.
LIMITS = {Path("src/secondopinion/directory"): 400}
SUFFIXES = {".py", ".html", ".js", ".css", ".sh"}
SKIPPED_PARTS = {"migrations", "vendor", "__pycache__", "node_modules"}


def limit_for(relative: Path) -> int:
    tighter = [limit for folder, limit in LIMITS.items() if relative.is_relative_to(folder)]
    return min(tighter, default=DEFAULT_LIMIT)


def sources(base: Path) -> list[Path]:
    found = []
    for root in ROOTS:
        for path in sorted((base / root).rglob("*")):
            relative = path.relative_to(base)
            if path.is_file() and path.suffix in SUFFIXES and not SKIPPED_PARTS & set(relative.parts):
                found.append(relative)
    return found


def oversized(base: Path) -> list[str]:
    problems = []
    for relative in sources(base):
        with (base / relative).open("rb") as handle:
            lines = sum(1 for _ in handle)
        limit = limit_for(relative)
        if lines > limit:
            problems.append(f"{relative}: {lines} lines, over the limit of {limit}")
    return problems


def main(base: str = ".") -> int:
    problems = oversized(Path(base))
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} file(s) too long; split them by area")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
