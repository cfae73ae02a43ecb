"""Reads of the directory. Directory rows are public register data, not health data, so no access gateway;
the search rules are in `search.py`. Patient reviews are the exception: who wrote a review, and after which
consult, is health data, read only here (the author's consults through the access gateway)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Min, Prefetch, QuerySet
from django.urls import reverse

from secondopinion.consults.models import ConsultRequest
from secondopinion.consults.transitions import Status
from secondopinion.core.access import Perm, accessible, may_see_health_data
from secondopinion.core.reference import cancer_type_name, normalize_term

from .models import (
    CancerFocus,
    Organization,
    Practitioner,
    PractitionerRole,
    PractitionerSpecialty,
    Review,
    ReviewReport,
    ReviewStatus,
)
from .reviews import CAVEAT, SCORE_FIELDS, VISIBLE_STATUSES, averages, card, moderation_card


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


# --- Pages: search results, profiles, centers (issue 5, items 4, 5 and 7) --------------------------------


def everyday_specialty_names(language: str = "en") -> list[str]:
    """The names the search's specialty box suggests, in the page's language."""
    from .taxonomy import spanish_specialty_rows, specialty_names

    if language.startswith("es"):
        return sorted({name for name, _ in spanish_specialty_rows()})
    return sorted(specialty_names())


def _on_service_targets(npis: list[str]) -> dict[str, str]:
    """NPI -> the request-form target ("consultant:<account id>") of practitioners who take requests here:
    their verified account is linked (by NPI) and does not refuse requests."""
    from secondopinion.consults.queries import verified_consultants

    accounts = accounts_for_npis(npis)
    open_ids = set(
        verified_consultants().filter(pk__in=[u.pk for u in accounts.values()]).values_list("pk", flat=True)
    )
    return {npi: f"consultant:{user.pk}" for npi, user in accounts.items() if user.pk in open_ids}


def result_cards(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Search results with what the results page shows besides them: specialty names, video visits, and
    whether the practitioner takes requests through this service."""
    from . import taxonomy

    npis = [row["npi"] for row in rows]
    flags = {
        npi: (video, accepts)
        for npi, video, accepts in Practitioner.objects.filter(npi__in=npis).values_list(
            "npi", "offers_video", "accepts_second_opinions"
        )
    }
    targets = _on_service_targets(npis)
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
            "on_service": row["npi"] in targets,
        }
        for row in rows
    ]


def practitioner_profile(npi: str) -> dict[str, Any] | None:
    """Everything a practitioner's public page shows, or None for an unknown NPI."""
    from secondopinion.consults.models import ConsultantProfile

    from . import taxonomy
    from .forms import LANGUAGE_CHOICES

    practitioner = practitioner_by_npi(npi) if npi.isdigit() and len(npi) == 10 else None
    if practitioner is None:
        return None
    language_names = dict(LANGUAGE_CHOICES)
    target = _on_service_targets([npi]).get(npi)
    terms = None
    if target is not None:
        terms = ConsultantProfile.objects.filter(user_id=target.split(":", 1)[1]).first()
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
        "target": target,
        "terms": terms,
    }


def own_cases(user: Any) -> list[Any]:
    """The cases this person owns (the ones they may ask an opinion for), newest first."""
    from secondopinion.cases.queries import cases_for

    return [case for case in cases_for(user) if case.owner_id == user.pk]


def center_profile(org_id: int) -> dict[str, Any] | None:
    from .models import Organization

    organization = Organization.objects.filter(pk=org_id, active=True).select_related("location").first()
    if organization is None:
        return None
    return {
        "organization": organization,
        "location": organization.location,
        "programs": list(organization.programs.filter(active=True).order_by("name")),
    }


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


# --- Patient reviews (issue 5, item 6). The author -> consult link is health data: it is read only here, and
# the author's own consults only through the access gateway. Public cards never carry the author. -----------


@dataclass(frozen=True)
class Eligibility:
    """May this person review this subject? `request`: their newest completed consult that allows it;
    `existing`: the review they already wrote of it (once per author and subject)."""

    request: ConsultRequest | None
    existing: Review | None

    @property
    def may_review(self) -> bool:
        return self.request is not None and self.existing is None


def _completed_own_requests(user: Any) -> QuerySet[ConsultRequest]:
    """The completed requests on cases this person owns (the gateway's owner rule: Perm.MANAGE opens no
    companion, referrer or consultant), newest first."""
    if not may_see_health_data(user):
        return ConsultRequest.objects.none()
    return (
        accessible(user, ConsultRequest, Perm.MANAGE)
        .filter(case__owner=user, status=Status.COMPLETED)
        .select_related("consultant__clinician_profile")
        .order_by("-completed_at", "-created_at")
    )


def _practitioner_request(user: Any, practitioner: Practitioner) -> ConsultRequest | None:
    linked = accounts_for_npis([practitioner.npi]).get(practitioner.npi)
    if linked is None:
        return None
    return _completed_own_requests(user).filter(consultant=linked).first()


def _center_request(user: Any, organization: Organization) -> ConsultRequest | None:
    own = list(_completed_own_requests(user))
    if not own:
        return None
    program_ids = set(organization.programs.values_list("pk", flat=True))
    npi_of: dict[int | None, str] = {
        cr.consultant_id: cr.consultant.clinician_profile.npi  # type: ignore[union-attr]
        for cr in own
        if cr.consultant_id and hasattr(cr.consultant, "clinician_profile")
    }
    linked = {npi: account.pk for npi, account in accounts_for_npis(sorted(set(npi_of.values()))).items()}
    at_center = set(
        PractitionerRole.objects.filter(
            organization=organization, active=True, practitioner__npi__in=list(linked)
        ).values_list("practitioner__npi", flat=True)
    )
    for cr in own:
        npi = npi_of.get(cr.consultant_id, "")
        if cr.program_id in program_ids or (npi in at_center and linked.get(npi) == cr.consultant_id):
            return cr
    return None


def review_eligibility(
    user: Any, *, practitioner: Practitioner | None = None, organization: Organization | None = None
) -> Eligibility:
    """The rules of docs/directory-reviews.md: the case owner of a completed consult with this practitioner
    (its consultant is the account linked to them) or with this center (one of its programs, or a consultant
    linked to a practitioner with an active role there)."""
    if (practitioner is None) == (organization is None):
        raise ValueError("one subject: a practitioner or an organization")
    if not may_see_health_data(user):
        return Eligibility(None, None)
    subject = {"practitioner": practitioner} if practitioner else {"organization": organization}
    existing = Review.objects.filter(author=user, **subject).first()
    if practitioner is not None:
        return Eligibility(_practitioner_request(user, practitioner), existing)
    assert organization is not None
    return Eligibility(_center_request(user, organization), existing)


def reviewable_practitioner(npi: str) -> Practitioner | None:
    return Practitioner.objects.filter(npi=npi).first() if npi.isdigit() and len(npi) == 10 else None


def reviewable_center(org_id: int) -> Organization | None:
    return Organization.objects.filter(pk=org_id, active=True).first()


PANEL_SIZE = 20  # the newest reviews shown on a profile; the averages count them all


def review_panel(
    viewer: Any, *, practitioner: Practitioner | None = None, organization: Organization | None = None
) -> dict[str, Any]:
    """The context of directory/partials/reviews.html for one practitioner or center."""
    subject = {"practitioner": practitioner} if practitioner else {"organization": organization}
    visible = Review.objects.filter(status__in=VISIBLE_STATUSES, **subject)
    stats = visible.aggregate(count=Count("pk"), **{f: Avg(f) for f in SCORE_FIELDS})
    rows = list(visible.select_related("practitioner", "organization").order_by("-created_at")[:PANEL_SIZE])
    signed_in = bool(viewer and viewer.is_authenticated)
    eligibility = review_eligibility(viewer, **subject) if signed_in else Eligibility(None, None)
    reported = (
        set(
            ReviewReport.objects.filter(reporter=viewer, review__in=[r.pk for r in rows]).values_list(
                "review_id", flat=True
            )
        )
        if signed_in and rows
        else set()
    )
    if practitioner is not None:
        write_url = reverse("directory:review_practitioner", args=[practitioner.npi])
    else:
        assert organization is not None
        write_url = reverse("directory:review_center", args=[organization.pk])
    return {
        "caveat": CAVEAT,
        "count": stats["count"],
        "averages": averages(stats, stats["count"]),
        "reviews": [{**card(r), "reported_by_you": r.pk in reported} for r in rows],
        "more": max(stats["count"] - len(rows), 0),
        "signed_in": signed_in,
        "may_review": eligibility.may_review,
        "already_reviewed": eligibility.existing is not None,
        "write_url": write_url,
        "is_center": organization is not None,
    }


def reportable_review(review_id: Any) -> Review | None:
    """A review the public sees (published, or reported and waiting for a moderator)."""
    return (
        Review.objects.filter(pk=review_id, status__in=VISIBLE_STATUSES)
        .select_related("practitioner", "organization")
        .first()
    )


def own_report(user: Any, review: Review) -> ReviewReport | None:
    return ReviewReport.objects.filter(review=review, reporter=user).first()


def moderation_queue() -> list[dict[str, Any]]:
    """Reported reviews waiting for a moderator, the longest-waiting first."""
    rows = (
        Review.objects.filter(status=ReviewStatus.REPORTED)
        .select_related("practitioner", "organization")
        .prefetch_related(Prefetch("reports", queryset=ReviewReport.objects.order_by("created_at")))
        .annotate(first_report=Min("reports__created_at"))
        .order_by("first_report", "created_at")
    )
    return [moderation_card(r) for r in rows]


def review_for_moderation(review_id: Any) -> tuple[Review, dict[str, Any]] | None:
    review = (
        Review.objects.filter(pk=review_id)
        .select_related("practitioner", "organization")
        .prefetch_related(Prefetch("reports", queryset=ReviewReport.objects.order_by("created_at")))
        .first()
    )
    return None if review is None else (review, moderation_card(review))
