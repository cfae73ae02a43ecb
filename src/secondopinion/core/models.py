from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit rows are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit rows are append-only")


class AuditEvent(models.Model):
    """One audit row. Append-only; `seq` and the HMAC chain make any edit or deletion detectable."""

    seq = models.BigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    actor_label = models.CharField(max_length=300)
    action = models.CharField(max_length=60, db_index=True)
    entity_type = models.CharField(max_length=60, blank=True)
    entity_id = models.CharField(max_length=64, blank=True)
    case_id = models.UUIDField(null=True, blank=True, db_index=True)
    purpose = models.CharField(max_length=20)
    outcome = models.CharField(max_length=10, db_index=True)
    client_ip = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hmac = models.CharField(max_length=64)
    hmac = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not kwargs.get("force_insert"):
            raise AppendOnlyError("audit rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("audit rows are append-only")


class AuditChainHead(models.Model):
    """A single row holding the chain's tip; writers lock it so the chain cannot fork."""

    last_seq = models.BigIntegerField(default=0)
    last_hmac = models.CharField(max_length=64)


class UUIDModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class StorageKeyField(models.CharField):
    """A column holding the key of a file in the encrypted store (``core.storage``).

    Every model that keeps a storage key declares it with this field: the storage sweep keeps exactly the
    files whose keys some StorageKeyField holds (``core.storage_keys``), so a key kept in a plain
    CharField would have its file deleted as an orphan. The column is an ordinary ``varchar``.
    """


class RateCounter(models.Model):
    """One fixed-window counter (rate limits, failed sign-ins per client address), shared by every process
    that uses the database; Redis holds them instead when it is configured (core.ratelimit)."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)
