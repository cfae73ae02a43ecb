"""Reviews and the center <-> program link change owner in Django's state only (directory 0005, reviews
0001, consults 0002): rows written before the move are read after it, through the new owners, unchanged."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_NODES = [("consults", "0001_initial"), ("directory", "0004_import_deferred")]
BEFORE = [("reviews", None), *BEFORE_NODES]
AFTER = [
    ("reviews", "0001_initial"),
    ("consults", "0002_program_centers"),
    ("directory", "0005_reviews_and_programs_leave"),
]


def _state_before(executor: MigrationExecutor) -> list[tuple[str, str]]:
    """Every other app at its latest migration, these two before the move, no reviews."""
    moved = dict(BEFORE_NODES)
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "reviews"]
    return [(app, moved.get(app, name)) for app, name in leaves]


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_read_after_it() -> None:
    executor = _executor()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(_state_before(executor)).apps
    User, Case = old.get_model("accounts", "User"), old.get_model("cases", "Case")
    Program, Request = old.get_model("consults", "Program"), old.get_model("consults", "ConsultRequest")
    Organization, Practitioner = (
        old.get_model("directory", "Organization"),
        old.get_model("directory", "Practitioner"),
    )
    Review, Report = old.get_model("directory", "Review"), old.get_model("directory", "ReviewReport")
    patient = User.objects.create(email="moved@example.test", password="x")
    case = Case.objects.create(owner=patient, title="Before the move")
    request = Request.objects.create(case=case, kind="independent_specialist", created_by=patient)
    program = Program.objects.create(name="Program before the move")
    center = Organization.objects.create(name="Center before the move")
    center.programs.add(program)
    doctor = Practitioner.objects.create(npi="1234567893", family_name="Chen")
    scores = {"overall": 5, "communication": 4, "explaining_options": 3, "time_given": 2}
    review = Review.objects.create(
        practitioner=doctor, author=patient, request=request, text="Kind.", **scores
    )
    Report.objects.create(review=review, reporter=patient, reason="other")

    executor = _executor()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Program, Organization = new.get_model("consults", "Program"), new.get_model("directory", "Organization")
    Review, Report = new.get_model("reviews", "Review"), new.get_model("reviews", "ReviewReport")
    assert list(Program.objects.get(pk=program.pk).centers.values_list("pk", flat=True)) == [center.pk]
    assert list(Organization.objects.get(pk=center.pk).programs.values_list("pk", flat=True)) == [program.pk]
    moved = Review.objects.get(pk=review.pk)
    assert (moved.practitioner_id, moved.request_id, moved.text) == (doctor.pk, request.pk, "Kind.")
    assert {k: getattr(moved, k) for k in scores} == scores
    assert Report.objects.get(review_id=review.pk).reason == "other"
    assert "directory_review" in connection.introspection.table_names()

    executor = _executor()
    executor.migrate(BEFORE)  # and back: the rows are still there for the directory's old models
    old = executor.loader.project_state(_state_before(executor)).apps
    assert old.get_model("directory", "Review").objects.filter(pk=review.pk).exists()
    assert old.get_model("directory", "Organization").objects.get(pk=center.pk).programs.count() == 1

    executor = _executor()
    executor.migrate(executor.loader.graph.leaf_nodes())  # leave the database as the other tests expect
