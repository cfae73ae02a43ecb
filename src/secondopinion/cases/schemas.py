from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import Field, field_validator

from secondopinion.cases.models import DocumentKind, Subject
from secondopinion.core.codes import MODALITY_CODES
from secondopinion.core.dates import (
    for_api,
    validate_birth_date,
    validate_diagnosis_date,
    validate_medicine_since,
)

ModalityList = list[Literal[MODALITY_CODES]]  # type: ignore[valid-type]


class CaseIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    subject: Literal[tuple(Subject.values)] = "self"  # type: ignore[valid-type]
    subject_name: str = Field("", max_length=200)
    subject_birth_date: dt.date | None = None

    @field_validator("subject_birth_date")
    @classmethod
    def _birth_date(cls, value: dt.date | None) -> dt.date | None:
        return for_api(validate_birth_date, value)


# Fields of the case that moved into its first opinion (opinions.Opinion, source "first").
MOVED_TO_FIRST_OPINION = frozenset({"first_diagnosis", "first_plan", "first_plan_modalities"})


class CasePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    cancer_type: str | None = Field(None, max_length=200)
    cancer_type_code: str | None = Field(None, max_length=20)
    body_site: str | None = Field(None, max_length=200)
    body_site_code: str | None = Field(None, max_length=20)
    diagnosis_date: dt.date | None = None
    treatment_received: ModalityList | None = None
    treatment_received_notes: str | None = None
    first_doctor_name: str | None = Field(None, max_length=200)
    first_doctor_specialty: str | None = Field(None, max_length=200)
    first_doctor_institution: str | None = Field(None, max_length=200)
    first_doctor_email: str | None = Field(None, max_length=254)

    # Moved into the case's first opinion: refused with a plain message when sent, never silently ignored.
    first_diagnosis: Any = None
    first_plan: Any = None
    first_plan_modalities: Any = None

    @field_validator(*sorted(MOVED_TO_FIRST_OPINION), mode="before")
    @classmethod
    def _moved(cls, value: Any) -> Any:
        raise ValueError(
            "the first doctor's diagnosis and plan are the case's first opinion now "
            "(see GET /api/v1/cases/{case_id}/opinions); enter them on the case page"
        )

    @field_validator("first_doctor_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("not a valid e-mail address") from None
        return value

    @field_validator("diagnosis_date")
    @classmethod
    def _diagnosis_date(cls, value: dt.date | None) -> dt.date | None:
        return for_api(validate_diagnosis_date, value)  # before the birth date: checked by the endpoint


class CaseOut(Schema):
    id: UUID
    title: str
    subject: str
    subject_name: str
    cancer_type: str
    cancer_type_code: str
    body_site: str
    body_site_code: str
    diagnosis_date: dt.date | None
    treatment_received: list[str]
    treatment_received_notes: str
    first_doctor_name: str
    first_doctor_specialty: str
    first_doctor_institution: str
    first_doctor_email: str
    created_at: dt.datetime
    updated_at: dt.datetime


class MedicineFields(Schema):
    name: str = Field(min_length=1, max_length=200)
    dose: str = Field("", max_length=100)
    frequency: str = Field("", max_length=100)
    since: dt.date | None = None
    is_supplement: bool = False


class MedicineIn(MedicineFields):
    @field_validator("since")
    @classmethod
    def _since(cls, value: dt.date | None) -> dt.date | None:
        return for_api(validate_medicine_since, value)


class MedicinePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    dose: str | None = Field(None, max_length=100)
    frequency: str | None = Field(None, max_length=100)
    since: dt.date | None = None
    is_supplement: bool | None = None

    @field_validator("since")
    @classmethod
    def _since(cls, value: dt.date | None) -> dt.date | None:
        return for_api(validate_medicine_since, value)


class MedicineOut(MedicineFields):  # not MedicineIn: a date stored before the rules must still be shown
    id: UUID


class QuestionIn(Schema):
    text: str = Field(min_length=1, max_length=2000)


class QuestionOut(Schema):
    id: UUID
    text: str
    position: int


class DocumentOut(Schema):
    id: UUID
    kind: Literal[tuple(DocumentKind.values)]  # type: ignore[valid-type]
    title: str
    document_date: dt.date | None
    original_filename: str
    detected_type: str
    size: int
    sha256: str
    created_at: dt.datetime


class ChecklistItemOut(Schema):
    code: str
    label: str
    present: bool
    optional: bool
    why: str
