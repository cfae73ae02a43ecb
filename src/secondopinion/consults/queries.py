"""Every read of consult data, through the access gateway."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from secondopinion.cases.models import Case, Document
from secondopinion.consults.models import ConsultRequest, Program, StatusChange
from secondopinion.consults.transitions import Actor, Status
from secondopinion.consults.turnaround import business_days_running, is_overdue
from secondopinion.core.access import Perm, access_object, accessible
from secondopinion.core.audit import AuditAction


def actor_kinds(user: Any, request: ConsultRequest) -> set[Actor]:
    """What the user is to this request (a user may be several things)."""
    kinds: set[Actor] = set()
    if not user.is_authenticated:
        return kinds
    if request.case.owner_id == user.pk:
        kinds.add(Actor.PATIENT)
    if request.consultant_id == user.pk and user.may_see_health_data:
        kinds.add(Actor.CONSULTANT)
    if (
        request.program_id
        and user.may_see_health_data
        and request.program.coordinators.filter(pk=user.pk).exists()
    ):  # type: ignore[union-attr]
        kinds.add(Actor.COORDINATOR)
    if user.is_admin:
        kinds.add(Actor.ADMIN)
    if (
        not kinds
        and request.case.companions.filter(
            user=user, can_ask=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).exists()
    ):
        kinds.add(Actor.COMPANION)
    return kinds


def get_request(user: Any, request_id: Any, perm: Perm = Perm.VIEW, *, audit: bool = True) -> ConsultRequest:
    return access_object(
        user, ConsultRequest, request_id, perm=perm, action=AuditAction.REQUEST_READ if audit else None
    )


def requests_for_case(user: Any, case: Case) -> QuerySet[ConsultRequest]:
    return accessible(user, ConsultRequest).filter(case=case).select_related("consultant", "program")


def inbox(user: Any, *, status: str = "", kind: str = "") -> QuerySet[ConsultRequest]:
    """Requests a consultant handles or a coordinator's programs hold (never drafts)."""
    rows = (
        accessible(user, ConsultRequest)
        .filter(Q(consultant=user) | Q(program__coordinators=user))
        .exclude(status=Status.DRAFT)
        .select_related("case", "consultant", "program")
        .order_by("-submitted_at")
    )
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    return rows


def turnaround_days(request: ConsultRequest) -> float | None:
    history = [(c.at, c.target) for c in StatusChange.objects.filter(request=request).order_by("at", "id")]
    return business_days_running(history, request.completed_at or timezone.now())


def overdue(request: ConsultRequest) -> bool:
    return request.status not in (Status.COMPLETED,) and is_overdue(
        turnaround_days(request), request.target_days
    )


def shared_documents(user: Any, request: ConsultRequest) -> QuerySet[Document]:
    """The documents of the request's active consent that this user may open."""
    consent = request.consents.filter(
        revoked_at__isnull=True, superseded_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if consent is None:
        return Document.objects.none()
    return accessible(user, Document).filter(pk__in=consent.documents.values("pk"))


def programs() -> QuerySet[Program]:
    return Program.objects.filter(active=True).order_by("name")


def status_history(request: ConsultRequest) -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(request=request).select_related("actor").order_by("at", "id")
