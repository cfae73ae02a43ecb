from typing import Any

from django.apps import AppConfig
from django.db import connection
from django.db.models.signals import post_migrate


def _after_migrate(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Mirror the cancer-center table; restore what an interrupted first import set aside (`empty_load`)."""
    if using != "default":
        return
    from .actions import sync_centers
    from .models import ImportRun
    from .nppes.empty_load import restore_unfinished

    sync_centers()
    table = ImportRun._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return  # migrated back to before the directory
        columns = connection.introspection.get_table_description(cursor, table)
    if any(c.name == "deferred" for c in columns):  # not when migrated back to before 0004
        restore_unfinished()


class DirectoryConfig(AppConfig):
    name = "secondopinion.directory"
    label = "directory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_after_migrate, sender=self)
        from secondopinion.core.work import register
        from secondopinion.directory import work

        register(work.places)
