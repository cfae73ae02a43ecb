"""The directory's places of work (core.work): a clinician's public profile."""

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
    return found
