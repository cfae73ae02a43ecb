"""Fast batch writes for the importer: one prepared statement run with `executemany`, the same SQL on SQLite
(3.24+) and PostgreSQL (`INSERT … ON CONFLICT`). Django's `bulk_create` builds one large statement per
batch and spends most of an import compiling it; these helpers skip that. Used only from `actions.py`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a Python value becomes a parameter: None means as it is (strings, numbers, booleans)."""
    if isinstance(field, models.DateField | models.JSONField | models.DateTimeField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _columns(model: type[models.Model], names: Sequence[str]) -> list[models.Field[Any, Any]]:
    return [model._meta.get_field(name) for name in names]  # type: ignore[misc]


def write(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    conflict: str | None = None,
    update: Sequence[str] = (),
) -> None:
    """INSERT rows (tuples in the order of `names`); on a `conflict` on that unique column, update `update`
    (or do nothing when `update` is empty)."""
    fields = _columns(model, names)

    def quote(name: str | None) -> str:
        return connection.ops.quote_name(str(name))

    # Identifiers come from the model's meta and are quoted; every value is a parameter.
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "  # noqa: S608
    one = f"({', '.join(['%s'] * len(fields))})"
    tail = ""
    if conflict:
        target = quote(_columns(model, [conflict])[0].column)
        if update:
            sets = ", ".join(
                f"{quote(f.column)} = EXCLUDED.{quote(f.column)}" for f in _columns(model, update)
            )
            tail = f" ON CONFLICT ({target}) DO UPDATE SET {sets}"
        else:
            tail = f" ON CONFLICT ({target}) DO NOTHING"
    converters = [(i, c) for i, c in enumerate(_converter(f) for f in fields) if c is not None]
    params = []
    for row in rows:
        if converters:
            values = list(row)
            for i, convert in converters:
                values[i] = convert(values[i])
            params.append(values)
        else:
            params.append(list(row))
    if not params:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(*_unnest(model, fields, params, tail))
        else:
            cursor.executemany(head + one + tail, params)  # SQLite runs this loop in C


def _unnest(
    model: type[models.Model], fields: list[models.Field[Any, Any]], params: list[list[Any]], tail: str
) -> tuple[str, list[Any]]:
    """PostgreSQL: one array parameter per column (`INSERT … SELECT … FROM unnest(…)`): a statement of
    constant size whatever the batch, instead of one round trip per row or a huge multi-row VALUES."""
    quote = connection.ops.quote_name
    columns = [list(values) for values in zip(*params, strict=True)]
    arrays, select = [], []
    for i, field in enumerate(fields):
        if isinstance(field, models.JSONField):
            columns[i] = [None if v is None else json.dumps(getattr(v, "obj", v)) for v in columns[i]]
            arrays.append("%s::text[]")
            select.append(f"c{i}::jsonb")
        elif isinstance(field, models.CharField):
            arrays.append("%s::text[]")
            select.append(f"c{i}")
        else:
            arrays.append(
                f"%s::{field.rel_db_type(connection) if field.is_relation else field.db_type(connection)}[]"
            )
            select.append(f"c{i}")
    aliases = ", ".join(f"c{i}" for i in range(len(fields)))
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) "  # noqa: S608
        f"SELECT {', '.join(select)} FROM unnest({', '.join(arrays)}) AS u({aliases}){tail}"
    )
    return sql, columns


def lookup(model: type[models.Model], key: str, values: Sequence[Any], *names: str) -> list[tuple[Any, ...]]:
    """Rows (key, *names) whose `key` is one of `values`: `= ANY(array)` on PostgreSQL (a statement of
    constant size), `IN (…)` elsewhere; cheaper than the ORM's `__in` lookup for thousands of values."""
    if not values:
        return []
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in _columns(model, [key, *names]))
    target = quote(str(_columns(model, [key])[0].column))
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {columns} FROM {table} WHERE {target} = ANY(%s)", [list(values)])  # noqa: S608
        else:
            marks = ", ".join(["%s"] * len(values))
            sql = f"SELECT {columns} FROM {table} WHERE {target} IN ({marks})"  # noqa: S608
            cursor.execute(sql, list(values))
        return [tuple(row) for row in cursor.fetchall()]
