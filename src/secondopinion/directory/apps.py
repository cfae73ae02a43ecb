from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_centers(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from .actions import sync_centers

    if using == "default":
        sync_centers()


class DirectoryConfig(AppConfig):
    name = "secondopinion.directory"
    label = "directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_sync_centers, sender=self)
