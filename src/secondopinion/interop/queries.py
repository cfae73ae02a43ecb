"""Reads of the directory for the FHIR endpoints. Directory rows are public register data (no access gateway).

The candidate querysets apply only exact, indexed filters; the rules that need Python (the name rule,
distances) are in `fhirsearch.py`. The page loaders fetch a page of rows with everything their mapper needs
in a fixed number of queries (select_related / prefetch), whatever the page size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Model, Prefetch, Q, QuerySet

from secondopinion.directory import search_reads
from secondopinion.directory.models import (
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    PractitionerSpecialty,
)

Box = tuple[float, float, float, float]  # min_lat, max_lat, min_lon, max_lon


def _slots(path: str = "specialties") -> Any:
    return Prefetch(path, queryset=PractitionerSpecialty.objects.order_by("slot"))


def _in_order[M: Model](qs: QuerySet[M], pks: Sequence[int]) -> list[M]:
    found = qs.in_bulk(list(pks))
    return [found[pk] for pk in pks if pk in found]


# --- pages (and reads: a page of one) ---------------------------------------------------------------------


def practitioners(pks: Sequence[int]) -> list[Practitioner]:
    return _in_order(Practitioner.objects.prefetch_related(_slots()), pks)


def roles(pks: Sequence[int]) -> list[PractitionerRole]:
    qs = PractitionerRole.objects.select_related("practitioner", "organization", "location")
    qs = qs.prefetch_related(_slots("practitioner__specialties"))
    return _in_order(qs, pks)


def organizations(pks: Sequence[int]) -> list[Organization]:
    return _in_order(Organization.objects.select_related("location"), pks)


def locations(pks: Sequence[int]) -> list[Location]:
    return _in_order(Location.objects.all(), pks)


def practitioner_by_npi(npi: str) -> Practitioner | None:
    return Practitioner.objects.prefetch_related(_slots()).filter(npi=npi).first()


def organizations_named(npis: Sequence[str], row_ids: Sequence[int]) -> QuerySet[Organization]:
    """Organizations named by NPI, or by row id when they have no NPI (an `org-<id>` FHIR id)."""
    return Organization.objects.filter(Q(npi__in=npis) | Q(pk__in=row_ids, npi__isnull=True))


def organization_named(npis: Sequence[str], row_ids: Sequence[int]) -> Organization | None:
    return organizations_named(npis, row_ids).select_related("location").first()


def location_by_key(address_key: str) -> Location | None:
    return Location.objects.filter(address_key=address_key).first()


# --- search candidates ------------------------------------------------------------------------------------


def _postal(prefixes: Sequence[str], path: str = "") -> Q:
    """A postal code starting with any of the prefixes (the ZIP column too, for rows without a full code)."""
    q = Q()
    for prefix in prefixes:
        q |= Q(**{f"{path}postal_code__startswith": prefix})
        if len(prefix) <= 5:
            q |= Q(**{f"{path}zip5__startswith": prefix})
    return q


def _in_box(box: Box, path: str = "") -> Q:
    min_lat, max_lat, min_lon, max_lon = box
    return Q(
        **{
            f"{path}latitude__gte": min_lat,
            f"{path}latitude__lte": max_lat,
            f"{path}longitude__gte": min_lon,
            f"{path}longitude__lte": max_lon,
        }
    )


def practitioner_candidates(
    *,
    npis: Sequence[str] | None = None,
    codes: tuple[str, ...] = (),
    name_prefixes: tuple[tuple[str, ...], ...] = (),
) -> QuerySet[Practitioner]:
    """Active practitioners: the directory search's own candidate query (specialty in any slot, name
    prefixes), narrowed to the given NPIs. (None: no filter; an empty list matches nothing.)"""
    qs = search_reads.search_candidates(codes=codes, name_prefixes=name_prefixes)
    return qs if npis is None else qs.filter(npi__in=npis)


def role_candidates(
    *,
    pks: Sequence[int] | None = None,
    practitioner_npis: Sequence[str] | None = None,
    organizations: QuerySet[Organization] | None = None,
    location_keys: Sequence[str] | None = None,
    codes: tuple[str, ...] = (),
    postal: Sequence[str] = (),
    box: Box | None = None,
) -> QuerySet[PractitionerRole]:
    """Active roles of active practitioners passing every given filter (None: no filter; `box`: the role's
    location)."""
    qs = PractitionerRole.objects.filter(active=True, practitioner__active=True)
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    if practitioner_npis is not None:
        qs = qs.filter(practitioner__npi__in=practitioner_npis)
    if organizations is not None:
        qs = qs.filter(organization__in=organizations)
    if location_keys is not None:
        qs = qs.filter(location__address_key__in=location_keys)
    if codes:
        qs = qs.filter(practitioner__in=practitioner_candidates(codes=codes).values("pk"))
    if postal:
        qs = qs.filter(_postal(postal, "location__"))
    if box is not None:
        qs = qs.filter(_in_box(box, "location__"))
    return qs


def organization_candidates(
    *,
    chosen: QuerySet[Organization] | None = None,
    name_keys: Sequence[str] = (),
    postal: Sequence[str] = (),
    designations: Sequence[str] | None = None,
) -> QuerySet[Organization]:
    """Active organizations. `name_keys`: each must occur in the name key (rows without a key stay in, for
    the name rule to judge); `designations`: None for any, else one of them."""
    qs = Organization.objects.filter(active=True)
    if chosen is not None:
        qs = qs.filter(pk__in=chosen.values("pk"))
    for key in name_keys:
        qs = qs.filter(Q(name_key__contains=key) | Q(name_key=""))
    if postal:
        qs = qs.filter(_postal(postal, "location__"))
    if designations is not None:
        qs = qs.filter(center_designation__in=designations)
    return qs


def location_candidates(
    *, keys: Sequence[str] | None = None, postal: Sequence[str] = (), box: Box | None = None
) -> QuerySet[Location]:
    qs = Location.objects.all()
    if keys is not None:
        qs = qs.filter(address_key__in=keys)
    if postal:
        qs = qs.filter(_postal(postal))
    if box is not None:
        qs = qs.filter(_in_box(box))
    return qs
