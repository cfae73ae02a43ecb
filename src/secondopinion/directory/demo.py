"""Demo data for the directory: a generated register of practitioners (NPPES layout, with profiles), and
the demo consultant's own entry, linked to their account by NPI, at an invented center (the demo app has
the demo second-opinion program run there). Idempotent: the generated file is loaded once."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.db import transaction

from secondopinion.accounts.validators import npi_check_digit_ok

from .models import (
    CancerFocus,
    FocusSource,
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    PractitionerSpecialty,
)
from .nppes.columns import name_key

DEMO_COUNT = 5000
DEMO_SEED = 2026
CHEN_NPI = "1234567893"  # the demo consultant's NPI (cases/demo.py)
DEMO_CENTER = "Demo Comprehensive Cancer Center"
# The README's example search ("medical oncologist" near 59301, Miles City MT, within 200 miles) finds these
# invented practitioners whatever the generated register holds (its draw has no medical oncologist there).
RURAL_PLACES = {  # ZIP: city, state, latitude, longitude (the ZIP's centroid)
    "59101": ("BILLINGS", "MT", 45.7745, -108.5005),  # 135 miles from Miles City
    "59301": ("MILES CITY", "MT", 46.4075, -105.8332),
}
RURAL_ONCOLOGISTS = (
    # NPI base (9 digits), family, given, credentials, ZIP, NUCC codes (primary first), languages, video
    ("199990011", "Nelson", "Sarah", "MD", "59101", ("207RX0202X",), ["en"], True),
    ("199990022", "Hill", "Thomas", "DO", "59101", ("207RH0003X", "207RX0202X"), ["en"], False),
    ("199990033", "Flores", "Maria", "MD", "59301", ("207RX0202X",), ["en", "es"], True),
)


def load_demo_directory() -> Organization:
    """The generated register (once), Dr. Chen's entry and the rural oncologists; returns the demo center."""
    if not Practitioner.objects.exclude(npi=CHEN_NPI).exists():
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "demo-nppes.csv"
            quiet = io.StringIO()
            call_command(
                "directory", "synth", "--count", DEMO_COUNT, "--out", out, "--seed", DEMO_SEED, stdout=quiet
            )
            profiles = Path(f"{out}.profiles.csv")
            call_command("directory", "import-nppes", out, "--profiles", profiles, stdout=quiet, stderr=quiet)
    center = _demo_consultant()
    _rural_oncologists()
    return center


@transaction.atomic
def _demo_consultant() -> Organization:
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
    return center


def _npi(base: str) -> str:
    return next(base + d for d in "0123456789" if npi_check_digit_ok(base + d))


@transaction.atomic
def _rural_oncologists() -> None:
    for base, family, given, credentials, zip5, codes, languages, video in RURAL_ONCOLOGISTS:
        city, state, latitude, longitude = RURAL_PLACES[zip5]
        person, created = Practitioner.objects.get_or_create(
            npi=_npi(base),
            defaults={
                "family_name": family,
                "given_name": given,
                "credentials": credentials,
                "family_name_key": name_key(family),
                "given_name_key": name_key(given),
                "accepts_second_opinions": True,
                "offers_video": video,
                "languages": languages,
                "states_licensed": [state],
            },
        )
        if not created:
            continue
        location, _ = Location.objects.get_or_create(
            address_key=f"demo-rural-{base}",
            defaults={
                "line1": "100 Demo Clinic Rd",
                "city": city,
                "state": state,
                "zip5": zip5,
                "postal_code": zip5,
                "latitude": latitude,
                "longitude": longitude,
            },
        )
        for slot, code in enumerate(codes, start=1):
            PractitionerSpecialty.objects.create(
                practitioner=person, nucc_code=code, primary=slot == 1, slot=slot
            )
        PractitionerRole.objects.create(practitioner=person, location=location)
        for cancer in ("BRCA", "LUNG", "COADREAD"):
            CancerFocus.objects.create(practitioner=person, cancer_type=cancer, source=FocusSource.PROFILE)
