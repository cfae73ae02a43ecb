"""Refused FHIR requests (400 OperationOutcome with a clear diagnostics string, never a 500), the rate limit,
and the CapabilityStatement, which must list exactly the parameters the searches accept."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome

from .conftest import NPI, fhir, ids

pytestmark = pytest.mark.django_db

BAD: list[tuple[str, dict[str, Any], str, str]] = [
    # (resource, parameters, our code, words the diagnostics must hold)
    ("Practitioner", {"foo": "1"}, "unknown_parameter", "Unknown search parameter 'foo' for Practitioner"),
    (
        "Practitioner",
        {"near": "44|-92|5|mi"},
        "unknown_parameter",
        "Supported: _id, name, family, given, specialty",
    ),
    ("Practitioner", {"address-postalcode": "10001"}, "unknown_parameter", "'address-postalcode'"),
    ("Location", {"name": "x"}, "unknown_parameter", "Supported: _id, address-postalcode, near, _count"),
    ("Location", {"near": "44.02|-92.47"}, "invalid_near", "latitude|longitude|distance|unit"),
    ("Location", {"near": "a|b|5|mi"}, "invalid_near", "got 'a|b|5|mi'"),
    ("Location", {"near": "44|-92|50|ft"}, "invalid_near", "unit 'ft' is not supported"),
    ("Location", {"near": "95|0|5|km"}, "invalid_near", "latitude must be -90 to 90"),
    ("Location", {"near": "44|-200|5|km"}, "invalid_near", "longitude -180 to 180"),
    ("Location", {"near": "44|-92|0|mi"}, "invalid_near", "distance must be more than 0"),
    ("Location", {"near": "44|-92|-5|mi"}, "invalid_near", "distance must be more than 0"),
    ("Location", {"near": "nan|0|5|km"}, "invalid_near", "latitude|longitude"),
    ("Location", {"near": "44|-92|inf|mi"}, "invalid_near", "latitude|longitude"),
    ("Location", {"near": "44|-92|5|mi|x"}, "invalid_near", "latitude|longitude"),
    ("PractitionerRole", {"location.near": "44|-92"}, "invalid_near", "location.near is latitude"),
    ("Practitioner", {"_count": "101"}, "invalid_count", "_count must be a whole number from 0 to 100"),
    ("Practitioner", {"_count": "-1"}, "invalid_count", "_count"),
    ("Practitioner", {"_count": "ten"}, "invalid_count", "_count"),
    ("Practitioner", {"_count": "2.5"}, "invalid_count", "_count"),
    ("Organization", {"_offset": "-1"}, "invalid_offset", "_offset must be a whole number"),
    ("Organization", {"_offset": "99999999999"}, "invalid_offset", "_offset"),
    ("Practitioner", {"name": ["mayer", "meyer"]}, "repeated_parameter", "name is given 2 times"),
    ("Practitioner", {"name:exact": "Mayer"}, "unsupported_modifier", "'name:exact'"),
    ("Practitioner", {"name": "Mayer, Anna"}, "unsupported_alternatives", "search once per name"),
    ("Practitioner", {"name": "1234"}, "invalid_value", "has no letters"),
    ("Practitioner", {"specialty": "oncology"}, "invalid_code", "not a NUCC taxonomy code"),
    ("PractitionerRole", {"specialty": "medical oncologist"}, "invalid_code", "e.g. 207RX0202X"),
    (
        "PractitionerRole",
        {"specialty": "http://snomed.info/sct|394593009"},
        "unknown_system",
        "http://nucc.org",
    ),
    ("PractitionerRole", {"specialty": "207RX0202X,"}, "invalid_value", "non-empty comma-separated"),
    (
        "PractitionerRole",
        {"practitioner": "Organization/1234567893"},
        "invalid_reference",
        "not refer to a Practitioner",
    ),
    ("PractitionerRole", {"location": "Location/no such place"}, "invalid_id", "is not a FHIR id"),
    ("Practitioner", {"_id": "bad id!"}, "invalid_id", "'bad id!' is not a FHIR id"),
    ("Organization", {"type": "hospital"}, "invalid_code", "type: 'hospital' is not known"),
    ("Organization", {"address-postalcode": "??"}, "invalid_value", "is not a postal code"),
    ("Organization", {"_format": "xml"}, "unsupported_format", "only JSON"),
]


def assert_outcome(response: Any, status: int, reason: str) -> dict[str, Any]:
    assert response.status_code == status, response.body
    assert response["Content-Type"] == "application/fhir+json"
    OperationOutcome.model_validate(response.body)
    (issue,) = response.body["issue"]
    assert issue["severity"] == "error"
    assert issue["details"]["coding"] == [
        {"system": "https://secondopinion.example/fhir/CodeSystem/error-code", "code": reason}
    ]
    return issue


@pytest.mark.parametrize(("kind", "params", "reason", "words"), BAD)
def test_a_bad_parameter_is_a_400_operation_outcome_that_says_why(
    directory, kind, params, reason, words
) -> None:
    issue = assert_outcome(fhir(kind, **params), 400, reason)
    assert words in issue["diagnostics"]
    assert issue["code"] == (
        "not-supported" if "unsupported" in reason or "unknown_p" in reason else "invalid"
    )


def test_an_empty_parameter_is_ignored(directory) -> None:
    assert ids(fhir("Practitioner", name="", specialty="")) == ids(fhir("Practitioner"))


ODD = [
    "name=%00",
    "name=" + "a" * 5000,
    "_id=" + ",".join(["x"] * 101),
    "specialty=%7C",
    "specialty=http://nucc.org/provider-taxonomy%7C",
    "near=1e308%7C1e308%7C1e308%7Ckm",
    "near=0%7C0%7C1e308%7Ckm",
    "near=%7C%7C%7C",
    "location.near=89.9%7C179.9%7C20000%7Ckm",
    "organization=Organization/",
    "practitioner=%2F%2F%2F",
    "type=%7C",
    "address-postalcode=%E2%80%94",
    "_count=%EF%BC%95",  # a full-width digit
    "_offset=00000000000000000001",
]


@pytest.mark.parametrize("kind", ["Practitioner", "PractitionerRole", "Organization", "Location"])
def test_odd_input_is_answered_never_a_server_error(directory, kind: str) -> None:
    client = Client(raise_request_exception=False)
    for query in ODD:
        response = client.get(f"/api/v1/fhir/{kind}?{query}")
        assert response.status_code in (200, 400), (kind, query, response.status_code)
        assert response["Content-Type"] == "application/fhir+json"
    for fhir_id in ["%00", "a" * 300, "..", "role-", "org-0", "-1"]:
        response = client.get(f"/api/v1/fhir/{kind}/{fhir_id}")
        assert response.status_code == 404, (kind, fhir_id, response.status_code)


def test_requests_are_rate_limited_per_client(directory, monkeypatch) -> None:
    # One fixed-window minute for the whole test, so a minute turning mid-test cannot reset the count.
    monkeypatch.setattr("secondopinion.core.ratelimit.time", SimpleNamespace(time=lambda: 6_000_030.0))
    client = Client()
    statuses = [client.get(f"/api/v1/fhir/Practitioner/{NPI['kim']}").status_code for _ in range(60)]
    statuses += [client.get("/api/v1/fhir/Location").status_code for _ in range(60)]
    assert statuses == [200] * 120
    limited = client.get("/api/v1/fhir/metadata")
    limited.body = limited.json()  # type: ignore[attr-defined]
    issue = assert_outcome(limited, 429, "too_many_requests")
    assert issue["code"] == "throttled" and limited["Retry-After"] == "60"
    other = Client(REMOTE_ADDR="192.0.2.7").get("/api/v1/fhir/metadata")
    assert other.status_code == 200  # another address has its own count


# --- CapabilityStatement -----------------------------------------------------------------------------------

SAMPLES = {
    "_id": "1234567893",
    "name": "mayer",
    "family": "mayer",
    "given": "anna",
    "specialty": "207RX0202X",
    "practitioner": f"Practitioner/{NPI['mayer']}",
    "organization": "Organization/org-1",
    "location": "Location/abc",
    "type": "nci-comprehensive",
    "address-postalcode": "559",
    "location.address-postalcode": "559",
    "near": "44.02|-92.47|50|mi",
    "location.near": "44.02|-92.47|50|mi",
}


def test_metadata_lists_exactly_what_the_searches_accept(directory) -> None:
    response = fhir("metadata")
    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    body = response.body
    CapabilityStatement.model_validate(body)
    assert body["kind"] == "instance" and body["fhirVersion"] == "4.3.0" and body["status"] == "active"
    assert body["implementation"]["url"] == "http://testserver/api/v1/fhir"
    (rest,) = body["rest"]
    resources = {r["type"]: r for r in rest["resource"]}
    assert sorted(resources) == ["Location", "Organization", "Practitioner", "PractitionerRole"]
    every_name = set()
    for kind, resource in resources.items():
        assert resource["profile"].endswith(f"/plannet-{kind}")
        assert [i["code"] for i in resource["interaction"]] == ["read", "search-type"]
        names = [p["name"] for p in resource["searchParam"]]
        every_name |= set(names)
        for name in names:  # each listed parameter is accepted
            assert fhir(kind, **{name: SAMPLES[name]}).status_code == 200, (kind, name)
        for name in set(SAMPLES) - set(names):  # and each other one refused
            assert fhir(kind, **{name: SAMPLES[name]}).status_code == 400, (kind, name)
    assert every_name == set(SAMPLES)
    practitioner = {p["name"]: p for p in resources["Practitioner"]["searchParam"]}
    assert practitioner["name"]["definition"].endswith("/SearchParameter/practitioner-name")
    assert practitioner["name"]["type"] == "string" and practitioner["specialty"]["type"] == "token"
