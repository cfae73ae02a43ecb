"""FHIR search parameters of the directory endpoints: the parameters each resource type supports (one table,
which the CapabilityStatement lists too) and their parsing into `Criteria`; `fhirsearch.py` runs them.
Anything refused raises `FhirSearchError` (answered 400 with an OperationOutcome). See docs/fhir-plannet.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.http import QueryDict

from secondopinion.directory import taxonomy
from secondopinion.directory.models import CenterDesignation
from secondopinion.directory.nppes.columns import name_key
from secondopinion.directory.search import name_words

from . import plannet

DEFAULT_COUNT = 20
MAX_COUNT = 100
MAX_OFFSET = 1_000_000_000
MAX_ALTERNATIVES = 100  # comma-separated values in one parameter
KM_PER_MILE = 1.609344
UNITS = {"mi": "mi", "[mi_i]": "mi", "km": "km"}
FORMATS = {"json", "application/json", "application/fhir+json", "fhir+json"}
RESULT_PARAMS = ("_count", "_offset", "_format")
ORG_TYPE_CODES = {"fac", "prvgrp", "payer", "atyprv", "bus", "ntwk"}  # Plan-Net OrgTypeCS
DESIGNATIONS = [str(d) for d in CenterDesignation.values if d]

R4 = "http://hl7.org/fhir/SearchParameter"
PN = f"{plannet.PLANNET}/SearchParameter"
LOCAL = f"{plannet.LOCAL}/SearchParameter"


class FhirSearchError(ValueError):
    """A request we refuse: an OperationOutcome issue `code`, our stable `reason` and the diagnostics."""

    def __init__(self, reason: str, diagnostics: str, code: str = "invalid") -> None:
        super().__init__(diagnostics)
        self.reason, self.diagnostics, self.code = reason, diagnostics, code


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str
    definition: str
    documentation: str


_ID = Param("_id", "token", f"{R4}/Resource-id", "The resource id; comma-separated ids match any of them.")
_SPECIALTY_DOC = (
    "A NUCC provider taxonomy code (`http://nucc.org/provider-taxonomy|207RX0202X` or `207RX0202X`)"
)
_POSTAL_DOC = "starts with (ZIP 10001 matches 10001-1234); comma-separated values match any."
_NEAR_DOC = "`latitude|longitude|distance|unit`, unit `mi`, `[mi_i]` or `km` (the default); nearest first."
PARAMS: dict[str, tuple[Param, ...]] = {
    "Practitioner": (
        _ID,
        Param(
            "name",
            "string",
            f"{PN}/practitioner-name",
            "Every word must start the family or given name, or be one typo from it (4+ letters, first "
            "two letters right), as in the directory search; best matches first.",
        ),
        Param("family", "string", f"{PN}/practitioner-family-name", "As `name`, against the family name."),
        Param("given", "string", f"{PN}/practitioner-given-name", "As `name`, against the given name."),
        Param(
            "specialty",
            "token",
            f"{LOCAL}/practitioner-specialty",
            f"{_SPECIALTY_DOC} in any qualification of the practitioner (Practitioner.qualification.code).",
        ),
    ),
    "PractitionerRole": (
        _ID,
        Param("practitioner", "reference", f"{PN}/practitionerrole-practitioner", "`Practitioner/<NPI>`."),
        Param("organization", "reference", f"{PN}/practitionerrole-organization", "`Organization/<id>`."),
        Param("location", "reference", f"{PN}/practitionerrole-location", "`Location/<id>`."),
        Param("specialty", "token", f"{PN}/practitionerrole-specialty", f"{_SPECIALTY_DOC}."),
        Param(
            "location.address-postalcode",
            "string",
            f"{PN}/location-address-postalcode",
            f"Chained: the role's location's postal code {_POSTAL_DOC}",
        ),
        Param(
            "location.near", "special", f"{R4}/Location-near", f"Chained: the role's location, {_NEAR_DOC}"
        ),
    ),
    "Organization": (
        _ID,
        Param("name", "string", f"{PN}/organization-name", "Every word must start a word of the name."),
        Param(
            "type",
            "token",
            f"{PN}/organization-type",
            f"A cancer-center designation ({plannet.DESIGNATION_SYSTEM}: {', '.join(DESIGNATIONS)}) or "
            f"Plan-Net's `{plannet.ORG_TYPE_SYSTEM}|prvgrp` (every organization here).",
        ),
        Param(
            "address-postalcode",
            "string",
            f"{R4}/Organization-address-postalcode",
            f"The postal code {_POSTAL_DOC}",
        ),
    ),
    "Location": (
        _ID,
        Param(
            "address-postalcode", "string", f"{PN}/location-address-postalcode", f"Postal code {_POSTAL_DOC}"
        ),
        Param("near", "special", f"{R4}/Location-near", _NEAR_DOC),
    ),
}


@dataclass(frozen=True, slots=True)
class Near:
    lat: float
    lon: float
    miles: float
    unit: str  # "mi" or "km", as asked: distances are answered in it


@dataclass
class Criteria:
    resource_type: str
    ids: list[str] | None = None
    name: list[str] = field(default_factory=list)  # name keys; every word must match
    family: list[str] = field(default_factory=list)
    given: list[str] = field(default_factory=list)
    codes: tuple[str, ...] = ()
    practitioners: list[str] | None = None  # NPIs
    organizations: list[str] | None = None  # Organization ids
    locations: list[str] | None = None  # Location ids (address keys)
    postal: list[str] = field(default_factory=list)
    near: Near | None = None
    designations: list[str] | None = None  # None: any organization type
    count: int = DEFAULT_COUNT
    offset: int = 0
    echo: list[tuple[str, str]] = field(default_factory=list)  # the parameters understood, for links


# --- parsing ---------------------------------------------------------------------------------------------


def supported(resource_type: str) -> list[str]:
    return [p.name for p in PARAMS[resource_type]] + list(RESULT_PARAMS)


def check_format(query: QueryDict) -> None:
    """A read takes `_format` (JSON) only."""
    for key in query:
        if key != "_format":
            raise FhirSearchError("unknown_parameter", f"A read takes no parameter {key!r} (only _format).")
    _format(query.get("_format", "").strip())


def _format(value: str) -> None:
    if value and value.lower() not in FORMATS:
        raise FhirSearchError(
            "unsupported_format", f"_format {value!r} is not supported; only JSON is.", "not-supported"
        )


def parse(resource_type: str, query: QueryDict) -> Criteria:
    c = Criteria(resource_type)
    allowed = {p.name for p in PARAMS[resource_type]}
    for key, values in query.lists():
        if len(values) > 1:
            raise FhirSearchError(
                "repeated_parameter",
                f"{key} is given {len(values)} times; give it once (comma-separated values match any).",
            )
        value = values[0].strip()
        if ":" in key:
            raise FhirSearchError(
                "unsupported_modifier", f"Search modifiers are not supported ({key!r}).", "not-supported"
            )
        if key in RESULT_PARAMS:
            _result_param(c, key, value)
        elif key not in allowed:
            raise FhirSearchError(
                "unknown_parameter",
                f"Unknown search parameter {key!r} for {resource_type}. "
                f"Supported: {', '.join(supported(resource_type))}.",
                "not-supported",
            )
        elif value:  # FHIR: a parameter with an empty value is ignored
            _apply(c, key, value)
            c.echo.append((key, value))
    return c


def _result_param(c: Criteria, key: str, value: str) -> None:
    if key == "_format":
        _format(value)
    elif key == "_count" and value:
        if not re.fullmatch(r"\d{1,6}", value) or int(value) > MAX_COUNT:
            raise FhirSearchError("invalid_count", f"_count must be a whole number from 0 to {MAX_COUNT}.")
        c.count = int(value)
    elif key == "_offset" and value:
        if not re.fullmatch(r"\d{1,10}", value) or int(value) > MAX_OFFSET:
            raise FhirSearchError("invalid_offset", f"_offset must be a whole number from 0 to {MAX_OFFSET}.")
        c.offset = int(value)


def _alternatives(key: str, value: str) -> list[str]:
    parts = [p.strip() for p in value.split(",")]
    if len(parts) > MAX_ALTERNATIVES or not all(parts):
        raise FhirSearchError(
            "invalid_value", f"{key}: give 1 to {MAX_ALTERNATIVES} non-empty comma-separated values."
        )
    return parts


def _apply(c: Criteria, key: str, value: str) -> None:
    if key == "_id":
        c.ids = [_fhir_id(key, v) for v in _alternatives(key, value)]
    elif key in ("name", "family", "given"):
        if "," in value:
            raise FhirSearchError(
                "unsupported_alternatives",
                f"{key}: alternatives (a,b) are not supported; search once per name.",
                "not-supported",
            )
        words = org_words(value) if c.resource_type == "Organization" else name_words(value)
        if not words:
            raise FhirSearchError("invalid_value", f"{key}: {value!r} has no letters.")
        getattr(c, key).extend(words)
    elif key == "specialty":
        c.codes = tuple(dict.fromkeys(_nucc_code(v) for v in _alternatives(key, value)))
    elif key in ("practitioner", "organization", "location"):
        kind = key.capitalize()
        setattr(c, f"{key}s", [_reference(key, kind, v) for v in _alternatives(key, value)])
    elif key in ("address-postalcode", "location.address-postalcode"):
        c.postal = [_postal(key, v) for v in _alternatives(key, value)]
    elif key in ("near", "location.near"):
        c.near = parse_near(key, value)
    elif key == "type":
        c.designations = _designations(_alternatives(key, value))


def _fhir_id(key: str, value: str) -> str:
    if not plannet.is_fhir_id(value):
        raise FhirSearchError("invalid_id", f"{key}: {value!r} is not a FHIR id (letters, digits, - and .).")
    return value


def _token(value: str) -> tuple[str | None, str]:
    system, bar, code = value.rpartition("|")
    return (system if bar else None), code


def _nucc_code(value: str) -> str:
    system, code = _token(value)
    if system is not None and system != plannet.NUCC_SYSTEM:
        raise FhirSearchError(
            "unknown_system", f"specialty: the system must be {plannet.NUCC_SYSTEM} (given {system!r})."
        )
    # The directory's own test of a code's form: 10 letters and digits ending in X.
    if taxonomy.codes_for(code) != (code.upper(),):
        raise FhirSearchError(
            "invalid_code",
            f"specialty: {code!r} is not a NUCC taxonomy code (10 characters ending in X, e.g. 207RX0202X).",
        )
    return code.upper()


def _reference(key: str, kind: str, value: str) -> str:
    """`Kind/id`, or a bare id; the id is returned."""
    prefix, slash, fhir_id = value.rpartition("/")
    if slash and prefix.rsplit("/", 1)[-1] != kind:
        raise FhirSearchError("invalid_reference", f"{key}: {value!r} does not refer to a {kind}.")
    return _fhir_id(key, fhir_id)


def _postal(key: str, value: str) -> str:
    code = re.sub(r"[\s-]", "", value).upper()
    if not re.fullmatch(r"[A-Z0-9]{1,10}", code):
        raise FhirSearchError("invalid_value", f"{key}: {value!r} is not a postal code.")
    return code


def parse_near(key: str, value: str) -> Near:
    parts = [p.strip() for p in value.split("|")]
    usage = f"{key} is latitude|longitude|distance|unit (unit mi or km), e.g. 44.02|-92.47|50|mi"
    if len(parts) not in (3, 4):
        raise FhirSearchError("invalid_near", f"{usage}; got {value!r}.")
    try:
        lat, lon, distance = (float(p) for p in parts[:3])
    except ValueError:
        raise FhirSearchError("invalid_near", f"{usage}; got {value!r}.") from None
    if not all(math.isfinite(x) for x in (lat, lon, distance)):
        raise FhirSearchError("invalid_near", f"{usage}; got {value!r}.")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise FhirSearchError("invalid_near", f"{key}: latitude must be -90 to 90 and longitude -180 to 180.")
    if distance <= 0:
        raise FhirSearchError("invalid_near", f"{key}: the distance must be more than 0.")
    unit = UNITS.get(parts[3] if len(parts) == 4 else "km")
    if unit is None:
        raise FhirSearchError(
            "invalid_near", f"{key}: unit {parts[3]!r} is not supported (mi, [mi_i] or km)."
        )
    return Near(lat, lon, distance if unit == "mi" else distance / KM_PER_MILE, unit)


def _designations(tokens: list[str]) -> list[str] | None:
    found: set[str] = set()
    for token in tokens:
        system, code = _token(token)
        if system in (None, plannet.ORG_TYPE_SYSTEM) and code == "prvgrp":
            return None  # every organization here is a provider group
        if system in (None, plannet.DESIGNATION_SYSTEM) and code in DESIGNATIONS:
            found.add(code)
        elif not (system == plannet.ORG_TYPE_SYSTEM and code in ORG_TYPE_CODES):
            raise FhirSearchError(
                "invalid_code",
                f"type: {token!r} is not known; use {plannet.DESIGNATION_SYSTEM}|<{'|'.join(DESIGNATIONS)}>"
                f" or {plannet.ORG_TYPE_SYSTEM}|prvgrp.",
            )
    return sorted(found)


def org_words(text: str) -> list[str]:
    """Name keys of the words of an organization's name (split at anything but letters and digits)."""
    return [k for k in (name_key(w) for w in re.split(r"[^\w']+", text)) if k]
