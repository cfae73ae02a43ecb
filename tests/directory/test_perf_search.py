"""The fast search (name tiers read in order, one SQL statement driven by its most selective filter, the
trigger-kept search points) gives exactly what the plain rule gives: `reference` below is the rule written
the slow way (every candidate narrowed by the ORM, ranked in Python), and both run over a generated
directory for many combinations of filters, on SQLite and on PostgreSQL."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from typing import Any

import pytest
from django.db.models import Exists, OuterRef, Q, QuerySet

from secondopinion.core.geo import great_circle_miles, place_centroid
from secondopinion.directory import search as s
from secondopinion.directory.models import (
    CancerFocus,
    CenterDesignation,
    Organization,
    Practitioner,
    PractitionerRole,
    PractitionerSpecialty,
)
from secondopinion.directory.search import rules
from secondopinion.directory.synth import synth

from .helpers import run

pytestmark = pytest.mark.django_db(transaction=True)
CHUNK = 5000  # ids per IN (...): well under SQLite's bound-parameter limit


# The search's filters and role places written with the ORM: the slow, plain form the reference ranks.
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


def reference(p: s.SearchParams) -> list[str]:
    """The NPIs of the page, by the rule of docs/directory-search.md, without any of the shortcuts."""
    codes = rules.specialty_codes(p.specialty) if p.specialty.strip() else ()
    terms = rules.cancer_terms(p.cancer_type)[1] if p.cancer_type.strip() else ()
    designations = s.CENTER_TYPES.get(p.center_type.strip().lower(), ())
    origin = rules.centroid(p.near) if p.near.strip() else None
    language, words = p.language.strip().lower(), s.name_words(p.name)
    box = s.bounding_box(*origin, p.radius_miles) if origin and p.radius_miles else None
    prefixes = tuple((w[: s.TYPO_SHARED_PREFIX],) for w in words)
    qs = search_candidates(
        codes=codes, cancer_terms=terms, video=p.video, language=language, designations=designations, box=box,
        name_prefixes=prefixes,
    )  # fmt: skip
    rank: dict[int, tuple[Any, ...]] = {}
    npi: dict[int, str] = {}
    fields = ["id", "npi", "family_name_key", "given_name_key", "languages"] + (
        ["primary_match"] if codes else []
    )
    rows = {r["id"]: r for r in qs.values(*fields)}
    places: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for pid, *place in role_places(sorted(rows)):
        places[pid].append(place)
    for pid, r in rows.items():
        quality = s.name_quality(words, r["family_name_key"], r["given_name_key"]) if words else 0
        if quality is None or (language and language not in r["languages"]):
            continue
        best = None
        for lat, lon, _, _, designation in places[pid]:
            if (designations and designation not in designations) or origin is None or lat is None:
                continue
            d = great_circle_miles(*origin, lat, lon)
            best = d if best is None else min(best, d)
        if p.radius_miles is not None and (best is None or best > p.radius_miles):
            continue
        primary = 0 if r.get("primary_match") else 1
        rank[pid] = (
            quality,
            primary,
            math.inf if best is None else best,
            r["family_name_key"],
            r["given_name_key"],
            pid,
        )
        npi[pid] = r["npi"]
    return [npi[pid] for pid in sorted(rank, key=rank.__getitem__)[p.offset : p.offset + p.limit]]


@pytest.fixture
def generated(tmp_path):
    profiles = synth(tmp_path / "n.csv", 1500, seed=5)
    run("import-nppes", tmp_path / "n.csv", "--profiles", profiles)
    center = Organization.objects.create(
        name="Center", center_designation=CenterDesignation.NCI_COMPREHENSIVE
    )
    clinic = Organization.objects.create(name="Clinic", center_designation=CenterDesignation.COMMUNITY)
    roles = list(PractitionerRole.objects.order_by("id").values_list("id", flat=True))
    PractitionerRole.objects.filter(id__in=roles[::7]).update(organization=center)
    PractitionerRole.objects.filter(id__in=roles[3::11]).update(organization=clinic)
    PractitionerRole.objects.filter(id__in=roles[5::50]).update(active=False)


def cases(rng: random.Random) -> list[s.SearchParams]:
    names = ["smi", "smith", "smiht", "jonhson", "jo", "garcia maria", "lee", "le", "nguyen", "obrien",
             "patel raj", "mary", "wang", "kim", "chen wei", "sm", "zzzz", "MARTINEZ", "john", "mart",
             "will"]  # fmt: skip
    specialties = ["medical oncologist", "oncologist", "pathologist", "radiologist", "207Q00000X", ""]
    cancers = ["breast cancer", "lung cancer", "PRAD", "melanoma", ""]
    places = ["10001", "60637", "Houston, TX", "Rochester, MN", "98109", "Miami, FL", ""]
    out = [s.SearchParams(), s.SearchParams(limit=50, offset=30)]
    for name in names:  # the name alone: read tier by tier; pages that cross from one tier to the next
        out += [
            s.SearchParams(name=name, limit=200),
            s.SearchParams(name=name, limit=7, offset=rng.randrange(20)),
        ]
    for _ in range(120):
        near = rng.choice(places)
        out.append(
            s.SearchParams(
                name=rng.choice(names) if rng.random() < 0.35 else "",
                specialty=rng.choice(specialties),
                cancer_type=rng.choice(cancers) if rng.random() < 0.4 else "",
                near=near,
                radius_miles=rng.choice([None, 30, 200, 800]) if near else None,
                video=rng.choice([None, None, True, False]),
                language=rng.choice(["", "", "es", "zh"]),
                center_type=rng.choice(["", "", "", "nci", "community"]),
                limit=rng.choice([5, 20, 200]),
                offset=rng.choice([0, 0, 3]),
            )
        )
    return out


def test_fast_search_equals_the_plain_rule(generated):
    assert place_centroid("Houston, TX") is not None
    rng = random.Random(11)
    checked = nonempty = 0
    for params in cases(rng):
        fast = [r["npi"] for r in s.search(params)]
        assert fast == reference(params), params
        checked += 1
        nonempty += bool(fast)
    assert checked == 164 and nonempty > 60  # the cases are not all empty
