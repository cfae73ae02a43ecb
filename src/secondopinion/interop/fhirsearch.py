"""FHIR search over the directory: runs the `Criteria` that `params.parse` made, and reads by FHIR id.

The rules are the directory's own: a practitioner's name matches as in the directory search (every word a
prefix of the family or given name, or one typo away: `directory.search.name_quality`), a specialty is a
NUCC code in any taxonomy slot (`directory.search.reads.practitioners_sql`), distances are great circles
(`core.geo`) pre-filtered by `directory.search.bounding_box`. Searches list active rows only, as the directory
search does; a read answers for an inactive one too (with `active: false`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from secondopinion.core.geo import great_circle_miles
from secondopinion.directory.search import bounding_box, candidate_prefix, name_quality

from . import plannet
from . import queries as iq
from .params import Criteria, Near, org_words


@dataclass
class Page:
    total: int
    rows: list[Any]
    miles: dict[int, float] = field(default_factory=dict)  # near searches: distance by row pk


# --- running a search ------------------------------------------------------------------------------------


def _name_prefixes(words: list[str]) -> tuple[tuple[str, ...], ...]:
    return tuple((candidate_prefix(w),) for w in words)


def _paged(qs: QuerySet[Any], order: Sequence[str], c: Criteria) -> tuple[int, list[int]]:
    total = qs.count()
    if c.count == 0 or c.offset >= total:
        return total, []
    return total, list(qs.order_by(*order).values_list("pk", flat=True)[c.offset : c.offset + c.count])


def _sliced(ranked: list[tuple[Any, int]], c: Criteria) -> tuple[int, list[int]]:
    ranked.sort()
    return len(ranked), [pk for _, pk in ranked[c.offset : c.offset + c.count]]


def _nearest(rows: Any, near: Near, c: Criteria) -> tuple[int, list[int], dict[int, float]]:
    """(pk, lat, lon) rows inside the circle, nearest first (ties by pk)."""
    miles: dict[int, float] = {}
    for pk, lat, lon in rows:
        d = great_circle_miles(near.lat, near.lon, lat, lon)
        if d <= near.miles:
            miles[pk] = d
    total, pks = _sliced([((d, pk), pk) for pk, d in miles.items()], c)
    return total, pks, {pk: miles[pk] for pk in pks}


def _box(near: Near | None) -> iq.Box | None:
    return None if near is None else bounding_box(near.lat, near.lon, near.miles)


def _org_keys(ids: list[str]) -> tuple[list[str], list[int]]:
    npis = [n for n in map(plannet.parse_npi, ids) if n]
    rows = [r for r in (plannet.parse_row_id(i, "org") for i in ids) if r is not None]
    return npis, rows


def _practitioners(c: Criteria) -> Page:
    words = c.name + c.family + c.given
    qs = iq.practitioner_candidates(npis=c.ids, codes=c.codes, name_prefixes=_name_prefixes(words))
    if not words:
        total, pks = _paged(qs, ("family_name_key", "given_name_key", "pk"), c)
        return Page(total, iq.practitioners(pks))
    ranked = []
    for pk, family, given in qs.values_list("pk", "family_name_key", "given_name_key").iterator(5000):
        qualities = [
            name_quality(part, *keys)
            for part, keys in ((c.name, (family, given)), (c.family, (family, "")), (c.given, ("", given)))
            if part
        ]
        if None not in qualities:
            ranked.append(((max(q for q in qualities if q is not None), family, given, pk), pk))
    total, pks = _sliced(ranked, c)
    return Page(total, iq.practitioners(pks))


def _roles(c: Criteria) -> Page:
    pks = None
    if c.ids is not None:
        pks = [pk for pk in (plannet.parse_row_id(i, "role") for i in c.ids) if pk is not None]
    orgs = None if c.organizations is None else iq.organizations_named(*_org_keys(c.organizations))
    qs = iq.role_candidates(
        iq.RoleFilters(
            pks=pks,
            practitioner_npis=c.practitioners,
            organizations=orgs,
            location_keys=c.locations,
            codes=c.codes,
            postal=c.postal,
            box=_box(c.near),
        )
    )
    if c.near is None:
        total, page = _paged(qs, ("pk",), c)
        return Page(total, iq.roles(page))
    rows = qs.values_list("pk", "location__latitude", "location__longitude")
    total, page, miles = _nearest(rows, c.near, c)
    return Page(total, iq.roles(page), miles)


def _organizations(c: Criteria) -> Page:
    chosen = None if c.ids is None else iq.organizations_named(*_org_keys(c.ids))
    qs = iq.organization_candidates(
        chosen=chosen, name_keys=c.name, postal=c.postal, designations=c.designations
    )
    if not c.name:
        total, pks = _paged(qs, ("name_key", "pk"), c)
        return Page(total, iq.organizations(pks))
    ranked = []
    for pk, name, key in qs.values_list("pk", "name", "name_key").iterator(5000):
        own = org_words(name)
        if all(any(w.startswith(word) for w in own) for word in c.name):
            ranked.append(((key, pk), pk))
    total, pks = _sliced(ranked, c)
    return Page(total, iq.organizations(pks))


def _locations(c: Criteria) -> Page:
    qs = iq.location_candidates(keys=c.ids, postal=c.postal, box=_box(c.near))
    if c.near is None:
        total, pks = _paged(qs, ("pk",), c)
        return Page(total, iq.locations(pks))
    total, pks, miles = _nearest(qs.values_list("pk", "latitude", "longitude"), c.near, c)
    return Page(total, iq.locations(pks), miles)


SEARCHES = {
    "Practitioner": _practitioners,
    "PractitionerRole": _roles,
    "Organization": _organizations,
    "Location": _locations,
}


def search(c: Criteria) -> Page:
    return SEARCHES[c.resource_type](c)


def read(resource_type: str, fhir_id: str) -> Any | None:
    """The row a FHIR id names (active or not), loaded for its mapper; None when there is none."""
    if resource_type == "Practitioner":
        npi = plannet.parse_npi(fhir_id)
        return iq.practitioner_by_npi(npi) if npi else None
    if resource_type == "PractitionerRole":
        pk = plannet.parse_row_id(fhir_id, "role")
        rows = iq.roles([pk]) if pk else []
        return rows[0] if rows else None
    if resource_type == "Organization":
        return iq.organization_named(*_org_keys([fhir_id]))
    return iq.location_by_key(fhir_id) if plannet.is_fhir_id(fhir_id) else None  # (PostgreSQL refuses NUL)
