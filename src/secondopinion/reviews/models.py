"""Patients' reviews of practitioners and cancer centers, and reports of abusive ones.

A review needs a completed consult, so this app sits above the directory (the subjects) and consults (the
consult that made the author eligible). The tables keep the names they were created with in the directory.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from secondopinion.directory.models import Organization, Practitioner


class ReviewStatus(models.TextChoices):
    PUBLISHED = "published", "Published"
    REPORTED = "reported", "Reported, waiting for a moderator"
    REMOVED = "removed", "Removed by a moderator"


class Review(models.Model):
    """A patient's opinion of a practitioner or a cancer center, written after a completed consult with them.

    Exactly one of `practitioner` and `organization` is set. `request` is the completed consult that made the
    author eligible; it is never shown. Published reviews are public text; the author is never named."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practitioner = models.ForeignKey(
        Practitioner, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="reviews"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey("consults.ConsultRequest", on_delete=models.PROTECT, related_name="+")
    overall = models.PositiveSmallIntegerField()
    communication = models.PositiveSmallIntegerField()
    explaining_options = models.PositiveSmallIntegerField()
    time_given = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True, max_length=4000)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PUBLISHED, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderation_note = models.TextField(blank=True)

    class Meta:
        db_table = "directory_review"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(practitioner__isnull=False, organization__isnull=True)
                    | models.Q(practitioner__isnull=True, organization__isnull=False)
                ),
                name="dir_review_one_subject",
            ),
            models.UniqueConstraint(
                fields=["author", "practitioner"],
                condition=models.Q(practitioner__isnull=False),
                name="dir_review_once_per_practitioner",
            ),
            models.UniqueConstraint(
                fields=["author", "organization"],
                condition=models.Q(organization__isnull=False),
                name="dir_review_once_per_organization",
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{score}__gte": 1, f"{score}__lte": 5}),
                    name=f"dir_review_{score}_1_to_5",
                )
                for score in ("overall", "communication", "explaining_options", "time_given")
            ],
        ]


class ReportReason(models.TextChoices):
    ABUSIVE = "abusive", "Abusive, hateful or threatening"
    PRIVATE = "private", "Shares someone's private or health information"
    FALSE = "false", "Not about a real consult, or false"
    ADVERTISING = "advertising", "Advertising or spam"
    OTHER = "other", "Something else"


class ReviewReport(models.Model):
    """Someone's report that a review is abusive; a report sends the review to the moderation queue."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    detail = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "directory_reviewreport"
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["review", "reporter"], name="dir_review_report_once")]
