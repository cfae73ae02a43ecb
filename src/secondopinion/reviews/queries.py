"""Reads of patient reviews. Who wrote a review, and after which consult, is health data: it is read only
here, and the author's own consults only through the access gateway. Public cards never carry the author."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Min, Prefetch, QuerySet
from django.urls import reverse

from secondopinion.consults.models import ConsultRequest
from secondopinion.consults.transitions import Status
from secondopinion.core.access import Perm, accessible, may_see_health_data
from secondopinion.directory.models import Organization, Practitioner, PractitionerRole
from secondopinion.directory.queries import accounts_for_npis

from .models import Review, ReviewReport, ReviewStatus
from .rules import CAVEAT, SCORE_FIELDS, VISIBLE_STATUSES, averages, card, moderation_card


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
        write_url = reverse("reviews:review_practitioner", args=[practitioner.npi])
    else:
        assert organization is not None
        write_url = reverse("reviews:review_center", args=[organization.pk])
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
