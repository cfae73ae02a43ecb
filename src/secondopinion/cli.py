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
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Load the settings before Django does: it would swallow the error, then fail with a traceback.
        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as refused:
        # The message names every setting to fix (config/production.py); a traceback would bury it.
        sys.stderr.write(f"secondopinion: {refused}\n")
        raise SystemExit(2) from None
    execute_from_command_line(["secondopinion", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
