"""Look-ups of accounts for the views: users, clinicians waiting for verification, tokens, devices.

Reads only; every write (and its audit row) is in `accounts.actions`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from secondopinion.accounts.models import AccessToken, ClinicianProfile, User


def account_exists(email: str) -> bool:
    """Is there an account for this address (e-mail addresses compare without case)?"""
    return User.objects.filter(email__iexact=email).exists()


def pending_clinicians() -> QuerySet[ClinicianProfile]:
    """Clinicians who signed up and wait for an admin to check their license."""
    return ClinicianProfile.objects.select_related("user").filter(status=ClinicianProfile.Status.PENDING)


def pending_clinician(profile_id: Any) -> ClinicianProfile | None:
    return ClinicianProfile.objects.filter(pk=profile_id, status=ClinicianProfile.Status.PENDING).first()


def active_tokens(user: Any) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=user, revoked_at__isnull=True)


def own_token(user: Any, token_id: Any) -> AccessToken | None:
    return AccessToken.objects.filter(user=user, pk=token_id).first()


def confirmed_devices(user: Any) -> QuerySet[TOTPDevice]:
    """The authenticator apps the user set up for two-step sign-in."""
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def has_mfa(user: Any) -> bool:
    return confirmed_devices(user).exists()


def unconfirmed_device(user: Any) -> TOTPDevice | None:
    """The authenticator the user started to set up and has not confirmed with a code yet."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()
