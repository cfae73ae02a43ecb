"""GET /api/v1/fhir/<Type>/<id>: each read, its Plan-Net mapping, FHIR validity, not-found answers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B import get_fhir_model_class

from secondopinion.directory.models import Organization, PractitionerRole
from secondopinion.interop import plannet

from .conftest import NPI, ROCHESTER, data_queries, fhir

pytestmark = pytest.mark.django_db

PN = "http://hl7.org/fhir/us/davinci-pdex-plan-net/StructureDefinition/plannet-"
NUCC = "http://nucc.org/provider-taxonomy"


def valid(body: dict[str, Any]) -> dict[str, Any]:
    """The body parses as its FHIR R4B model and serialises back to exactly itself."""
    model = get_fhir_model_class(body["resourceType"]).model_validate(body)
    assert json.loads(model.model_dump_json()) == body
    return body


def coding(concept: dict[str, Any]) -> tuple[str, str, str]:
    (c,) = concept["coding"]
    return c["system"], c["code"], c.get("display", "")


def test_practitioner_read_maps_npi_name_qualifications_and_languages(directory) -> None:
    response = fhir(f"Practitioner/{NPI['mayer']}")
    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    body = valid(response.body)
    assert body["id"] == NPI["mayer"] and body["meta"]["profile"] == [PN + "Practitioner"]
    assert body["identifier"] == [{"system": "http://hl7.org/fhir/sid/us-npi", "value": NPI["mayer"]}]
    assert body["active"] is True and body["gender"] == "female"
    assert body["name"] == [
        {"use": "official", "text": "ANNA MAYER, MD", "family": "MAYER", "given": ["ANNA"], "suffix": ["MD"]}
    ]
    primary, second = body["qualification"]
    assert coding(primary["code"]) == (NUCC, "207RX0202X", "Medical Oncology Physician")
    assert coding(second["code"]) == (NUCC, "207RH0003X", "Hematology & Oncology Physician")
    assert primary["identifier"] == [{"value": "LIC1"}] and primary["issuer"] == {"display": "State of MN"}
    (ext,) = primary["extension"]
    assert ext["url"] == plannet.QUALIFICATION_EXT
    assert ext["extension"] == [
        {"url": "status", "valueCode": "active"},
        {
            "url": "whereValid",
            "valueCodeableConcept": {"coding": [{"system": "https://www.usps.com/", "code": "MN"}]},
        },
    ]
    assert [coding(c) for c in body["communication"]] == [
        ("urn:ietf:bcp:47", "en", ""),
        ("urn:ietf:bcp:47", "de", ""),
    ]


def test_primary_specialty_comes_first_whatever_its_slot(directory) -> None:
    # MAYES: slot 1 surgical oncology is primary; slot 2 medical oncology.
    body = fhir(f"Practitioner/{NPI['mayes']}").body
    assert [coding(q["code"])[1] for q in body["qualification"]] == ["2086X0206X", "207RX0202X"]
    assert "communication" not in body  # no languages known: nothing, never an empty list


def test_a_deactivated_practitioner_is_read_as_inactive(directory) -> None:
    body = valid(fhir(f"Practitioner/{NPI['gone']}").body)
    assert body["active"] is False and body["name"][0]["given"] == ["OLD"]


def test_practitioner_role_read_links_practitioner_organization_location_and_flags(directory) -> None:
    role = directory.role_id("mayer")
    response = fhir(f"PractitionerRole/{role}")
    body = valid(response.body)
    assert response.status_code == 200 and body["id"] == role
    assert body["meta"]["profile"] == [PN + "PractitionerRole"] and body["active"] is True
    assert body["practitioner"] == {"reference": f"Practitioner/{NPI['mayer']}", "display": "ANNA MAYER, MD"}
    assert body["organization"] == {
        "reference": f"Organization/org-{directory.center.pk}",
        "display": "Quillby Comprehensive Cancer Center",
    }
    assert body["location"] == [
        {
            "reference": f"Location/{directory.location_id('55905')}",
            "display": "200 FIRST ST SW, ROCHESTER, MN 55905",
        }
    ]
    assert [coding(s)[:2] for s in body["specialty"]] == [(NUCC, "207RX0202X"), (NUCC, "207RH0003X")]
    assert body["extension"] == [
        {"url": plannet.ACCEPTS_SECOND_OPINIONS_EXT, "valueBoolean": True},
        {"url": plannet.OFFERS_VIDEO_EXT, "valueBoolean": True},
    ]
    lopez = fhir(f"PractitionerRole/{directory.role_id('lopez')}").body
    assert [e["valueBoolean"] for e in lopez["extension"]] == [False, True]  # no second opinions, video
    assert "organization" not in lopez


def test_organization_read_by_npi_and_by_opaque_id(directory) -> None:
    zephyr = valid(fhir(f"Organization/{NPI['zephyr']}").body)
    assert zephyr["id"] == NPI["zephyr"] and zephyr["meta"]["profile"] == [PN + "Organization"]
    assert zephyr["identifier"] == [{"system": "http://hl7.org/fhir/sid/us-npi", "value": NPI["zephyr"]}]
    assert zephyr["name"] == "ZEPHYRHILL ONCOLOGY GROUP"
    assert [coding(t) for t in zephyr["type"]] == [(plannet.ORG_TYPE_SYSTEM, "prvgrp", "Provider Group")]
    assert zephyr["address"] == [
        {
            "use": "work",
            "line": ["5 PARK AVE"],
            "city": "NEW YORK",
            "state": "NY",
            "postalCode": "10016-0001",
            "country": "US",
        }
    ]
    center = valid(fhir(f"Organization/org-{directory.center.pk}").body)
    assert center["id"] == f"org-{directory.center.pk}" and "identifier" not in center
    assert [coding(t) for t in center["type"]][1] == (
        plannet.DESIGNATION_SYSTEM,
        "nci-comprehensive",
        "NCI-designated Comprehensive Cancer Center",
    )
    assert center["telecom"] == [{"system": "phone", "value": "5072842511", "use": "work"}]
    (ext,) = center["extension"]
    assert ext["url"] == plannet.LOCATION_REFERENCE_EXT
    assert ext["valueReference"]["reference"] == f"Location/{directory.location_id('55905')}"
    clinic = valid(fhir(f"Organization/org-{directory.clinic.pk}").body)
    assert "address" not in clinic and "extension" not in clinic
    assert coding(clinic["type"][1])[1] == "community"


def test_location_read_has_address_position_and_a_name(directory) -> None:
    key = directory.location_id("55905")
    body = valid(fhir(f"Location/{key}").body)
    assert body["id"] == key and body["meta"]["profile"] == [PN + "Location"]
    assert body["status"] == "active" and body["name"] == "200 FIRST ST SW, ROCHESTER, MN 55905"
    assert body["position"] == {"latitude": ROCHESTER[0], "longitude": ROCHESTER[1]}
    assert body["address"]["postalCode"] == "55905-0001" and body["address"]["city"] == "ROCHESTER"


@pytest.mark.parametrize(
    "path",
    [
        "Practitioner/1234567893",  # a valid NPI nobody here holds
        "Practitioner/not-an-npi",
        "PractitionerRole/role-987654321",
        "PractitionerRole/17",
        "PractitionerRole/role-99999999999999999999999",  # beyond any 64-bit key: still a plain 404
        "Organization/org-987654321",
        "Organization/unknown",
        "Location/0123456789abcdef0123456789abcdef",
        "Location/no%20such%20place",
    ],
)
def test_an_unknown_resource_is_a_404_operation_outcome(directory, path: str) -> None:
    response = fhir(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/fhir+json"
    (issue,) = valid(response.body)["issue"]
    assert response.body["resourceType"] == "OperationOutcome"
    assert issue["code"] == "not-found" and issue["details"]["coding"][0]["code"] == "not_found"
    assert path.split("/")[0] in issue["diagnostics"]


def test_an_organization_with_an_npi_is_not_also_read_by_its_row_id(directory) -> None:
    assert fhir(f"Organization/org-{directory.zephyr.pk}").status_code == 404
    assert fhir(f"Organization/{NPI['zephyr']}").status_code == 200


def test_a_read_refuses_parameters_but_json_format(directory) -> None:
    assert fhir(f"Practitioner/{NPI['kim']}", _format="json").status_code == 200
    refused = fhir(f"Practitioner/{NPI['kim']}", _summary="true")
    assert refused.status_code == 400 and "_summary" in refused.body["issue"][0]["diagnostics"]
    xml = fhir(f"Practitioner/{NPI['kim']}", _format="xml")
    assert xml.status_code == 400 and xml.body["issue"][0]["code"] == "not-supported"


def test_reads_need_no_account_and_a_fixed_number_of_queries(directory) -> None:
    role = PractitionerRole.objects.get(practitioner__npi=NPI["mayer"])
    org = Organization.objects.get(npi=NPI["zephyr"])
    for path, most in [
        (f"Practitioner/{NPI['mayer']}", 2),  # the row, its taxonomy slots
        (f"PractitionerRole/role-{role.pk}", 2),  # the role with its joins, the slots
        (f"Organization/{org.npi}", 1),  # with its location
        (f"Location/{directory.location_id('55905')}", 1),
    ]:
        with CaptureQueriesContext(connection) as ctx:
            response = Client().get(f"/api/v1/fhir/{path}")
        assert response.status_code == 200
        assert len(data_queries(ctx)) <= most, (path, data_queries(ctx))
