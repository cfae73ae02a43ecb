"""Help on the search page when a search finds little: "did you mean" links, and for an empty search the
nearest matches farther away with a link that widens the distance. Each link runs that search."""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict

from ..forms import RADIUS_CHOICES
from .engine import search
from .rules import SearchParams

NEAREST_SHOWN = 3
RADII = [float(value) for value, _label in RADIUS_CHOICES if value]


def query_url(query: QueryDict, **changes: Any) -> str:
    """This search's query string with some fields changed ("" or None: left out), from its first page."""
    data = {k: v for k, v in query.items() if k != "page"}
    for name, value in changes.items():
        if value in ("", None):
            data.pop(name, None)
        else:
            data[name] = str(value)
    return f"?{urlencode(data)}"


def suggestion_links(query: QueryDict, field: str | None, suggestions: list[str]) -> list[tuple[str, str]]:
    """(suggestion, the same search with the field set to it) for a field the form has."""
    if field not in ("specialty", "cancer_type", "near"):
        return []
    return [(text, query_url(query, **{field: text})) for text in suggestions]


def wider_search(params: SearchParams, query: QueryDict) -> dict[str, Any] | None:
    """For an empty search near a place: the first wider distance offered (then any distance) that finds
    someone, with the nearest matches there and the link that runs it."""
    if not params.near.strip() or params.radius_miles is None:
        return None
    wider: list[float | None] = [r for r in RADII if r > params.radius_miles]
    for radius in [*wider, None]:
        rows = search(dataclasses.replace(params, radius_miles=radius, limit=NEAREST_SHOWN, offset=0))
        if rows:
            return {
                "radius": radius,
                "url": query_url(query, radius_miles=int(radius) if radius else ""),
                "rows": rows,
            }
    return None
