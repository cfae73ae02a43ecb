"""The directory search: `rules.py` (what matches and how results rank, no database), `reads.py` (the SQL
that fetches candidates), `tables.py` (the search tables and their set-wise refresh), `engine.py` (the rules
over the reads), `help.py` (the search page's "did you mean" and wider-search links)."""

from .engine import search, search_counted
from .rules import (
    CENTER_TYPES,
    DEFAULT_LIMIT,
    EXACT,
    PREFIX,
    TYPO,
    TYPO_SHARED_PREFIX,
    SearchError,
    SearchParams,
    bounding_box,
    candidate_prefix,
    name_quality,
    name_words,
    osa_distance,
    word_match,
)

__all__ = [
    "CENTER_TYPES",
    "DEFAULT_LIMIT",
    "EXACT",
    "PREFIX",
    "TYPO",
    "TYPO_SHARED_PREFIX",
    "SearchError",
    "SearchParams",
    "bounding_box",
    "candidate_prefix",
    "name_quality",
    "name_words",
    "osa_distance",
    "search",
    "search_counted",
    "word_match",
]
