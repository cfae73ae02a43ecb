"""Reads of the directory. Directory rows are public register data, not health data, so no access gateway;
the search rules are in `search/`. What other apps know about a practitioner or a center (reviews, requests
through this service) they add to the pages themselves, through core.contributions."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from secondopinion.core import contributions
from secondopinion.core.reference import cancer_type_name, normalize_term

from .models import CancerFocus, Practitioner, PractitionerRole, PractitionerSpecialty


def practitioner_by_npi(npi: str) -> Practitioner | None:
    return (
        Practitioner.objects.filter(npi=npi)
        .prefetch_related(
            Prefetch("specialties", queryset=PractitionerSpecialty.objects.order_by("slot")),
            Prefetch("roles", queryset=PractitionerRole.objects.select_related("location", "organization")),
            "cancer_focus",
        )
        .first()
    )


# --- Pages: search results, profiles, centers -----------------------------------------------------------


def everyday_specialty_names(language: str = "en") -> list[str]:
    """The names the search's specialty box suggests, in the page's language."""
    from .taxonomy import spanish_specialty_rows, specialty_names

    if language.startswith("es"):
        return sorted({name for name, _ in spanish_specialty_rows()})
    return sorted(specialty_names())


def result_cards(viewer: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Search results with what the results page shows besides them: specialty names, video visits, and the
    marks other apps add (core.contributions: e.g. "takes requests through this service")."""
    from . import taxonomy

    npis = [row["npi"] for row in rows]
    flags = {
        npi: (video, accepts)
        for npi, video, accepts in Practitioner.objects.filter(npi__in=npis).values_list(
            "npi", "offers_video", "accepts_second_opinions"
        )
    }
    row_marks = contributions.marks("directory.results", viewer, npis)
    return [
        {
            **row,
            "primary_display": (
                taxonomy.display_name(row["primary_specialty"]) if row["primary_specialty"] else ""
            ),
            "other_displays": [
                taxonomy.display_name(c) for c in row["specialties"] if c != row["primary_specialty"]
            ],
            "offers_video": flags.get(row["npi"], (False, False))[0],
            "marks": row_marks.get(row["npi"], []),
        }
        for row in rows
    ]


def practitioner_profile(npi: str) -> dict[str, Any] | None:
    """Everything a practitioner's public page shows, or None for an unknown NPI."""
    from . import taxonomy
    from .forms import LANGUAGE_CHOICES

    practitioner = practitioner_by_npi(npi) if npi.isdigit() and len(npi) == 10 else None
    if practitioner is None:
        return None
    language_names = dict(LANGUAGE_CHOICES)
    return {
        "practitioner": practitioner,
        "specialties": [
            {"code": s.nucc_code, "display": taxonomy.display_name(s.nucc_code), "primary": s.primary}
            for s in practitioner.specialties.all()
        ],
        "places": [
            {"location": r.location, "organization": r.organization}
            for r in practitioner.roles.all()
            if r.active
        ],
        "languages": [str(language_names.get(code, code)) for code in practitioner.languages],
        "cancer_focus": sorted(
            {cancer_type_name(f.cancer_type) for f in practitioner.cancer_focus.all()}, key=normalize_term
        ),
    }


def center_profile(org_id: int) -> dict[str, Any] | None:
    from .models import Organization

    organization = Organization.objects.filter(pk=org_id, active=True).select_related("location").first()
    if organization is None:
        return None
    return {"organization": organization, "location": organization.location}


def profile_initial(practitioner: Practitioner) -> dict[str, Any]:
    return {
        "accepts_second_opinions": practitioner.accepts_second_opinions,
        "offers_video": practitioner.offers_video,
        "languages": list(practitioner.languages),
        "cancer_focus": sorted(
            CancerFocus.objects.filter(practitioner=practitioner).values_list("cancer_type", flat=True)
        ),
    }


# --- The link between a clinician account and its directory entry: the verified NPI -------------------


def accounts_for_npis(npis: list[str]) -> dict[str, Any]:
    """NPI -> the verified consultant account (consultant, pathologist, board member) that gave that NPI;
    none for pending or rejected ones. Should two share an NPI, the earliest account is the link."""
    from secondopinion.accounts.models import CONSULTANT_ROLES, ClinicianProfile

    profiles = (
        ClinicianProfile.objects.filter(
            npi__in=npis,
            status=ClinicianProfile.Status.APPROVED,
            user__is_active=True,
            user__role__in=[str(r) for r in CONSULTANT_ROLES],
        )
        .select_related("user")
        .order_by("-pk")  # the earliest is assigned last, so it wins
    )
    return {p.npi: p.user for p in profiles}


def practitioner_for_account(user: Any) -> Practitioner | None:
    """The directory entry linked to this account (the same link as `accounts_for_npis`), or None."""
    profile = getattr(user, "clinician_profile", None)
    if profile is None or accounts_for_npis([profile.npi]).get(profile.npi) != user:
        return None
    return practitioner_by_npi(profile.npi)
