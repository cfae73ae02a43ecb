"""The reviews' models, taken over from the directory with their tables (state only: nothing in the
database changes). The content types are renamed so that permissions and generic links follow."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


def rename_content_types(apps, schema_editor, old="directory", new="reviews"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label=old, model__in=["review", "reviewreport"]
    ).update(app_label=new)


def rename_back(apps, schema_editor):
    rename_content_types(apps, schema_editor, old="reviews", new="directory")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('consults', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('directory', '0005_reviews_and_programs_leave'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Review',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('overall', models.PositiveSmallIntegerField()),
                        ('communication', models.PositiveSmallIntegerField()),
                        ('explaining_options', models.PositiveSmallIntegerField()),
                        ('time_given', models.PositiveSmallIntegerField()),
                        ('text', models.TextField(blank=True, max_length=4000)),
                        ('status', models.CharField(choices=[('published', 'Published'), ('reported', 'Reported, waiting for a moderator'), ('removed', 'Removed by a moderator')], db_index=True, default='published', max_length=10)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('moderated_at', models.DateTimeField(blank=True, null=True)),
                        ('moderation_note', models.TextField(blank=True)),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('moderated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='directory.organization')),
                        ('practitioner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='directory.practitioner')),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='consults.consultrequest')),
                    ],
                    options={
                        'db_table': 'directory_review',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ReviewReport',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('reason', models.CharField(choices=[('abusive', 'Abusive, hateful or threatening'), ('private', "Shares someone's private or health information"), ('false', 'Not about a real consult, or false'), ('advertising', 'Advertising or spam'), ('other', 'Something else')], max_length=20)),
                        ('detail', models.TextField(blank=True, max_length=2000)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('resolved_at', models.DateTimeField(blank=True, null=True)),
                        ('reporter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='reviews.review')),
                    ],
                    options={
                        'db_table': 'directory_reviewreport',
                        'ordering': ['created_at'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='review',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('organization__isnull', True), ('practitioner__isnull', False)), models.Q(('organization__isnull', False), ('practitioner__isnull', True)), _connector='OR'), name='dir_review_one_subject'),
                ),
                migrations.AddConstraint(
                    model_name='review',
                    constraint=models.UniqueConstraint(condition=models.Q(('practitioner__isnull', False)), fields=('author', 'practitioner'), name='dir_review_once_per_practitioner'),
                ),
                migrations.AddConstraint(
                    model_name='review',
                    constraint=models.UniqueConstraint(condition=models.Q(('organization__isnull', False)), fields=('author', 'organization'), name='dir_review_once_per_organization'),
                ),
                migrations.AddConstraint(
                    model_name='review',
                    constraint=models.CheckConstraint(condition=models.Q(('overall__gte', 1), ('overall__lte', 5)), name='dir_review_overall_1_to_5'),
                ),
                migrations.AddConstraint(
                    model_name='review',
                    constraint=models.CheckConstraint(condition=models.Q(('communication__gte', 1), ('communication__lte', 5)), name='dir_review_communication_1_to_5'),
                ),
                migrations.AddConstraint(
                    model_name='review',
                    constraint=models.CheckConstraint(condition=models.Q(('explaining_options__gte', 1), ('explaining_options__lte', 5)), name='dir_review_explaining_options_1_to_5'),
                ),
                migrations.AddConstraint(
                    model_name='review',
                    constraint=models.CheckConstraint(condition=models.Q(('time_given__gte', 1), ('time_given__lte', 5)), name='dir_review_time_given_1_to_5'),
                ),
                migrations.AddConstraint(
                    model_name='reviewreport',
                    constraint=models.UniqueConstraint(fields=('review', 'reporter'), name='dir_review_report_once'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, rename_back),
    ]
