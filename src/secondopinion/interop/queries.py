"""Reads of the directory for the FHIR endpoints. Directory rows are public register data (no access gateway).

The candidate querysets apply only exact, indexed filters; the rules that need Python (the name rule,
distances) are in `fhirsearch.py`. The page loaders fetch a page of rows with everything their mapper needs
in a fixed number of queries (select_related / prefetch), whatever the page size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from secondopinion.directory.models import (
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    PractitionerSpecialty,
)
from secondopinion.directory.search import reads as search_reads
from secondopinion.directory.search.rules import Box


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


def _with_specialty(codes: tuple[str, ...]) -> RawSQL:
    """The ids of active practitioners with one of the NUCC codes in any taxonomy slot: the directory
    search's own statement (`search.reads.practitioners_sql`)."""
    # Fixed SQL text from `search.reads`; the codes travel as parameters.
    return RawSQL(*search_reads.practitioners_sql(search_reads.Filters(codes=codes)))  # noqa: S611


def practitioner_candidates(
    *,
    npis: Sequence[str] | None = None,
    codes: tuple[str, ...] = (),
    name_prefixes: tuple[tuple[str, ...], ...] = (),
) -> QuerySet[Practitioner]:
    """Active practitioners: a specialty in any slot (the directory search's filter), and per query word a
    family or given key starting with one of its prefixes (the name rule judges the rest), narrowed to the
    given NPIs. (None: no filter; an empty list matches nothing.)"""
    qs = Practitioner.objects.filter(active=True)
    if codes:
        qs = qs.filter(pk__in=_with_specialty(codes))
    for prefixes in name_prefixes:
        word = Q()
        for prefix in prefixes:
            word |= Q(family_name_key__startswith=prefix) | Q(given_name_key__startswith=prefix)
        qs = qs.filter(word)
    return qs if npis is None else qs.filter(npi__in=npis)


@dataclass(frozen=True)
class RoleFilters:
    """A PractitionerRole search's filters (None: no filter; `box`: around the role's own location)."""

    pks: Sequence[int] | None = None
    practitioner_npis: Sequence[str] | None = None
    organizations: QuerySet[Organization] | None = None
    location_keys: Sequence[str] | None = None
    codes: tuple[str, ...] = ()
    postal: Sequence[str] = ()
    box: Box | None = None


def role_candidates(f: RoleFilters) -> QuerySet[PractitionerRole]:
    """Active roles of active practitioners passing every given filter."""
    qs = PractitionerRole.objects.filter(active=True, practitioner__active=True)
    if f.pks is not None:
        qs = qs.filter(pk__in=f.pks)
    if f.practitioner_npis is not None:
        qs = qs.filter(practitioner__npi__in=f.practitioner_npis)
    if f.organizations is not None:
        qs = qs.filter(organization__in=f.organizations)
    if f.location_keys is not None:
        qs = qs.filter(location__address_key__in=f.location_keys)
    if f.codes:
        qs = qs.filter(practitioner_id__in=_with_specialty(f.codes))
    if f.postal:
        qs = qs.filter(_postal(f.postal, "location__"))
    if f.box is not None:
        qs = qs.filter(_in_box(f.box, "location__"))
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
