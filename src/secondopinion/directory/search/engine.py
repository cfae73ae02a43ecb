"""Directory search: the rules of `rules.py` over the candidates `reads.py` fetches, shared by `directory
search`, the search page and the JSON API.

Every rule is computed in Python over candidates the database narrows with plain indexed comparisons
(`startswith`, `IN`, `BETWEEN`), so SQLite and PostgreSQL give identical answers. See
`docs/directory-search.md` for the rules in words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from secondopinion.core.geo import great_circle_miles
from secondopinion.core.numbers import format_number
from secondopinion.core.reference import cancer_type_name

from .. import taxonomy
from ..models import CenterDesignation, Practitioner
from . import reads
from .rules import (
    CENTER_TYPES,
    EXACT,
    MATCH_WORDS,
    PREFIX,
    TYPO,
    Box,
    Candidate,
    RolePlace,
    SearchError,
    SearchParams,
    bounding_box,
    cancer_terms,
    candidate_prefix,
    centroid,
    name_quality,
    name_words,
    nearest,
    speaks,
    specialty_codes,
    validate,
    word_match,
)

NO_PLACE = ("", "", "")


@dataclass(frozen=True, slots=True)
class Query:
    """A search's terms, resolved: specialty codes, cancer-type terms, designations, the point and box of
    `near`, the language, the name words and the stored name keys each matches (with how)."""

    params: SearchParams
    codes: tuple[str, ...]
    cancer_name: str
    cancer_terms: tuple[str, ...]
    designations: tuple[str, ...]
    origin: tuple[float, float] | None
    box: Box | None
    language: str
    words: list[str]
    keys: dict[str, dict[str, int]]

    @property
    def word_keys(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(found) for found in self.keys.values())

    @property
    def only_name(self) -> bool:
        video = self.params.video is not None
        return not (
            self.codes or self.cancer_terms or video or self.language or self.designations or self.origin
        )

    def filters(self) -> reads.Filters:
        return reads.Filters(
            codes=self.codes,
            cancer_terms=self.cancer_terms,
            video=self.params.video,
            language=self.language,
            designations=self.designations,
            box=self.box,
            word_keys=self.word_keys,
        )


def resolve(params: SearchParams) -> Query | None:
    """The search's terms (SearchError for one that names nothing); None when a name word matches no
    stored name."""
    validate(params)
    codes = specialty_codes(params.specialty) if params.specialty.strip() else ()
    cancer_name, terms = cancer_terms(params.cancer_type) if params.cancer_type.strip() else ("", ())
    center = params.center_type.strip().lower()
    if center and center not in CENTER_TYPES:
        raise SearchError("unknown_center_type", f"No center type {center!r}.", sorted(CENTER_TYPES))
    origin = centroid(params.near) if params.near.strip() else None
    words = name_words(params.name)
    if params.name.strip() and not words:
        raise SearchError("invalid_name", _("The name has no letters."))
    box = None
    if origin is not None and params.radius_miles is not None:
        box = bounding_box(*origin, params.radius_miles)
    keys = {word: matching_keys(word) for word in dict.fromkeys(words)}
    if any(not found for found in keys.values()):
        return None
    return Query(
        params=params,
        codes=codes,
        cancer_name=cancer_name,
        cancer_terms=terms,
        designations=CENTER_TYPES.get(center, ()),
        origin=origin,
        box=box,
        language=params.language.strip().lower(),
        words=words,
        keys=keys,
    )


def matching_keys(word: str) -> dict[str, int]:
    """The stored name keys (family or given) a query word matches, with how (EXACT, PREFIX or TYPO): the
    database lists the distinct keys that start like the word, the rule decides."""
    prefix = candidate_prefix(word)
    found = {}
    for key in reads.name_keys(prefix):
        how = word_match(word, key)
        if how is not None:
            found[key] = how
    return found


def _by_name(keys: dict[str, int], want: int) -> list[Candidate]:
    """The first `want` candidates in ranking order for a one-word name search and nothing else: tier by
    tier (exact, prefix, one typo), each read in (family, given, id) order from the name indexes, so a common
    name costs as much as a rare one."""
    out: list[Candidate] = []
    for tier in (EXACT, PREFIX, TYPO):
        tier_keys = sorted(k for k, how in keys.items() if how == tier)
        fetch = want - len(out)
        while tier_keys and fetch > 0:
            rows = reads.by_name_keys(tier_keys, fetch)
            # A row reached through one name may match better through the other: it belongs to that tier.
            mine = [
                Candidate(pid, tier, False, family, given)
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
    q = resolve(params)
    if q is None:
        return [], 0  # a word that matches no stored name
    want = params.offset + params.limit
    total = None
    found: dict[int, Candidate]
    if q.only_name and len(q.words) <= 1:
        total = reads.count_by_name_keys(list(q.keys[q.words[0]]) if q.words else None)
        # Ranked by name alone: read just the first `want` rows in ranking order.
        if q.words:
            ranked_rows = _by_name(q.keys[q.words[0]], want)
        else:
            ranked_rows = [Candidate(pid, EXACT, False, f, g) for pid, f, g in reads.first_active(want)]
        found = {c.pid: c for c in ranked_rows}
    elif q.box is not None and (q.codes or q.cancer_terms) and not q.designations:
        found = _near_terms(q)
    elif q.codes and q.origin is None and not (q.designations or q.cancer_terms):
        slots = reads.slot_rows(q.codes, params.video, q.language, q.word_keys)
        primaries = {pid for pid, is_primary, *_ in slots if is_primary}
        found = _kept(q, ((pid, f, g, languages, pid in primaries) for pid, _p, f, g, languages in slots))
    else:
        found = _kept(q, reads.search_rows(q.filters()))
        if q.origin is not None or q.designations:
            found = _placed(q, found)
    ranked = sorted(found.values(), key=Candidate.rank)
    page = ranked[params.offset : params.offset + params.limit]
    total = len(ranked) if total is None else total
    missing = [c for c in page if c.place is None]
    places = _places([c.pid for c in missing])
    for c in missing:  # the place shown: the nearest qualifying role, else the first one
        c.place = nearest(places.get(c.pid, []), q.origin, q.designations)[1] or NO_PLACE
    return _results(q, page), total


def _kept(q: Query, rows: Iterable[tuple[int, str, str, Any, Any]]) -> dict[int, Candidate]:
    """The rows (id, family key, given key, languages, primary) that speak the language exactly and match
    the name words, as candidates (a practitioner's later row replaces an earlier one)."""
    found: dict[int, Candidate] = {}
    for pid, family, given, languages, primary_match in rows:
        if q.language and not speaks(languages, q.language):
            continue
        how = name_quality(q.words, family, given) if q.words else EXACT
        if how is None:
            continue
        found[pid] = Candidate(pid, how, bool(primary_match), family, given)
    return found


def _placed(q: Query, found: dict[int, Candidate]) -> dict[int, Candidate]:
    """The candidates with their nearest role of the wanted designations, those outside the radius left
    out (the box is only a prefilter), as are those with no geocoded place."""
    places = _places(sorted(found))
    kept: dict[int, Candidate] = {}
    for pid in sorted(found):
        best, chosen = nearest(places.get(pid, []), q.origin, q.designations)
        if q.params.radius_miles is not None and (best is None or best > q.params.radius_miles):
            continue
        c = kept[pid] = found[pid]
        c.distance, c.place = best, chosen or NO_PLACE
    return kept


def _near_terms(q: Query) -> dict[int, Candidate]:
    """A specialty or cancer type within a radius, from the search points in the box: each point is an
    active geocoded role of a practitioner with the term, so the points give the nearest role's distance
    (a role outside the box is farther than the radius); the practitioners are read only for those inside."""
    assert q.origin is not None and q.box is not None and q.params.radius_miles is not None
    kind, terms = ("s", q.codes) if q.codes else ("c", q.cancer_terms)
    best: dict[int, float] = {}
    primaries: set[int] = set()
    for pid, _code, lat, lon, is_primary in reads.point_rows(kind, terms, q.box):
        d = great_circle_miles(q.origin[0], q.origin[1], lat, lon)
        if pid not in best or d < best[pid]:
            best[pid] = d
        if is_primary:
            primaries.add(pid)
    inside = sorted(pid for pid, d in best.items() if d <= q.params.radius_miles)
    also = q.cancer_terms if kind == "s" else ()
    people = reads.people_rows(inside, q.params.video, q.language, q.word_keys, also)
    found = _kept(q, ((pid, f, g, languages, pid in primaries) for pid, f, g, languages in people))
    for c in found.values():
        c.distance = best[c.pid]
    return found


def _places(ids: list[int]) -> dict[int, list[RolePlace]]:
    """Each practitioner's active roles: (latitude, longitude, city, state, designation), in role order."""
    places: dict[int, list[RolePlace]] = defaultdict(list)
    for pid, lat, lon, city, state, designation in reads.places_of(ids):
        places[pid].append((lat, lon, city or "", state or "", designation or ""))
    return places


def _results(q: Query, page: list[Candidate]) -> list[dict[str, Any]]:
    params = q.params
    people = Practitioner.objects.in_bulk([c.pid for c in page])
    slots: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for pid, code, is_primary in reads.specialty_slots([c.pid for c in page]):
        slots[pid].append((code, is_primary))
    out = []
    for c in page:
        person = people[c.pid]
        own = slots.get(c.pid, [])
        primary_code = next((code for code, is_primary in own if is_primary), None)
        why: list[str] = []
        if q.words:
            why.append(_("name: %(quality)s match") % {"quality": MATCH_WORDS[c.quality]})
        if q.codes:
            matched = next((code for code, _primary in own if code in q.codes), q.codes[0])
            label = taxonomy.display_name(primary_code if c.primary and primary_code else matched)
            why.append(
                (_("primary specialty: %(name)s") if c.primary else _("also specialty: %(name)s"))
                % {"name": label}
            )
        if q.cancer_terms:
            why.append(_("treats %(cancer)s") % {"cancer": cancer_type_name(q.cancer_name).lower()})
        d = c.distance
        if d is not None:
            why.append(
                _("%(miles)s miles from %(place)s")
                % {"miles": format_number(d, 1), "place": params.near.strip()}
            )
        if params.video:
            why.append(_("offers video visits"))
        if params.language.strip():
            why.append(_("speaks %(language)s") % {"language": params.language.strip().lower()})
        city, state, designation = c.place or NO_PLACE
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
