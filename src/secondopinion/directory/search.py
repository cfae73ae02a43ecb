"""Directory search (issue 5, item 4): the rules, shared by `directory search` and the JSON API.

Every rule is computed in Python over candidates the database narrows with plain indexed comparisons
(`startswith`, `IN`, `BETWEEN`), so SQLite and PostgreSQL give identical answers. See
`docs/directory-search.md` for the rules in words.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from secondopinion.core.geo import great_circle_miles, place_centroid, place_suggestions
from secondopinion.triage.reference import find_cancer_type, suggest_cancer_types

from . import queries, taxonomy
from .models import CenterDesignation, Practitioner
from .nppes import name_key

DEFAULT_LIMIT = 20
MAX_LIMIT = 200
TYPO_MIN_LETTERS = 4  # a query word shorter than this matches by prefix only
TYPO_SHARED_PREFIX = 2  # a typo is tolerated only after the first two letters
EXACT, PREFIX, TYPO = 0, 1, 2
MATCH_WORDS = {EXACT: "exact", PREFIX: "prefix", TYPO: "one typo"}
_ZIP = re.compile(r"^\d{5}$")
CENTER_TYPES: dict[str, tuple[str, ...]] = {
    "nci-comprehensive": (CenterDesignation.NCI_COMPREHENSIVE,),
    "comprehensive": (CenterDesignation.NCI_COMPREHENSIVE,),
    "nci-clinical": (CenterDesignation.NCI_CLINICAL,),
    "clinical": (CenterDesignation.NCI_CLINICAL,),
    "nci-basic": (CenterDesignation.NCI_BASIC,),
    "basic": (CenterDesignation.NCI_BASIC,),
    "nci": (
        CenterDesignation.NCI_COMPREHENSIVE,
        CenterDesignation.NCI_CLINICAL,
        CenterDesignation.NCI_BASIC,
    ),
    "community": (CenterDesignation.COMMUNITY,),
}


class SearchError(ValueError):
    """A search that cannot run: a stable `code`, a message and suggestions."""

    def __init__(self, code: str, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.suggestions = code, message, suggestions or []

    def as_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "suggestions": self.suggestions}}


@dataclass(frozen=True, slots=True)
class SearchParams:
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


def osa_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance, optimal-string-alignment form: insertions, deletions, substitutions
    and transpositions of two adjacent letters each cost 1."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def word_match(word: str, key: str) -> int | None:
    """How a query word (a name key) matches a stored name key: EXACT, PREFIX, TYPO or None."""
    if not key:
        return None
    if key == word:
        return EXACT
    if key.startswith(word):
        return PREFIX
    n = len(word)
    if n < TYPO_MIN_LETTERS or key[:TYPO_SHARED_PREFIX] != word[:TYPO_SHARED_PREFIX]:
        return None
    # One edit against the whole key, or against a start of the key (n-1, n or n+1 letters long).
    if any(osa_distance(word, cand) <= 1 for cand in (key, key[: n - 1], key[:n], key[: n + 1])):
        return TYPO
    return None


def name_words(text: str) -> list[str]:
    words = [name_key(part) for part in re.split(r"[\s,]+", text)]
    return [w for w in words if w]


def name_quality(words: list[str], family_key: str, given_key: str) -> int | None:
    """The worst match over the query words, each taking its best of the family and given names."""
    worst = EXACT
    for word in words:
        found = [q for q in (word_match(word, family_key), word_match(word, given_key)) if q is not None]
        if not found:
            return None
        worst = max(worst, min(found))
    return worst


def _specialty_codes(text: str) -> tuple[str, ...]:
    codes = taxonomy.codes_for(text)
    if codes:
        return codes
    names = list(taxonomy.specialty_names())
    key = " ".join(text.strip().lower().split())
    close = difflib.get_close_matches(key, names, n=5, cutoff=0.6)
    close += [n for n in names if key and key in n and n not in close]
    raise SearchError("unknown_specialty", f"No specialty is known as {text.strip()!r}.", close[:5])


def _cancer_terms(text: str) -> tuple[str, tuple[str, ...]]:
    found = find_cancer_type(text)
    if found is None:
        raise SearchError(
            "unknown_cancer_type", f"No cancer type is known as {text.strip()!r}.", suggest_cancer_types(text)
        )
    terms: set[str] = set()
    for term in (found.oncotree_code, found.name, found.name_es, *found.synonyms, *found.synonyms_es):
        if term:
            terms.update({term, term.lower(), term.upper(), term.capitalize()})
    return found.name, tuple(sorted(terms))


def _centroid(near: str) -> tuple[float, float]:
    """The point of a 5-digit ZIP (its centroid) or of a "City, ST" (`core.geo.place_centroid`)."""
    text = " ".join(near.split())
    point = place_centroid(text)
    if point is not None:
        return point
    if _ZIP.match(text):
        raise SearchError("unknown_zip", f"ZIP code {text} is not known.")
    raise SearchError(
        "unknown_place",
        f"No place is known as {text!r}: type a 5-digit ZIP code or a town as “City, ST”.",
        place_suggestions(text),
    )


def bounding_box(lat: float, lon: float, miles: float) -> tuple[float, float, float, float]:
    """A latitude/longitude box holding every point within `miles` (slightly generous)."""
    dlat = miles / 68.7 + 0.01
    cos_lat = math.cos(math.radians(min(89.0, abs(lat) + dlat)))
    dlon = 180.0 if cos_lat <= 0.01 else min(180.0, miles / (69.2 * cos_lat) + 0.01)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def validate(params: SearchParams) -> None:
    if params.limit < 1 or params.limit > MAX_LIMIT:
        raise SearchError("invalid_limit", f"limit must be between 1 and {MAX_LIMIT}.")
    if params.offset < 0:
        raise SearchError("invalid_offset", "offset must be 0 or more.")
    if params.radius_miles is not None:
        if not params.near:
            raise SearchError("radius_without_near", "radius_miles needs near (a ZIP code or a City, ST).")
        if not (params.radius_miles > 0 and math.isfinite(params.radius_miles)):
            raise SearchError("invalid_radius", "radius_miles must be a positive number.")


def search(params: SearchParams) -> list[dict[str, Any]]:
    """The page of results (see `docs/directory-search.md` for the filters, the name rule and the ranking)."""
    validate(params)
    codes = _specialty_codes(params.specialty) if params.specialty.strip() else ()
    cancer_name, cancer_terms = _cancer_terms(params.cancer_type) if params.cancer_type.strip() else ("", ())
    center = params.center_type.strip().lower()
    if center and center not in CENTER_TYPES:
        raise SearchError("unknown_center_type", f"No center type {center!r}.", sorted(CENTER_TYPES))
    designations = CENTER_TYPES.get(center, ())
    origin = _centroid(params.near) if params.near.strip() else None
    language = params.language.strip().lower()
    words = name_words(params.name)
    if params.name.strip() and not words:
        raise SearchError("invalid_name", "The name has no letters.")
    box = None
    if origin is not None and params.radius_miles is not None:
        box = bounding_box(*origin, params.radius_miles)
    name_prefixes = tuple((w,) if len(w) < TYPO_MIN_LETTERS else (w[:TYPO_SHARED_PREFIX],) for w in words)
    qs = queries.search_candidates(
        codes=codes,
        cancer_terms=cancer_terms,
        video=params.video,
        language=language,
        designations=designations,
        box=box,
        name_prefixes=name_prefixes,
    )
    fields = ["id", "family_name_key", "given_name_key", "languages"]
    if codes:
        fields.append("primary_match")
    quality: dict[int, int] = {}
    primary: dict[int, bool] = {}
    sort_name: dict[int, tuple[str, str]] = {}
    for row in qs.values(*fields).iterator(chunk_size=5000):
        if language and language not in (row["languages"] or []):
            continue
        q = name_quality(words, row["family_name_key"], row["given_name_key"]) if words else EXACT
        if q is None:
            continue
        pid = row["id"]
        quality[pid] = q
        primary[pid] = bool(row.get("primary_match"))
        sort_name[pid] = (row["family_name_key"], row["given_name_key"])
    ids = sorted(quality)
    places: dict[int, list[tuple[float | None, float | None, str, str, str]]] = defaultdict(list)
    for pid, lat, lon, city, state, designation in queries.role_places(ids):
        places[pid].append((lat, lon, city or "", state or "", designation or ""))
    distance: dict[int, float | None] = {}
    place: dict[int, tuple[str, str, str]] = {}
    for pid in ids:
        chosen = None
        best = None
        for lat, lon, city, state, designation in places.get(pid, []):
            if designations and designation not in designations:
                continue
            if origin is not None:
                if lat is None or lon is None:
                    continue
                d = great_circle_miles(origin[0], origin[1], lat, lon)
                if best is None or d < best:
                    best, chosen = d, (city, state, designation)
            elif chosen is None:
                chosen = (city, state, designation)
        if params.radius_miles is not None and (best is None or best > params.radius_miles):
            continue  # outside the circle (the box is only a prefilter), or no geocoded place
        distance[pid] = best
        place[pid] = chosen or ("", "", "")
    ranked = sorted(
        distance,
        key=lambda pid: (
            quality[pid],
            0 if primary[pid] else 1,
            math.inf if distance[pid] is None else distance[pid],
            sort_name[pid],
            pid,
        ),
    )
    page = ranked[params.offset : params.offset + params.limit]
    return _results(page, words, quality, primary, distance, place, params, codes, cancer_name, cancer_terms)


def _results(
    page: list[int],
    words: list[str],
    quality: dict[int, int],
    primary: dict[int, bool],
    distance: dict[int, float | None],
    place: dict[int, tuple[str, str, str]],
    params: SearchParams,
    codes: tuple[str, ...],
    cancer_name: str,
    cancer_terms: tuple[str, ...],
) -> list[dict[str, Any]]:
    people = Practitioner.objects.in_bulk(page)
    slots: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for pid, code, is_primary in queries.specialty_slots(page):
        slots[pid].append((code, is_primary))
    out = []
    for pid in page:
        person = people[pid]
        own = slots.get(pid, [])
        primary_code = next((code for code, is_primary in own if is_primary), None)
        why: list[str] = []
        if words:
            why.append(f"name: {MATCH_WORDS[quality[pid]]} match")
        if codes:
            matched = next((c for c, _ in own if c in codes), codes[0])
            label = taxonomy.display(primary_code if primary[pid] and primary_code else matched)
            why.append(f"{'primary' if primary[pid] else 'also'} specialty: {label}")
        if cancer_terms:
            why.append(f"treats {cancer_name.lower()}")
        d = distance[pid]
        if d is not None:
            why.append(f"{round(d, 1)} miles from {params.near.strip()}")
        if params.video:
            why.append("offers video visits")
        if params.language.strip():
            why.append(f"speaks {params.language.strip().lower()}")
        city, state, designation = place[pid]
        if params.center_type.strip() and designation:
            why.append(f"works at: {CenterDesignation(designation).label}")
        out.append(
            {
                "npi": str(person.npi),
                "name": person.display_name,
                "specialties": [code for code, _ in own],
                "primary_specialty": primary_code,
                "distance_miles": None if d is None else round(d, 1),
                "city": city,
                "state": state,
                "why": why,
            }
        )
    return out
