"""Every write to an opinion, a decision or a share link, with its audit row, in one transaction.

Callers pass objects fetched through the gateway (`opinions.queries`, `consults.queries`,
`cases.queries`) with the permission the write needs.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from secondopinion.cases import actions as case_actions
from secondopinion.cases.models import Case
from secondopinion.consults import actions as consult_actions
from secondopinion.consults.models import ConsultRequest, RequestQuestion
from secondopinion.consults.transitions import Actor, IllegalTransition, Status
from secondopinion.core.audit import AuditAction, Purpose, record
from secondopinion.opinions import notify
from secondopinion.opinions.models import Addendum, Decision, Opinion, ShareLink
from secondopinion.opinions.opinion_format import OpinionFormatError, parse_opinion
from secondopinion.opinions.queries import hash_token

SHARE_DAYS = 30
EDITABLE_STATUSES = (Status.IN_PROGRESS, Status.ON_HOLD)


class OpinionError(Exception):
    """An expected refusal with a stable code (opinion_invalid, unanswered_questions, already_signed…)."""

    def __init__(
        self, code: str, message: str, *, field: str | None = None, questions: list[str] | None = None
    ):
        super().__init__(message)
        self.code, self.message, self.field, self.questions = code, message, field, questions or []


def _require_sharing(request: ConsultRequest) -> None:
    """An opinion is written and signed only while the patient shares their records with the request."""
    from secondopinion.consults.queries import active_consent

    if active_consent(request) is None:
        raise OpinionError(
            "sharing_ended",
            "The patient is not sharing their records with this request any more, so the opinion cannot be "
            "changed or signed. It can go on once they share again.",
        )


def validate(content: Any) -> None:
    try:
        parse_opinion(content)
    except OpinionFormatError as error:
        raise OpinionError("opinion_invalid", error.message, field=error.field or "") from None


def request_questions(request: ConsultRequest) -> list[RequestQuestion]:
    return list(RequestQuestion.objects.filter(request=request).order_by("position"))


def unanswered(request: ConsultRequest, content: dict[str, Any]) -> list[RequestQuestion]:
    """The request's questions with neither an answer nor "let us discuss in person"."""
    done = {
        str(a.get("question_id"))
        for a in content.get("answers") or []
        if isinstance(a, dict) and ((a.get("answer") or "").strip() or a.get("discuss_in_person") is True)
    }
    return [q for q in request_questions(request) if str(q.pk) not in done]


@transaction.atomic
def save_draft(
    user: Any, request: ConsultRequest, content: dict[str, Any], stated_change: dict[str, str]
) -> Opinion:
    """Create or update the request's draft opinion; the caller is the assigned consultant."""
    if Status(request.status) not in EDITABLE_STATUSES:
        raise OpinionError(
            "not_in_progress", "An opinion can be written only while the request is in progress."
        )
    _require_sharing(request)
    validate(content)
    opinion = Opinion.objects.select_for_update().filter(request=request).first()
    if opinion is not None and opinion.signed_at is not None:
        raise OpinionError("already_signed", "This opinion is signed; add an addendum instead.")
    if opinion is None:
        opinion = Opinion(case_id=request.case_id, request=request, source=Opinion.Source.CONSULT)
    opinion.author = user  # a reassigned request's draft passes to the consultant now assigned
    opinion.content, opinion.stated_change = content, stated_change
    opinion.save()
    record(
        user,
        AuditAction.OPINION_SAVE,
        opinion,
        Purpose.TREATMENT,
        case_id=request.case_id,
        detail={"request": str(request.pk), "draft": True},
    )
    return opinion


def _stated_for_signing(stated: dict[str, str]) -> dict[str, str]:
    """The clinician's class for every dimension, or a refusal naming what is missing."""
    from secondopinion.opinions.content import DIMENSIONS, SIGN_CLASSES

    missing = [dim for dim in DIMENSIONS if stated.get(dim) not in SIGN_CLASSES]
    if missing:
        raise OpinionError(
            "stated_class_missing",
            "State your class (confirmed, refined, changed or not_comparable) for each part before signing: "
            + ", ".join(missing)
            + ".",
            field="stated_change",
        )
    return {dim: stated[dim] for dim in DIMENSIONS}


@transaction.atomic
def sign(user: Any, opinion: Opinion, stated: dict[str, str] | None = None) -> Opinion:
    """Sign the draft: refused while a question is unanswered; completes the request (system move).

    `stated`: the clinician's class for each dimension, confirmed or corrected at signing (the sign form
    and the API pass it, and then every dimension is required); it replaces the draft's `stated_change`."""
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.signed_at is not None:
        raise OpinionError("already_signed", "This opinion is already signed; add an addendum instead.")
    if opinion.author_id != user.pk or opinion.request is None:
        raise OpinionError("not_found", "There is no draft of yours here.")
    _require_sharing(opinion.request)
    validate(opinion.content)
    missing = unanswered(opinion.request, opinion.content)
    if missing:
        raise OpinionError(
            "unanswered_questions",
            "Answer each question, or tick “let us discuss in person”, before signing.",
            questions=[q.text for q in missing],
        )
    if stated is not None:
        opinion.stated_change = _stated_for_signing(stated)
    opinion.signed_at, opinion.signed_by = timezone.now(), user
    opinion.save(signing=True)
    try:
        consult_actions.move(user, opinion.request, Status.COMPLETED, {Actor.SYSTEM})
    except IllegalTransition as error:
        raise OpinionError(error.code, error.message) from None
    record(
        user,
        AuditAction.OPINION_SIGN,
        opinion,
        Purpose.TREATMENT,
        detail={"request": str(opinion.request_id)},
    )
    return opinion


@transaction.atomic
def add_addendum(user: Any, opinion: Opinion, text: str) -> Addendum:
    if opinion.signed_at is None:
        raise OpinionError("not_signed", "A draft can still be changed; addenda follow a signed opinion.")
    if opinion.author_id != user.pk:
        raise OpinionError("not_found", "Only the author adds addenda.")
    addendum = Addendum.objects.create(opinion=opinion, author=user, text=text)
    record(user, AuditAction.OPINION_ADDENDUM, addendum, Purpose.TREATMENT, case_id=opinion.case_id)
    return addendum


@transaction.atomic
def save_first_opinion(
    user: Any, case: Case, content: dict[str, Any], *, doctor: dict[str, Any] | None = None
) -> Opinion:
    """The first opinion (the one record of the first doctor's diagnosis and plan), in plain words;
    `doctor` holds the first doctor's name, specialty, institution and e-mail, kept on the case.
    `case` comes from the gateway with Perm.EDIT."""
    validate(content)
    opinion = Opinion.objects.select_for_update().filter(case=case, source=Opinion.Source.FIRST).first()
    if opinion is None:
        opinion = Opinion(case=case, source=Opinion.Source.FIRST, author=user)
    opinion.content = content
    opinion.save()
    record(user, AuditAction.OPINION_SAVE, opinion, Purpose.PATIENT_REQUEST, detail={"source": "first"})
    if doctor:
        case_actions.update_case(user, case, doctor)
    return opinion


@transaction.atomic
def add_codes(user: Any, opinion: Opinion, content: dict[str, Any], fields: list[str]) -> Opinion:
    """A clinician adds codes to the first opinion (the caller checked they may)."""
    if opinion.source != Opinion.Source.FIRST:
        raise OpinionError("not_found", "Codes are added to the first opinion only.")
    validate(content)
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    opinion.content = content
    opinion.save()
    record(user, AuditAction.OPINION_SAVE, opinion, Purpose.TREATMENT, detail={"codes": sorted(fields)})
    return opinion


@transaction.atomic
def record_decision(
    user: Any, case: Case, data: dict[str, Any], opinion: Opinion | None, to_share: Opinion | None = None
) -> Decision:
    """The patient's decision; with their permission the first doctor gets an expiring link."""
    decision = Decision.objects.create(case=case, opinion=opinion, created_by=user, **data)
    record(
        user,
        AuditAction.DECISION_RECORD,
        decision,
        Purpose.PATIENT_REQUEST,
        detail={"follows_advice": decision.follows_advice, "share": decision.share_with_first_doctor},
    )
    if decision.share_with_first_doctor and to_share is not None and case.first_doctor_email:
        share(user, to_share, case.first_doctor_email)
    return decision


@transaction.atomic
def share(user: Any, opinion: Opinion, email: str) -> str:
    """A 30-day link to one signed opinion; only its hash is stored. Returns the raw token."""
    if opinion.signed_at is None:
        raise OpinionError("not_signed", "Only a signed opinion can be shared.")
    raw = secrets.token_urlsafe(32)
    link = ShareLink.objects.create(
        opinion=opinion,
        email=email,
        token_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=SHARE_DAYS),
        created_by=user,
    )
    record(user, AuditAction.OPINION_SHARE, link, Purpose.PATIENT_REQUEST, case_id=opinion.case_id)
    transaction.on_commit(partial(notify.opinion_shared, email, raw))
    return raw


@transaction.atomic
def revoke_share(user: Any, link: ShareLink) -> None:
    ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(
        user,
        AuditAction.OPINION_SHARE,
        link,
        Purpose.PATIENT_REQUEST,
        case_id=link.opinion.case_id,
        detail={"revoked": True},
    )


@transaction.atomic
def opened_share(link: ShareLink) -> None:
    """The first doctor opened the link (no account): audited; the first opening is kept."""
    ShareLink.objects.filter(pk=link.pk, opened_at__isnull=True).update(opened_at=timezone.now())
    record(
        None,
        AuditAction.OPINION_SHARE_OPEN,
        link.opinion,
        Purpose.TREATMENT,
        case_id=link.opinion.case_id,
        detail={"link": str(link.pk)},
    )
