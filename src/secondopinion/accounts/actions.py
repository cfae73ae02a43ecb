"""Every write to accounts, with its audit row, in one transaction."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from secondopinion.accounts import notify
from secondopinion.accounts.models import AccessToken, ClinicianProfile, Role, User
from secondopinion.core.audit import AuditAction, Purpose, record

EMAIL_SALT = "secondopinion.verify-email"
EMAIL_MAX_AGE = 3 * 24 * 3600


def email_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=EMAIL_SALT)


def send_verification(user: User) -> None:
    notify.verify_email(user.email, reverse("accounts:verify_email", args=[email_token(user)]))


@transaction.atomic
def sign_up(
    *,
    email: str,
    password: str,
    full_name: str,
    role: str = Role.PATIENT,
    verified: bool = False,
    clinician: dict[str, Any] | None = None,
) -> User:
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        role=role,
        email_verified_at=timezone.now() if verified else None,
    )
    record(user, AuditAction.SIGNUP, user, Purpose.OPERATIONS, detail={"role": role})
    if clinician is not None:
        profile = ClinicianProfile.objects.create(user=user, **clinician)
        record(
            user,
            AuditAction.CLINICIAN_APPLY,
            profile,
            Purpose.OPERATIONS,
            detail={"npi": profile.npi, "state": profile.licence_state},
        )
    if not verified:
        transaction.on_commit(lambda: send_verification(user))
    return user


def confirm_email(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=EMAIL_MAX_AGE)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is not None and user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


@transaction.atomic
def review_clinician(admin: User, profile: ClinicianProfile, approve: bool, note: str) -> None:
    profile.status = ClinicianProfile.Status.APPROVED if approve else ClinicianProfile.Status.REJECTED
    profile.reviewed_by, profile.reviewed_at, profile.review_note = admin, timezone.now(), note
    profile.save()
    action = AuditAction.CLINICIAN_APPROVE if approve else AuditAction.CLINICIAN_REJECT
    record(admin, action, profile, Purpose.OPERATIONS, detail={"npi": profile.npi})
    email = profile.user.email
    transaction.on_commit(lambda: notify.clinician_reviewed(email, approve))


@transaction.atomic
def create_access_token(user: User, name: str) -> tuple[AccessToken, str]:
    raw = AccessToken.new_raw()
    token = AccessToken.objects.create(user=user, name=name, token_hash=AccessToken.hash(raw), hint=raw[-4:])
    record(user, AuditAction.TOKEN_CREATE, token, Purpose.SECURITY, detail={"name": name})
    return token, raw


@transaction.atomic
def revoke_access_token(user: User, token: AccessToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(user, AuditAction.TOKEN_REVOKE, token, Purpose.SECURITY)


def start_mfa(user: User) -> TOTPDevice:
    """A new authenticator for two-step sign-in, waiting for its first code."""
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_mfa(user: User, device: TOTPDevice) -> None:
    """The device's first code matched: it replaces any earlier authenticator, and two-step sign-in is on."""
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    record(user, AuditAction.MFA_ENROLL, user, Purpose.SECURITY)


def user_for_token(raw: str) -> User | None:
    token = (
        AccessToken.objects.select_related("user")
        .filter(token_hash=AccessToken.hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
