"""The specialist directory as Da Vinci Plan-Net resources (FHIR R4B models; see docs/fhir-plannet.md).

Each mapper builds the FHIR JSON of one directory row and validates it by constructing the
`fhir.resources.R4B` model, which it returns. Resource ids: a Practitioner's NPI; an Organization's NPI,
or `org-<row id>` for one without an NPI (an admin-entered cancer center); a Location's `address_key` (a
digest of its normalised address, so the same address keeps its id across NPPES imports);
`role-<row id>` for a PractitionerRole. `parse_*_id` are their inverses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from secondopinion.directory import taxonomy
from secondopinion.directory.models import (
    CenterDesignation,
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    PractitionerSpecialty,
)

if TYPE_CHECKING:
    from fhir.resources.R4B.resource import Resource

PLANNET = "http://hl7.org/fhir/us/davinci-pdex-plan-net"
PROFILES = {
    kind: f"{PLANNET}/StructureDefinition/plannet-{kind}"
    for kind in ("Practitioner", "PractitionerRole", "Organization", "Location")
}
NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
NUCC_SYSTEM = taxonomy.NUCC_SYSTEM
BCP47_SYSTEM = "urn:ietf:bcp:47"
USPS_SYSTEM = "https://www.usps.com/"
ORG_TYPE_SYSTEM = f"{PLANNET}/CodeSystem/OrgTypeCS"
QUALIFICATION_EXT = f"{PLANNET}/StructureDefinition/practitioner-qualification"
LOCATION_REFERENCE_EXT = f"{PLANNET}/StructureDefinition/location-reference"
# Our own definitions (documented in docs/fhir-plannet.md): nothing in Plan-Net says either.
LOCAL = "https://secondopinion.example/fhir"
DESIGNATION_SYSTEM = f"{LOCAL}/CodeSystem/cancer-center-designation"
ACCEPTS_SECOND_OPINIONS_EXT = f"{LOCAL}/StructureDefinition/accepts-second-opinions"
OFFERS_VIDEO_EXT = f"{LOCAL}/StructureDefinition/offers-video-visits"
GENDERS = {"F": "female", "M": "male"}

_NPI = re.compile(r"^\d{10}$")
_ROW = re.compile(r"^(org|role)-([1-9]\d{0,17})$")  # 18 digits at most: always inside a 64-bit key
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


# --- ids -------------------------------------------------------------------------------------------------


def organization_id(org: Organization) -> str:
    return org.npi or f"org-{org.pk}"


def role_id(role: PractitionerRole) -> str:
    return f"role-{role.pk}"


def is_fhir_id(text: str) -> bool:
    return bool(_FHIR_ID.match(text))


def parse_npi(fhir_id: str) -> str | None:
    return fhir_id if _NPI.match(fhir_id) else None


def parse_row_id(fhir_id: str, prefix: str) -> int | None:
    """The row id in `org-17` / `role-42` (prefix "org" / "role"), or None."""
    match = _ROW.match(fhir_id)
    return int(match[2]) if match and match[1] == prefix else None


# --- building blocks -------------------------------------------------------------------------------------


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values: FHIR forbids empty strings, lists and objects."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _coding(system: str, code: str, display: str = "") -> dict[str, Any]:
    return {"coding": [_compact({"system": system, "code": code, "display": display})]}


def _nucc(code: str) -> dict[str, Any]:
    display = taxonomy.display(code)
    return _coding(NUCC_SYSTEM, code, "" if display == taxonomy.UNKNOWN_DISPLAY else display)


def _reference(kind: str, fhir_id: str, display: str) -> dict[str, Any]:
    return _compact({"reference": f"{kind}/{fhir_id}", "display": display})


def postal_code(location: Location) -> str:
    code = location.postal_code or location.zip5
    return f"{code[:5]}-{code[5:]}" if len(code) == 9 and code.isdigit() else code


def _address(location: Location) -> dict[str, Any]:
    return _compact(
        {
            "use": "work",
            "line": [line for line in (location.line1, location.line2) if line],
            "city": location.city,
            "state": location.state,
            "postalCode": postal_code(location),
            "country": location.country,
        }
    )


def _telecom(location: Location | None) -> list[dict[str, Any]]:
    return (
        [{"system": "phone", "value": location.phone, "use": "work"}] if location and location.phone else []
    )


def location_name(location: Location) -> str:
    state_zip = " ".join(p for p in (location.state, location.zip5) if p)
    return ", ".join(p for p in (location.line1, location.city, state_zip) if p) or "Practice location"


def validated(data: dict[str, Any]) -> Resource:
    from fhir.resources.R4B import get_fhir_model_class  # heavy: only when a FHIR answer is built

    return cast("Resource", get_fhir_model_class(data["resourceType"]).model_validate(data))


# --- the mappers -----------------------------------------------------------------------------------------


def _qualification(slot: PractitionerSpecialty) -> dict[str, Any]:
    """One NPPES taxonomy slot: the NUCC code, the licence given with it and the state it is valid in."""
    plan_net: list[dict[str, Any]] = [{"url": "status", "valueCode": "active"}]  # fixed by Plan-Net
    if slot.license_state:
        plan_net.append(
            {"url": "whereValid", "valueCodeableConcept": _coding(USPS_SYSTEM, slot.license_state)}
        )
    return _compact(
        {
            "extension": [{"url": QUALIFICATION_EXT, "extension": plan_net}],
            "identifier": [{"value": slot.license_number}] if slot.license_number else [],
            "code": _nucc(slot.nucc_code),
            "issuer": {"display": f"State of {slot.license_state}"} if slot.license_state else None,
        }
    )


def specialties_of(practitioner: Practitioner) -> list[PractitionerSpecialty]:
    """The taxonomy slots, primary first, then in slot order (from the prefetched `specialties`)."""
    return sorted(practitioner.specialties.all(), key=lambda s: (not s.primary, s.slot))


def practitioner(p: Practitioner) -> Resource:
    """Plan-Net Practitioner: NPI, name (credentials as a suffix), gender, qualifications (the NUCC taxonomy
    slots with their licences), communication (the languages, BCP 47). Needs `specialties` prefetched."""
    name = _compact(
        {
            "use": "official",
            "text": p.display_name,
            "family": p.family_name,
            "given": [g for g in (p.given_name, p.middle_name) if g],
            "prefix": [p.prefix] if p.prefix else [],
            "suffix": [s for s in (p.suffix, p.credentials) if s],
        }
    )
    return validated(
        _compact(
            {
                "resourceType": "Practitioner",
                "id": p.npi,
                "meta": {"profile": [PROFILES["Practitioner"]]},
                "identifier": [{"system": NPI_SYSTEM, "value": p.npi}],
                "active": p.active,
                "name": [name] if len(name) > 1 else [],
                "gender": GENDERS.get(p.sex),
                "qualification": [_qualification(s) for s in specialties_of(p)],
                "communication": [_coding(BCP47_SYSTEM, lang) for lang in p.languages or [] if lang],
            }
        )
    )


def practitioner_role(role: PractitionerRole) -> Resource:
    """Plan-Net PractitionerRole: who, for which organization, where, with the practitioner's specialties
    (NUCC) and our two flags as extensions. Needs practitioner, organization, location and
    `practitioner__specialties` loaded."""
    p = role.practitioner
    flags = [
        {"url": ACCEPTS_SECOND_OPINIONS_EXT, "valueBoolean": p.accepts_second_opinions},
        {"url": OFFERS_VIDEO_EXT, "valueBoolean": p.offers_video},
    ]
    org, place = role.organization, role.location
    return validated(
        _compact(
            {
                "resourceType": "PractitionerRole",
                "id": role_id(role),
                "meta": {"profile": [PROFILES["PractitionerRole"]]},
                "extension": flags,
                "active": role.active,
                "practitioner": _reference("Practitioner", p.npi, p.display_name),
                "organization": _reference("Organization", organization_id(org), org.name) if org else None,
                "location": [_reference("Location", place.address_key, location_name(place))]
                if place
                else [],
                "specialty": [_nucc(s.nucc_code) for s in specialties_of(p)],
            }
        )
    )


def _org_types(org: Organization) -> list[dict[str, Any]]:
    types = [_coding(ORG_TYPE_SYSTEM, "prvgrp", "Provider Group")]
    if org.center_designation:
        from django.utils import translation

        with translation.override("en"):  # a code's display in our code system: the same in every request
            label = str(CenterDesignation(org.center_designation).label)
        types.append(_coding(DESIGNATION_SYSTEM, org.center_designation, label))
    return types


def organization(org: Organization) -> Resource:
    """Plan-Net Organization: NPI when it has one, type (Plan-Net's "Provider Group" and the cancer-center
    designation in our code system), address and phone of its location. Needs `location` loaded."""
    place = org.location
    return validated(
        _compact(
            {
                "resourceType": "Organization",
                "id": organization_id(org),
                "meta": {"profile": [PROFILES["Organization"]]},
                "extension": [
                    {
                        "url": LOCATION_REFERENCE_EXT,
                        "valueReference": _reference("Location", place.address_key, location_name(place)),
                    }
                ]
                if place
                else [],
                "identifier": [{"system": NPI_SYSTEM, "value": org.npi}] if org.npi else [],
                "active": org.active,
                "type": _org_types(org),
                "name": org.name,
                "telecom": _telecom(place),
                "address": [_address(place)] if place else [],
            }
        )
    )


def location(place: Location) -> Resource:
    """Plan-Net Location: a name made of the address (US Core requires one), address, phone, position."""
    position = None
    if place.latitude is not None and place.longitude is not None:
        position = {"latitude": place.latitude, "longitude": place.longitude}
    return validated(
        _compact(
            {
                "resourceType": "Location",
                "id": place.address_key,
                "meta": {"profile": [PROFILES["Location"]]},
                "status": "active",
                "name": location_name(place),
                "telecom": _telecom(place),
                "address": _address(place),
                "position": position,
            }
        )
    )


MAPPERS: dict[str, Callable[[Any], Resource]] = {
    "Practitioner": practitioner,
    "PractitionerRole": practitioner_role,
    "Organization": organization,
    "Location": location,
}
