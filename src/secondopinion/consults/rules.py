"""Consultants' and coordinators' visibility, registered with the access gateway.

A consultant (or a coordinator of the request's program) sees a case's packet — diagnosis, first
opinion, medicines, questions — only while a consent on one of its requests is active, and only the
documents that consent names. The request itself (its history, messages, their own opinion) stays
visible to them after the consent ends.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from secondopinion.consults.transitions import Status
from secondopinion.core.access import Perm, register_case_rule, register_object_rule
from secondopinion.core.audit import Purpose

# Statuses in which shared documents may be read (not drafts, not refused or cancelled requests).
SHARING_STATUSES = (
    Status.REQUESTED,
    Status.RECEIVED,
    Status.ACCEPTED,
    Status.IN_PROGRESS,
    Status.ON_HOLD,
    Status.COMPLETED,
)


def _request_q(user: Any, prefix: str) -> Q:
    return Q(**{f"{prefix}consultant": user}) | Q(**{f"{prefix}program__coordinators": user})


def _shared_through(user: Any, consent: str, request: str) -> Q:
    """The one sharing rule: an active consent (at `consent`) on a request (at `request`) that this user
    handles and whose status lets documents be read. The case rule and the document rule both use it."""
    return Q(
        **{
            f"{consent}revoked_at__isnull": True,
            f"{consent}superseded_at__isnull": True,
            f"{consent}expires_at__gt": timezone.now(),
            f"{request}status__in": [str(s) for s in SHARING_STATUSES],
        }
    ) & _request_q(user, request)


def consultant_case_rule(user: Any, perm: Perm, prefix: str) -> Q | None:
    if not user.is_clinician or perm != Perm.VIEW:
        return None
    return _shared_through(user, f"{prefix}consult_requests__consents__", f"{prefix}consult_requests__")


def shared_document_rule(user: Any, perm: Perm) -> Q | None:
    if not user.is_clinician or perm != Perm.VIEW:
        return None
    return _shared_through(user, "consents__", "consents__request__")


def handled_request_rule(user: Any, perm: Perm) -> Q | None:
    """Consultants and coordinators keep their requests' history (not drafts), whatever the consent."""
    if not user.is_clinician or perm not in (Perm.VIEW, Perm.ASK):
        return None
    return _request_q(user, "") & ~Q(status=Status.DRAFT)


def register() -> None:
    register_case_rule(
        "consultant",
        consultant_case_rule,
        Purpose.TREATMENT,
        excludes=("cases.document", "cases.companion", "consults.consultrequest"),
    )
    register_object_rule("cases.document", "shared_document", shared_document_rule, Purpose.TREATMENT)
    register_object_rule(
        "consults.consultrequest", "handled_request", handled_request_rule, Purpose.TREATMENT
    )
