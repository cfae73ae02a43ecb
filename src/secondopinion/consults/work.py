"""The consults app's places of work (core.work): a consultant's inbox, each program queue a person runs."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from secondopinion.accounts.models import CONSULTANT_ROLES, Role
from secondopinion.consults import queries
from secondopinion.consults.transitions import Status
from secondopinion.core.work import Place

WAITING = (Status.REQUESTED, Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS, Status.ON_HOLD)


def places(user: Any, counts: bool) -> list[Place]:
    found: list[Place] = []
    programs = list(queries.coordinated_programs(user)) if user.is_clinician else []
    if user.role in CONSULTANT_ROLES or (user.role == Role.COORDINATOR and not programs):
        open_requests = None
        if counts:
            open_requests = queries.inbox(user).filter(consultant=user, status__in=WAITING).count()
        found.append(
            Place(
                "inbox",
                _("Request inbox"),
                reverse("consults:inbox"),
                20,
                about=_("The requests sent to you: accept or decline each one, then write the opinion."),
                count=open_requests,
            )
        )
    for program in programs:
        waiting = None
        if counts:
            waiting = queries.inbox(user, program=program).filter(status__in=WAITING).count()
        found.append(
            Place(
                f"program:{program.pk}",
                program.name,
                reverse("consults:program", args=[program.pk]),
                30,
                about=_("Program queue: assign each new request to one of the program's consultants."),
                count=waiting,
            )
        )
    return found
