"""A first import into an empty directory: indexes and search triggers set aside until the end.

Filling empty tables row by row through a dozen secondary indexes and the search triggers costs most of a
first import (docs/directory-import.md). When an import starts and the directory holds no practitioner and
no NPPES organization, `set_aside` records the definitions of the directory tables' non-unique indexes and
of the search triggers on the run's checkpoint row (`ImportRun.deferred`) and drops them, in one
transaction. Unique indexes stay: the upserts and the per-batch look-ups need them. At the end `restore`
builds the indexes again (one sort each instead of millions of inserts), rewrites the search tables set-wise
(`search.tables.rebuild_search_rows`) and creates the triggers again, in one transaction, then clears the
record.

If the process dies in between, the record says what is missing. It is restored by whichever comes first:
`import-nppes --resume` of that file (which goes on without them and restores at its end), any other
`import-nppes` run (before it starts), or `migrate` (post-migrate). Until then the rows loaded so far are
found by name but not yet by specialty, cancer type or distance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from ..models import ImportRun, Organization, Practitioner
from ..search.tables import SEARCH_TABLES, SEARCHED_TABLES, marks, rebuild_search_rows

TRIGGER_PREFIX = "dir_search"
INDEX_BUILD_MEMORY = "256MB"  # PostgreSQL's server memory, for the transaction that builds the indexes


def directory_is_empty() -> bool:
    """No practitioner and no NPPES organization (the NPI-less cancer centers do not count)."""
    return not (Practitioner.objects.exists() or Organization.objects.filter(npi__isnull=False).exists())


def _definitions(cursor: Any) -> list[dict[str, str]]:
    """The non-unique indexes of SEARCHED_TABLES and the search triggers, as {kind, name, table, sql}."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT 'index', c.relname, t.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace "
            "AND NOT i.indisunique AND NOT i.indisprimary "
            "UNION ALL "
            "SELECT 'trigger', g.tgname, t.relname, pg_get_triggerdef(g.oid) FROM pg_trigger g "
            "JOIN pg_class t ON t.oid = g.tgrelid WHERE t.relname = ANY(%s) "
            "AND t.relnamespace = current_schema()::regnamespace AND NOT g.tgisinternal AND g.tgname LIKE %s",
            [list(SEARCHED_TABLES), list(SEARCHED_TABLES), f"{TRIGGER_PREFIX}%"],
        )
    else:
        tables = marks(len(SEARCHED_TABLES))
        cursor.execute(
            f"SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name IN ({tables}) "  # noqa: S608
            "AND sql IS NOT NULL AND ((type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%%') "
            "OR (type = 'trigger' AND name LIKE %s))",
            [*SEARCHED_TABLES, f"{TRIGGER_PREFIX}%"],
        )
    return [
        {"kind": kind, "name": name, "table": table, "sql": sql}
        for kind, name, table, sql in sorted(cursor.fetchall())
    ]


def _drop(cursor: Any, item: dict[str, str]) -> None:
    q = connection.ops.quote_name
    if item["kind"] == "index":
        cursor.execute(f"DROP INDEX {q(item['name'])}")
    elif connection.vendor == "postgresql":
        cursor.execute(f"DROP TRIGGER {q(item['name'])} ON {q(item['table'])}")
    else:
        cursor.execute(f"DROP TRIGGER {q(item['name'])}")


def _settle_deferred_checks() -> None:
    """PostgreSQL refuses to create or drop an index on a table with deferred foreign-key checks pending in
    the transaction (only inside an enclosing transaction, as in tests): run those checks now."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        connection.check_constraints()


def set_aside(run: ImportRun) -> int:
    """Drop the indexes and triggers and record them on `run`, in one transaction; returns how many."""
    _settle_deferred_checks()
    with transaction.atomic(), connection.cursor() as cursor:
        items = _definitions(cursor)
        run.deferred = items
        run.save(update_fields=["deferred", "updated_at"])
        for item in items:
            _drop(cursor, item)
    return len(items)


def restore(run: ImportRun, emit: Callable[[str], None] | None = None) -> None:
    """Build again what `set_aside` dropped and the search rows, in one transaction; clear the record."""
    if not run.deferred:
        return
    if emit:
        emit("\nbuilding the search indexes and tables…\n")
    items: list[dict[str, str]] = list(run.deferred)
    first = [i for i in items if i["kind"] == "index" and i["table"] not in SEARCH_TABLES]
    then = [i for i in items if i["kind"] == "index" and i["table"] in SEARCH_TABLES]
    triggers = [i for i in items if i["kind"] == "trigger"]
    _settle_deferred_checks()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # sorts for the index builds in memory (default 64 MB)
            cursor.execute(f"SET LOCAL maintenance_work_mem TO '{INDEX_BUILD_MEMORY}'")
        for item in first:
            cursor.execute(item["sql"])
        rebuild_search_rows(cursor)  # into unindexed tables, then one index build each
        for item in then + triggers:
            cursor.execute(item["sql"])
        run.deferred = []
        run.save(update_fields=["deferred", "updated_at"])


def restore_unfinished(keep: ImportRun | None = None) -> int:
    """Restore what interrupted first imports set aside (all but `keep`'s); returns how many runs."""
    runs = ImportRun.objects.exclude(deferred=[])
    if keep is not None:
        runs = runs.exclude(pk=keep.pk)
    found = list(runs)
    for run in found:
        restore(run)
    return len(found)
