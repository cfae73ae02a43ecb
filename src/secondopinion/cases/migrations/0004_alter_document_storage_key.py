"""Document.storage_key becomes a StorageKeyField (the storage sweep keeps the files these fields name).

The column stays the same varchar(64) UNIQUE: only the migration state changes, so SQLite does not
rebuild the table for a new field class.
"""

import secondopinion.core.models
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_remove_first_opinion_fields"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="document",
                    name="storage_key",
                    field=secondopinion.core.models.StorageKeyField(max_length=64, unique=True),
                ),
            ],
        ),
    ]
