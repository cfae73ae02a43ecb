"""Project lint: health data is fetched only through the access gateway (DESIGN.md §4).

Outside `queries.py`, `actions.py` and `core/access.py`, no code may touch a health-data model's
manager (`Case.objects…`, `Document._default_manager…`). Run by `make lint`; exits 1 naming each place.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

HEALTH_MODELS = {
    "Addendum",
    "AppointmentSlot",
    "Case",
    "Companion",
    "Consent",
    "ConsultRequest",
    "Decision",
    "Document",
    "Medicine",
    "Message",
    "Opinion",
    "Question",
    "RequestQuestion",
    "Review",  # links its author to the consult that made them eligible
    "ReviewReport",
    "ShareLink",
    "Shipment",
    "StatusChange",
    "TriageAssessment",
    "UrgentFinding",
}
MANAGERS = {"objects", "_default_manager", "_base_manager"}
ALLOWED_NAMES = {"queries.py", "actions.py"}
ALLOWED_PATHS = {Path("src/secondopinion/core/access.py")}


def allowed(path: Path) -> bool:
    return path.name in ALLOWED_NAMES or path in ALLOWED_PATHS or "migrations" in path.parts


def violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in MANAGERS
            and isinstance(node.value, ast.Name)
            and node.value.id in HEALTH_MODELS
        ):
            found.append(f"{path}:{node.lineno}: {node.value.id}.{node.attr} outside the access gateway")
    return found


def main(root: str = "src") -> int:
    problems = [v for p in sorted(Path(root).rglob("*.py")) if not allowed(p) for v in violations(p)]
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} direct read(s) of health data; use core.access or the app's queries.py")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
