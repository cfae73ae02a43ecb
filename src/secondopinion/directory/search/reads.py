"""The directory search's reads: candidates by name key, by specialty slot and by point, and the places
and specialties of a page of results. The rules (matching, distance, ranking) are in `rules.py`; these
only fetch. `practitioners_sql` lends the search's filters to the FHIR endpoints, so both run one SQL text.
Directory rows are public register data: no access gateway."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
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
from .rules import Box
from .tables import SEARCH_POINTS, SEARCH_SLOTS, in_list, marks

CHUNK = 5000  # ids per IN (...): well under SQLite's bound-parameter limit


@dataclass(frozen=True, slots=True)
class Filters:
    """What active practitioners must pass: a specialty slot holding one of `codes`, a cancer focus on one
    of `cancer_terms`, video visits, a language (in the JSON text; the rule checks the list), an active role
    at an organization of one of `designations`, an active role located in `box`, and per query word one of
    the name keys it matches (`word_keys`) as family or given key."""

    codes: tuple[str, ...] = ()
    cancer_terms: tuple[str, ...] = ()
    video: bool | None = None
    language: str = ""
    designations: tuple[str, ...] = ()
    box: Box | None = None
    word_keys: tuple[tuple[str, ...], ...] = ()


def specialty_slots(practitioner_ids: list[int]) -> list[tuple[int, str, bool]]:
    """(practitioner id, NUCC code, primary) in slot order."""
    rows: list[tuple[int, str, bool]] = []
    for start in range(0, len(practitioner_ids), CHUNK):
        rows.extend(
            PractitionerSpecialty.objects.filter(practitioner_id__in=practitioner_ids[start : start + CHUNK])
            .order_by("practitioner_id", "slot")
            .values_list("practitioner_id", "nucc_code", "primary")
        )
    return rows


# Raw SQL for the search at national scale (docs/directory-search.md, "How it stays fast"). Table and column
# names are constants; every value is a parameter.
_P, _S, _F = Practitioner._meta.db_table, PractitionerSpecialty._meta.db_table, CancerFocus._meta.db_table
_R, _L, _O = PractitionerRole._meta.db_table, Location._meta.db_table, Organization._meta.db_table


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Search reads pages all over a large file: map it instead of copying pages through read().
            cursor.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")
        cursor.execute(sql, params)
        return list(cursor.fetchall())


SQLITE_MMAP_BYTES = 1 << 30


def name_keys(prefix: str) -> list[str]:
    """The distinct family and given name keys starting with `prefix` (lower-case letters), by a loose index
    scan: one index probe per distinct key, however many practitioners share it."""
    upper = prefix.rstrip("z")
    upper = upper[:-1] + chr(ord(upper[-1]) + 1) if upper else ""  # "sm" -> "sn", "az" -> "b", "zz" -> none
    found: set[str] = set()
    for column in ("family_name_key", "given_name_key"):
        below = f" AND {column} < %s" if upper else ""
        step = f"SELECT min({column}) FROM {_P} WHERE {column} "  # noqa: S608
        first, then = f"({step}>= %s{below})", f"({step}> k.key{below})"
        walk = f"SELECT {first} UNION ALL SELECT {then} FROM k WHERE k.key IS NOT NULL"  # noqa: S608
        sql = f"WITH RECURSIVE k(key) AS ({walk}) SELECT key FROM k WHERE key IS NOT NULL"  # noqa: S608
        params = [prefix, upper, upper] if upper else [prefix]
        found.update(key for (key,) in _fetch(sql, params))
    return sorted(found)


def by_name_keys(keys: list[str], limit: int) -> list[tuple[int, str, str]]:
    """(id, family key, given key) of the first `limit` active practitioners, in (family key, given key, id)
    order, whose family or given key is one of `keys`."""
    head = f"SELECT id, family_name_key, given_name_key FROM {_P} WHERE active = %s AND "  # noqa: S608
    if len(keys) > NAME_KEYS_ONE_BY_ONE:
        sql = f"{head}(family_name_key IN ({marks(len(keys))}) OR given_name_key IN ({marks(len(keys))}))"
        order = " ORDER BY family_name_key, given_name_key, id LIMIT %s"
        return [tuple(r) for r in _fetch(sql + order, [True, *keys, *keys, limit])]
    streams = []
    for key in keys:  # each an index range already in order: merged below
        streams.append(
            _fetch(f"{head}family_name_key = %s ORDER BY given_name_key, id LIMIT %s", [True, key, limit])
        )
        streams.append(
            _fetch(f"{head}given_name_key = %s ORDER BY family_name_key, id LIMIT %s", [True, key, limit])
        )
    seen: set[int] = set()
    out: list[tuple[int, str, str]] = []
    for pid, family, given in heapq.merge(*streams, key=lambda r: (r[1], r[2], r[0])):
        if pid not in seen:
            seen.add(pid)
            out.append((pid, family, given))
            if len(out) == limit:
                break
    return out


NAME_KEYS_ONE_BY_ONE = 16


def count_by_name_keys(keys: list[str] | None) -> int:
    """How many active practitioners have one of `keys` as family or given key (None: how many are active)."""
    sql = f"SELECT COUNT(*) FROM {_P} WHERE active = %s"  # noqa: S608
    if keys is None:
        return int(_fetch(sql, [True])[0][0])
    if not keys:
        return 0
    sql += f" AND (family_name_key IN ({marks(len(keys))}) OR given_name_key IN ({marks(len(keys))}))"
    return int(_fetch(sql, [True, *keys, *keys])[0][0])


def first_active(limit: int) -> list[tuple[int, str, str]]:
    """(id, family key, given key) of the first `limit` active practitioners by name."""
    sql = f"SELECT id, family_name_key, given_name_key FROM {_P} WHERE active = %s"  # noqa: S608
    return [
        tuple(r)
        for r in _fetch(sql + " ORDER BY family_name_key, given_name_key, id LIMIT %s", [True, limit])
    ]


def _where(f: Filters) -> tuple[list[str], list[Any]]:
    """The conditions on `p` (the practitioner table) for the filters, and their values. The most selective
    filter drives the statement (`p.id IN (…)`); the others are checked on each of its rows (EXISTS)."""
    in_box = "latitude >= %s AND latitude <= %s AND longitude >= %s AND longitude <= %s"
    corners = list(f.box) if f.box is not None else []
    # (FROM …, the practitioner id column, WHERE …, values), the best driver first
    filters: list[tuple[str, str, str, list[Any]]] = []

    def add(source: str, owner: str, condition: str, values: list[Any]) -> None:
        filters.append((source, owner, condition, values))

    by_point = ""
    if f.box is not None and (f.codes or f.cancer_terms):  # a point: the term AND an active role in the box
        by_point, terms = ("s", f.codes) if f.codes else ("c", f.cancer_terms)
        condition = f"kind = %s AND term IN ({marks(len(terms))}) AND {in_box}"
        add(SEARCH_POINTS, "practitioner_id", condition, [by_point, *terms, *corners])
    if f.designations:
        condition = f"r.active = %s AND o.center_designation IN ({marks(len(f.designations))})"
        add(
            f"{_R} r JOIN {_O} o ON o.id = r.organization_id",
            "r.practitioner_id",
            condition,
            [True, *f.designations],
        )
    if f.cancer_terms and by_point != "c":
        add(_F, "practitioner_id", f"cancer_type IN ({marks(len(f.cancer_terms))})", list(f.cancer_terms))
    if f.codes and by_point != "s":
        add(_S, "practitioner_id", f"nucc_code IN ({marks(len(f.codes))})", list(f.codes))
    if f.box is not None and not by_point:
        condition = "r.active = %s AND l." + in_box.replace(" AND ", " AND l.")
        add(f"{_R} r JOIN {_L} l ON l.id = r.location_id", "r.practitioner_id", condition, [True, *corners])
    where: list[str] = ["p.active = %s"]
    params: list[Any] = [True]
    for n, (source, owner, condition, values) in enumerate(filters):
        if n == 0:
            where.append(f"p.id IN (SELECT {owner} FROM {source} WHERE {condition})")  # noqa: S608
        else:
            where.append(f"EXISTS (SELECT 1 FROM {source} WHERE {owner} = p.id AND {condition})")  # noqa: S608
        params.extend(values)
    more_where, more = _person_filters(f.video, f.language, f.word_keys, prefix="p.")
    return where + more_where, params + more


def search_rows(f: Filters) -> list[tuple[int, str, str, Any, bool]]:
    """(id, family key, given key, languages, primary match: a primary slot holds one of the codes) of the
    active practitioners passing the filters, in one statement."""
    where, params = _where(f)
    primary = "FALSE"
    if f.codes:
        owned = f's.practitioner_id = p.id AND s."primary" = %s AND s.nucc_code IN ({marks(len(f.codes))})'
        primary = f"EXISTS (SELECT 1 FROM {_S} s WHERE {owned})"  # noqa: S608
        params = [True, *f.codes, *params]
    columns = f"p.id, p.family_name_key, p.given_name_key, p.languages, {primary}"
    sql = f"SELECT {columns} FROM {_P} p WHERE {' AND '.join(where)}"  # noqa: S608
    return [tuple(r) for r in _fetch(sql, params)]


def practitioners_sql(f: Filters) -> tuple[str, list[Any]]:
    """The ids of the active practitioners passing the filters, as a statement and its values (for
    `pk__in=RawSQL(…)`): the search's own SQL, for the reads that page with the ORM."""
    where, params = _where(f)
    return f"SELECT p.id FROM {_P} p WHERE {' AND '.join(where)}", params  # noqa: S608


def _in_ids(column: str, ids: list[int]) -> tuple[str, list[Any]]:
    condition, param = in_list(ids)
    return f"{column} {condition}", [param]


def _person_filters(
    video: bool | None, language: str, word_keys: tuple[tuple[str, ...], ...], prefix: str = ""
) -> tuple[list[str], list[Any]]:
    """SQL conditions on a row holding `offers_video`, `languages` and the name keys."""
    where: list[str] = []
    params: list[Any] = []
    for keys in word_keys:
        listed = marks(len(keys))
        where.append(f"({prefix}family_name_key IN ({listed}) OR {prefix}given_name_key IN ({listed}))")
        params.extend([*keys, *keys])
    if video is not None:
        where.append(f"{prefix}offers_video = %s")
        params.append(video)
    if language:
        # JSON text (jsonb on PostgreSQL): `"es"` inside the list; the search checks the list exactly after.
        cast = "::text" if connection.vendor == "postgresql" and not prefix.startswith("t.") else ""
        where.append(f"{prefix}languages{cast} LIKE %s")
        params.append(f'%"{language}"%')
    return where, params


def point_rows(kind: str, terms: tuple[str, ...], box: Box) -> list[tuple[int, int, float, float, bool]]:
    """(practitioner id, role id, latitude, longitude, primary) of the search points of `terms` (kind "s":
    NUCC codes, "c": cancer types) in the box: each active geocoded role of a practitioner with the term."""
    columns = "practitioner_id, role_id, latitude, longitude, is_primary"
    inside = "latitude >= %s AND latitude <= %s AND longitude >= %s AND longitude <= %s"
    where = f"kind = %s AND term IN ({marks(len(terms))}) AND {inside}"
    sql = f"SELECT {columns} FROM {SEARCH_POINTS} WHERE {where}"  # noqa: S608
    return [tuple(r) for r in _fetch(sql, [kind, *terms, *box])]


def slot_rows(
    codes: tuple[str, ...], video: bool | None, language: str, word_keys: tuple[tuple[str, ...], ...]
) -> list[tuple[int, bool, str, str, str]]:
    """(practitioner id, primary, family key, given key, languages) of the active practitioners' specialty
    slots holding one of `codes`, with the video, language and name filters: one index range scan."""
    where, params = _person_filters(video, language, word_keys, prefix="t.")
    conditions = " AND ".join([f"t.term IN ({marks(len(codes))})", "t.active = %s", *where])
    columns = "t.practitioner_id, t.is_primary, t.family_name_key, t.given_name_key, t.languages"
    sql = f"SELECT {columns} FROM {SEARCH_SLOTS} t WHERE {conditions}"  # noqa: S608
    return [tuple(r) for r in _fetch(sql, [*codes, True, *params])]


def people_rows(
    ids: list[int],
    video: bool | None,
    language: str,
    word_keys: tuple[tuple[str, ...], ...],
    cancer_terms: tuple[str, ...] = (),
) -> list[tuple[int, str, str, Any]]:
    """(id, family key, given key, languages) of those of `ids` who are active and pass the filters."""
    if not ids:
        return []
    ids_sql, params = _in_ids("p.id", ids)
    where, more = _person_filters(video, language, word_keys, prefix="p.")
    if cancer_terms:
        owned = f"f.practitioner_id = p.id AND f.cancer_type IN ({marks(len(cancer_terms))})"
        where.append(f"EXISTS (SELECT 1 FROM {_F} f WHERE {owned})")  # noqa: S608
        more.extend(cancer_terms)
    conditions = " AND ".join([ids_sql, "p.active = %s", *where])
    sql = f"SELECT p.id, p.family_name_key, p.given_name_key, p.languages FROM {_P} p WHERE {conditions}"  # noqa: S608
    return [tuple(r) for r in _fetch(sql, [*params, True, *more])]


def places_of(practitioner_ids: list[int]) -> list[tuple[int, float | None, float | None, str, str, str]]:
    """(practitioner id, latitude, longitude, city, state, organization designation) of each active role, in
    (practitioner id, role id) order, in one statement."""
    if not practitioner_ids:
        return []
    columns = "r.practitioner_id, l.latitude, l.longitude, l.city, l.state, o.center_designation"
    joins = f"{_R} r LEFT JOIN {_L} l ON l.id = r.location_id LEFT JOIN {_O} o ON o.id = r.organization_id"
    sql = f"SELECT {columns} FROM {joins} WHERE r.active = %s AND {{values}}"  # noqa: S608
    sql += " ORDER BY r.practitioner_id, r.id"
    condition, ids = _in_ids("r.practitioner_id", practitioner_ids)
    return [tuple(r) for r in _fetch(sql.format(values=condition), [True, *ids])]
