"""Reads of the directory. Directory rows are public register data, not health data, so no access gateway;
the search rules are in `search.py`."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from .models import CancerFocus, Practitioner, PractitionerRole, PractitionerSpecialty


def practitioner_by_npi(npi: str) -> Practitioner | None:
    return (
        Practitioner.objects.filter(npi=npi)
        .prefetch_related(
            Prefetch("specialties", queryset=PractitionerSpecialty.objects.order_by("slot")),
            Prefetch("roles", queryset=PractitionerRole.objects.select_related("location", "organization")),
            "cancer_focus",
        )
        .first()
    )


def active_practitioners() -> QuerySet[Practitioner]:
    return Practitioner.objects.filter(active=True)


# --- Search reads (issue 5, item 4). The rules live in `search.py`; these only fetch. -------------------


def search_candidates(
    *,
    codes: tuple[str, ...] = (),
    cancer_terms: tuple[str, ...] = (),
    video: bool | None = None,
    language: str = "",
    designations: tuple[str, ...] = (),
    box: tuple[float, float, float, float] | None = None,
    name_prefixes: tuple[tuple[str, ...], ...] = (),
) -> QuerySet[Practitioner]:
    """Active practitioners passing every given filter, annotated with `primary_match` (a primary slot holds
    one of `codes`). `box` is (min_lat, max_lat, min_lon, max_lon) on any active role's location;
    `name_prefixes` holds, per query word, the prefixes of which family or given key must start with one."""
    qs = Practitioner.objects.filter(active=True)
    if codes:
        qs = qs.filter(
            Exists(PractitionerSpecialty.objects.filter(practitioner=OuterRef("pk"), nucc_code__in=codes))
        )
        qs = qs.annotate(
            primary_match=Exists(
                PractitionerSpecialty.objects.filter(
                    practitioner=OuterRef("pk"), nucc_code__in=codes, primary=True
                )
            )
        )
    if cancer_terms:
        qs = qs.filter(
            Exists(CancerFocus.objects.filter(practitioner=OuterRef("pk"), cancer_type__in=cancer_terms))
        )
    if video is not None:
        qs = qs.filter(offers_video=video)
    if language:
        # JSON list stored as text on SQLite and jsonb on PostgreSQL: both render `"es"` inside the list.
        qs = qs.filter(languages__icontains=f'"{language}"')
    if designations:
        qs = qs.filter(
            Exists(
                PractitionerRole.objects.filter(
                    practitioner=OuterRef("pk"),
                    active=True,
                    organization__center_designation__in=designations,
                )
            )
        )
    if box is not None:
        min_lat, max_lat, min_lon, max_lon = box
        qs = qs.filter(
            Exists(
                PractitionerRole.objects.filter(
                    practitioner=OuterRef("pk"),
                    active=True,
                    location__latitude__gte=min_lat,
                    location__latitude__lte=max_lat,
                    location__longitude__gte=min_lon,
                    location__longitude__lte=max_lon,
                )
            )
        )
    for prefixes in name_prefixes:
        word = Q()
        for prefix in prefixes:
            word |= Q(family_name_key__startswith=prefix) | Q(given_name_key__startswith=prefix)
        qs = qs.filter(word)
    return qs


def role_places(practitioner_ids: list[int]) -> list[tuple[int, float | None, float | None, str, str, str]]:
    """(practitioner id, latitude, longitude, city, state, organization designation) of each active role."""
    rows: list[tuple[int, float | None, float | None, str, str, str]] = []
    for start in range(0, len(practitioner_ids), CHUNK):
        rows.extend(
            PractitionerRole.objects.filter(
                practitioner_id__in=practitioner_ids[start : start + CHUNK], active=True
            )
            .order_by("practitioner_id", "id")
            .values_list(
                "practitioner_id",
                "location__latitude",
                "location__longitude",
                "location__city",
                "location__state",
                "organization__center_designation",
            )
        )
    return rows


def specialty_slots(practitioner_ids: list[int]) -> list[tuple[int, str, bool]]:
    """(practitioner id, NUCC code, primary) in slot order."""
    rows: list[tuple[int, str, bool]] = []
    for start in range(0, len(practitioner_ids), CHUNK):
        rows.extend(
            PractitionerSpecialty.objects.filter(practitioner_id__in=practitioner_ids[start : start + CHUNK])
            .order_by("practitioner_id", "slot")
            .values_list("practitioner_id", "nucc_code", "primary")
        )
    return rows


def cancer_focus_of(practitioner_ids: list[int]) -> list[tuple[int, str]]:
    rows: list[tuple[int, str]] = []
    for start in range(0, len(practitioner_ids), CHUNK):
        rows.extend(
            CancerFocus.objects.filter(practitioner_id__in=practitioner_ids[start : start + CHUNK])
            .order_by("practitioner_id", "cancer_type")
            .values_list("practitioner_id", "cancer_type")
        )
    return rows


CHUNK = 5000  # ids per IN (...): well under SQLite's bound-parameter limit
