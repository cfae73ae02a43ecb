"""The search tables' rule in set-wise SQL, and "is in this list" helpers for the import's statements.

Migration 0003's triggers keep `directory_searchpoint` (each specialty or cancer-focus row x each active role
with a geocoded location) and `directory_searchslot` (each specialty row with its practitioner's search
fields) row by row. The import rewrites them set-wise instead: for a batch's practitioners
(`refresh_search_rows`, SQLite batches) or for the whole directory (`rebuild_search_rows`, the end of a first
import into empty tables, see `empty_load`). `tests/directory/test_perf_search_structures.py` holds both to
the triggers' rule.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection

# Each statement, then how it is limited to some practitioners (`{values}`: see `run_in`). Fixed texts only.
_STATEMENTS = (
    ("DELETE FROM directory_searchpoint", " WHERE practitioner_id {values}"),
    ("DELETE FROM directory_searchslot", " WHERE practitioner_id {values}"),
    (
        "INSERT INTO directory_searchpoint (kind, ref_id, role_id, practitioner_id, term, is_primary, "
        "latitude, longitude) SELECT 's', x.id, r.id, x.practitioner_id, x.nucc_code, x.\"primary\", "
        "l.latitude, l.longitude FROM directory_practitionerspecialty x JOIN directory_practitionerrole r "
        "ON r.practitioner_id = x.practitioner_id AND r.active "
        "JOIN directory_location l ON l.id = r.location_id "
        "WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL",
        " AND x.practitioner_id {values}",
    ),
    (
        "INSERT INTO directory_searchpoint (kind, ref_id, role_id, practitioner_id, term, is_primary, "
        "latitude, longitude) SELECT 'c', x.id, r.id, x.practitioner_id, x.cancer_type, FALSE, l.latitude, "
        "l.longitude FROM directory_cancerfocus x JOIN directory_practitionerrole r "
        "ON r.practitioner_id = x.practitioner_id AND r.active "
        "JOIN directory_location l ON l.id = r.location_id "
        "WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL",
        " AND x.practitioner_id {values}",
    ),
    (
        "INSERT INTO directory_searchslot (practitioner_id, ref_id, term, is_primary, active, offers_video, "
        "languages, family_name_key, given_name_key) "
        'SELECT x.practitioner_id, x.id, x.nucc_code, x."primary", p.active, p.offers_video, p.languages, '
        "p.family_name_key, p.given_name_key "
        "FROM directory_practitionerspecialty x JOIN directory_practitioner p ON p.id = x.practitioner_id",
        " WHERE x.practitioner_id {values}",
    ),
)


_SCOPED = tuple(sql + only for sql, only in _STATEMENTS)
_ALL = tuple(sql for sql, _ in _STATEMENTS)


def refresh_search_rows(cursor: Any, practitioner_ids: list[int]) -> None:
    """Rewrite the search points and slots of these practitioners from their current rows."""
    for sql in _SCOPED:
        run_in(cursor, sql, practitioner_ids)


def rebuild_search_rows(cursor: Any) -> None:
    """Rewrite every search point and slot from the current rows."""
    for sql in _ALL:
        cursor.execute(sql)


def run_in(cursor: Any, sql: str, values: list[Any], *before: Any) -> None:
    """Run `sql`, whose `{values}` placeholder stands for "is in the list" (`= ANY(array)` on PostgreSQL,
    `IN (json_each(…))` on SQLite): one parameter whatever the list's length. `before`: earlier parameters."""
    if connection.vendor == "postgresql":
        cursor.execute(sql.format(values="= ANY(%s)"), [*before, values])
    else:
        cursor.execute(
            sql.format(values="IN (SELECT value FROM json_each(%s))"), [*before, json.dumps(values)]
        )


def select_in(cursor: Any, sql: str, values: list[Any]) -> list[tuple[Any, ...]]:
    """`run_in`, then the rows (none without values)."""
    if not values:
        return []
    run_in(cursor, sql, values)
    return list(cursor.fetchall())
