"""Every read of case data, through the access gateway."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from secondopinion.cases.checklist import ChecklistItem, build_checklist, is_complete
from secondopinion.cases.models import Case, Companion, Document, Medicine, Question
from secondopinion.cases.rules import companion_grant
from secondopinion.core.access import Perm, access_case, access_object, accessible, visible_cases
from secondopinion.core.audit import READ_ACTIONS, AuditAction, Purpose, record
from secondopinion.core.models import AuditEvent


def cases_for(user: Any) -> QuerySet[Case]:
    cases = visible_cases(user, Perm.VIEW).annotate(document_count=Count("documents", distinct=True))
    record(user, AuditAction.CASE_LIST, None, Purpose.PATIENT_REQUEST, entity_type="cases.case")
    return cases.order_by("-created_at")


def get_case(user: Any, case_id: Any, perm: Perm = Perm.VIEW, *, audit: bool = True) -> Case:
    return access_case(user, case_id, perm=perm, action=AuditAction.CASE_READ if audit else None)


def get_document(
    user: Any,
    document_id: Any,
    perm: Perm = Perm.VIEW,
    *,
    action: AuditAction | None = AuditAction.DOCUMENT_READ,
) -> Document:
    return access_object(user, Document, document_id, perm=perm, action=action)


def get_medicine(user: Any, medicine_id: Any) -> Medicine:
    return access_object(user, Medicine, medicine_id, perm=Perm.EDIT)


def get_question(user: Any, question_id: Any) -> Question:
    return access_object(user, Question, question_id, perm=Perm.EDIT)


def get_companion(user: Any, companion_id: Any) -> Companion:
    return access_object(user, Companion, companion_id, perm=Perm.MANAGE)


@dataclass
class CasePacket:
    """Everything on the case page, read once the case itself has passed the gateway."""

    case: Case
    medicines: list[Medicine]
    questions: list[Question]
    documents: list[Document]
    companions: list[Companion]
    checklist: list[ChecklistItem]
    first: dict[str, Any] = field(default_factory=dict)  # the first opinion's content (first doctor's plan)

    @property
    def complete(self) -> bool:
        return is_complete(self.checklist)


def case_first_opinion(case: Case) -> dict[str, Any]:
    """The content of the case's first opinion (the `Opinion` with source "first", the one record of the
    first doctor's diagnosis and plan), or {}. `case` came through the gateway: whoever may see the case
    sees its first opinion (opinions.queries narrows only consult opinions)."""
    rows = case.opinions.filter(source="first").order_by("created_at").values_list("content", flat=True)
    content = rows.first()
    return content if isinstance(content, dict) else {}


def first_has_diagnosis(content: dict[str, Any]) -> bool:
    diagnosis = content.get("diagnosis") or {}
    fields = ("site", "site_text", "histology", "histology_text")
    return any(diagnosis.get(k) for k in fields) or bool(content.get("narrative"))


def first_has_plan(content: dict[str, Any]) -> bool:
    return bool((content.get("treatment") or {}).get("options")) or bool(content.get("narrative"))


def packet(user: Any, case: Case) -> CasePacket:
    """The parts of a case the user may see; `case` must come from `get_case`."""
    medicines = list(accessible(user, Medicine).filter(case=case))
    questions = list(accessible(user, Question).filter(case=case).order_by("position", "id"))
    documents = list(accessible(user, Document).filter(case=case))
    active = [c for c in Companion.objects.filter(case=case) if c.is_active]
    companions = active if case.owner_id == user.pk else []
    first = case_first_opinion(case)
    checklist = build_checklist(
        document_kinds=[d.kind for d in documents],
        medicine_count=len(medicines),
        has_first_diagnosis=first_has_diagnosis(first),
        has_first_plan=first_has_plan(first),
        question_count=len(questions),
        companion_count=len(active),
    )
    return CasePacket(case, medicines, questions, documents, companions, checklist, first)


def access_log(user: Any, case: Case) -> QuerySet[AuditEvent]:
    """The case's "who has seen my records" rows; the caller holds Perm.MANAGE on the case."""
    record(user, AuditAction.ACCESS_LOG_READ, case, Purpose.PATIENT_REQUEST)
    return (
        AuditEvent.objects.filter(
            case_id=case.pk, action__in=[str(a) for a in READ_ACTIONS], outcome="success"
        )
        .exclude(actor=user)
        .select_related("actor")
    )


def logged_documents(user: Any, case: Case, rows: list[AuditEvent]) -> dict[str, Document]:
    """The case's documents named by these audit rows, by id, read through the gateway (the page shows
    their kind and date; audit rows hold only ids)."""
    ids = {r.entity_id for r in rows if r.entity_type == "cases.document" and _is_uuid(r.entity_id)}
    if not ids:
        return {}
    found = accessible(user, Document).filter(case=case, pk__in=ids)
    return {str(d.pk): d for d in found}


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def pending_invitation(token_hash: str) -> Companion | None:
    return Companion.objects.select_related("case", "invited_by").filter(token_hash=token_hash).first()


def is_companion(user: Any, case: Case, perm: Perm) -> bool:
    """Does the user hold an active companion grant on this case that allows `perm`?"""
    q = companion_grant(user, perm)
    return q is not None and Case.objects.filter(q, pk=case.pk).exists()


def invitation_works(companion: Companion, user: Any) -> bool:
    """An invitation link works while its grant is active and until it is accepted; after that only for
    the account that accepted it, and never once that account is gone."""
    if not companion.is_active:
        return False
    if companion.accepted_at is None:
        return True
    return companion.user_id is not None and companion.user_id == getattr(user, "pk", None)


def invited_account(companion: Companion, user: Any) -> bool:
    """Is this signed-in account the one the invitation was sent to (its address, in any case)?"""
    return bool(user.email.lower() == companion.email)
