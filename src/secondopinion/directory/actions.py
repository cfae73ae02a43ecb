"""Every write to the directory through the ORM, each in one transaction (directory rows are public register
data: no access gateway). The NPPES import is the one exception: `nppes/writer.py` writes its batches with
set-wise SQL, because the ORM managed a tenth of the speed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from secondopinion.core.audit import AuditAction
from secondopinion.core.reference import CancerCenter, cancer_centers

from .centers import NCI_DESIGNATIONS, designation_of
from .models import (
    CancerFocus,
    FocusSource,
    ImportRun,
    Location,
    Organization,
    Practitioner,
)
from .nppes.columns import name_key


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


# --- NCI-designated cancer centers -----------------------------------------------------------------------


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


# --- A verified consultant's own profile -----------------------------------------------------------------


@transaction.atomic
def update_practitioner_profile(user: Any, practitioner: Practitioner, data: dict[str, Any]) -> None:
    """Save what NPPES does not hold, as the practitioner states it: second opinions, video visits,
    languages, cancer focus (source: profile). Audited. Receivers of `profile_saved` run in the same
    transaction (consults keeps the account's "takes requests" switch in step with it)."""
    from secondopinion.core.audit import record

    from .signals import profile_saved

    languages = sorted(set(data["languages"]))
    focus = sorted(set(data["cancer_focus"]))
    Practitioner.objects.filter(pk=practitioner.pk).update(
        accepts_second_opinions=data["accepts_second_opinions"],
        offers_video=data["offers_video"],
        languages=languages,
        updated_at=timezone.now(),
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
    profile_saved.send(sender=Practitioner, user=user, practitioner=practitioner, data=data)
