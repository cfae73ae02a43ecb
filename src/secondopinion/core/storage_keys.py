"""Which stored files are still referenced: the registry the storage sweep asks before deleting.

A model holding the key of a file in the encrypted store declares it as a ``StorageKeyField``; this
module finds every such field through Django's app registry, so a new model that keeps files joins
the registry by its field type alone, and the sweep never has to be told about it. It reads keys only
(no health data), through each model's default manager: the access gateway guards what a user may
see, and the sweep shows no user anything.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

from .models import StorageKeyField


def storage_key_fields() -> list[tuple[type[models.Model], StorageKeyField]]:
    """Every (model, field) pair that holds a storage key, concrete models only."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, StorageKeyField) and field.model is model
    ]


def referenced_keys(keys: list[str]) -> set[str]:
    """The subset of ``keys`` that some row of some model still holds (the sweep's ``known_keys``)."""
    found: set[str] = set()
    wanted = [key for key in keys if key]
    if not wanted:
        return found
    for model, field in storage_key_fields():
        rows = model._default_manager.filter(**{f"{field.attname}__in": wanted})
        found.update(rows.values_list(field.attname, flat=True))
    return found
