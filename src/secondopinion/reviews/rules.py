"""Patient reviews of practitioners and cancer centers: the pure rules (no database).

Who may review is decided in `queries.review_eligibility` (it reads the author's consults through the access
gateway); writes are in `actions.py`. Here: the four scores and their range, which statuses the public sees,
the averages, the caveat shown above every set of scores, and the refusals the actions raise.
See docs/directory-reviews.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ReportReason, Review, ReviewStatus

SCORE_MIN, SCORE_MAX = 1, 5
TEXT_MAX = 4000  # Review.text max_length
SCORE_FIELDS = ("overall", "communication", "explaining_options", "time_given")
SCORE_LABELS: dict[str, Any] = {
    "overall": _("Overall"),
    "communication": _("How well they listened and talked with you"),
    "explaining_options": _("How well they explained your options"),
    "time_given": _("The time they gave you"),
}
SCORE_SHORT: dict[str, Any] = {
    "overall": pgettext_lazy("review score", "Overall"),
    "communication": pgettext_lazy("review score", "Communication"),
    "explaining_options": pgettext_lazy("review score", "Explaining options"),
    "time_given": pgettext_lazy("review score", "Time given"),
}
SCORE_WORDS: dict[int, Any] = {
    1: pgettext_lazy("review score", "Very poor"),
    2: pgettext_lazy("review score", "Poor"),
    3: pgettext_lazy("review score", "OK"),
    4: pgettext_lazy("review score", "Good"),
    5: pgettext_lazy("review score", "Very good"),
}
REPORT_REASON_LABELS: dict[str, Any] = {
    ReportReason.ABUSIVE: _("It is abusive, hateful or threatening"),
    ReportReason.PRIVATE: _("It shares someone's private or health information"),
    ReportReason.FALSE: _("It is not about a real consult, or it is false"),
    ReportReason.ADVERTISING: _("It is advertising or spam"),
    ReportReason.OTHER: _("Something else"),
}
STATUS_LABELS: dict[str, Any] = {
    ReviewStatus.PUBLISHED: pgettext_lazy("review status", "Published"),
    ReviewStatus.REPORTED: pgettext_lazy("review status", "Reported, waiting for a moderator"),
    ReviewStatus.REMOVED: pgettext_lazy("review status", "Removed by a moderator"),
}

# A reported review stays on the public pages until a moderator removes it (a report alone hides nothing:
# otherwise anyone could hide any review by reporting it).
VISIBLE_STATUSES = (str(ReviewStatus.PUBLISHED), str(ReviewStatus.REPORTED))

CAVEAT = _(
    "These reviews are the opinions of patients who had a consult through secondopinion. They are not "
    "ratings by doctors or other health-care professionals, and they don't tell you how good someone's "
    "medical care is."
)


class ReviewRefused(Exception):
    """A review, report or moderation the rules refuse: `message` for the person, `code` stable."""

    def __init__(self, code: str, message: Any) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


def score_ok(value: Any) -> bool:
    """A whole number from 1 to 5 (booleans are not scores)."""
    return isinstance(value, int) and not isinstance(value, bool) and SCORE_MIN <= value <= SCORE_MAX


def check_scores(scores: Mapping[str, Any]) -> dict[str, int]:
    """The four scores, each 1-5; raises ReviewRefused naming the first missing or wrong one."""
    for name in SCORE_FIELDS:
        if not score_ok(scores.get(name)):
            raise ReviewRefused(
                "invalid_score",
                _("Choose a score from 1 to 5 for “%(score)s”.") % {"score": SCORE_LABELS[name]},
            )
    return {name: int(scores[name]) for name in SCORE_FIELDS}


def check_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) > TEXT_MAX:
        raise ReviewRefused("text_too_long", _("Please keep your review under 4,000 characters."))
    return text


@dataclass(frozen=True)
class Average:
    field: str
    label: Any
    value: float | None  # rounded to one decimal; None when there are no reviews
    count: int


def averages(aggregate: Mapping[str, Any], count: int) -> list[Average]:
    """One Average per score from a database aggregate ({"overall": 4.25, …}) over `count` reviews."""
    out = []
    for name in SCORE_FIELDS:
        raw = aggregate.get(name)
        value = round(float(raw), 1) if count and raw is not None else None
        out.append(Average(name, SCORE_SHORT[name], value, count))
    return out


# --- Cards: a fetched review as the public, or a moderator, sees it ---------------------------------------


def subject_of(review: Review) -> dict[str, Any]:
    if review.practitioner_id:
        p = review.practitioner
        assert p is not None
        return {
            "name": p.display_name,
            "url": reverse("directory:practitioner", args=[p.npi]),
            "kind": "doctor",
        }
    org = review.organization
    assert org is not None
    return {"name": org.name, "url": reverse("directory:center", args=[org.pk]), "kind": "center"}


def card(review: Review) -> dict[str, Any]:
    """What anyone may see of a review: never its author or its consult."""
    return {
        "id": review.pk,
        "scores": [{"label": SCORE_SHORT[f], "value": getattr(review, f)} for f in SCORE_FIELDS],
        "overall": review.overall,
        "text": review.text,
        "created_at": review.created_at,
        "status": review.status,
        "status_label": STATUS_LABELS.get(review.status, review.status),
        "subject": subject_of(review),
    }


def moderation_card(review: Review) -> dict[str, Any]:
    """A review as a moderator sees it: the public card, its reports and past decisions; never its author,
    nor its reporters."""
    return {
        **card(review),
        "reports": [
            {
                "reason": REPORT_REASON_LABELS.get(r.reason, r.reason),
                "detail": r.detail,
                "created_at": r.created_at,
                "resolved_at": r.resolved_at,
            }
            for r in review.reports.all()
        ],
        "moderated_at": review.moderated_at,
        "moderation_note": review.moderation_note,
    }
