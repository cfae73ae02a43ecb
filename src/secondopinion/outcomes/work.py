"""The outcomes app's header link (core.work): a coordinator's outcome figures."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from secondopinion.consults.queries import coordinated_programs
from secondopinion.core.work import Place


def places(user: Any, counts: bool) -> list[Place]:
    if not user.is_clinician or not coordinated_programs(user).exists():
        return []
    return [Place("outcomes", _("Outcome figures"), reverse("outcomes:page"), 40, landing=False)]
