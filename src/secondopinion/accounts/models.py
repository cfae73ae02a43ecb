from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PATIENT = "patient", _("Patient")
    COMPANION = "companion", _("Companion (family or friend)")
    REFERRING_PHYSICIAN = "referring_physician", _("Referring physician")
    CONSULTANT = "consultant", _("Consultant")
    PATHOLOGIST = "pathologist", _("Pathologist")
    BOARD_MEMBER = "board_member", _("Tumor board member")
    COORDINATOR = "coordinator", _("Program coordinator")
    ADMIN = "admin", _("Administrator")


# Typed as sets of `str`: `User.role` is a CharField (a `str`), and a `Role` member is a `str` too.
CLINICIAN_ROLES: frozenset[str] = frozenset(
    {Role.REFERRING_PHYSICIAN, Role.CONSULTANT, Role.PATHOLOGIST, Role.BOARD_MEMBER, Role.COORDINATOR}
)
PERSON_ROLES: frozenset[str] = frozenset({Role.PATIENT, Role.COMPANION})
MFA_REQUIRED_ROLES: frozenset[str] = CLINICIAN_ROLES | {Role.ADMIN}
# The roles that give opinions on a consult request.
CONSULTANT_ROLES = (Role.CONSULTANT, Role.PATHOLOGIST, Role.BOARD_MEMBER)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", Role.ADMIN)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.PATIENT)
    is_active = models.BooleanField(default=True)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    preferred_language = models.CharField(max_length=8, default="en")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new password (a reset, an admin, the command line: whatever set it) ends the account's access
        tokens in the same transaction; its other sessions end by themselves (Django checks the session
        against the password)."""
        password_changed = self.pk is not None and getattr(self, "_password", None) is not None
        with transaction.atomic():
            super().save(*args, **kwargs)
            if password_changed:
                from secondopinion.accounts.actions import revoke_all_tokens

                revoke_all_tokens(self, reason="password_changed")

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    if TYPE_CHECKING:
        # django_otp's OTPMiddleware sets `user.is_verified = partial(…)` on every `request.user`
        # at run time; declared here for the type checker only (nothing changes at run time).
        def is_verified(self) -> bool: ...

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:
        return False

    @property
    def is_clinician(self) -> bool:
        return self.role in CLINICIAN_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def needs_second_factor(self) -> bool:
        return self.role in MFA_REQUIRED_ROLES

    @property
    def clinician_verified(self) -> bool:
        profile = getattr(self, "clinician_profile", None)
        return bool(profile and profile.status == ClinicianProfile.Status.APPROVED)

    @property
    def may_see_health_data(self) -> bool:
        """Admins never do (outside an audited break-glass); clinicians only once verified."""
        if self.email_verified_at is None or self.is_admin:
            return False
        if self.is_clinician:
            return self.clinician_verified
        return True


class ClinicianProfile(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Verified")
        REJECTED = "rejected", _("Not verified")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="clinician_profile")
    npi = models.CharField("NPI", max_length=10)
    licence_state = models.CharField(_("license state"), max_length=2)
    specialty = models.CharField(_("specialty"), max_length=200, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class AccessToken(models.Model):
    """A personal access token for integrations; only its SHA-256 is stored."""

    PREFIX = "so_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # After this the token opens nothing (SECONDOPINION_TOKEN_DAYS after it was made). Set for every token;
    # nullable only so that the migration could fill the existing ones.
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)  # a new one is audited

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def new_raw(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class LoginFailure(models.Model):
    """A failed sign-in, kept only while it can still count towards a lock-out."""

    username = models.CharField(max_length=254, db_index=True)
    at = models.DateTimeField(db_index=True)
    client_ip = models.CharField(max_length=64, blank=True)


class LoginLock(models.Model):
    username = models.CharField(max_length=254, unique=True)
    until = models.DateTimeField()
