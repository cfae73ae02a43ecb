"""Look-ups of accounts for the views: users, clinicians waiting for verification, tokens, devices.

Reads only; every write (and its audit row) is in `accounts.actions`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
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


def _accounts_label(users: list[User]) -> str:
    return ", ".join(f"{user.full_name} ({user.email})" for user in users)


@dataclass(frozen=True)
class PendingReview:
    """An application in the verification queue, with the other accounts that give the same NPI.

    An NPI names one clinician, so a second account with it is either someone else using their number or
    the same person twice: either way the admin looks before approving. Each label is "" when none does.
    """

    profile: ClinicianProfile
    verified_elsewhere: str  # the accounts already verified with this NPI, "name (e-mail), …"
    also_pending: str  # the other applications waiting with this NPI


def pending_reviews() -> list[PendingReview]:
    """The verification queue, oldest first, each application with the accounts that share its NPI."""
    pending = list(pending_clinicians().order_by("created_at", "pk"))
    waiting: dict[str, list[ClinicianProfile]] = defaultdict(list)
    for profile in pending:
        waiting[profile.npi].append(profile)
    verified: dict[str, list[User]] = defaultdict(list)
    approved = ClinicianProfile.objects.select_related("user").filter(
        npi__in=waiting.keys(), status=ClinicianProfile.Status.APPROVED
    )
    for profile in approved.order_by("pk"):
        verified[profile.npi].append(profile.user)
    return [
        PendingReview(
            profile,
            _accounts_label(verified[profile.npi]),
            _accounts_label([other.user for other in waiting[profile.npi] if other.pk != profile.pk]),
        )
        for profile in pending
    ]


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
