"""The centers that run a program: the link the directory held as Organization.programs, now on this side.
State only: the table directory_organization_programs (organization_id, program_id) stays as it is."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consults", "0001_initial"),
        ("directory", "0005_reviews_and_programs_leave"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="program",
                    name="centers",
                    field=models.ManyToManyField(
                        blank=True,
                        db_table="directory_organization_programs",
                        related_name="programs",
                        to="directory.organization",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
