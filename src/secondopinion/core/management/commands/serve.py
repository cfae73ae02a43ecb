"""secondopinion serve — the web server and the task worker together; one Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve http://127.0.0.1:$PORT (gunicorn) with a background task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))

    def handle(self, *args: Any, **options: Any) -> None:
        bin_dir = os.path.dirname(sys.executable)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
            "PYTHONPATH": os.pathsep.join([str(settings.BASE_DIR), os.environ.get("PYTHONPATH", "")]),
            # the servers' settings build SITE_URL (the links in e-mails) from the address served
            "PORT": str(options["port"]),
            "HOST": options["host"],
        }
        web = subprocess.Popen(  # noqa: S603
            [
                os.path.join(bin_dir, "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"{options['host']}:{options['port']}",
                "--workers",
                str(options["workers"]),
                "--threads",
                "4",
                "--timeout",
                "600",
                "--access-logfile",
                "-",
                "--logger-class",
                "secondopinion.core.logging.MaskingGunicornLogger",
                "--chdir",
                str(settings.BASE_DIR),
            ],
            env=env,
        )
        worker = subprocess.Popen([sys.executable, "-m", "secondopinion.cli", "db_worker"], env=env)
        self.stdout.write(
            f"secondopinion is running at http://{options['host']}:{options['port']}/ (press Ctrl-C to stop)"
        )
        children = [web, worker]

        def stop(*_: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
        self.stdout.write("stopped")
