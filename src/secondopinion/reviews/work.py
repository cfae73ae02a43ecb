"""The reviews' place of work (core.work): the moderation queue, for admins."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from secondopinion.core.work import Place


def places(user: Any, counts: bool) -> list[Place]:
    if not user.is_admin:
        return []
    waiting = None
    if counts:
        from secondopinion.reviews.queries import moderation_queue

        waiting = len(moderation_queue())
    return [
        Place(
            "moderation",
            _("Review moderation"),
            reverse("reviews:moderation"),
            20,
            about=_("Patients' reviews that someone reported: keep, hide or remove each one."),
            count=waiting,
        )
    ]
