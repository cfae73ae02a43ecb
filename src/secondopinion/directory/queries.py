"""Reads of the directory. Directory rows are public register data, not health data, so no access gateway;
search comes later (issue 5, item 4)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Practitioner, PractitionerRole, PractitionerSpecialty


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


def active_practitioners() -> QuerySet[Practitioner]:
    return Practitioner.objects.filter(active=True)
