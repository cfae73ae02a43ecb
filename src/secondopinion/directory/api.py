"""GET /api/v1/directory/practitioners: the directory search (public provider data, no account needed)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from secondopinion.core.problems import ApiError
from secondopinion.core.ratelimit import over_limit

from .search import DEFAULT_LIMIT, SearchError, SearchParams, search

router = Router(tags=["directory"])
RATE_LIMIT = (120, 60)  # searches per client address per minute


class SearchQuery(Schema):
    name: str = ""
    specialty: str = ""
    cancer_type: str = ""
    near: str = ""
    radius_miles: float | None = None
    video: bool | None = None
    language: str = ""
    center_type: str = ""
    limit: int = DEFAULT_LIMIT
    offset: int = 0


@router.get(
    "/directory/practitioners",
    auth=None,
    summary="Search practitioners by name, specialty, cancer type, place, video visits, language, center",
)
def search_practitioners(request: HttpRequest, filters: Query[SearchQuery]) -> Any:
    if over_limit(request, "directory-search", *RATE_LIMIT):
        raise ApiError(429, "too_many_requests", "Too many requests", "Please wait a minute and try again.")
    try:
        return search(SearchParams(**filters.dict()))
    except SearchError as exc:
        raise ApiError(
            422, exc.code, "Invalid directory search", exc.message, suggestions=exc.suggestions
        ) from None
