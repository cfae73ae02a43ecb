"""The accounts app's places of work (core.work): patients' cases, the clinician-verification queue."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from secondopinion.accounts.models import PERSON_ROLES, Role
from secondopinion.accounts.queries import pending_clinicians
from secondopinion.core.work import Place


def places(user: Any, counts: bool) -> list[Place]:
    found: list[Place] = []
    if user.role in PERSON_ROLES or user.role == Role.REFERRING_PHYSICIAN:
        label = _("My cases") if user.role in PERSON_ROLES else _("My patients' cases")
        found.append(Place("cases", label, reverse("cases:list"), 10))
        found.append(Place("find", _("Find a specialist"), reverse("directory:search"), 80, landing=False))
    if user.is_admin:
        pending = None
        if counts:
            pending = pending_clinicians().count()
        found.append(
            Place(
                "verification",
                _("Clinician verification"),
                reverse("accounts:clinician_reviews"),
                10,
                about=_("Check the license of each clinician who signed up, then approve or reject."),
                count=pending,
            )
        )
        found.append(Place("audit", _("Audit log"), reverse("audit:search"), 70, landing=False))
    return found
