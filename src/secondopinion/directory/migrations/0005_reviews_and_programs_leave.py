"""Reviews move to the `reviews` app and the center <-> program link to `consults.Program.centers`.
State only: the tables stay where they are, under their names; the apps that now own them take them over
(reviews 0001, consults 0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_import_deferred"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="organization", name="programs"),
                migrations.DeleteModel(name="ReviewReport"),
                migrations.DeleteModel(name="Review"),
            ],
            database_operations=[],
        ),
    ]
