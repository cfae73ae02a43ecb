"""Directory rows made directly (no NPPES file): practitioners with a specialty, a place and profile data."""

from __future__ import annotations

import hashlib

from secondopinion.accounts.models import User
from secondopinion.core.geo import zip_centroid
from secondopinion.directory.models import (
    CancerFocus,
    FocusSource,
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    PractitionerSpecialty,
)
from secondopinion.directory.nppes.columns import name_key
from tests.directory.helpers import valid_npi


def make_place(city: str, state: str, zip5: str, phone: str = "") -> Location:
    lat, lon = zip_centroid(zip5) or (None, None)
    key = hashlib.sha256(f"{city}|{state}|{zip5}|{phone}".encode()).hexdigest()[:32]
    location, _ = Location.objects.get_or_create(
        address_key=key,
        defaults={
            "line1": "1 Main St",
            "city": city,
            "state": state,
            "zip5": zip5,
            "phone": phone,
            "latitude": lat,
            "longitude": lon,
        },
    )
    return location


def make_practitioner(
    base9: str,
    family: str,
    given: str,
    *,
    codes: tuple[str, ...] = ("207RX0202X",),
    place: tuple[str, str, str] = ("Billings", "MT", "59101"),
    phone: str = "406-555-0100",
    video: bool = False,
    languages: tuple[str, ...] = ("en",),
    focus: tuple[str, ...] = (),
    organization: Organization | None = None,
) -> Practitioner:
    """A practitioner whose first code is primary, with one active role at `place`."""
    practitioner = Practitioner.objects.create(
        npi=valid_npi(base9),
        family_name=family,
        given_name=given,
        credentials="MD",
        family_name_key=name_key(family),
        given_name_key=name_key(given),
        offers_video=video,
        languages=list(languages),
        accepts_second_opinions=True,
    )
    for slot, code in enumerate(codes, start=1):
        PractitionerSpecialty.objects.create(
            practitioner=practitioner, nucc_code=code, primary=slot == 1, slot=slot
        )
    PractitionerRole.objects.create(
        practitioner=practitioner, location=make_place(*place, phone=phone), organization=organization
    )
    for cancer_type in focus:
        CancerFocus.objects.create(
            practitioner=practitioner, cancer_type=cancer_type, source=FocusSource.ADMIN
        )
    return practitioner


def link_account(user: User, practitioner: Practitioner) -> User:
    """Give a clinician account the practitioner's NPI (the link the directory follows)."""
    profile = user.clinician_profile
    profile.npi = practitioner.npi
    profile.save(update_fields=["npi"])
    return user
