"""Fixed-window counters shared by every server process: rate limits, and failed sign-ins per client address.

With SECONDOPINION_REDIS_URL set the counters live in Redis (one INCR each); otherwise in the database, one
`UPDATE … SET count = count + 1` each. Either way the documented limits are the limits, however many
workers serve the site, and two requests counted at once are counted twice. In the database a count is one
`INSERT … ON CONFLICT DO UPDATE … RETURNING` (SQLite 3.35+, PostgreSQL).
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from secondopinion.core.middleware import client_ip
from secondopinion.core.models import RateCounter


def _key(scope: str, subject: str, window_seconds: int) -> str:
    return f"{scope}:{subject}:{int(time.time() // window_seconds)}"


def _in_redis() -> bool:
    return bool(getattr(settings, "SECONDOPINION_REDIS_URL", ""))


def hit(scope: str, subject: str, window_seconds: int) -> int:
    """Count one event for `subject` in the current window of `scope`; the count, this one included."""
    key = _key(scope, subject, window_seconds)
    if _in_redis():
        from django.core.cache import cache

        cache.add(key, 0, timeout=window_seconds + 5)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.add(key, 0, timeout=window_seconds + 5)
            return int(cache.incr(key))
    return _count_in_database(key, window_seconds)


def _count_in_database(key: str, window_seconds: int) -> int:
    """One atomic upsert that returns the new count; a new window's first count also drops expired ones."""
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    expires_at = timezone.now() + timedelta(seconds=window_seconds + 5)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608 - fixed table
            f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [key, expires_at],
        )
        count = int(cursor.fetchone()[0])
    if count == 1:
        RateCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return count


def seen(scope: str, subject: str, window_seconds: int) -> int:
    """The count so far in the current window, without counting."""
    key = _key(scope, subject, window_seconds)
    if _in_redis():
        from django.core.cache import cache

        return int(cache.get(key, 0))
    found = RateCounter.objects.filter(key=key).values_list("count", flat=True).first()
    return int(found or 0)


def over_limit(request: HttpRequest, scope: str, limit: int, window_seconds: int) -> bool:
    """Count this request; True once the client has made more than `limit` in the current window."""
    return hit(f"ratelimit:{scope}", client_ip(request), window_seconds) > limit
