from __future__ import annotations

from django.conf import settings
from django.db import models

from secondopinion.core.models import UUIDModel


class TriageAssessment(UUIDModel):
    """One run of the triage engine, kept with the case it was saved to."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="triage_assessments")
    answers = models.JSONField()
    result = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.result.get('recommendation', '')} ({self.created_at:%Y-%m-%d})"

    @property
    def reason_codes(self) -> list[str]:
        return list(self.result.get("reasons", []))
