"""Every write of a review, an abuse report or a moderation decision, each in one transaction with its
audit row. The audit log names reviews "directory.review", as it has since reviews were first written, so
one search finds them all."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondopinion.core.audit import AuditAction, Purpose
from secondopinion.core.audit import record as audit_record
from secondopinion.directory.models import Organization, Practitioner

from .models import ReportReason, Review, ReviewReport, ReviewStatus
from .queries import review_eligibility
from .rules import VISIBLE_STATUSES, ReviewRefused, check_scores, check_text

AUDIT_NAME = "directory.review"


@transaction.atomic
def create_review(
    user: Any,
    *,
    practitioner: Practitioner | None = None,
    organization: Organization | None = None,
    scores: dict[str, Any],
    text: str = "",
) -> Review:
    """The author's one review of this subject, justified by their newest eligible completed consult (the
    rules are checked here again, whatever the page showed). Raises ReviewRefused."""
    eligibility = review_eligibility(user, practitioner=practitioner, organization=organization)
    if eligibility.existing is not None:
        raise ReviewRefused("already_reviewed", _("You have already written your review here."))
    if eligibility.request is None:
        raise ReviewRefused("not_eligible", _("Only a patient whose consult here is finished can review."))
    checked, text = check_scores(scores), check_text(text)
    try:
        with transaction.atomic():  # two tabs sending at once: the database keeps one
            review = Review.objects.create(
                author=user,
                practitioner=practitioner,
                organization=organization,
                request=eligibility.request,
                text=text,
                **checked,
            )
    except IntegrityError:
        raise ReviewRefused("already_reviewed", _("You have already written a review here.")) from None
    subject = {"npi": practitioner.npi} if practitioner else {"organization": organization.pk}  # type: ignore[union-attr]
    audit_record(
        user,
        AuditAction.REVIEW_CREATE,
        review,
        Purpose.PATIENT_REQUEST,
        case_id=eligibility.request.case_id,
        detail={**subject, "request": str(eligibility.request.pk), **checked, "text_chars": len(text)},
        entity_type=AUDIT_NAME,
    )
    return review


@transaction.atomic
def report_review(user: Any, review: Review, reason: str, detail: str = "") -> ReviewReport:
    """One report per person and review; a published review goes to the moderation queue (it stays on the
    public pages until a moderator removes it). Raises ReviewRefused."""
    if not getattr(user, "is_authenticated", False):
        raise ReviewRefused("not_allowed", _("Please sign in to report a review."))
    if review.status not in VISIBLE_STATUSES:
        raise ReviewRefused("not_visible", _("This review has been removed."))
    if reason not in ReportReason.values:
        raise ReviewRefused("invalid_reason", _("Choose what is wrong with this review."))
    try:
        with transaction.atomic():
            report = ReviewReport.objects.create(
                review=review, reporter=user, reason=reason, detail=detail.strip()[:2000]
            )
    except IntegrityError:
        raise ReviewRefused("already_reported", _("You have already reported this review.")) from None
    Review.objects.filter(pk=review.pk, status=ReviewStatus.PUBLISHED).update(status=ReviewStatus.REPORTED)
    review.refresh_from_db(fields=["status"])
    audit_record(
        user,
        AuditAction.REVIEW_REPORT,
        review,
        Purpose.OPERATIONS,
        detail={"reason": reason},
        entity_type=AUDIT_NAME,
    )
    return report


@transaction.atomic
def moderate_review(admin: Any, review: Review, decision: str, note: str = "") -> Review:
    """An admin keeps a review (published again) or removes it (a note saying why is required); either way
    its open reports are resolved. Audited. Raises ReviewRefused."""
    if not getattr(admin, "is_admin", False):
        raise ReviewRefused("not_allowed", _("Only an administrator moderates reviews."))
    note = note.strip()
    if decision not in ("keep", "remove"):
        raise ReviewRefused("invalid_decision", _("Choose whether to keep or remove the review."))
    if decision == "remove" and not note:
        raise ReviewRefused("note_required", _("Say why the review is removed."))
    locked = Review.objects.select_for_update().get(pk=review.pk)
    before, now = locked.status, timezone.now()
    locked.status = ReviewStatus.PUBLISHED if decision == "keep" else ReviewStatus.REMOVED
    locked.moderated_at, locked.moderated_by, locked.moderation_note = now, admin, note
    locked.save(update_fields=["status", "moderated_at", "moderated_by", "moderation_note"])
    resolved = ReviewReport.objects.filter(review=locked, resolved_at__isnull=True).update(resolved_at=now)
    audit_record(
        admin,
        AuditAction.REVIEW_MODERATE,
        locked,
        Purpose.OPERATIONS,
        detail={"decision": decision, "from": before, "to": locked.status, "reports_resolved": resolved},
        entity_type=AUDIT_NAME,
    )
    return locked
