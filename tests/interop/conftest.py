"""A small directory for the FHIR endpoints, made the way the product makes one: an NPPES file imported by
`secondopinion directory import-nppes`, profiles applied by `profiles.write_profiles`, cancer centers entered
as an admin enters them (no NPI). The tables start empty (the cancer centers `migrate` loads are removed in
the test's transaction), so every total below is exact, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from secondopinion.directory import actions
from secondopinion.directory.models import (
    CenterDesignation,
    FocusSource,
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
)
from secondopinion.directory.profiles import write_profiles
from tests.directory.helpers import person, run, valid_npi, write_nppes

NPI = {key: valid_npi(f"15{n:07d}") for n, key in enumerate(
    ["mayer", "meyer", "mayes", "lopez", "kim", "gone", "zephyr"], start=300
)}  # fmt: skip
ROCHESTER = (44.0225, -92.4668)  # ZIP 55905's centroid
MINNEAPOLIS_MILES = 75.8  # from ROCHESTER to ZIP 55455's centroid


def place(line1: str, zip9: str, city: str, state: str, phone: str = "") -> dict[str, str]:
    return {
        "Provider First Line Business Practice Location Address": line1,
        "Provider Business Practice Location Address Postal Code": zip9,
        "Provider Business Practice Location Address City Name": city,
        "Provider Business Practice Location Address State Name": state,
        "Provider Business Practice Location Address Telephone Number": phone,
    }


def slot(n: int, code: str, primary: str, state: str = "MN") -> dict[str, str]:
    return {
        f"Healthcare Provider Taxonomy Code_{n}": code,
        f"Healthcare Provider Primary Taxonomy Switch_{n}": primary,
        f"Provider License Number_{n}": f"LIC{n}",
        f"Provider License Number State Code_{n}": state,
    }


MAYO = place("200 FIRST ST SW", "559050001", "ROCHESTER", "MN", "5072842511")
MINNEAPOLIS = place("420 DELAWARE ST SE", "554550001", "MINNEAPOLIS", "MN")
LA = place("1 CIVIC CTR", "900121234", "LOS ANGELES", "CA")
NYC = place("1 MAIN ST", "100011234", "NEW YORK", "NY")
MIDTOWN = place("5 PARK AVE", "100160001", "NEW YORK", "NY")


@dataclass
class Directory:
    """What the fixture made, by the keys of NPI."""

    center: Organization  # Quillby Comprehensive Cancer Center: no NPI, at MAYO
    clinic: Organization  # Town Clinic of Quillby: community program, no NPI, no place
    zephyr: Organization  # ZEPHYRHILL ONCOLOGY GROUP: from NPPES, at MIDTOWN

    def role_id(self, key: str) -> str:
        return f"role-{PractitionerRole.objects.get(practitioner__npi=NPI[key]).pk}"

    def location_id(self, zip5: str) -> str:
        return Location.objects.get(zip5=zip5).address_key


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()  # the FHIR endpoints count requests per client address
    yield
    cache.clear()


@pytest.fixture
def directory(db, tmp_path) -> Directory:
    Organization.objects.all().delete()
    Location.objects.all().delete()
    rows = [
        person(
            NPI["mayer"], "MAYER", "ANNA", **MAYO, **slot(1, "207RX0202X", "Y"), **slot(2, "207RH0003X", "N")
        ),
        person(NPI["meyer"], "MEYER", "BEN", **MAYO, **slot(1, "2085R0001X", "Y")),
        person(
            NPI["mayes"],
            "MAYES",
            "CARLA",
            **MINNEAPOLIS,
            **slot(1, "2086X0206X", "Y"),
            **slot(2, "207RX0202X", "N"),
        ),
        person(NPI["lopez"], "LÓPEZ", "DIEGO", **LA, **slot(1, "207RH0003X", "Y", "CA")),
        person(NPI["kim"], "KIM", "SORA", **NYC, **slot(1, "207ZP0101X", "Y", "NY")),
        person(
            NPI["gone"],
            "MAYER",
            "OLD",
            **MAYO,
            **{"NPI Deactivation Date": "01/01/2020", "NPI Deactivation Reason Code": "DT"},
        ),
        {
            "NPI": NPI["zephyr"],
            "Entity Type Code": "2",
            "Provider Organization Name (Legal Business Name)": "ZEPHYRHILL ONCOLOGY GROUP",
            **MIDTOWN,
            **slot(1, "261QX0200X", "Y", "NY"),
        },
    ]
    summary, _ = run("import-nppes", write_nppes(tmp_path / "npi.csv", rows))
    assert summary["inserted"] == 7
    write_profiles(
        [
            actions.Profile(NPI["mayer"], ["en", "de"], True, True, ["BRCA"]),
            actions.Profile(NPI["meyer"], ["en"], False, True, []),
            actions.Profile(NPI["lopez"], ["es", "en"], True, False, []),
        ],
        FocusSource.GENERATOR,
    )
    mayo = Location.objects.get(zip5="55905")
    center = Organization.objects.create(
        name="Quillby Comprehensive Cancer Center",
        center_designation=CenterDesignation.NCI_COMPREHENSIVE,
        location=mayo,
    )
    clinic = Organization.objects.create(name="Town Clinic of Quillby", center_designation="community")
    PractitionerRole.objects.filter(practitioner__npi__in=[NPI["mayer"], NPI["meyer"]]).update(
        organization=center
    )
    zephyr = Organization.objects.get(npi=NPI["zephyr"])
    PractitionerRole.objects.filter(practitioner__npi=NPI["kim"]).update(organization=zephyr)
    assert Practitioner.objects.count() == 6 and Location.objects.count() == 5
    return Directory(center, clinic, zephyr)


def fhir(path: str, **params: Any) -> Any:
    """GET /api/v1/fhir/<path>: the response, its JSON parsed."""
    response = Client().get(f"/api/v1/fhir/{path}", params)
    response.body = response.json()  # type: ignore[attr-defined]
    return response


def ids(response: Any) -> list[str]:
    """The resource ids of a searchset Bundle's entries, in order."""
    return [entry["resource"]["id"] for entry in response.body.get("entry", [])]


def npis(*keys: str) -> list[str]:
    return [NPI[k] for k in keys]


def data_queries(ctx: Any) -> list[str]:
    """The statements a request ran to read the register: the rate limiter's shared counter (one upsert per
    request, core.ratelimit) is a fixed cost of every request, not the page's."""
    return [q["sql"] for q in ctx.captured_queries if "core_ratecounter" not in q["sql"]]
