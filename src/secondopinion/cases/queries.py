"""Every read of case data, through the access gateway."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from secondopinion.cases.checklist import ChecklistItem, build_checklist, is_complete
from secondopinion.cases.models import Case, Companion, Document, Medicine, Question
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

    @property
    def complete(self) -> bool:
        return is_complete(self.checklist)


def packet(user: Any, case: Case) -> CasePacket:
    """The parts of a case the user may see; `case` must come from `get_case`."""
    medicines = list(accessible(user, Medicine).filter(case=case))
    questions = list(accessible(user, Question).filter(case=case).order_by("position", "id"))
    documents = list(accessible(user, Document).filter(case=case))
    active = [c for c in Companion.objects.filter(case=case) if c.is_active]
    companions = active if case.owner_id == user.pk else []
    checklist = build_checklist(
        document_kinds=[d.kind for d in documents],
        medicine_count=len(medicines),
        has_first_diagnosis=bool(case.first_diagnosis.strip()),
        has_first_plan=bool(case.first_plan.strip() or case.first_plan_modalities),
        question_count=len(questions),
        companion_count=len(active),
    )
    return CasePacket(case, medicines, questions, documents, companions, checklist)


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


def pending_invitation(token_hash: str) -> Companion | None:
    return Companion.objects.select_related("case", "invited_by").filter(token_hash=token_hash).first()


def find_duplicate(case: Case, sha256: str) -> Document | None:
    return Document.objects.filter(case=case, sha256=sha256).first()


def known_storage_keys(keys: list[str]) -> set[str]:
    """Which of these storage keys belong to a document (for the storage sweep; no health data read)."""
    return set(Document.objects.filter(storage_key__in=keys).values_list("storage_key", flat=True))
