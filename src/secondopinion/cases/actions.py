"""Every write to a case, with its audit row, in one transaction.

Callers pass objects they fetched through `queries` with the permission the write needs.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from secondopinion.accounts import notify
from secondopinion.cases.models import Case, Companion, Document, Medicine, Question
from secondopinion.core import storage
from secondopinion.core.audit import AuditAction, Purpose, record

PURPOSE = Purpose.PATIENT_REQUEST


class InvitationRefused(Exception):
    """An invitation the patient may not send; `message` says why, for the form's e-mail field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DuplicateDocument(Exception):
    def __init__(self, existing: Document) -> None:
        super().__init__(str(existing))
        self.existing = existing


def _apply_changes(user: Any, obj: Any, data: dict[str, Any], action: AuditAction) -> Any:
    """Save the fields whose value changes, and audit their names (never their content)."""
    fields = sorted(k for k, v in data.items() if getattr(obj, k) != v)
    for key in fields:
        setattr(obj, key, data[key])
    if fields:
        auto_now = [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
        obj.save(update_fields=[*fields, *auto_now])
        record(user, action, obj, PURPOSE, detail={"fields": fields})
    return obj


@transaction.atomic
def create_case(user: Any, data: dict[str, Any]) -> Case:
    case = Case.objects.create(owner=user, **data)
    record(user, AuditAction.CASE_CREATE, case, PURPOSE)
    return case


@transaction.atomic
def update_case(user: Any, case: Case, data: dict[str, Any]) -> Case:
    return _apply_changes(user, case, data, AuditAction.CASE_UPDATE)


@transaction.atomic
def add_medicine(user: Any, case: Case, data: dict[str, Any]) -> Medicine:
    medicine = Medicine.objects.create(case=case, **data)
    record(user, AuditAction.MEDICINE_CREATE, medicine, PURPOSE)
    return medicine


@transaction.atomic
def update_medicine(user: Any, medicine: Medicine, data: dict[str, Any]) -> Medicine:
    return _apply_changes(user, medicine, data, AuditAction.MEDICINE_UPDATE)


@transaction.atomic
def delete_medicine(user: Any, medicine: Medicine) -> None:
    record(user, AuditAction.MEDICINE_DELETE, medicine, PURPOSE)
    medicine.delete()


@transaction.atomic
def add_question(user: Any, case: Case, text: str) -> Question:
    last = Question.objects.filter(case=case).aggregate(m=Max("position"))["m"]
    question = Question.objects.create(case=case, text=text, position=(last or 0) + 1)
    record(user, AuditAction.QUESTION_CREATE, question, PURPOSE)
    return question


@transaction.atomic
def update_question(user: Any, question: Question, text: str) -> Question:
    return _apply_changes(user, question, {"text": text}, AuditAction.QUESTION_UPDATE)


@transaction.atomic
def move_question(user: Any, question: Question, offset: int) -> None:
    ordered = list(
        Question.objects.select_for_update().filter(case_id=question.case_id).order_by("position", "id")
    )
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    target = max(0, min(len(ordered) - 1, index + offset))
    ordered.insert(target, ordered.pop(index))
    for position, q in enumerate(ordered, start=1):
        if q.position != position:
            q.position = position
            q.save(update_fields=["position"])
    record(user, AuditAction.QUESTION_UPDATE, question, PURPOSE, detail={"fields": ["position"]})


@transaction.atomic
def delete_question(user: Any, question: Question) -> None:
    record(user, AuditAction.QUESTION_DELETE, question, PURPOSE)
    question.delete()


def add_document(
    user: Any, case: Case, upload: Any, *, kind: str, title: str = "", document_date: Any = None
) -> Document:
    """Create the document row; the encrypted file moves into place only once the row is committed."""
    try:
        with transaction.atomic():
            existing = Document.objects.filter(case=case, sha256=upload.sha256).first()
            if existing is not None:
                raise DuplicateDocument(existing)
            document = Document.objects.create(
                case=case,
                kind=kind,
                title=title[:200],
                document_date=document_date,
                original_filename=(upload.name or "upload")[:255],
                detected_type=upload.kind,
                size=upload.size,
                sha256=upload.sha256,
                storage_key=upload.storage_key,
                uploaded_by=user,
            )
            record(
                user,
                AuditAction.DOCUMENT_UPLOAD,
                document,
                PURPOSE,
                detail={"kind": kind, "type": upload.kind, "size": upload.size},
            )
            storage.promote_on_commit(upload)
    except IntegrityError:
        storage.discard(upload)
        existing = Document.objects.get(case=case, sha256=upload.sha256)
        raise DuplicateDocument(existing) from None
    except BaseException:
        storage.discard(upload)
        raise
    return document


@transaction.atomic
def delete_document(user: Any, document: Document) -> None:
    record(user, AuditAction.DOCUMENT_DELETE, document, PURPOSE, detail={"sha256": document.sha256})
    key = document.storage_key
    document.delete()
    transaction.on_commit(lambda: storage.delete_document_file(key))


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def invite_companion(user: Any, case: Case, companion: Companion) -> Companion:
    """Invite someone to the case by e-mail; never the patient's own address (InvitationRefused)."""
    if companion.email.strip().lower() == user.email.lower():
        raise InvitationRefused(_("This is your own address. Invite someone else."))
    raw = secrets.token_urlsafe(32)
    companion.case, companion.invited_by = case, user
    companion.email = companion.email.strip().lower()
    companion.token_hash = _token_hash(raw)
    companion.save()
    record(
        user,
        AuditAction.COMPANION_INVITE,
        companion,
        PURPOSE,
        detail={
            "can_view": companion.can_view,
            "can_ask": companion.can_ask,
            "can_request": companion.can_request,
            "expires_at": companion.expires_at.isoformat(),
        },
    )
    path = reverse("cases:accept_invitation", args=[raw])
    inviter = user.full_name
    send = notify.referrer_invitation if companion.can_request else notify.companion_invitation
    transaction.on_commit(lambda: send(companion.email, inviter, path))
    return companion


def invitation_for(raw: str) -> Companion | None:
    from secondopinion.cases.queries import pending_invitation

    return pending_invitation(_token_hash(raw))


@transaction.atomic
def join_by_invitation(companion: Companion, full_name: str, password: str) -> Any:
    """A companion without an account signs up through the link and accepts at once. The link reached the
    invited address, so the address counts as confirmed."""
    from secondopinion.accounts.actions import sign_up
    from secondopinion.accounts.models import Role

    user = sign_up(
        email=companion.email, password=password, full_name=full_name, role=Role.COMPANION, verified=True
    )
    accept_invitation(user, companion)
    return user


@transaction.atomic
def accept_invitation(user: Any, companion: Companion) -> None:
    companion.user, companion.accepted_at = user, timezone.now()
    companion.save(update_fields=["user", "accepted_at"])
    purpose = Purpose.TREATMENT if companion.can_request else Purpose.FAMILY_REQUEST
    record(
        user, AuditAction.COMPANION_ACCEPT, companion, purpose, detail={"can_request": companion.can_request}
    )


@transaction.atomic
def revoke_companion(user: Any, companion: Companion) -> None:
    if companion.revoked_at is None:
        companion.revoked_at = timezone.now()
        companion.save(update_fields=["revoked_at"])
        record(user, AuditAction.COMPANION_REVOKE, companion, PURPOSE)
