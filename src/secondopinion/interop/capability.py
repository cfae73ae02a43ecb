"""GET /fhir/metadata: the CapabilityStatement, built from the same table the search parser obeys
(`params.PARAMS`), so it lists exactly what is supported."""

from __future__ import annotations

import importlib.metadata
from typing import TYPE_CHECKING

from . import params, plannet

if TYPE_CHECKING:
    from fhir.resources.R4B.resource import Resource

FHIR_VERSION = "4.3.0"  # R4B: the JSON of these four resources is the same as R4's (Plan-Net is an R4 guide)
DATE = "2026-11-24"  # when this statement last changed


def _version() -> str:
    try:
        return importlib.metadata.version("secondopinion")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def capability_statement(base_url: str) -> Resource:
    resources = [
        {
            "type": kind,
            "profile": plannet.PROFILES[kind],
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "versioning": "no-version",
            "readHistory": False,
            "updateCreate": False,
            "searchParam": [
                {"name": p.name, "definition": p.definition, "type": p.type, "documentation": p.documentation}
                for p in params.PARAMS[kind]
            ],
        }
        for kind in plannet.PROFILES
    ]
    return plannet.validated(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": DATE,
            "publisher": "secondopinion",
            "kind": "instance",
            "description": (
                "Read and search the specialist directory as Da Vinci Plan-Net resources (read-only)."
            ),
            "software": {"name": "secondopinion", "version": _version()},
            "implementation": {"description": "secondopinion specialist directory", "url": base_url},
            "fhirVersion": FHIR_VERSION,
            "format": ["json", "application/fhir+json"],
            "rest": [
                {
                    "mode": "server",
                    "documentation": (
                        f"Searches list active rows only. Result parameters: _count (0 to "
                        f"{params.MAX_COUNT}, default {params.DEFAULT_COUNT}) and _offset; _format "
                        "json. Unknown parameters, modifiers, and a parameter given twice are refused (400)."
                    ),
                    "security": {
                        "cors": False,
                        "description": "No account needed: public register data. Rate-limited per client.",
                    },
                    "resource": resources,
                }
            ],
        }
    )
