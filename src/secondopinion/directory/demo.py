"""Demo data for the directory: a generated register of practitioners (NPPES layout, with profiles), and
the demo consultant's own entry, linked to their account by NPI, at an invented center running the demo
second-opinion program. Idempotent: the generated file is loaded once."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.db import transaction

from secondopinion.consults.models import Program

from .models import (
    CancerFocus,
    FocusSource,
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    PractitionerSpecialty,
)
from .nppes import name_key

DEMO_COUNT = 5000
DEMO_SEED = 2026
CHEN_NPI = "1234567893"  # the demo consultant's NPI (cases/demo.py)
DEMO_CENTER = "Demo Comprehensive Cancer Center"


def load_demo_directory(program_name: str) -> None:
    if not Practitioner.objects.exclude(npi=CHEN_NPI).exists():
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "demo-nppes.csv"
            quiet = io.StringIO()
            call_command(
                "directory", "synth", "--count", DEMO_COUNT, "--out", out, "--seed", DEMO_SEED, stdout=quiet
            )
            profiles = Path(f"{out}.profiles.csv")
            call_command("directory", "import-nppes", out, "--profiles", profiles, stdout=quiet, stderr=quiet)
    _demo_consultant(program_name)


@transaction.atomic
def _demo_consultant(program_name: str) -> None:
    location, _ = Location.objects.get_or_create(
        address_key="demo-center-boston",
        defaults={
            "line1": "1 Demo Way",
            "city": "Boston",
            "state": "MA",
            "zip5": "02215",
            "postal_code": "02215",
            "phone": "617-555-0100",
            "latitude": 42.3471,
            "longitude": -71.1027,
        },
    )
    center, _ = Organization.objects.get_or_create(
        name=DEMO_CENTER, npi=None, defaults={"name_key": name_key(DEMO_CENTER), "location": location}
    )
    program = Program.objects.filter(name=program_name).first()
    if program is not None:
        center.programs.add(program)
    chen, created = Practitioner.objects.get_or_create(
        npi=CHEN_NPI,
        defaults={
            "family_name": "Chen",
            "given_name": "Wei",
            "credentials": "MD",
            "family_name_key": "chen",
            "given_name_key": "wei",
            "accepts_second_opinions": True,
            "offers_video": True,
            "languages": ["en", "zh"],
            "states_licensed": ["MA"],
        },
    )
    if created:
        PractitionerSpecialty.objects.create(practitioner=chen, nucc_code="207RX0202X", primary=True, slot=1)
        PractitionerRole.objects.create(practitioner=chen, organization=center, location=location)
        CancerFocus.objects.create(
            practitioner=chen, cancer_type="Breast cancer (female)", source=FocusSource.PROFILE
        )
