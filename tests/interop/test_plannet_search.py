"""GET /api/v1/fhir/<Type>?…: every search parameter alone and combined, the order, the paging links, the
searchset Bundle. Exact answers, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B.bundle import Bundle

from secondopinion.directory.search import SearchParams, search
from secondopinion.interop import plannet

from .conftest import MINNEAPOLIS_MILES, NPI, data_queries, fhir, ids, npis

pytestmark = pytest.mark.django_db

NEAR_ROCHESTER = "44.02|-92.47"  # the example of the brief: about 0.2 miles from ZIP 55905's centroid


def test_a_search_answers_a_valid_searchset_bundle(directory) -> None:
    response = fhir("Practitioner", name="mayer")
    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    body = response.body
    Bundle.model_validate(body)  # raises on anything that is not a valid R4B Bundle
    assert body["type"] == "searchset" and body["total"] == 2
    assert body["link"] == [
        {
            "relation": "self",
            "url": "http://testserver/api/v1/fhir/Practitioner?name=mayer&_count=20&_offset=0",
        }
    ]
    for entry in body["entry"]:
        assert entry["fullUrl"] == f"http://testserver/api/v1/fhir/Practitioner/{entry['resource']['id']}"
        assert entry["search"] == {"mode": "match"}
        assert entry["resource"]["meta"]["profile"] == [plannet.PROFILES["Practitioner"]]


# --- Practitioner ------------------------------------------------------------------------------------------


def test_practitioners_without_parameters_are_the_active_ones_by_name(directory) -> None:
    response = fhir("Practitioner")
    assert response.body["total"] == 5  # not the deactivated MAYER OLD
    assert ids(response) == npis("kim", "lopez", "mayer", "mayes", "meyer")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"name": "mayer"}, ["mayer", "mayes"]),  # exact, then one typo (r/s)
        ({"name": "may"}, ["mayer", "mayes"]),  # 3 letters: prefix only
        ({"name": "meyr"}, ["meyer"]),  # one typo, first two letters right: not MAYER
        ({"name": "anna mayer"}, ["mayer"]),  # every word must match
        ({"name": "Mayer, Anna"}, None),  # a comma would be FHIR's OR: refused (see the errors test)
        ({"name": "lopez"}, ["lopez"]),  # LÓPEZ: accents do not matter
        ({"name": "sora"}, ["kim"]),  # the given name
        ({"family": "anna"}, []),
        ({"given": "anna"}, ["mayer"]),
        ({"family": "mayer", "given": "an"}, ["mayer"]),
        ({"specialty": "207RX0202X"}, ["mayer", "mayes"]),  # in any slot (MAYES: slot 2)
        ({"specialty": "http://nucc.org/provider-taxonomy|207rh0003x"}, ["lopez", "mayer"]),
        ({"specialty": "2085R0001X,207ZP0101X"}, ["kim", "meyer"]),  # comma: any of them
        ({"specialty": "207RX0202X", "name": "mayes"}, ["mayes", "mayer"]),  # exact before the typo
        ({"_id": f"{NPI['kim']},{NPI['gone']},1234567893"}, ["kim"]),  # active ones only
        ({"_id": NPI["lopez"], "specialty": "207RX0202X"}, []),
    ],
)
def test_practitioner_search_parameters(directory, params, expected) -> None:
    response = fhir("Practitioner", **params)
    if expected is None:
        assert response.status_code == 400
        return
    assert response.status_code == 200, response.body
    assert ids(response) == npis(*expected) and response.body["total"] == len(expected)


@pytest.mark.parametrize(
    "query", ["mayer", "may", "meyr", "anna mayer", "lopez", "mayes carla", "kimm", "mz"]
)
def test_practitioner_name_matches_exactly_as_the_directory_search(directory, query: str) -> None:
    directory_npis = sorted(r["npi"] for r in search(SearchParams(name=query, limit=200)))
    assert sorted(ids(fhir("Practitioner", name=query))) == directory_npis


# --- PractitionerRole --------------------------------------------------------------------------------------


def role_ids(directory, *keys: str) -> list[str]:
    return [directory.role_id(k) for k in keys]


def test_roles_without_parameters_are_the_active_ones(directory) -> None:
    assert ids(fhir("PractitionerRole")) == role_ids(directory, "mayer", "meyer", "mayes", "lopez", "kim")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda d: {"practitioner": f"Practitioner/{NPI['mayer']}"}, ["mayer"]),
        (lambda d: {"practitioner": f"{NPI['lopez']},{NPI['kim']}"}, ["lopez", "kim"]),
        (lambda d: {"organization": f"Organization/org-{d.center.pk}"}, ["mayer", "meyer"]),
        (lambda d: {"organization": NPI["zephyr"]}, ["kim"]),
        (lambda d: {"organization": f"org-{d.clinic.pk}"}, []),
        (lambda d: {"location": f"Location/{d.location_id('55905')}"}, ["mayer", "meyer"]),
        (lambda d: {"specialty": "207RX0202X"}, ["mayer", "mayes"]),
        (lambda d: {"location.address-postalcode": "559"}, ["mayer", "meyer"]),
        (lambda d: {"location.address-postalcode": "90012-1234,10001"}, ["lopez", "kim"]),
        (lambda d: {"location.near": f"{NEAR_ROCHESTER}|50|mi"}, ["mayer", "meyer"]),
        (lambda d: {"location.near": f"{NEAR_ROCHESTER}|100|mi"}, ["mayer", "meyer", "mayes"]),
        (
            lambda d: {"location.near": f"{NEAR_ROCHESTER}|100|mi", "specialty": "207RX0202X"},
            ["mayer", "mayes"],
        ),
        (lambda d: {"_id": f"{d.role_id('kim')},role-987654321,17"}, ["kim"]),
        (
            lambda d: {
                "organization": f"org-{d.center.pk}",
                "specialty": "2085R0001X",
                "location.near": f"{NEAR_ROCHESTER}|5|km",
            },
            ["meyer"],
        ),
    ],
)
def test_practitioner_role_search_parameters(directory, params, expected) -> None:
    response = fhir("PractitionerRole", **params(directory))
    assert response.status_code == 200, response.body
    assert ids(response) == role_ids(directory, *expected) and response.body["total"] == len(expected)


def test_near_gives_each_distance_in_the_unit_asked(directory) -> None:
    miles = fhir("PractitionerRole", **{"location.near": f"{NEAR_ROCHESTER}|100|mi"}).body["entry"]
    (ext,) = miles[-1]["search"]["extension"]
    assert ext["url"] == "http://hl7.org/fhir/StructureDefinition/location-distance"
    assert ext["valueDistance"]["unit"] == "mi" and ext["valueDistance"]["code"] == "[mi_i]"
    assert abs(ext["valueDistance"]["value"] - MINNEAPOLIS_MILES) < 0.5
    km = fhir("Location", near=f"{NEAR_ROCHESTER}|150|km").body["entry"]
    distances = [e["search"]["extension"][0]["valueDistance"] for e in km]
    assert [d["code"] for d in distances] == ["km", "km"]
    assert distances[0]["value"] < 1 and abs(distances[1]["value"] - MINNEAPOLIS_MILES * 1.609344) < 1


# --- Organization ------------------------------------------------------------------------------------------


def test_organizations_without_parameters(directory) -> None:
    # By name key (admin-entered centers have none: first), then row.
    expected = [f"org-{directory.center.pk}", f"org-{directory.clinic.pk}", NPI["zephyr"]]
    assert ids(fhir("Organization")) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"name": "quillby"}, ["center", "clinic"]),
        ({"name": "quil canc"}, ["center"]),  # every word starts a word of the name
        ({"name": "group onc"}, ["zephyr"]),  # in any order
        ({"name": "oncologygroup"}, []),  # words, not the name run together
        ({"name": "cancer center town"}, []),
        ({"type": "nci-comprehensive"}, ["center"]),
        ({"type": f"{plannet.DESIGNATION_SYSTEM}|community,nci-clinical"}, ["clinic"]),
        ({"type": f"{plannet.ORG_TYPE_SYSTEM}|prvgrp"}, ["center", "clinic", "zephyr"]),
        ({"type": f"{plannet.ORG_TYPE_SYSTEM}|payer"}, []),
        ({"address-postalcode": "10016"}, ["zephyr"]),
        ({"address-postalcode": "55905-0001"}, ["center"]),
        ({"name": "quillby", "type": "community"}, ["clinic"]),
        ({"name": "zephyrhill", "address-postalcode": "559"}, []),
    ],
)
def test_organization_search_parameters(directory, params, expected) -> None:
    names = {
        "center": f"org-{directory.center.pk}",
        "clinic": f"org-{directory.clinic.pk}",
        "zephyr": NPI["zephyr"],
    }
    response = fhir("Organization", **params)
    assert response.status_code == 200, response.body
    assert ids(response) == [names[k] for k in expected] and response.body["total"] == len(expected)


def test_organization_id_search_takes_npis_and_opaque_ids(directory) -> None:
    wanted = f"org-{directory.clinic.pk},{NPI['zephyr']},org-{directory.zephyr.pk}"  # the last: has an NPI
    assert ids(fhir("Organization", _id=wanted)) == [f"org-{directory.clinic.pk}", NPI["zephyr"]]


# --- Location ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["55905", "55455", "90012", "10001", "10016"]),
        ({"near": f"{NEAR_ROCHESTER}|50|mi"}, ["55905"]),
        ({"near": f"{NEAR_ROCHESTER}|100|[mi_i]"}, ["55905", "55455"]),  # nearest first
        ({"near": f"{NEAR_ROCHESTER}|100"}, ["55905"]),  # km, FHIR's default unit: 122 km is too far
        ({"near": f"{NEAR_ROCHESTER}|150|km"}, ["55905", "55455"]),
        ({"near": "40.75|-73.99|2|mi"}, ["10001", "10016"]),
        ({"address-postalcode": "100"}, ["10001", "10016"]),
        ({"address-postalcode": "10001-1234"}, ["10001"]),
        ({"address-postalcode": "10001-9"}, []),
        ({"address-postalcode": "554,900"}, ["55455", "90012"]),
        ({"address-postalcode": "100", "near": "40.75|-73.99|0.5|mi"}, ["10001"]),
    ],
)
def test_location_search_parameters(directory, params, expected) -> None:
    response = fhir("Location", **params)
    assert response.status_code == 200, response.body
    assert ids(response) == [directory.location_id(z) for z in expected]
    assert response.body["total"] == len(expected)


def test_location_id_search(directory) -> None:
    wanted = [directory.location_id("90012"), directory.location_id("55905"), "0" * 32]
    # In the directory's order (rows), not the order asked; an unknown id is simply not found.
    assert ids(fhir("Location", _id=",".join(wanted))) == wanted[1::-1]


# --- paging and efficiency ---------------------------------------------------------------------------------


def test_pages_follow_next_links_to_the_end(directory) -> None:
    everyone = ids(fhir("Practitioner"))
    seen: list[str] = []
    url = "/api/v1/fhir/Practitioner?_count=2"
    pages = 0
    while url:
        body = Client().get(url).json()
        assert body["total"] == 5
        seen += [e["resource"]["id"] for e in body.get("entry", [])]
        links = {link["relation"]: link["url"] for link in body["link"]}
        assert ("previous" in links) == (pages > 0)
        url = links.get("next", "").removeprefix("http://testserver")
        pages += 1
    assert pages == 3 and seen == everyone
    last = fhir("Practitioner", _count=2, _offset=4).body
    assert {link["relation"]: link["url"] for link in last["link"]}["previous"].endswith("_count=2&_offset=2")


def test_paging_keeps_the_search_and_the_near_order(directory) -> None:
    near = {"location.near": f"{NEAR_ROCHESTER}|100|mi"}
    first = fhir("PractitionerRole", _count=2, **near).body
    (next_url,) = [link["url"] for link in first["link"] if link["relation"] == "next"]
    assert "location.near=44.02%7C-92.47%7C100%7Cmi" in next_url and next_url.endswith("_count=2&_offset=2")
    second = Client().get(next_url.removeprefix("http://testserver")).json()
    assert [e["resource"]["id"] for e in first["entry"] + second["entry"]] == role_ids(
        directory, "mayer", "meyer", "mayes"
    )


def test_count_zero_gives_the_total_only_and_an_offset_past_the_end_nothing(directory) -> None:
    zero = fhir("Practitioner", _count=0).body
    assert zero["total"] == 5 and "entry" not in zero and len(zero["link"]) == 1
    past = fhir("Organization", _offset=10).body
    assert past["total"] == 3 and "entry" not in past


def test_the_default_page_is_20_and_the_largest_100(directory) -> None:
    assert fhir("Location").body["link"][0]["url"].endswith("_count=20&_offset=0")
    assert fhir("Location", _count=100).status_code == 200


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("Practitioner", {}),
        ("Practitioner", {"name": "may", "specialty": "207RX0202X"}),
        ("PractitionerRole", {"specialty": "207RX0202X,207RH0003X,2085R0001X"}),
        ("PractitionerRole", {"location.near": f"{NEAR_ROCHESTER}|3000|mi"}),
        ("Organization", {}),
        ("Location", {"near": f"{NEAR_ROCHESTER}|3000|mi"}),
    ],
)
def test_a_page_costs_the_same_queries_whatever_its_size(
    directory, kind: str, params: dict[str, str]
) -> None:
    counts = []
    for count in (1, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = Client().get(f"/api/v1/fhir/{kind}", {**params, "_count": count})
        assert response.status_code == 200 and len(response.json()["entry"]) >= (1 if count == 1 else 2)
        counts.append(len(data_queries(ctx)))
    assert counts[0] == counts[1] <= 5, counts
