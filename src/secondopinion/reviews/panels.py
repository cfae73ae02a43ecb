"""What reviews adds to other apps' pages (core.contributions): what patients said, below a practitioner's or
a center's facts in the directory, and the link to review the doctor on the case page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from secondopinion.core import contributions
from secondopinion.core.contributions import Panel

from .queries import review_panel, reviewable_practitioner


def practitioner_reviews(viewer: Any, practitioner: Any) -> Panel:
    return Panel("reviews/partials/reviews_section.html", review_panel(viewer, practitioner=practitioner))


def center_reviews(viewer: Any, organization: Any) -> Panel:
    return Panel("reviews/partials/reviews_section.html", review_panel(viewer, organization=organization))


def review_link(viewer: Any, page: Any, so_far: dict[str, Any]) -> dict[str, Any]:
    """On the case page, after a decision: "write a review of" the doctor who signed the latest opinion,
    when they are in the register."""
    author = so_far.get("latest_opinion_author")
    profile = getattr(author, "clinician_profile", None) if author else None
    if author is None or profile is None or reviewable_practitioner(profile.npi) is None:
        return {"review_url": "", "reviewed_name": ""}
    return {
        "review_url": reverse("reviews:review_practitioner", args=[profile.npi]),
        "reviewed_name": author.full_name,
    }


def register() -> None:
    contributions.register_panel("directory.practitioner", practitioner_reviews)
    contributions.register_panel("directory.center", center_reviews)
    contributions.register_context("cases.case", review_link, order=20)
