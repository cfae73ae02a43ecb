"""Rate-limit counters hold across processes: two processes counting at once against the same database, or
the same Redis, count every event exactly once (atomic UPDATE … SET count = count + 1, or INCR)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings

from secondopinion.core import ratelimit

ROOT = Path(__file__).resolve().parents[2]
EACH = 40
COUNT = """
import django, sys
django.setup()
from secondopinion.core.ratelimit import hit
print(" ".join(str(hit("test", sys.argv[1], 3600)) for _ in range({each})))
"""


def _two_processes(env: dict[str, str], subject: str) -> list[int]:
    script = COUNT.format(each=EACH)
    run = [sys.executable, "-c", script, subject]
    procs = [subprocess.Popen(run, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    return sorted(int(n) for out in outputs for n in out.split())


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECONDOPINION_REDIS_URL")}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}",
        **extra,
    }


def test_two_processes_share_the_database_counters(tmp_path: Path) -> None:
    env = _env(SECONDOPINION_DATA_DIR=str(tmp_path))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    assert _two_processes(env, "shared") == list(range(1, 2 * EACH + 1))


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_the_postgresql_counters() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite case is the test above")
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    assert _two_processes(_env(DATABASE_URL=url), "shared-pg") == list(range(1, 2 * EACH + 1))


def test_two_processes_share_the_redis_counters(tmp_path: Path) -> None:
    prefix = f"test-{uuid.uuid4().hex}"
    env = _env(
        SECONDOPINION_DATA_DIR=str(tmp_path),
        SECONDOPINION_REDIS_URL="redis://127.0.0.1:6379/0",
        SECONDOPINION_REDIS_PREFIX=prefix,
    )
    assert _two_processes(env, "shared-redis") == list(range(1, 2 * EACH + 1))


@pytest.mark.django_db
def test_the_limit_counts_every_request_of_one_client() -> None:
    request = Client().get("/").wsgi_request
    results = [ratelimit.over_limit(request, "unit", 3, 60) for _ in range(5)]
    assert results == [False, False, False, True, True]
    assert ratelimit.seen("ratelimit:unit", "127.0.0.1", 60) == 5


@pytest.mark.django_db
def test_with_redis_configured_the_counters_live_in_redis() -> None:
    prefix = f"test-{uuid.uuid4().hex}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(SECONDOPINION_REDIS_URL="redis://127.0.0.1:6379/0", CACHES=caches):
        assert [ratelimit.hit("unit-redis", "x", 60) for _ in range(3)] == [1, 2, 3]
        from secondopinion.core.models import RateCounter

        assert not RateCounter.objects.exists()
