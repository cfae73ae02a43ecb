"""The first doctor's diagnosis and plan live in the first opinion now (opinions.0002 moved them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_companion_can_request"),
        ("opinions", "0002_first_opinion_from_case"),
    ]

    operations = [
        migrations.RemoveField(model_name="case", name="first_diagnosis"),
        migrations.RemoveField(model_name="case", name="first_plan"),
        migrations.RemoveField(model_name="case", name="first_plan_modalities"),
    ]
