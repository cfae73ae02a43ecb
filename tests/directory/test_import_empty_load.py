"""A first import into an empty directory sets its indexes and search triggers aside and builds them at the
end (`directory.nppes.empty_load`); an interrupted one gets them back from `--resume`, another import or
`migrate`; a directory that already holds practitioners is filled with everything in place."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from secondopinion.directory.models import ImportRun, Practitioner
from secondopinion.directory.nppes import empty_load
from secondopinion.directory.search import SearchParams, search
from secondopinion.directory.synth import synth

from .helpers import run
from .test_perf_search_structures import INDEXES, TRIGGERS, points_are_exact

pytestmark = pytest.mark.django_db(transaction=True)


def schema() -> set[tuple[str, str]]:
    """(kind, name) of every index and trigger of the directory's tables, read from the catalog."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') "
                "AND tbl_name LIKE 'directory%%'"
            )
            return {(kind, name) for kind, name in cursor.fetchall()}
        cursor.execute(
            "SELECT 'index', indexname FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename LIKE 'directory%%' UNION ALL SELECT 'trigger', tgname FROM pg_trigger "
            "WHERE NOT tgisinternal AND tgrelid::regclass::text LIKE 'directory%%'"
        )
        return {(kind, name) for kind, name in cursor.fetchall()}


def missing(before: set[tuple[str, str]]) -> set[str]:
    return {name for _, name in before - schema()}


def oncologists() -> int:
    params = SearchParams(specialty="medical oncologist", near="10001", radius_miles=3000, limit=200)
    return len(search(params))


@pytest.fixture
def interrupted(tmp_path, settings):
    """A first import stopped after 120 of 400 rows: (the file, the schema it started from). The flush
    between tests empties tables but would not bring back a dropped index or trigger."""
    path = tmp_path / "first.csv"
    synth(path, 400, seed=21)
    before = schema()
    settings.DIRECTORY_IMPORT_STOP_AFTER_ROWS = 120
    summary, _ = run("import-nppes", path, "--batch-rows", "50")
    settings.DIRECTORY_IMPORT_STOP_AFTER_ROWS = None
    assert summary["inserted"] + summary["updated"] + summary["unchanged"] <= 120
    yield path, before
    empty_load.restore_unfinished()  # whatever a test left set aside: the next test's database needs it


def test_a_first_import_ends_with_every_index_trigger_and_search_row(tmp_path):
    before = schema()
    assert {n for _, n in before} >= INDEXES | TRIGGERS
    synth(tmp_path / "a.csv", 600, seed=3)
    summary, _ = run("import-nppes", tmp_path / "a.csv", "--batch-rows", "100")
    assert summary["inserted"] == 600
    assert schema() == before
    assert ImportRun.objects.get().deferred == []
    assert points_are_exact() > 500
    assert oncologists() > 0


def test_while_interrupted_the_indexes_and_triggers_are_recorded_not_lost(interrupted):
    _, before = interrupted
    gone = missing(before)
    assert gone >= INDEXES | TRIGGERS  # set aside …
    recorded = {item["name"] for item in ImportRun.objects.get().deferred}
    assert recorded == gone  # … and every one of them on the checkpoint
    assert Practitioner.objects.filter(npi__isnull=False).exists()


def test_resume_goes_on_and_restores_at_its_end(interrupted):
    path, before = interrupted
    summary, _ = run("import-nppes", path, "--batch-rows", "50", "--resume")
    assert sum(summary[k] for k in ("inserted", "updated", "unchanged", "bad_rows")) == 400  # the whole file
    assert summary["inserted"] > 350
    assert schema() == before
    assert ImportRun.objects.get().deferred == []
    assert points_are_exact() > 300


def test_another_import_restores_first_then_fills_with_indexes_in_place(interrupted, tmp_path, settings):
    _, before = interrupted
    synth(tmp_path / "other.csv", 200, seed=22)
    settings.DIRECTORY_IMPORT_STOP_AFTER_ROWS = 50
    run("import-nppes", tmp_path / "other.csv", "--batch-rows", "25")
    # The interrupted run's indexes came back before this one started, and this one, stopped half-way
    # into a directory that was not empty, never set anything aside.
    assert schema() == before
    assert not ImportRun.objects.exclude(deferred=[]).exists()
    settings.DIRECTORY_IMPORT_STOP_AFTER_ROWS = None
    run("import-nppes", tmp_path / "other.csv", "--resume")
    assert points_are_exact() > 300


def test_migrate_restores_what_an_interrupted_import_set_aside(interrupted):
    _, before = interrupted
    call_command("migrate", verbosity=0)
    assert schema() == before
    assert not ImportRun.objects.exclude(deferred=[]).exists()
    assert points_are_exact() > 50
    assert oncologists() > 0
