from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondopinion.core.models import StorageKeyField, UUIDModel


class Subject(models.TextChoices):
    SELF = "self", _("Me")
    CHILD = "child", _("My child (I am the parent or guardian)")
    DEPENDENT = "dependent", _("Someone in my legal care")


class Case(UUIDModel):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases")
    title = models.CharField(_("name for this case"), max_length=200)
    subject = models.CharField(
        _("whose case is this"), max_length=12, choices=Subject.choices, default="self"
    )
    subject_name = models.CharField(_("patient's name"), max_length=200, blank=True)
    subject_birth_date = models.DateField(_("patient's date of birth"), null=True, blank=True)

    # The diagnosis as the patient knows it (free text, optional codes: system + code + display).
    cancer_type = models.CharField(_("type of cancer"), max_length=200, blank=True)
    cancer_type_system = models.CharField(max_length=100, blank=True)
    cancer_type_code = models.CharField(max_length=20, blank=True)
    body_site = models.CharField(_("where in the body"), max_length=200, blank=True)
    body_site_system = models.CharField(max_length=100, blank=True)
    body_site_code = models.CharField(max_length=20, blank=True)
    diagnosis_date = models.DateField(_("date of diagnosis"), null=True, blank=True)

    treatment_received = models.JSONField(_("treatment already received"), default=list, blank=True)
    treatment_received_notes = models.TextField(_("notes on treatment received"), blank=True)

    first_doctor_name = models.CharField(_("first doctor's name"), max_length=200, blank=True)
    first_doctor_specialty = models.CharField(_("specialty"), max_length=200, blank=True)
    first_doctor_institution = models.CharField(_("hospital or practice"), max_length=200, blank=True)
    first_doctor_email = models.EmailField(_("first doctor's e-mail"), blank=True)
    # The first doctor's diagnosis and plan are the case's first opinion (opinions.Opinion, source "first").

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Medicine(UUIDModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="medicines")
    name = models.CharField(_("name"), max_length=200)
    dose = models.CharField(_("dose"), max_length=100, blank=True)
    frequency = models.CharField(_("how often"), max_length=100, blank=True)
    since = models.DateField(_("taking it since"), null=True, blank=True)
    is_supplement = models.BooleanField(_("vitamin, herb or supplement"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]


class Question(UUIDModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"), max_length=2000)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class DocumentKind(models.TextChoices):
    PATHOLOGY_REPORT = "pathology_report", _("Pathology report")
    IMAGING_REPORT = "imaging_report", _("Imaging report")
    IMAGING_STUDY = "imaging_study", _("Imaging study (DICOM)")
    LAB_RESULT = "lab_result", _("Lab result")
    CLINICAL_NOTE = "clinical_note", _("Clinical note or letter")
    SLIDE_IMAGE = "slide_image", _("Slide image")
    OTHER = "other", _("Other")


class Document(UUIDModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind of document"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    document_date = models.DateField(_("date on the document"), null=True, blank=True)
    original_filename = models.CharField(max_length=255)
    detected_type = models.CharField(max_length=20)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_key = StorageKeyField(max_length=64, unique=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["case", "sha256"], name="unique_document_per_case")]

    def __str__(self) -> str:
        return self.title or self.original_filename


class Companion(UUIDModel):
    """A family member or friend the patient invited, with what they may do and until when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="companions")
    email = models.EmailField(_("their e-mail address"))
    name = models.CharField(_("their name"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="companionships",
    )
    can_view = models.BooleanField(_("may see the case and download documents"), default=True)
    can_ask = models.BooleanField(_("may ask questions"), default=False)
    # The patient's own doctor: a verified referring physician who accepts this grant may see the
    # packet and ask for second opinions for the patient (cases/rules.py, `referrer_rule`).
    can_request = models.BooleanField(_("may ask for second opinions for me"), default=False)
    expires_at = models.DateTimeField(_("access ends on"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
