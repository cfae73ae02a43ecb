"""Every write to the directory. Directory rows are public register data (no access gateway), but writes still
live here only, each batch in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondopinion.core.audit import AuditAction, Purpose
from secondopinion.core.audit import record as audit_record
from secondopinion.core.geo import zip_centroid
from secondopinion.triage.reference import CancerCenter, cancer_centers

from . import bulk, nppes
from .centers import NCI_DESIGNATIONS, designation_of
from .models import (
    CancerFocus,
    FocusSource,
    ImportRun,
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    PractitionerSpecialty,
    ReportReason,
    Review,
    ReviewReport,
    ReviewStatus,
    RoleSource,
)
from .reviews import VISIBLE_STATUSES, ReviewRefused, check_scores, check_text

PRACTITIONER_FIELDS = [
    "family_name",
    "given_name",
    "middle_name",
    "prefix",
    "suffix",
    "credentials",
    "family_name_key",
    "given_name_key",
    "sex",
    "active",
    "deactivated_on",
    "states_licensed",
    "nppes_hash",
]
ORGANIZATION_FIELDS = [
    "name",
    "name_key",
    "taxonomy_codes",
    "primary_taxonomy",
    "location",
    "active",
    "deactivated_on",
    "nppes_hash",
]


@dataclass
class BatchResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    unknown_codes: set[str] = field(default_factory=set)


LOCATION_FIELDS = [
    "address_key",
    "line1",
    "line2",
    "city",
    "state",
    "zip5",
    "postal_code",
    "country",
    "phone",
    "latitude",
    "longitude",
]


def _locations(records: Sequence[nppes.Record]) -> dict[str, int]:
    """Location ids by address key, creating the ones not seen before (geocoded by ZIP centroid)."""
    wanted: dict[str, tuple[Any, ...]] = {}
    for r in records:
        key = nppes.address_key(r)
        if key not in wanted and (r.fields.get("line1") or r.zip5):
            centroid = zip_centroid(r.zip5) or (None, None)
            f = r.fields
            wanted[key] = (
                key,
                f.get("line1", "")[:200],
                f.get("line2", "")[:200],
                f.get("city", "")[:100],
                f.get("state", "")[:40],
                r.zip5,
                f.get("postal_code", "")[:20],
                (f.get("country") or "US")[:2],
                f.get("phone", "")[:30],
                *centroid,
            )
    if not wanted:
        return {}
    bulk.write(Location, LOCATION_FIELDS, wanted.values(), conflict="address_key")
    return dict(bulk.lookup(Location, "address_key", list(wanted), "id"))


def _states(record: nppes.Record) -> list[str]:
    return sorted({s.license_state for s in record.slots if len(s.license_state) == 2})


def _practitioner(r: nppes.Record, now: datetime) -> tuple[Any, ...]:
    f = r.fields
    sex = f.get("sex", "")
    return (
        r.npi,
        f.get("family_name", "")[:100],
        f.get("given_name", "")[:100],
        f.get("middle_name", "")[:100],
        f.get("prefix", "")[:20],
        f.get("suffix", "")[:20],
        f.get("credentials", "")[:100],
        nppes.name_key(f.get("family_name", ""))[:100],
        nppes.name_key(f.get("given_name", ""))[:100],
        sex if sex in ("F", "M") else "",
        r.active,
        r.deactivated_on,
        _states(r),
        r.digest,
        now,
        # Profile fields: set on insert only (the update list leaves them alone).
        False,
        False,
        [],
    )


def _organization(r: nppes.Record, location_id: int | None) -> Organization:
    name = r.fields.get("org_name", "")[:300]
    primary = next((s.code for s in r.slots if s.primary), r.slots[0].code if r.slots else "")
    return Organization(
        npi=r.npi,
        name=name,
        name_key=nppes.name_key(name)[:300],
        taxonomy_codes=[s.code for s in r.slots],
        primary_taxonomy=primary,
        location_id=location_id,
        active=r.active,
        deactivated_on=r.deactivated_on,
        nppes_hash=r.digest,
    )


@transaction.atomic
def upsert_nppes_batch(records: Sequence[nppes.Record], checkpoint: ImportRun | None = None) -> BatchResult:
    """Insert new NPIs, rewrite changed ones, leave identical ones alone; a deactivation-only row (no entity
    type) only marks an NPI we already hold. The checkpoint is saved in the same transaction as the rows."""
    result = BatchResult()
    latest = {r.npi: r for r in records}  # an NPI twice in one batch: the later row wins
    npis = list(latest)
    known_p = {
        n: (h, a)
        for n, h, a in Practitioner.objects.filter(npi__in=npis).values_list("npi", "nppes_hash", "active")
    }
    known_o = {
        n: (h, a)
        for n, h, a in Organization.objects.filter(npi__in=npis).values_list("npi", "nppes_hash", "active")
    }
    people: list[nppes.Record] = []
    orgs: list[nppes.Record] = []
    deactivate_only: list[nppes.Record] = []
    for record in records:
        if latest[record.npi] is not record:
            result.unchanged += 1  # superseded within the batch
            continue
        before, was_active = known_p.get(record.npi) or known_o.get(record.npi) or (None, True)
        if before == record.digest:
            result.unchanged += 1
            continue
        if record.entity_type == "":
            if before is None:
                result.unchanged += 1  # a deactivated NPI we never held: nothing to record
            else:
                deactivate_only.append(record)
                result.updated += 1
                result.deactivated += int(was_active)
            continue
        if before is None:
            result.inserted += 1
        else:
            result.updated += 1
        if not record.active and was_active:
            result.deactivated += 1  # newly marked: a re-run counts 0
        (people if record.entity_type == "1" else orgs).append(record)
        result.unknown_codes.update(s.code for s in record.slots if not _known(s.code))
    for r in deactivate_only:
        model = Practitioner if r.npi in known_p else Organization
        model.objects.filter(npi=r.npi).update(
            active=False, deactivated_on=r.deactivated_on, nppes_hash=r.digest
        )
    location_ids = _locations(people + orgs)
    if orgs:
        objs = [_organization(r, location_ids.get(nppes.address_key(r))) for r in orgs]
        Organization.objects.bulk_create(
            objs, update_conflicts=True, unique_fields=["npi"], update_fields=ORGANIZATION_FIELDS
        )
    if people:
        _write_people(people, location_ids)
    if checkpoint is not None:
        for key in ("inserted", "updated", "unchanged", "deactivated"):
            checkpoint.counts[key] = checkpoint.counts.get(key, 0) + getattr(result, key)
        checkpoint.save()
    return result


def _known(code: str) -> bool:
    from .taxonomy import is_known

    return is_known(code)


def _write_people(people: list[nppes.Record], location_ids: dict[str, int]) -> None:
    now = timezone.now()
    bulk.write(
        Practitioner,
        ["npi", *PRACTITIONER_FIELDS, "updated_at", "accepts_second_opinions", "offers_video", "languages"],
        (_practitioner(r, now) for r in people),
        conflict="npi",
        update=[*PRACTITIONER_FIELDS, "updated_at"],
    )
    ids = dict(bulk.lookup(Practitioner, "npi", [r.npi for r in people], "id"))
    changed = list(ids.values())
    PractitionerSpecialty.objects.filter(practitioner_id__in=changed).delete()
    PractitionerRole.objects.filter(practitioner_id__in=changed, source=RoleSource.NPPES).delete()
    bulk.write(
        PractitionerSpecialty,
        ["practitioner", "nucc_code", "primary", "slot", "license_number", "license_state"],
        (
            (ids[r.npi], s.code[:10], s.primary, s.slot, s.license_number[:40], s.license_state[:2])
            for r in people
            for s in r.slots
        ),
    )
    bulk.write(
        PractitionerRole,
        ["practitioner", "location", "source", "active"],
        ((ids[r.npi], location_ids.get(nppes.address_key(r)), RoleSource.NPPES, r.active) for r in people),
    )


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
            Organization.objects.create(
                name=center.name, name_key=nppes.name_key(center.name)[:300], **wanted
            )
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
