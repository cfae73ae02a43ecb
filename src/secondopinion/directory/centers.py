"""The cancer-center finder: NCI-designated centers nearest to a point, from the triage app's reference table.

The table (`core/reference/data/nci_cancer_centers.csv`, with its `.SOURCE.md`) is the one source.
`actions.sync_centers()` mirrors it into `Organization` rows (with a `Location` each) after every `migrate`,
so centers can carry reviews and second-opinion programs; the finder ranks the table in memory (~70 rows).
"""

from __future__ import annotations

from dataclasses import dataclass

from secondopinion.core.geo import great_circle_miles
from secondopinion.core.reference import CancerCenter, cancer_centers

from .models import CenterDesignation, Organization

# The table's designation column -> our Organization.center_designation.
DESIGNATION_CODES = {
    "Comprehensive": CenterDesignation.NCI_COMPREHENSIVE,
    "Clinical": CenterDesignation.NCI_CLINICAL,
    "Basic Laboratory": CenterDesignation.NCI_BASIC,
}
NCI_DESIGNATIONS = tuple(str(code) for code in DESIGNATION_CODES.values())


@dataclass(frozen=True)
class NearbyCenter:
    name: str
    designation: str  # a CenterDesignation value
    parent_institution: str
    city: str
    state: str
    zip: str
    distance_miles: float
    organization_id: int | None

    @property
    def designation_label(self) -> str:
        return str(CenterDesignation(self.designation).label)


def designation_of(center: CancerCenter) -> str:
    return str(DESIGNATION_CODES[center.designation])


def center_types(text: str) -> tuple[str, ...]:
    """The NCI designations a center-type word names (the search's words: "comprehensive", "nci-clinical",
    "nci"…); every NCI designation for ''. Raises ValueError for anything else, "community" included."""
    from .search import CENTER_TYPES

    wanted = text.strip().lower()
    found = tuple(str(d) for d in CENTER_TYPES.get(wanted, ())) if wanted else NCI_DESIGNATIONS
    if not found or not set(found) <= set(NCI_DESIGNATIONS):
        raise ValueError(wanted)
    return found


def nearest_centers(
    lat: float,
    lon: float,
    designations: tuple[str, ...] = NCI_DESIGNATIONS,
    limit: int = 10,
) -> list[NearbyCenter]:
    """The `limit` NCI-designated centers of the given designations nearest to (lat, lon), nearest first,
    each with its Organization id (None before `sync_centers` has run)."""
    ranked = sorted(
        (great_circle_miles(lat, lon, c.latitude, c.longitude), c.name, c)
        for c in cancer_centers()
        if designation_of(c) in designations
    )[: max(limit, 0)]
    ids = dict(
        Organization.objects.filter(
            center_designation__in=NCI_DESIGNATIONS, npi__isnull=True, name__in=[c.name for _, _, c in ranked]
        ).values_list("name", "pk")
    )
    return [
        NearbyCenter(
            name=c.name,
            designation=designation_of(c),
            parent_institution=c.parent_institution,
            city=c.city,
            state=c.state,
            zip=c.zip,
            distance_miles=round(miles, 1),
            organization_id=ids.get(c.name),
        )
        for miles, _, c in ranked
    ]
