"""Every write to accounts, with its audit row, in one transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
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


def token_days() -> int:
    """SECONDOPINION_TOKEN_DAYS: how long a new access token opens the API (default 90 days)."""
    return int(getattr(settings, "SECONDOPINION_TOKEN_DAYS", 90))


@transaction.atomic
def create_access_token(user: User, name: str, days: int | None = None) -> tuple[AccessToken, str]:
    raw = AccessToken.new_raw()
    days = token_days() if days is None else days
    expires_at = timezone.now() + timedelta(days=days)
    token = AccessToken.objects.create(
        user=user, name=name, token_hash=AccessToken.hash(raw), hint=raw[-4:], expires_at=expires_at
    )
    record(user, AuditAction.TOKEN_CREATE, token, Purpose.SECURITY, detail={"name": name, "days": days})
    return token, raw


@transaction.atomic
def revoke_access_token(user: User, token: AccessToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(user, AuditAction.TOKEN_REVOKE, token, Purpose.SECURITY)


@transaction.atomic
def revoke_all_tokens(user: User, *, reason: str) -> int:
    """End every token of the account that still opens the API (a new password ends them all); each one
    audited with the reason."""
    now = timezone.now()
    live = list(AccessToken.objects.filter(user=user, revoked_at__isnull=True))
    AccessToken.objects.filter(pk__in=[t.pk for t in live]).update(revoked_at=now)
    for token in live:
        record(user, AuditAction.TOKEN_REVOKE, token, Purpose.SECURITY, detail={"reason": reason})
    return len(live)


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


def user_for_token(raw: str, client_ip: str | None = None) -> User | None:
    """The account a live token opens, or None. Use from an address the token has not been used from
    before is audited (its first use too)."""
    token = (
        AccessToken.objects.select_related("user")
        .filter(token_hash=AccessToken.hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    now = timezone.now()
    if token is None or token.expires_at is None or token.expires_at <= now:
        return None
    new_address = bool(client_ip) and client_ip != token.last_used_ip
    if new_address:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=client_ip)
        record(
            token.user,
            AuditAction.TOKEN_NEW_ADDRESS,
            token,
            Purpose.SECURITY,
            detail={"address": client_ip, "before": token.last_used_ip or ""},
        )
    elif token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
