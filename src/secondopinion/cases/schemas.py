from __future__ import annotations

import datetime as dt
from typing import Literal
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import Field, field_validator

from secondopinion.cases.models import DocumentKind, Subject
from secondopinion.core.codes import MODALITY_CODES

ModalityList = list[Literal[MODALITY_CODES]]  # type: ignore[valid-type]


class CaseIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    subject: Literal[tuple(Subject.values)] = "self"  # type: ignore[valid-type]
    subject_name: str = Field("", max_length=200)
    subject_birth_date: dt.date | None = None


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
    first_diagnosis: str | None = None
    first_plan: str | None = None
    first_plan_modalities: ModalityList | None = None

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
    def _not_future(cls, value: dt.date | None) -> dt.date | None:
        if value and value > dt.date.today():
            raise ValueError("the date of diagnosis cannot be in the future")
        return value


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
    first_diagnosis: str
    first_plan: str
    first_plan_modalities: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime


class MedicineIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    dose: str = Field("", max_length=100)
    frequency: str = Field("", max_length=100)
    since: dt.date | None = None
    is_supplement: bool = False


class MedicinePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    dose: str | None = Field(None, max_length=100)
    frequency: str | None = Field(None, max_length=100)
    since: dt.date | None = None
    is_supplement: bool | None = None


class MedicineOut(MedicineIn):
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
