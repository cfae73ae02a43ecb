"""Message.attachment_key becomes a StorageKeyField (the storage sweep keeps the files these fields name).

The column stays the same varchar(64): only the migration state changes, so SQLite does not rebuild the
table for a new field class.
"""

import secondopinion.core.models
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("consults", "0002_program_centers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="message",
                    name="attachment_key",
                    field=secondopinion.core.models.StorageKeyField(blank=True, max_length=64),
                ),
            ],
        ),
    ]
