"""Every write to the directory through the ORM, each in one transaction (directory rows are public register
data: no access gateway). The NPPES import is the one exception: `bulk.py` writes its batches with set-wise
SQL, because the ORM managed a tenth of the speed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondopinion.core.audit import AuditAction, Purpose
from secondopinion.core.audit import record as audit_record
from secondopinion.core.reference import CancerCenter, cancer_centers

from .centers import NCI_DESIGNATIONS, designation_of
from .models import (
    CancerFocus,
    FocusSource,
    ImportRun,
    Location,
    Organization,
    Practitioner,
    ReportReason,
    Review,
    ReviewReport,
    ReviewStatus,
)
from .nppes.columns import name_key
from .reviews import VISIBLE_STATUSES, ReviewRefused, check_scores, check_text


def start_import(path: str, size: int, mtime: float, header_hash: str, resume: bool) -> ImportRun:
    """The checkpoint row for this file: with `resume`, the unfinished run of this file, else a new one."""
    if resume:
        run = (
            ImportRun.objects.filter(
                path=path, size=size, mtime=mtime, header_hash=header_hash, complete=False
            )
            .order_by("-id")
            .first()
        )
        if run is not None:
            return run
    return ImportRun.objects.create(path=path, size=size, mtime=mtime, header_hash=header_hash, counts={})


def finish_import(run: ImportRun) -> None:
    run.complete = True
    run.save(update_fields=["complete", "updated_at"])


@dataclass(frozen=True, slots=True)
class Profile:
    npi: str
    languages: list[str]
    offers_video: bool
    accepts_second_opinions: bool
    cancer_focus: list[str]


@transaction.atomic
def apply_profiles(profiles: Iterable[Profile], source: str = FocusSource.GENERATOR) -> dict[str, int]:
    """Set profile fields and replace the cancer focus from `source`; NPIs we do not hold are counted."""
    batch = list(profiles)
    ids = dict(Practitioner.objects.filter(npi__in=[p.npi for p in batch]).values_list("npi", "id"))
    found = [p for p in batch if p.npi in ids]
    objs = [
        Practitioner(
            id=ids[p.npi],
            languages=p.languages,
            offers_video=p.offers_video,
            accepts_second_opinions=p.accepts_second_opinions,
        )
        for p in found
    ]
    Practitioner.objects.bulk_update(objs, ["languages", "offers_video", "accepts_second_opinions"])
    CancerFocus.objects.filter(practitioner_id__in=[ids[p.npi] for p in found], source=source).delete()
    CancerFocus.objects.bulk_create(
        [
            CancerFocus(practitioner_id=ids[p.npi], cancer_type=c, source=source)
            for p in found
            for c in p.cancer_focus
        ],
        ignore_conflicts=True,
    )
    return {"applied": len(found), "unknown_npi": len(batch) - len(found)}


# --- NCI-designated cancer centers (issue 5, item 5) ---------------------------------------------------


def _center_address_key(center: CancerCenter) -> str:
    return hashlib.sha256(f"nci-center|{center.name}".encode()).hexdigest()[:32]


@transaction.atomic
def sync_centers() -> int:
    """Create or update one Organization (no NPI) and Location per table row; returns how many changed.
    Idempotent: a second run changes nothing."""
    changed = 0
    existing = {
        o.name: o
        for o in Organization.objects.filter(
            center_designation__in=NCI_DESIGNATIONS, npi__isnull=True
        ).select_related("location")
    }
    for center in cancer_centers():
        location, _ = Location.objects.get_or_create(address_key=_center_address_key(center))
        place = {
            "city": center.city,
            "state": center.state,
            "zip5": center.zip,
            "postal_code": center.zip,
            "latitude": center.latitude,
            "longitude": center.longitude,
        }
        if any(getattr(location, k) != v for k, v in place.items()):
            Location.objects.filter(pk=location.pk).update(**place)
        org = existing.get(center.name)
        wanted = {"center_designation": designation_of(center), "location_id": location.pk, "active": True}
        if org is None:
            Organization.objects.create(name=center.name, name_key=name_key(center.name)[:300], **wanted)
            changed += 1
        elif any(getattr(org, k) != v for k, v in wanted.items()):
            Organization.objects.filter(pk=org.pk).update(**wanted)
            changed += 1
    return changed


# --- A verified consultant's own profile (issue 5, item 1) ----------------------------------------------


@transaction.atomic
def update_practitioner_profile(user: Any, practitioner: Practitioner, data: dict[str, Any]) -> None:
    """Save what NPPES does not hold, as the practitioner states it: second opinions (also the account's
    "takes requests" switch), video visits, languages, cancer focus (source: profile). Audited."""
    from secondopinion.consults.models import ConsultantProfile
    from secondopinion.core.audit import AuditAction, record

    languages = sorted(set(data["languages"]))
    focus = sorted(set(data["cancer_focus"]))
    Practitioner.objects.filter(pk=practitioner.pk).update(
        accepts_second_opinions=data["accepts_second_opinions"],
        offers_video=data["offers_video"],
        languages=languages,
        updated_at=timezone.now(),
    )
    ConsultantProfile.objects.update_or_create(
        user=user, defaults={"accepts_requests": data["accepts_second_opinions"]}
    )
    CancerFocus.objects.filter(practitioner=practitioner, source=FocusSource.PROFILE).exclude(
        cancer_type__in=focus
    ).delete()
    CancerFocus.objects.bulk_create(
        [CancerFocus(practitioner=practitioner, cancer_type=t, source=FocusSource.PROFILE) for t in focus],
        ignore_conflicts=True,
    )
    record(
        user,
        AuditAction.DIRECTORY_PROFILE_UPDATE,
        practitioner,
        detail={
            "accepts_second_opinions": data["accepts_second_opinions"],
            "offers_video": data["offers_video"],
            "languages": languages,
            "cancer_focus": focus,
        },
        entity_type="directory.practitioner",
        entity_id=practitioner.npi,
    )


# --- Patient reviews, abuse reports, moderation (issue 5, item 6). Each write with its audit row. -----------


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
    from .queries import review_eligibility

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
    audit_record(user, AuditAction.REVIEW_REPORT, review, Purpose.OPERATIONS, detail={"reason": reason})
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
    )
    return locked
