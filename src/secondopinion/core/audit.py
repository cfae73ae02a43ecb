"""The audit log: an append-only table whose rows are chained with an HMAC.

`record()` is the one way to write a row. Each row's HMAC covers its content and the previous
row's HMAC; rows are written under a lock on the chain head so concurrent writers cannot fork
the chain. Rows for denied access are kept even when the surrounding transaction rolls back
(see `record_denied`).
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import transaction

from secondopinion.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


class AuditAction(StrEnum):
    CASE_LIST = "case.list"
    CASE_READ = "case.read"
    CASE_CREATE = "case.create"
    CASE_UPDATE = "case.update"
    CASE_DELETE = "case.delete"
    MEDICINE_CREATE = "medicine.create"
    MEDICINE_UPDATE = "medicine.update"
    MEDICINE_DELETE = "medicine.delete"
    QUESTION_CREATE = "question.create"
    QUESTION_UPDATE = "question.update"
    QUESTION_DELETE = "question.delete"
    DOCUMENT_UPLOAD = "document.upload"
    DOCUMENT_UPLOAD_REJECTED = "document.upload_rejected"
    DOCUMENT_READ = "document.read"
    DOCUMENT_DOWNLOAD = "document.download"
    DOCUMENT_DELETE = "document.delete"
    PACKET_EXPORT = "packet.export"
    COMPANION_INVITE = "companion.invite"
    COMPANION_ACCEPT = "companion.accept"
    COMPANION_REVOKE = "companion.revoke"
    ACCESS_DENIED = "access.denied"
    ACCESS_LOG_READ = "access_log.read"
    AUDIT_SEARCH = "audit.search"
    LOGIN = "auth.login"
    LOGIN_FAILED = "auth.login_failed"
    LOGIN_LOCKED = "auth.locked"  # an address was locked after too many failures
    LOGIN_WHILE_LOCKED = "auth.login_while_locked"
    LOGIN_THROTTLED = "auth.login_throttled"  # too many sign-ins from one client address
    MFA_FAILED = "auth.mfa_failed"
    TOKEN_NEW_ADDRESS = "token.new_address"  # noqa: S105 - an action name
    LOGOUT = "auth.logout"
    SIGNUP = "auth.signup"
    MFA_ENROLL = "auth.mfa_enroll"
    TOKEN_CREATE = "token.create"  # noqa: S105 - an action name
    TOKEN_REVOKE = "token.revoke"  # noqa: S105 - an action name
    CLINICIAN_APPLY = "clinician.apply"
    CLINICIAN_APPROVE = "clinician.approve"
    CLINICIAN_REJECT = "clinician.reject"
    TRIAGE_SAVE = "triage.save"
    REQUEST_CREATE = "request.create"
    REQUEST_READ = "request.read"
    REQUEST_TRANSITION = "request.transition"
    REQUEST_ASSIGN = "request.assign"
    CONSENT_GRANT = "consent.grant"
    CONSENT_REVOKE = "consent.revoke"
    MESSAGE_SEND = "message.send"
    APPOINTMENT_PROPOSE = "appointment.propose"
    APPOINTMENT_CHOOSE = "appointment.choose"
    SHIPMENT_UPDATE = "shipment.update"
    URGENT_FLAG = "urgent.flag"
    OPINION_SAVE = "opinion.save"
    OPINION_READ = "opinion.read"
    OPINION_SIGN = "opinion.sign"
    OPINION_ADDENDUM = "opinion.addendum"
    OPINION_SHARE = "opinion.share"
    OPINION_SHARE_OPEN = "opinion.share_open"
    DECISION_RECORD = "decision.record"
    OUTCOMES_READ = "outcomes.read"
    REVIEW_CREATE = "review.create"
    REVIEW_REPORT = "review.report"
    REVIEW_MODERATE = "review.moderate"
    DIRECTORY_PROFILE_UPDATE = "directory.profile_update"


class Outcome(StrEnum):
    SUCCESS = "success"
    DENIED = "denied"
    FAILED = "failed"


class Purpose(StrEnum):
    """HL7 v3 PurposeOfUse codes, so rows export as FHIR AuditEvent without mapping."""

    PATIENT_REQUEST = "PATRQT"
    FAMILY_REQUEST = "FAMRQT"
    TREATMENT = "TREAT"
    OPERATIONS = "HOPERAT"
    SECURITY = "HSYSADMIN"
    BREAK_GLASS = "ETREAT"


# Actions that mean "somebody looked at this case's data": the patient's "who has seen my records" page.
READ_ACTIONS = (
    AuditAction.CASE_READ,
    AuditAction.DOCUMENT_READ,
    AuditAction.DOCUMENT_DOWNLOAD,
    AuditAction.PACKET_EXPORT,
    AuditAction.REQUEST_READ,
    AuditAction.OPINION_READ,
    AuditAction.OPINION_SHARE_OPEN,
)


@dataclass
class RequestContext:
    client_ip: str = ""
    pending_denials: list[dict[str, Any]] = field(default_factory=list)


_context: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("audit_ctx", default=None)


def bind_request(client_ip: str) -> contextvars.Token[RequestContext | None]:
    return _context.set(RequestContext(client_ip=client_ip))


def unbind_request(token: contextvars.Token[RequestContext | None]) -> None:
    flush_pending_denials()
    ctx = _context.get()
    if ctx is not None and ctx.pending_denials:
        # The request ran inside a transaction that is not the request's own (a test case, a caller's
        # atomic block) and is still open. Its on-commit flush would find the outer context and lose
        # these rows once this one is reset: write them now, in that transaction, rather than never.
        connection = transaction.get_connection()
        if not connection.needs_rollback:
            rows, ctx.pending_denials = ctx.pending_denials, []
            for row in rows:
                _write(row)
    _context.reset(token)


def _client_ip() -> str:
    ctx = _context.get()
    return ctx.client_ip if ctx else ""


def _canonical(values: dict[str, Any]) -> bytes:
    return json.dumps(values, sort_keys=True, separators=(",", ":"), default=str).encode()


def row_content(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "case_id": str(event.case_id) if event.case_id else None,
        "purpose": event.purpose,
        "outcome": event.outcome,
        "client_ip": event.client_ip,
        "detail": event.detail,
    }


def compute_hmac(event: AuditEvent, prev_hmac: str) -> str:
    message = prev_hmac.encode() + b"|" + _canonical(row_content(event))
    return hmac.new(settings.AUDIT_HMAC_KEY, message, hashlib.sha256).hexdigest()


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, "anonymous"
    return actor.pk, f"{actor.email} ({actor.role})"


def _write(row: dict[str, Any]) -> AuditEvent:
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_seq": 0, "last_hmac": GENESIS}
        )
        event = AuditEvent(seq=head.last_seq + 1, prev_hmac=head.last_hmac, **row)
        event.hmac = compute_hmac(event, head.last_hmac)
        event.save(force_insert=True)
        head.last_seq, head.last_hmac = event.seq, event.hmac
        head.save(update_fields=["last_seq", "last_hmac"])
    return event


def _build_row(
    actor: Any,
    action: AuditAction,
    entity: Any,
    purpose: Purpose | str,
    outcome: Outcome,
    detail: dict[str, Any] | None,
    case_id: Any,
    entity_type: str | None,
    entity_id: str | None,
) -> dict[str, Any]:
    actor_id, actor_label = _actor_fields(actor)
    if entity is not None:
        entity_type = entity_type or entity._meta.label_lower
        entity_id = entity_id or str(entity.pk)
        if case_id is None:
            case_id = getattr(entity, "case_id", None) or (
                entity.pk if entity._meta.label_lower == "cases.case" else None
            )
    return {
        "occurred_at": datetime.now(UTC),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": str(action),
        "entity_type": entity_type or "",
        "entity_id": entity_id or "",
        "case_id": case_id,
        "purpose": str(purpose),
        "outcome": str(outcome),
        "client_ip": _client_ip(),
        "detail": detail or {},
    }


def record(
    actor: Any,
    action: AuditAction,
    entity: Any = None,
    purpose: Purpose | str = Purpose.OPERATIONS,
    outcome: Outcome = Outcome.SUCCESS,
    detail: dict[str, Any] | None = None,
    *,
    case_id: Any = None,
    entity_type: str | None = None,
    entity_id: str | None = None,
) -> AuditEvent:
    """Append one row. Inside a transaction the row commits or rolls back with it."""
    row = _build_row(actor, action, entity, purpose, outcome, detail, case_id, entity_type, entity_id)
    return _write(row)


def record_denied(
    actor: Any,
    action: AuditAction,
    purpose: Purpose | str,
    detail: dict[str, Any] | None = None,
    *,
    entity_type: str = "",
    entity_id: str = "",
) -> None:
    """Record a failed access so that no rollback can erase it.

    Outside a transaction the row is written at once. Inside one it is queued and written as soon
    as the outermost transaction ends, whether it commits (on_commit) or rolls back (the request
    middleware, or `flush_pending_denials` in commands and tasks).
    """
    row = _build_row(actor, action, None, purpose, Outcome.DENIED, detail, None, entity_type, entity_id)
    if not transaction.get_connection().in_atomic_block:
        _write(row)
        return
    ctx = _context.get()
    if ctx is None:  # outside a request: commands and tasks call flush_pending_denials() when done
        ctx = RequestContext()
        _context.set(ctx)
    ctx.pending_denials.append(row)
    transaction.on_commit(flush_pending_denials)


def flush_pending_denials() -> None:
    ctx = _context.get()
    if ctx is None or not ctx.pending_denials:
        return
    if transaction.get_connection().in_atomic_block:
        return
    rows, ctx.pending_denials = ctx.pending_denials, []
    for row in rows:
        _write(row)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    reason: str = ""


def _iter_events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)


def verify_chain() -> VerifyResult:
    prev = GENESIS
    expected_seq = 1
    checked = 0
    for event in _iter_events():
        if event.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"row {expected_seq} is missing")
        if event.prev_hmac != prev:
            return VerifyResult(False, checked, event.seq, "link to the previous row is broken")
        if not hmac.compare_digest(event.hmac, compute_hmac(event, prev)):
            return VerifyResult(False, checked, event.seq, "content does not match its HMAC")
        prev = event.hmac
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != checked:
        return VerifyResult(False, checked, checked + 1, f"rows after {checked} are missing")
    return VerifyResult(True, checked)
