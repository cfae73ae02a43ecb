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

from ..models import (
    CancerFocus,
    Location,
    Organization,
    Practitioner,
    PractitionerRole,
    PractitionerSpecialty,
)

# The search tables: created and kept by migration 0003's triggers (no model: the database owns their rows).
SEARCH_POINTS = "directory_searchpoint"
SEARCH_SLOTS = "directory_searchslot"
SEARCH_TABLES = (SEARCH_POINTS, SEARCH_SLOTS)
# Every table the search reads: the import sets aside their indexes and refreshes their statistics.
SEARCHED_TABLES = (
    Practitioner._meta.db_table,
    PractitionerSpecialty._meta.db_table,
    PractitionerRole._meta.db_table,
    Location._meta.db_table,
    Organization._meta.db_table,
    CancerFocus._meta.db_table,
    *SEARCH_TABLES,
)
_P, _S, _F = Practitioner._meta.db_table, PractitionerSpecialty._meta.db_table, CancerFocus._meta.db_table
_R, _L = PractitionerRole._meta.db_table, Location._meta.db_table

# Each statement, then how it is limited to some practitioners (`{values}`: see `run_in`). Fixed texts only.
_STATEMENTS = (
    (f"DELETE FROM {SEARCH_POINTS}", " WHERE practitioner_id {values}"),  # noqa: S608
    (f"DELETE FROM {SEARCH_SLOTS}", " WHERE practitioner_id {values}"),  # noqa: S608
    (
        f"INSERT INTO {SEARCH_POINTS} (kind, ref_id, role_id, practitioner_id, term, is_primary, latitude, "  # noqa: S608
        "longitude) SELECT 's', x.id, r.id, x.practitioner_id, x.nucc_code, x.\"primary\", l.latitude, "
        f"l.longitude FROM {_S} x JOIN {_R} r ON r.practitioner_id = x.practitioner_id AND r.active "
        f"JOIN {_L} l ON l.id = r.location_id "
        "WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL",
        " AND x.practitioner_id {values}",
    ),
    (
        f"INSERT INTO {SEARCH_POINTS} (kind, ref_id, role_id, practitioner_id, term, is_primary, latitude, "  # noqa: S608
        "longitude) SELECT 'c', x.id, r.id, x.practitioner_id, x.cancer_type, FALSE, l.latitude, "
        f"l.longitude FROM {_F} x JOIN {_R} r ON r.practitioner_id = x.practitioner_id AND r.active "
        f"JOIN {_L} l ON l.id = r.location_id "
        "WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL",
        " AND x.practitioner_id {values}",
    ),
    (
        f"INSERT INTO {SEARCH_SLOTS} (practitioner_id, ref_id, term, is_primary, active, offers_video, "  # noqa: S608
        "languages, family_name_key, given_name_key) "
        'SELECT x.practitioner_id, x.id, x.nucc_code, x."primary", p.active, p.offers_video, p.languages, '
        f"p.family_name_key, p.given_name_key FROM {_S} x JOIN {_P} p ON p.id = x.practitioner_id",
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


def marks(count: int) -> str:
    """`count` parameter placeholders, comma-separated: a VALUES row or a short fixed IN list."""
    return ", ".join(["%s"] * count)


def in_list(values: list[Any]) -> tuple[str, Any]:
    """ "Is in this list" as the SQL that follows a column, and its one parameter whatever the list's length:
    `= ANY(array)` on PostgreSQL, `IN (json_each(…))` on SQLite."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", values
    return "IN (SELECT value FROM json_each(%s))", json.dumps(values)


def run_in(cursor: Any, sql: str, values: list[Any], *before: Any) -> None:
    """Run `sql`, whose `{values}` placeholder stands for "is in the list" (`in_list`). `before`: earlier
    parameters."""
    condition, param = in_list(values)
    cursor.execute(sql.format(values=condition), [*before, param])


def select_in(cursor: Any, sql: str, values: list[Any]) -> list[tuple[Any, ...]]:
    """`run_in`, then the rows (none without values)."""
    if not values:
        return []
    run_in(cursor, sql, values)
    return list(cursor.fetchall())
