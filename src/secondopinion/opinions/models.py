from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondopinion.core.models import AppendOnlyError, UUIDModel


class Opinion(UUIDModel):
    """One structured opinion (docs/opinion-schema.md); immutable once signed (addenda only)."""

    class Source(models.TextChoices):
        FIRST = "first", _("First opinion")
        CONSULT = "consult", _("Second or later opinion")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="opinions")
    request = models.OneToOneField(
        "consults.ConsultRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="opinion"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.JSONField(default=dict)
    stated_change = models.JSONField(
        default=dict, blank=True
    )  # the consultant's own view: {dimension: class}
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} ({self.created_at:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and self.signed_at is not None and not kwargs.pop("signing", False):
            stored = type(self).objects.filter(pk=self.pk).values_list("signed_at", flat=True).first()
            if stored is not None:
                raise AppendOnlyError("a signed opinion cannot change; add an addendum")
        super().save(*args, **kwargs)


class Addendum(UUIDModel):
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class Decision(UUIDModel):
    """The patient's decision: who treats them and which advice they follow. They alone decide."""

    class Follows(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")
        UNDECIDED = "undecided", _("Not decided yet")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="decisions")
    treating_doctor = models.CharField(_("who will treat you"), max_length=200)
    opinion = models.ForeignKey(Opinion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    follows_advice = models.CharField(max_length=10, choices=Follows.choices, default=Follows.UNDECIDED)
    note = models.TextField(blank=True)
    share_with_first_doctor = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]


class ShareLink(UUIDModel):
    """An expiring link that lets the first doctor read one signed opinion (with the patient's permission)."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="share_links")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
