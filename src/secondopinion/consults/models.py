from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from secondopinion.consults.transitions import Status
from secondopinion.core.models import StorageKeyField, UUIDModel


class Kind(models.TextChoices):
    INDEPENDENT_SPECIALIST = "independent_specialist", _("Independent specialist")
    PATHOLOGY_REVIEW = "pathology_review", _("Pathology review")
    TUMOR_BOARD = "tumor_board", _("Tumor board")
    RENOWNED_EXPERT = "renowned_expert", _("Renowned expert")


STATUS_CHOICES = [
    (Status.DRAFT, pgettext_lazy("request status", "Draft")),
    (Status.REQUESTED, pgettext_lazy("request status", "Sent")),
    (Status.RECEIVED, pgettext_lazy("request status", "Received")),
    (Status.ACCEPTED, pgettext_lazy("request status", "Accepted")),
    (Status.REJECTED, pgettext_lazy("request status", "Declined")),
    (Status.IN_PROGRESS, pgettext_lazy("request status", "In progress")),
    (Status.ON_HOLD, pgettext_lazy("request status", "Waiting for you")),
    (Status.COMPLETED, pgettext_lazy("request status", "Opinion ready")),
    (Status.CANCELLED, pgettext_lazy("request status", "Cancelled")),
    (Status.FAILED, pgettext_lazy("request status", "Could not be completed")),
    (Status.ENTERED_IN_ERROR, pgettext_lazy("request status", "Entered in error")),
]


class Program(UUIDModel):
    """A center's second-opinion service: coordinators assign its requests to its consultants."""

    name = models.CharField(max_length=200)
    institution = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    fee_notes = models.TextField(_("fees"), blank=True)
    insurance_notes = models.TextField(_("insurance"), blank=True)
    turnaround_days = models.PositiveIntegerField(_("expected turnaround (business days)"), default=5)
    kinds = models.JSONField(default=list)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_programs", blank=True
    )
    consultants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="consultant_programs", blank=True
    )
    active = models.BooleanField(default=True)
    # The cancer centers that run this program: a patient whose request with it is completed may review
    # the center, and the center's public page lists it. The table was created on the directory's side.
    centers = models.ManyToManyField(
        "directory.Organization",
        blank=True,
        related_name="programs",
        db_table="directory_organization_programs",
    )

    def __str__(self) -> str:
        return self.name


class ConsultantProfile(models.Model):
    """What a patient sees before asking a named consultant."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consult_profile"
    )
    fee_notes = models.TextField(blank=True)
    insurance_notes = models.TextField(blank=True)
    turnaround_days = models.PositiveIntegerField(default=5)
    accepts_requests = models.BooleanField(default=True)


class ConsultRequest(UUIDModel):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="consult_requests")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=Status.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consult_requests",
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    reasons_text = models.TextField(_("why you are asking"), blank=True)
    reason_codes = models.JSONField(default=list, blank=True)
    previous_request = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    target_days = models.PositiveIntegerField(default=5)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class RequestQuestion(UUIDModel):
    """The patient's questions as they were when the request was sent: each one needs an answer."""

    request = models.ForeignKey(ConsultRequest, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]


class StatusChange(models.Model):
    request = models.ForeignKey(ConsultRequest, on_delete=models.CASCADE, related_name="status_changes")
    source = models.CharField(max_length=20)
    target = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_kind = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]


class Consent(UUIDModel):
    """A versioned record of exactly which documents were shared with whom, until when."""

    request = models.ForeignKey(ConsultRequest, on_delete=models.CASCADE, related_name="consents")
    version = models.PositiveIntegerField()
    documents = models.ManyToManyField("cases.Document", related_name="consents", blank=True)
    snapshot = models.JSONField(default=list)  # [{id, sha256, title, kind}] as shared
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["request", "version"], name="unique_consent_version")]

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and self.superseded_at is None and self.expires_at > now


class Message(UUIDModel):
    request = models.ForeignKey(ConsultRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=10000)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_key = StorageKeyField(max_length=64, blank=True)
    attachment_size = models.BigIntegerField(null=True, blank=True)
    attachment_type = models.CharField(max_length=20, blank=True)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class AppointmentSlot(UUIDModel):
    class Mode(models.TextChoices):
        VISIT = "visit", _("Visit in person")
        VIDEO = "video", _("Video call")

    request = models.ForeignKey(ConsultRequest, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    minutes = models.PositiveIntegerField(default=45)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    place = models.CharField(max_length=300, blank=True)
    video_link = models.URLField(blank=True)
    chosen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]


class Shipment(UUIDModel):
    class Material(models.TextChoices):
        SLIDES = "slides", _("Glass slides")
        BLOCKS = "blocks", _("Tissue blocks")
        BOTH = "both", _("Slides and blocks")

    class State(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("shipment state", "Requested")
        SHIPPED = "shipped", pgettext_lazy("shipment state", "Shipped")
        RECEIVED = "received", pgettext_lazy("shipment state", "Received")
        RETURNED = "returned", pgettext_lazy("shipment state", "Returned")

    request = models.ForeignKey(ConsultRequest, on_delete=models.CASCADE, related_name="shipments")
    material = models.CharField(max_length=10, choices=Material.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    carrier = models.CharField(max_length=100, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    events = models.JSONField(default=list)  # [{state, at, by}]
    created_at = models.DateTimeField(auto_now_add=True)


class UrgentFinding(UUIDModel):
    request = models.ForeignKey(ConsultRequest, on_delete=models.CASCADE, related_name="urgent_findings")
    flagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
