from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field


class RequestIn(Schema):
    kind: str
    program_id: UUID | None = None
    consultant_id: int | None = None
    reasons_text: str = Field("", max_length=4000)
    reason_codes: list[str] = []
    document_ids: list[UUID] | None = None  # None: all documents of the case
    consent_days: int = Field(90, ge=1, le=365)


class RequestOut(Schema):
    id: UUID
    case_id: UUID
    kind: str
    status: str
    program_id: UUID | None
    consultant_id: int | None
    reasons_text: str
    reason_codes: list[str]
    target_days: int
    created_at: datetime
    submitted_at: datetime | None
    completed_at: datetime | None


class TransitionIn(Schema):
    target: str = ""
    reason: str = Field("", max_length=4000)


class MessageIn(Schema):
    body: str = Field(..., min_length=1, max_length=10000)


class MessageOut(Schema):
    id: UUID
    author_id: int
    body: str
    attachment_name: str
    created_at: datetime


class ConsentIn(Schema):
    document_ids: list[UUID]
    days: int = Field(90, ge=1, le=365)


class ConsentOut(Schema):
    id: UUID
    version: int
    document_ids: list[UUID]
    expires_at: datetime
    revoked_at: datetime | None
    active: bool
