"""Plain factory functions for tests: every object is made through the same actions the product uses."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from secondopinion.accounts.models import ClinicianProfile, Role, User
from secondopinion.cases import actions
from secondopinion.cases.models import Case, Companion, Document
from secondopinion.core.uploads import upload_from_bytes

PASSWORD = "a-long-test-password-42"
_seq = itertools.count(1)

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def make_user(
    role: str = Role.PATIENT,
    *,
    email: str | None = None,
    verified_email: bool = True,
    clinician_status: str | None = ClinicianProfile.Status.APPROVED,
    name: str = "",
) -> User:
    n = next(_seq)
    user = User.objects.create_user(
        email=email or f"{role}{n}@example.test",
        password=PASSWORD,
        full_name=name or f"{role.title()} {n}",
        role=role,
        email_verified_at=timezone.now() if verified_email else None,
    )
    if user.is_clinician and clinician_status is not None:
        ClinicianProfile.objects.create(
            user=user, npi="1234567893", licence_state="MA", status=clinician_status
        )
    if user.needs_second_factor:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def login(client: Client, user: User) -> Client:
    """Sign in, second factor included (as if the TOTP code had been typed)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


def make_case(owner: User, **fields: Any) -> Case:
    case = actions.create_case(owner, {"title": fields.pop("title", "Test case"), "subject": "self"})
    if fields:
        actions.update_case(owner, case, fields)
    return case


def make_document(
    owner: User,
    case: Case,
    data: bytes = MINIMAL_PDF,
    *,
    kind: str = "pathology_report",
    name: str = "report.pdf",
    title: str = "",
) -> Document:
    return actions.add_document(owner, case, upload_from_bytes(data, name), kind=kind, title=title)


def make_companion(
    case: Case,
    user: User | None,
    *,
    can_view: bool = True,
    can_ask: bool = False,
    can_request: bool = False,
    days: int = 30,
    email: str | None = None,
) -> Companion:
    companion = Companion(
        email=email or (user.email if user else "someone@example.test"),
        can_view=can_view,
        can_ask=can_ask,
        can_request=can_request,
        expires_at=timezone.now() + timedelta(days=days),
    )
    actions.invite_companion(case.owner, case, companion)
    if user is not None:
        actions.accept_invitation(user, companion)
    return companion


def unique_pdf(label: str = "") -> bytes:
    """A PDF whose bytes differ from every other one made in the run (documents are unique per case)."""
    return MINIMAL_PDF + f"% {label} {next(_seq)}\n".encode()
