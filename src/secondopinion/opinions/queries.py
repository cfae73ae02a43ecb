"""Every read of opinion data, through the access gateway.

Visibility is the gateway's (`accessible(user, Opinion)`: the case rules plus the author's own-opinion
rule, see rules.py), narrowed here by one filter, `_narrow`, used for lists and single objects alike:

- a draft (unsigned) consult opinion is seen by its author only;
- a clinician sees the case's first opinion, their own opinions, and the opinions of the requests they
  handle (as the assigned consultant or a coordinator of the request's program) — never another
  consultant's opinion. We filter here rather than excluding the model from the consultant case rule,
  because that rule must keep opening the first opinion.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from secondopinion.cases.models import Case
from secondopinion.consults.models import ConsultRequest
from secondopinion.core.access import NotFound, Perm, accessible, purpose_for, visible_cases
from secondopinion.core.audit import AuditAction, Purpose, record, record_denied
from secondopinion.opinions.models import Addendum, Decision, Opinion, ShareLink


def _narrow(user: Any) -> Q:
    drafts_of_others = Q(source=Opinion.Source.CONSULT, signed_at__isnull=True) & ~Q(author=user)
    rule = ~drafts_of_others
    if getattr(user, "is_clinician", False):
        rule &= (
            Q(source=Opinion.Source.FIRST)
            | Q(author=user)
            | Q(request__consultant=user)
            | Q(request__program__coordinators=user)
        )
    return rule


def visible_opinions(user: Any) -> QuerySet[Opinion]:
    return accessible(user, Opinion).filter(_narrow(user)).distinct()


def get_opinion(
    user: Any, opinion_id: Any, *, audit: bool = True, detail: dict[str, Any] | None = None
) -> Opinion:
    """One opinion the user may read, or NotFound (audited either way)."""
    try:
        opinion = (
            visible_opinions(user).select_related("case", "request", "author", "signed_by").get(pk=opinion_id)
        )
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError):  # malformed ids are "not found"
        record_denied(
            user,
            AuditAction.ACCESS_DENIED,
            Purpose.OPERATIONS,
            {"perm": str(Perm.VIEW)},
            entity_type="opinions.opinion",
            entity_id=str(opinion_id)[:64],
        )
        raise NotFound from None
    if audit:
        record(
            user, AuditAction.OPINION_READ, opinion, purpose_for(user, opinion, opinion.case), detail=detail
        )
    return opinion


def opinions_for_case(user: Any, case: Case) -> list[Opinion]:
    """The case's opinions this user may see: the first opinion, then the others in order."""
    rows = visible_opinions(user).filter(case=case).select_related("request", "author").order_by("created_at")
    return sorted(rows, key=lambda o: (o.source != Opinion.Source.FIRST, o.created_at))


def first_opinion(user: Any, case: Case) -> Opinion | None:
    return (
        visible_opinions(user).filter(case=case, source=Opinion.Source.FIRST).order_by("created_at").first()
    )


def signed_opinions(user: Any, case: Case) -> list[Opinion]:
    rows = visible_opinions(user).filter(case=case, source=Opinion.Source.CONSULT, signed_at__isnull=False)
    return list(rows.select_related("request", "author", "signed_by").order_by("signed_at"))


def draft_for_request(user: Any, request: ConsultRequest) -> Opinion | None:
    """The request's opinion when this user may see it (their own draft, or the signed one)."""
    return visible_opinions(user).filter(request=request).first()


def addenda(opinion: Opinion) -> QuerySet[Addendum]:
    """Addenda of an opinion the caller already read through `get_opinion` (or a valid share link)."""
    return Addendum.objects.filter(opinion=opinion).select_related("author").order_by("created_at")


def decisions_for_case(user: Any, case: Case) -> QuerySet[Decision]:
    return accessible(user, Decision).filter(case=case).select_related("opinion").order_by("-created_at")


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def open_share_link(raw_token: str) -> ShareLink:
    """A valid share link (not expired, not revoked, its opinion signed), or NotFound (audited)."""
    link = (
        ShareLink.objects.select_related("opinion", "opinion__case", "opinion__author")
        .filter(
            token_hash=hash_token(raw_token),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            opinion__signed_at__isnull=False,
        )
        .first()
    )
    if link is None:
        record_denied(
            None,
            AuditAction.ACCESS_DENIED,
            Purpose.TREATMENT,
            {"via": "share_link"},
            entity_type="opinions.sharelink",
        )
        raise NotFound
    return link


def assigned_request(user: Any, request_id: Any) -> ConsultRequest:
    """The request when the user is its assigned consultant (who writes its opinion); NotFound otherwise."""
    from secondopinion.consults import queries as consult_queries
    from secondopinion.consults.transitions import Actor

    request = consult_queries.get_request(user, request_id)
    if Actor.CONSULTANT not in consult_queries.actor_kinds(user, request):
        raise NotFound
    return request


@dataclass
class RequestPacket:
    """What the consultant reads beside the opinion form: the case's facts, the first opinion, medicines,
    the request's questions and reasons, and the documents the patient shares with this request."""

    case: Case
    sharing: bool
    first: Opinion | None = None
    medicines: list[Any] = field(default_factory=list)
    questions: list[Any] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    reasons_text: str = ""
    documents: list[Any] = field(default_factory=list)


def request_packet(user: Any, request: ConsultRequest) -> RequestPacket:
    """The packet of a request the user handles (`request` came through `consults.queries.get_request`).

    Every part goes through the gateway: once the patient stops sharing, the case, its medicines and its
    first opinion are closed and only the request's own questions and reasons remain."""
    from secondopinion.cases.models import Medicine
    from secondopinion.consults import queries as consult_queries
    from secondopinion.triage.wording import REASON_TITLES

    case = request.case
    packet = RequestPacket(
        case=case,
        sharing=consult_queries.active_consent(request) is not None,
        questions=list(request.questions.order_by("position")),
        reasons=[str(REASON_TITLES.get(code, code)) for code in request.reason_codes or []],
        reasons_text=request.reasons_text,
    )
    if not packet.sharing or not visible_cases(user).filter(pk=case.pk).exists():
        packet.sharing = False
        return packet
    packet.first = first_opinion(user, case)
    packet.medicines = list(accessible(user, Medicine).filter(case=case).order_by("created_at"))
    packet.documents = list(consult_queries.shared_documents(user, request).order_by("kind", "created_at"))
    record(
        user,
        AuditAction.CASE_READ,
        case,
        Purpose.TREATMENT,
        detail={"via": "request_packet", "request": str(request.pk)},
    )
    return packet
