"""The directory search's rules, with no database: what a search may ask, how a query word matches a stored
name key, what the query's terms stand for, distances, and the order of results (`Candidate.rank`).
`docs/directory-search.md` says them in words; `engine.py` applies them to what `reads.py` fetches."""

from __future__ import annotations

import difflib
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secondopinion.core.geo import great_circle_miles, place_centroid, place_suggestions
from secondopinion.core.reference import find_cancer_type, suggest_cancer_types

from .. import taxonomy
from ..models import CenterDesignation
from ..nppes.columns import name_key

DEFAULT_LIMIT = 20
MAX_LIMIT = 200
TYPO_MIN_LETTERS = 4  # a query word shorter than this matches by prefix only
TYPO_SHARED_PREFIX = 2  # a typo is tolerated only after the first two letters
EXACT, PREFIX, TYPO = 0, 1, 2
MATCH_WORDS = {EXACT: gettext_lazy("exact"), PREFIX: gettext_lazy("prefix"), TYPO: gettext_lazy("one typo")}
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

Box = tuple[float, float, float, float]  # min_lat, max_lat, min_lon, max_lon
Place = tuple[str, str, str]  # city, state, organization designation
RolePlace = tuple[float | None, float | None, str, str, str]  # latitude, longitude, then a Place


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


@dataclass(slots=True)
class Candidate:
    """A practitioner a search found: how the name matched, whether a primary specialty matched, the name
    keys it sorts by, the distance (None without a place) and the place shown (None until chosen)."""

    pid: int
    quality: int
    primary: bool
    family: str
    given: str
    distance: float | None = None
    place: Place | None = None

    def rank(self) -> tuple[Any, ...]:
        """Best name match first, then a primary specialty match, nearest, by name, by id."""
        distance = math.inf if self.distance is None else self.distance
        return (self.quality, 0 if self.primary else 1, distance, self.family, self.given, self.pid)


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


def candidate_prefix(word: str) -> str:
    """What every stored key a query word may match starts with: the word itself when it is too short for a
    typo, else its first letters (a typo is tolerated only after them)."""
    return word if len(word) < TYPO_MIN_LETTERS else word[:TYPO_SHARED_PREFIX]


def specialty_codes(text: str) -> tuple[str, ...]:
    codes = taxonomy.codes_for(text)
    if codes:
        return codes
    names = list(taxonomy.specialty_names())
    key = " ".join(text.strip().lower().split())
    close = difflib.get_close_matches(key, names, n=5, cutoff=0.6)
    close += [n for n in names if key and key in n and n not in close]
    raise SearchError(
        "unknown_specialty", _("No specialty is known as %(text)s.") % {"text": repr(text.strip())}, close[:5]
    )


def cancer_terms(text: str) -> tuple[str, tuple[str, ...]]:
    found = find_cancer_type(text)
    if found is None:
        raise SearchError(
            "unknown_cancer_type",
            _("No cancer type is known as %(text)s.") % {"text": repr(text.strip())},
            suggest_cancer_types(text),
        )
    terms: set[str] = set()
    for term in (found.oncotree_code, found.name, found.name_es, *found.synonyms, *found.synonyms_es):
        if term:
            terms.update({term, term.lower(), term.upper(), term.capitalize()})
    return found.name, tuple(sorted(terms))


def centroid(near: str) -> tuple[float, float]:
    """The point of a 5-digit ZIP (its centroid) or of a "City, ST" (`core.geo.place_centroid`)."""
    text = " ".join(near.split())
    point = place_centroid(text)
    if point is not None:
        return point
    if _ZIP.match(text):
        raise SearchError("unknown_zip", _("ZIP code %(zip)s is not known.") % {"zip": text})
    raise SearchError(
        "unknown_place",
        _("No place is known as %(text)s: type a 5-digit ZIP code or a town as “City, ST”.")
        % {"text": repr(text)},
        place_suggestions(text),
    )


def bounding_box(lat: float, lon: float, miles: float) -> Box:
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


def speaks(languages: Any, language: str) -> bool:
    """`language` is one of the codes in the list (JSON text from the database, or a list)."""
    if isinstance(languages, str):
        if f'"{language}"' not in languages:
            return False  # the code, quoted, must appear in the JSON text
        languages = json.loads(languages)
    return language in (languages or [])


def nearest(
    roles: list[RolePlace], origin: tuple[float, float] | None, designations: tuple[str, ...]
) -> tuple[float | None, Place | None]:
    """(distance, (city, state, designation)) of the nearest geocoded role of those of the wanted
    designations (without a place: no distance, the first such role)."""
    chosen = None
    best = None
    for lat, lon, city, state, designation in roles:
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
    return best, chosen
