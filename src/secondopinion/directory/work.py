"""The directory's places of work (core.work): a clinician's public profile, the review-moderation queue."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from secondopinion.core.work import Place

PROFILE_ROLES = frozenset({"consultant", "pathologist", "board_member"})


def places(user: Any, counts: bool) -> list[Place]:
    found: list[Place] = []
    if user.role in PROFILE_ROLES:
        found.append(
            Place("profile", _("My directory profile"), reverse("directory:my_profile"), 60, landing=False)
        )
    if user.is_admin:
        waiting = None
        if counts:
            from secondopinion.directory.queries import moderation_queue

            waiting = len(moderation_queue())
        found.append(
            Place(
                "moderation",
                _("Review moderation"),
                reverse("directory:moderation"),
                20,
                about=_("Patients' reviews that someone reported: keep, hide or remove each one."),
                count=waiting,
            )
        )
    return found
