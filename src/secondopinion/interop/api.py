"""GET /api/v1/fhir/…: the specialist directory as FHIR R4B Da Vinci Plan-Net resources (read, search,
CapabilityStatement). Directory rows are public register data: no account, rate-limited per client like the
directory search. Answers are `application/fhir+json`; errors are FHIR OperationOutcomes (what FHIR clients
read), each carrying our stable error code — see docs/fhir-plannet.md."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from ninja import Router

from secondopinion.core.ratelimit import over_limit

from . import capability, fhirsearch, params, plannet
from .params import FhirSearchError

if TYPE_CHECKING:
    from fhir.resources.R4B.resource import Resource

router = Router(tags=["fhir"])
FHIR_JSON = "application/fhir+json"
RATE_LIMIT = (120, 60)  # FHIR requests per client address per minute
ERROR_SYSTEM = f"{plannet.LOCAL}/CodeSystem/error-code"
DISTANCE_EXT = "http://hl7.org/fhir/StructureDefinition/location-distance"
UCUM = {"mi": "[mi_i]", "km": "km"}


def _fhir(resource: Resource, status: int = 200) -> HttpResponse:
    return HttpResponse(resource.model_dump_json(), status=status, content_type=FHIR_JSON)


def outcome(status: int, reason: str, diagnostics: str, code: str = "invalid") -> HttpResponse:
    """An OperationOutcome with one error issue: FHIR's issue `code`, our stable `reason`, the diagnostics."""
    issue = {
        "severity": "error",
        "code": code,
        "details": {"coding": [{"system": ERROR_SYSTEM, "code": reason}]},
        "diagnostics": diagnostics,
    }
    body = json.dumps({"resourceType": "OperationOutcome", "issue": [issue]})
    return HttpResponse(body, status=status, content_type=FHIR_JSON)


def _limited(request: HttpRequest) -> HttpResponse | None:
    if not over_limit(request, "fhir-directory", *RATE_LIMIT):
        return None
    response = outcome(
        429, "too_many_requests", "Too many requests: wait a minute and try again.", "throttled"
    )
    response["Retry-After"] = str(RATE_LIMIT[1])
    return response


def _base(request: HttpRequest) -> str:
    """The absolute base of the FHIR endpoints, e.g. https://host/api/v1/fhir."""
    path = request.path
    return request.build_absolute_uri(path[: path.index("/fhir/") + len("/fhir")])


def _distance(miles: float, unit: str) -> dict[str, Any]:
    value = miles if unit == "mi" else miles * params.KM_PER_MILE
    return {
        "url": DISTANCE_EXT,
        "valueDistance": {
            "value": round(value, 2),
            "unit": unit,
            "system": "http://unitsofmeasure.org",
            "code": UCUM[unit],
        },
    }


def _bundle(request: HttpRequest, kind: str, c: params.Criteria, page: fhirsearch.Page) -> Resource:
    base = _base(request)

    def link(relation: str, offset: int) -> dict[str, str]:
        query = urlencode([*c.echo, ("_count", str(c.count)), ("_offset", str(offset))])
        return {"relation": relation, "url": f"{base}/{kind}?{query}"}

    links = [link("self", c.offset)]
    if c.count and c.offset + c.count < page.total:
        links.append(link("next", c.offset + c.count))
    if c.count and c.offset:
        links.append(link("previous", max(0, c.offset - c.count)))
    entries = []
    for row in page.rows:
        resource = plannet.MAPPERS[kind](row)
        search: dict[str, Any] = {"mode": "match"}
        if row.pk in page.miles and c.near is not None:
            search["extension"] = [_distance(page.miles[row.pk], c.near.unit)]
        entries.append({"fullUrl": f"{base}/{kind}/{resource.id}", "resource": resource, "search": search})
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": page.total,
        "link": links,
    }
    if entries:
        bundle["entry"] = entries
    return plannet.validated(bundle)


def _search(request: HttpRequest, kind: str) -> HttpResponse:
    if (limited := _limited(request)) is not None:
        return limited
    try:
        criteria = params.parse(kind, request.GET)
    except FhirSearchError as exc:
        return outcome(400, exc.reason, exc.diagnostics, exc.code)
    return _fhir(_bundle(request, kind, criteria, fhirsearch.search(criteria)))


def _read(request: HttpRequest, kind: str, fhir_id: str) -> HttpResponse:
    if (limited := _limited(request)) is not None:
        return limited
    try:
        params.check_format(request.GET)
    except FhirSearchError as exc:
        return outcome(400, exc.reason, exc.diagnostics, exc.code)
    row = fhirsearch.read(kind, fhir_id)
    if row is None:
        return outcome(404, "not_found", f"There is no {kind} with id {fhir_id[:64]!r}.", "not-found")
    return _fhir(plannet.MAPPERS[kind](row))


_SEARCH = "Plan-Net search; the parameters are listed by GET /fhir/metadata and in docs/fhir-plannet.md."


@router.get("/fhir/metadata", auth=None, summary="FHIR CapabilityStatement of the directory endpoints")
def metadata(request: HttpRequest) -> HttpResponse:
    if (limited := _limited(request)) is not None:
        return limited
    return _fhir(capability.capability_statement(_base(request)))


@router.get("/fhir/Practitioner", auth=None, summary="Search practitioners (FHIR)", description=_SEARCH)
def search_practitioners(request: HttpRequest) -> HttpResponse:
    return _search(request, "Practitioner")


@router.get("/fhir/Practitioner/{npi}", auth=None, summary="Read a practitioner by NPI (FHIR)")
def read_practitioner(request: HttpRequest, npi: str) -> HttpResponse:
    return _read(request, "Practitioner", npi)


@router.get(
    "/fhir/PractitionerRole", auth=None, summary="Search practitioner roles (FHIR)", description=_SEARCH
)
def search_practitioner_roles(request: HttpRequest) -> HttpResponse:
    return _search(request, "PractitionerRole")


@router.get("/fhir/PractitionerRole/{role_id}", auth=None, summary="Read a practitioner role (FHIR)")
def read_practitioner_role(request: HttpRequest, role_id: str) -> HttpResponse:
    return _read(request, "PractitionerRole", role_id)


@router.get("/fhir/Organization", auth=None, summary="Search organizations (FHIR)", description=_SEARCH)
def search_organizations(request: HttpRequest) -> HttpResponse:
    return _search(request, "Organization")


@router.get("/fhir/Organization/{organization_id}", auth=None, summary="Read an organization (FHIR)")
def read_organization(request: HttpRequest, organization_id: str) -> HttpResponse:
    return _read(request, "Organization", organization_id)


@router.get("/fhir/Location", auth=None, summary="Search locations (FHIR)", description=_SEARCH)
def search_locations(request: HttpRequest) -> HttpResponse:
    return _search(request, "Location")


@router.get("/fhir/Location/{location_id}", auth=None, summary="Read a location (FHIR)")
def read_location(request: HttpRequest, location_id: str) -> HttpResponse:
    return _read(request, "Location", location_id)
