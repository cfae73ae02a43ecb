"""Helpers for the directory tests: NPPES rows by column name, the command, a snapshot of the tables."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management import call_command

from secondopinion.accounts.validators import npi_check_digit_ok
from secondopinion.directory.models import (
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    PractitionerSpecialty,
)
from secondopinion.directory.synth import header


def valid_npi(base9: str) -> str:
    return next(base9 + d for d in "0123456789" if npi_check_digit_ok(base9 + d))


def person(npi: str, last: str = "DOE", first: str = "JANE", **extra: str) -> dict[str, str]:
    row = {
        "NPI": npi,
        "Entity Type Code": "1",
        "Provider Last Name (Legal Name)": last,
        "Provider First Name": first,
        "Provider Credential Text": "MD",
        "Provider Gender Code": "F",
        "Provider First Line Business Practice Location Address": "1 MAIN ST",
        "Provider Business Practice Location Address City Name": "HARTFORD",
        "Provider Business Practice Location Address State Name": "CT",
        "Provider Business Practice Location Address Postal Code": "061051208",
        "Healthcare Provider Taxonomy Code_1": "207RX0202X",
        "Provider License Number_1": "12345",
        "Provider License Number State Code_1": "CT",
        "Healthcare Provider Primary Taxonomy Switch_1": "Y",
    }
    row.update(extra)
    return row


def write_nppes(path: Path, rows: list[dict[str, str] | list[str]], layout: str = "current") -> Path:
    """An NPPES file: dict rows are placed by column name, list rows are written as they are (malformed)."""
    cols = header(layout)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL)
        writer.writerow(cols)
        for row in rows:
            writer.writerow([row.get(c, "") for c in cols] if isinstance(row, dict) else row)
    return path


def run(*args: Any, **kwargs: Any) -> tuple[dict[str, int], str]:
    """`secondopinion directory ARGS`; returns (the JSON summary, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("directory", *[str(a) for a in args], stdout=out, stderr=err, **kwargs)
    return json.loads(out.getvalue().splitlines()[0]), err.getvalue()


def snapshot() -> dict[str, Any]:
    """Everything an import writes, without database ids: equal snapshots mean equal directories."""
    people = {
        p.npi: (
            p.family_name,
            p.given_name,
            p.credentials,
            p.sex,
            p.active,
            str(p.deactivated_on),
            p.nppes_hash,
        )
        for p in Practitioner.objects.all()
    }
    specialties = sorted(
        PractitionerSpecialty.objects.values_list(
            "practitioner__npi", "slot", "nucc_code", "primary", "license_number", "license_state"
        )
    )
    roles = sorted(
        PractitionerRole.objects.values_list("practitioner__npi", "location__address_key", "active")
    )
    # Only what NPPES gave: the NCI centers (`sync_centers`, after every migrate) have no NPI.
    centers = Organization.objects.filter(npi__isnull=True)
    locations = sorted(
        Location.objects.exclude(organization__in=centers).values_list(
            "address_key", "zip5", "latitude", "longitude"
        )
    )
    orgs = sorted(
        Organization.objects.filter(npi__isnull=False).values_list(
            "npi", "name", "active", "taxonomy_codes", "nppes_hash"
        )
    )
    return {
        "people": people,
        "specialties": specialties,
        "roles": roles,
        "locations": locations,
        "orgs": orgs,
    }
