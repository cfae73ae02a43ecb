"""The `secondopinion` command: Django's management commands, grouped by domain.

secondopinion audit verify
secondopinion tokens create --user EMAIL
secondopinion storage sweep
secondopinion triage INPUT.json
secondopinion compare A.json B.json
secondopinion serve
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The project runs from its checkout: settings live in config/ beside src/.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> None:
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["secondopinion", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
