from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponseBase
from ninja import Router, Status

from secondopinion.accounts.types import AuthedRequest
from secondopinion.cases import actions, queries
from secondopinion.cases.schemas import (
    CaseIn,
    CaseOut,
    CasePatch,
    ChecklistItemOut,
    DocumentOut,
    MedicineIn,
    MedicineOut,
    MedicinePatch,
    QuestionIn,
    QuestionOut,
)
from secondopinion.cases.views.documents import UploadRefused, receive_upload
from secondopinion.core.access import Perm
from secondopinion.core.audit import AuditAction
from secondopinion.core.dates import code_of, message_of, validate_diagnosis_date
from secondopinion.core.downloads import stored_file
from secondopinion.core.problems import ApiError

router = Router(tags=["cases"])


def _person(request: AuthedRequest) -> None:
    from secondopinion.accounts.models import PERSON_ROLES

    if request.user.role not in PERSON_ROLES:
        raise ApiError(403, "forbidden", "Not allowed", "Only patients and companions can start a case.")


def _refuse_date(field: str, error: DjangoValidationError) -> ApiError:
    """A date rule broken by the payload together with what is stored: the same shape as a schema error."""
    message = message_of(error)
    return ApiError(
        422,
        "validation_error",
        "Invalid input",
        message,
        errors=[{"loc": ["body", "payload", field], "message": message, "type": code_of(error)}],
    )


@router.get("/cases", response=list[CaseOut])
def list_cases(request: AuthedRequest) -> Any:
    return list(queries.cases_for(request.user))


@router.post("/cases", response={201: CaseOut})
def create_case(request: AuthedRequest, payload: CaseIn) -> Any:
    _person(request)
    if payload.subject != "self" and not payload.subject_name:
        raise ApiError(
            422, "validation_error", "Invalid input", "subject_name is required for a child or dependent."
        )
    return Status(201, actions.create_case(request.user, payload.model_dump()))


@router.get("/cases/{case_id}", response=CaseOut)
def get_case(request: AuthedRequest, case_id: UUID) -> Any:
    return queries.get_case(request.user, case_id)


@router.patch("/cases/{case_id}", response=CaseOut)
def patch_case(request: AuthedRequest, case_id: UUID, payload: CasePatch) -> Any:
    case = queries.get_case(request.user, case_id, Perm.EDIT, audit=False)
    data = payload.model_dump(exclude_unset=True)
    try:
        validate_diagnosis_date(data.get("diagnosis_date"), birth_date=case.subject_birth_date)
    except DjangoValidationError as error:
        raise _refuse_date("diagnosis_date", error) from None
    for key in ("title",):
        if key in data and data[key] is None:
            raise ApiError(422, "validation_error", "Invalid input", f"{key} cannot be null.")
    cleaned = {k: ("" if v is None and k not in ("diagnosis_date",) else v) for k, v in data.items()}
    cleaned = {k: ([] if v == "" and k == "treatment_received" else v) for k, v in cleaned.items()}
    return actions.update_case(request.user, case, cleaned)


@router.get("/cases/{case_id}/checklist", response=list[ChecklistItemOut])
def checklist(request: AuthedRequest, case_id: UUID) -> Any:
    case = queries.get_case(request.user, case_id)
    return [
        {
            "code": i.code,
            "label": str(i.label),
            "present": i.present,
            "optional": i.optional,
            "why": str(i.why),
        }
        for i in queries.packet(request.user, case).checklist
    ]


@router.get("/cases/{case_id}/medicines", response=list[MedicineOut])
def list_medicines(request: AuthedRequest, case_id: UUID) -> Any:
    return queries.packet(request.user, queries.get_case(request.user, case_id)).medicines


@router.post("/cases/{case_id}/medicines", response={201: MedicineOut})
def add_medicine(request: AuthedRequest, case_id: UUID, payload: MedicineIn) -> Any:
    case = queries.get_case(request.user, case_id, Perm.EDIT, audit=False)
    return Status(201, actions.add_medicine(request.user, case, payload.model_dump()))


@router.patch("/medicines/{medicine_id}", response=MedicineOut)
def patch_medicine(request: AuthedRequest, medicine_id: UUID, payload: MedicinePatch) -> Any:
    medicine = queries.get_medicine(request.user, medicine_id)
    data = payload.model_dump(exclude_unset=True)
    if data.get("name", "x") is None or ("is_supplement" in data and data["is_supplement"] is None):
        raise ApiError(422, "validation_error", "Invalid input", "name and is_supplement cannot be null.")
    return actions.update_medicine(
        request.user, medicine, {k: ("" if v is None and k != "since" else v) for k, v in data.items()}
    )


@router.delete("/medicines/{medicine_id}", response={204: None})
def delete_medicine(request: AuthedRequest, medicine_id: UUID) -> Any:
    actions.delete_medicine(request.user, queries.get_medicine(request.user, medicine_id))
    return Status(204, None)


@router.get("/cases/{case_id}/questions", response=list[QuestionOut])
def list_questions(request: AuthedRequest, case_id: UUID) -> Any:
    return queries.packet(request.user, queries.get_case(request.user, case_id)).questions


@router.post("/cases/{case_id}/questions", response={201: QuestionOut})
def add_question(request: AuthedRequest, case_id: UUID, payload: QuestionIn) -> Any:
    case = queries.get_case(request.user, case_id, Perm.EDIT, audit=False)
    return Status(201, actions.add_question(request.user, case, payload.text))


@router.patch("/questions/{question_id}", response=QuestionOut)
def patch_question(request: AuthedRequest, question_id: UUID, payload: QuestionIn) -> Any:
    return actions.update_question(
        request.user, queries.get_question(request.user, question_id), payload.text
    )


@router.delete("/questions/{question_id}", response={204: None})
def delete_question(request: AuthedRequest, question_id: UUID) -> Any:
    actions.delete_question(request.user, queries.get_question(request.user, question_id))
    return Status(204, None)


@router.get("/cases/{case_id}/documents", response=list[DocumentOut])
def list_documents(request: AuthedRequest, case_id: UUID) -> Any:
    return queries.packet(request.user, queries.get_case(request.user, case_id)).documents


_UPLOAD_BODY = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "kind"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "kind": {"type": "string"},
                        "title": {"type": "string"},
                        "document_date": {"type": "string", "format": "date"},
                    },
                }
            }
        }
    }
}


@router.post("/cases/{case_id}/documents", response={201: DocumentOut}, openapi_extra=_UPLOAD_BODY)
def upload_document(request: AuthedRequest, case_id: UUID) -> Any:
    case = queries.get_case(request.user, case_id, Perm.EDIT, audit=False)
    try:
        document = receive_upload(request, case)
    except UploadRefused as refused:
        errors = [
            {"loc": [f], "message": " ".join(e.messages), "type": e.code or "invalid"}
            for f, errs in refused.form.errors.as_data().items()
            for e in errs
        ]
        raise ApiError(
            refused.status, refused.code, "File not stored", refused.message, errors=errors, **refused.extra
        ) from None
    return Status(201, document)


@router.get("/documents/{document_id}", response=DocumentOut)
def get_document(request: AuthedRequest, document_id: UUID) -> Any:
    return queries.get_document(request.user, document_id)


@router.get("/documents/{document_id}/content")
def download_document(request: AuthedRequest, document_id: UUID) -> HttpResponseBase:
    document = queries.get_document(request.user, document_id, action=AuditAction.DOCUMENT_DOWNLOAD)
    return stored_file(
        document.storage_key, document.original_filename, document.detected_type, document.size
    )


@router.delete("/documents/{document_id}", response={204: None})
def delete_document(request: AuthedRequest, document_id: UUID) -> Any:
    document = queries.get_document(request.user, document_id, Perm.EDIT, action=None)
    actions.delete_document(request.user, document)
    return Status(204, None)
