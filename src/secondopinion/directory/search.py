"""Directory search (issue 5, item 4): the rules, shared by `directory search` and the JSON API.

Every rule is computed in Python over candidates the database narrows with plain indexed comparisons
(`startswith`, `IN`, `BETWEEN`), so SQLite and PostgreSQL give identical answers. See
`docs/directory-search.md` for the rules in words.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secondopinion.core.geo import great_circle_miles, place_centroid, place_suggestions
from secondopinion.core.numbers import format_number
from secondopinion.core.reference import cancer_type_name, find_cancer_type, suggest_cancer_types

from . import search_reads, taxonomy
from .models import CenterDesignation, Practitioner
from .nppes.columns import name_key

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
    raise SearchError(
        "unknown_specialty", _("No specialty is known as %(text)s.") % {"text": repr(text.strip())}, close[:5]
    )


def _cancer_terms(text: str) -> tuple[str, tuple[str, ...]]:
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


def _centroid(near: str) -> tuple[float, float]:
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


def candidate_prefix(word: str) -> str:
    """What every stored key a query word may match starts with: the word itself when it is too short for a
    typo, else its first letters (a typo is tolerated only after them)."""
    return word if len(word) < TYPO_MIN_LETTERS else word[:TYPO_SHARED_PREFIX]


def matching_keys(word: str) -> dict[str, int]:
    """The stored name keys (family or given) a query word matches, with how (EXACT, PREFIX or TYPO): the
    database lists the distinct keys that start like the word, the rule decides."""
    prefix = candidate_prefix(word)
    found = {}
    for key in search_reads.name_keys(prefix):
        how = word_match(word, key)
        if how is not None:
            found[key] = how
    return found


def _by_name(word: str, keys: dict[str, int], want: int) -> list[tuple[int, int, str, str]]:
    """The first `want` (id, quality, family key, given key) in ranking order for a one-word name search and
    nothing else: tier by tier (exact, prefix, one typo), each read in (family, given, id) order from the
    name indexes, so a common name costs as much as a rare one."""
    out: list[tuple[int, int, str, str]] = []
    for tier in (EXACT, PREFIX, TYPO):
        tier_keys = sorted(k for k, how in keys.items() if how == tier)
        fetch = want - len(out)
        while tier_keys and fetch > 0:
            rows = search_reads.by_name_keys(tier_keys, fetch)
            # A row reached through one name may match better through the other: it belongs to that tier.
            mine = [
                (pid, tier, family, given)
                for pid, family, given in rows
                if min(keys.get(family, TYPO + 1), keys.get(given, TYPO + 1)) == tier
            ]
            if len(rows) < fetch or len(mine) >= want - len(out):
                out += mine[: want - len(out)]
                break
            fetch *= 2  # rows of a better tier took places: read further
    return out


def search(params: SearchParams) -> list[dict[str, Any]]:
    """The page of results (see `docs/directory-search.md` for the filters, the name rule and the ranking)."""
    return search_counted(params)[0]


def search_counted(params: SearchParams) -> tuple[list[dict[str, Any]], int]:
    """The page of results, and how many results the search has in all pages."""
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
        raise SearchError("invalid_name", _("The name has no letters."))
    box = None
    if origin is not None and params.radius_miles is not None:
        box = bounding_box(*origin, params.radius_miles)
    keys = {word: matching_keys(word) for word in dict.fromkeys(words)}
    if any(not found for found in keys.values()):
        return [], 0  # a word that matches no stored name
    want = params.offset + params.limit
    quality: dict[int, int] = {}
    primary: dict[int, bool] = {}
    sort_name: dict[int, tuple[str, str]] = {}
    distance: dict[int, float | None] = {}
    place: dict[int, tuple[str, str, str]] = {}
    only_name = not (codes or cancer_terms or params.video is not None or language or designations or origin)
    word_keys = tuple(tuple(keys[word]) for word in keys)
    total = None
    if only_name and len(words) <= 1:
        total = search_reads.count_by_name_keys(list(keys[words[0]]) if words else None)
        # Ranked by name alone: read just the first `want` rows in ranking order.
        if words:
            ranked_rows = _by_name(words[0], keys[words[0]], want)
        else:
            ranked_rows = [(pid, EXACT, f, g) for pid, f, g in search_reads.first_active(want)]
        for pid, how, family, given in ranked_rows:
            quality[pid], primary[pid], sort_name[pid], distance[pid] = how, False, (family, given), None
    elif box is not None and (codes or cancer_terms) and not designations:
        found = (quality, primary, sort_name, distance)
        _near_terms(params, origin, box, codes, cancer_terms, language, words, word_keys, *found)
    elif codes and origin is None and not (designations or cancer_terms):
        slots = search_reads.slot_rows(codes, params.video, language, word_keys)
        primaries = {pid for pid, is_primary, *_ in slots if is_primary}
        people = [
            (pid, family, given, languages, pid in primaries)
            for pid, _primary, family, given, languages in slots
        ]
        _rank_people(people, language, words, quality, primary, sort_name)
        distance.update(dict.fromkeys(quality))
    else:
        rows = search_reads.search_rows(
            codes=codes,
            cancer_terms=cancer_terms,
            video=params.video,
            language=language,
            designations=designations,
            box=box,
            word_keys=word_keys,
        )
        _rank_people(rows, language, words, quality, primary, sort_name)
        if origin is None and not designations:
            distance.update(dict.fromkeys(quality))
        else:
            places = _places(sorted(quality))
            for pid in sorted(quality):
                best, chosen = _nearest(places.get(pid, []), origin, designations)
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
    total = len(ranked) if total is None else total
    missing = [pid for pid in page if pid not in place]
    places = _places(missing)
    for pid in missing:  # the place shown: the nearest qualifying role, else the first one
        place[pid] = _nearest(places.get(pid, []), origin, designations)[1] or ("", "", "")
    out = _results(page, words, quality, primary, distance, place, params, codes, cancer_name, cancer_terms)
    return out, total


def _rank_people(
    rows: Iterable[tuple[int, str, str, Any, Any]],
    language: str,
    words: list[str],
    quality: dict[int, int],
    primary: dict[int, bool],
    sort_name: dict[int, tuple[str, str]],
) -> None:
    """Keep the rows (id, family key, given key, languages, primary) that speak the language exactly and
    match the name words; note their name quality, primary match and sort name."""
    for pid, family, given, languages, primary_match in rows:
        if language and not _speaks(languages, language):
            continue
        how = name_quality(words, family, given) if words else EXACT
        if how is None:
            continue
        quality[pid], primary[pid], sort_name[pid] = how, bool(primary_match), (family, given)


def _speaks(languages: Any, language: str) -> bool:
    """`language` is one of the codes in the list (JSON text from the database, or a list)."""
    if isinstance(languages, str):
        if f'"{language}"' not in languages:
            return False  # the code, quoted, must appear in the JSON text
        languages = json.loads(languages)
    return language in (languages or [])


def _nearest(
    roles: list[tuple[float | None, float | None, str, str, str]],
    origin: tuple[float, float] | None,
    designations: tuple[str, ...],
) -> tuple[float | None, tuple[str, str, str] | None]:
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


def _near_terms(
    params: SearchParams,
    origin: tuple[float, float] | None,
    box: tuple[float, float, float, float],
    codes: tuple[str, ...],
    cancer_terms: tuple[str, ...],
    language: str,
    words: list[str],
    word_keys: tuple[tuple[str, ...], ...],
    quality: dict[int, int],
    primary: dict[int, bool],
    sort_name: dict[int, tuple[str, str]],
    distance: dict[int, float | None],
) -> None:
    """A specialty or cancer type within a radius, from the search points in the box: each point is an
    active geocoded role of a practitioner with the term, so the points give the nearest role's distance
    (a role outside the box is farther than the radius); the practitioners are read only for those inside."""
    assert origin is not None and params.radius_miles is not None
    kind, terms = ("s", codes) if codes else ("c", cancer_terms)
    best: dict[int, float] = {}
    primaries: set[int] = set()
    for pid, _code, lat, lon, is_primary in search_reads.point_rows(kind, terms, box):
        d = great_circle_miles(origin[0], origin[1], lat, lon)
        if pid not in best or d < best[pid]:
            best[pid] = d
        if is_primary:
            primaries.add(pid)
    inside = sorted(pid for pid, d in best.items() if d <= params.radius_miles)
    also = cancer_terms if kind == "s" else ()
    people = search_reads.people_rows(inside, params.video, language, word_keys, also)
    _rank_people(
        ((pid, family, given, languages, pid in primaries) for pid, family, given, languages in people),
        language,
        words,
        quality,
        primary,
        sort_name,
    )
    for pid in quality:
        distance[pid] = best[pid]


def _places(ids: list[int]) -> dict[int, list[tuple[float | None, float | None, str, str, str]]]:
    """Each practitioner's active roles: (latitude, longitude, city, state, designation), in role order."""
    places: dict[int, list[tuple[float | None, float | None, str, str, str]]] = defaultdict(list)
    for pid, lat, lon, city, state, designation in search_reads.places_of(ids):
        places[pid].append((lat, lon, city or "", state or "", designation or ""))
    return places


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
    for pid, code, is_primary in search_reads.specialty_slots(page):
        slots[pid].append((code, is_primary))
    out = []
    for pid in page:
        person = people[pid]
        own = slots.get(pid, [])
        primary_code = next((code for code, is_primary in own if is_primary), None)
        why: list[str] = []
        if words:
            why.append(_("name: %(quality)s match") % {"quality": MATCH_WORDS[quality[pid]]})
        if codes:
            matched = next((c for c, _primary in own if c in codes), codes[0])
            label = taxonomy.display_name(primary_code if primary[pid] and primary_code else matched)
            why.append(
                (_("primary specialty: %(name)s") if primary[pid] else _("also specialty: %(name)s"))
                % {"name": label}
            )
        if cancer_terms:
            why.append(_("treats %(cancer)s") % {"cancer": cancer_type_name(cancer_name).lower()})
        d = distance[pid]
        if d is not None:
            why.append(
                _("%(miles)s miles from %(place)s")
                % {"miles": format_number(d, 1), "place": params.near.strip()}
            )
        if params.video:
            why.append(_("offers video visits"))
        if params.language.strip():
            why.append(_("speaks %(language)s") % {"language": params.language.strip().lower()})
        city, state, designation = place[pid]
        if params.center_type.strip() and designation:
            why.append(_("works at: %(center)s") % {"center": CenterDesignation(designation).label})
        out.append(
            {
                "npi": str(person.npi),
                "name": person.display_name,
                "specialties": [code for code, _primary in own],
                "primary_specialty": primary_code,
                "distance_miles": None if d is None else round(d, 1),
                "city": city,
                "state": state,
                "why": why,
            }
        )
    return out
