"""A small fixed-window rate limiter on Django's cache (set CACHES to a shared cache when running several
processes; the default local-memory cache limits each process on its own)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest

from secondopinion.core.middleware import client_ip


def over_limit(request: HttpRequest, scope: str, limit: int, window_seconds: int) -> bool:
    """Count this request; True once the client has made more than `limit` in the current window."""
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
    if cache.add(key, 1, timeout=window_seconds + 5):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds + 5)
        count = 1
    return count > limit
