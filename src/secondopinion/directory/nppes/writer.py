"""The NPPES import's write path, `NppesWriter`: one prepared statement per table, the same SQL on SQLite
(3.24+) and PostgreSQL (`INSERT … ON CONFLICT`). Django's `bulk_create` builds one large statement per
batch and spends most of an import compiling it; this skips that."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from typing import Any

from django.db import connection, models

from secondopinion.core.geo import zip_centroid

from ..search.tables import marks, refresh_search_rows, run_in, select_in
from .columns import F, Row, address_text, name_key

# --- The NPPES import's write path ------------------------------------------------------------------------
# `NppesWriter.write` applies one batch of parsed rows (the import's one write rule): new NPI -> inserted,
# other digest -> updated, same digest -> unchanged; a deactivation-only row marks an NPI we hold. It works
# on flat tuples with SQL built once per import:
# `executemany` on SQLite; on PostgreSQL `COPY` into a temporary staging table, then one
# `INSERT … SELECT … ON CONFLICT` (3x faster than `unnest` of parameter arrays, measured).

PRACTITIONER_COLUMNS = (
    "npi", "family_name", "given_name", "middle_name", "prefix", "suffix", "credentials", "family_name_key",
    "given_name_key", "sex", "active", "deactivated_on", "states_licensed", "nppes_hash", "updated_at",
    "accepts_second_opinions", "offers_video", "languages",
)  # fmt: skip
PRACTITIONER_UPDATE = PRACTITIONER_COLUMNS[1:15]  # profile fields are set on insert only
ORGANIZATION_COLUMNS = (
    "npi", "name", "name_key", "center_designation", "taxonomy_codes", "primary_taxonomy", "location_id",
    "active", "deactivated_on", "nppes_hash", "updated_at",
)  # fmt: skip
ORGANIZATION_UPDATE = (
    "name", "name_key", "taxonomy_codes", "primary_taxonomy", "location_id", "active", "deactivated_on",
    "nppes_hash",
)  # fmt: skip
LOCATION_COLUMNS = (
    "address_key", "line1", "line2", "city", "state", "zip5", "postal_code", "country", "phone", "latitude",
    "longitude",
)  # fmt: skip
SPECIALTY_COLUMNS = ("practitioner_id", "nucc_code", "primary", "slot", "license_number", "license_state")
ROLE_COLUMNS = ("practitioner_id", "location_id", "source", "active")


@dataclass
class BatchCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    unknown_codes: set[str] = dc_field(default_factory=set)


@dataclass(frozen=True)
class _Upsert:
    table: str
    columns: str
    stage: str  # PostgreSQL: the staging table's name
    tail: str  # ON CONFLICT …


class NppesWriter:
    """Writes batches of `nppes.Row`s; `write` runs in the importer's transaction (with the checkpoint)."""

    def __init__(self) -> None:
        from ..models import Location, Organization, Practitioner, PractitionerRole, PractitionerSpecialty

        self.pg = connection.vendor == "postgresql"
        self.json_cache: dict[tuple[str, ...], str] = {}
        self.known_codes = _known_codes()
        self.practitioner = self._upsert(Practitioner, PRACTITIONER_COLUMNS, "npi", PRACTITIONER_UPDATE)
        self.organization = self._upsert(Organization, ORGANIZATION_COLUMNS, "npi", ORGANIZATION_UPDATE)
        self.location = self._upsert(Location, LOCATION_COLUMNS, "address_key", ())
        self.specialty = self._upsert(PractitionerSpecialty, SPECIALTY_COLUMNS, None, ())
        self.role = self._upsert(PractitionerRole, ROLE_COLUMNS, None, ())
        # Identifiers come from the models' meta and are quoted; every value is a parameter.
        p, o, loc = self.practitioner.table, self.organization.table, self.location.table
        s, r = self.specialty.table, self.role.table
        self.sql_known_p = f"SELECT npi, nppes_hash, active, id FROM {p} WHERE npi {{values}}"  # noqa: S608
        self.sql_known_o = f"SELECT npi, nppes_hash, active FROM {o} WHERE npi {{values}}"  # noqa: S608
        self.sql_ids = f"SELECT npi, id FROM {p} WHERE npi {{values}}"  # noqa: S608
        self.sql_location_ids = f"SELECT address_key, id FROM {loc} WHERE address_key {{values}}"  # noqa: S608
        self.sql_deactivate = {
            table: f"UPDATE {table} SET active = %s, deactivated_on = %s, nppes_hash = %s WHERE npi = %s"  # noqa: S608
            for table in (p, o)
        }
        self.sql_drop_slots = f"DELETE FROM {s} WHERE practitioner_id {{values}}"  # noqa: S608
        self.sql_drop_roles = f"DELETE FROM {r} WHERE source = 'nppes' AND practitioner_id {{values}}"  # noqa: S608

    def _upsert(
        self, model: type[models.Model], columns: Sequence[str], conflict: str | None, update: Sequence[str]
    ) -> _Upsert:
        q = connection.ops.quote_name
        tail = ""
        if conflict:
            sets = ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in update)
            tail = f" ON CONFLICT ({q(conflict)}) DO " + (f"UPDATE SET {sets}" if update else "NOTHING")
        table = model._meta.db_table
        return _Upsert(q(table), ", ".join(q(c) for c in columns), q(f"import_stage_{table}"), tail)

    # -- SQL -------------------------------------------------------------------------------------------------
    def _insert(
        self, cursor: Any, to: _Upsert, rows: list[tuple[Any, ...]], returning: str = ""
    ) -> list[Any]:
        """INSERT the rows (ON CONFLICT as `to` says); with `returning`, the RETURNING rows (PostgreSQL)."""
        if not rows:
            return []
        if not self.pg:
            values = marks(len(rows[0]))
            cursor.executemany(f"INSERT INTO {to.table} ({to.columns}) VALUES ({values}){to.tail}", rows)  # noqa: S608
            return []
        if not to.tail and not returning:  # nothing to resolve against the table's rows: COPY straight in
            with cursor.copy(f"COPY {to.table} ({to.columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return []
        # A staging table shaped like the target's columns, dropped at commit; COPY fills it.
        cursor.execute(f"DROP TABLE IF EXISTS {to.stage}")
        shape = f"SELECT {to.columns} FROM {to.table} WITH NO DATA"  # noqa: S608
        cursor.execute(f"CREATE TEMPORARY TABLE {to.stage} ON COMMIT DROP AS {shape}")
        with cursor.copy(f"COPY {to.stage} ({to.columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        back = f" RETURNING {returning}" if returning else ""
        insert = f"INSERT INTO {to.table} ({to.columns}) SELECT {to.columns} FROM {to.stage}"  # noqa: S608
        cursor.execute(f"{insert}{to.tail}{back}")
        return list(cursor.fetchall()) if returning else []

    def _json(self, values: tuple[str, ...]) -> str:
        text = self.json_cache.get(values)
        if text is None:
            text = self.json_cache[values] = json.dumps(list(values))
        return text

    def _date(self, value: date | None) -> Any:
        return value if self.pg or value is None else value.isoformat()

    # -- one batch -------------------------------------------------------------------------------------------
    def write(self, rows: Sequence[Row]) -> BatchCounts:
        from django.utils import timezone

        result = BatchCounts()
        latest = {r.npi: r for r in rows}  # an NPI twice in one batch: the later row wins
        npis = list(latest)
        with connection.cursor() as cursor:
            known_p = {n: (h, a, i) for n, h, a, i in select_in(cursor, self.sql_known_p, npis)}
            known_o = {n: (h, a, None) for n, h, a in select_in(cursor, self.sql_known_o, npis)}
            people: list[Row] = []
            orgs: list[Row] = []
            deactivate: dict[str, list[tuple[Any, ...]]] = {
                self.practitioner.table: [],
                self.organization.table: [],
            }
            for r in rows:
                if latest[r.npi] is not r:
                    result.unchanged += 1  # superseded within the batch
                    continue
                before, was_active, _ = known_p.get(r.npi) or known_o.get(r.npi) or (None, True, None)
                if before == r.digest:
                    result.unchanged += 1
                    continue
                if r.entity_type == "":
                    if before is None:
                        result.unchanged += 1  # a deactivated NPI we never held: nothing to record
                    else:
                        table = (self.practitioner if r.npi in known_p else self.organization).table
                        deactivate[table].append((False, self._date(r.deactivated_on), r.digest, r.npi))
                        result.updated += 1
                        result.deactivated += int(bool(was_active))
                    continue
                if before is None:
                    result.inserted += 1
                else:
                    result.updated += 1
                if r.deactivated_on is not None and was_active:
                    result.deactivated += 1  # newly marked: a re-run counts 0
                (people if r.entity_type == "1" else orgs).append(r)
                for slot in r.slots:
                    if slot[1] not in self.known_codes:
                        result.unknown_codes.add(slot[1])
            for table, params in deactivate.items():
                if params:
                    cursor.executemany(self.sql_deactivate[table], params)
            if people or orgs:
                now = timezone.now()
                stamp = now if self.pg else connection.ops.adapt_datetimefield_value(now)
                keys, location_ids = self._locations(cursor, people, orgs)
                organizations = [self._organization(r, location_ids.get(keys[id(r)]), stamp) for r in orgs]
                self._insert(cursor, self.organization, organizations)
                if people:
                    suspended = self._suspend_triggers(cursor)
                    ids = self._people(cursor, people, known_p, keys, location_ids, stamp)
                    if suspended:
                        refresh_search_rows(cursor, ids)
                        for sql in suspended:
                            cursor.execute(sql)
        return result

    def _suspend_triggers(self, cursor: Any) -> list[str]:
        """SQLite: drop, inside this batch's transaction, the row triggers that keep the search tables
        (migration 0003) on the practitioner, specialty and role tables, and return their definitions: `write`
        refreshes the batch's practitioners in a few set-wise statements (`refresh_search_rows`) and creates
        the triggers again before the commit, so no other connection ever sees them missing. Row triggers
        over a whole batch nearly doubled the import (measured); PostgreSQL's are statement-level and stay."""
        if self.pg:
            return []
        tables = [t.table.strip('"') for t in (self.practitioner, self.specialty, self.role)]
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (%s, %s, %s) "
            "AND name LIKE 'dir_search%%'",
            tables,
        )
        found = list(cursor.fetchall())
        for name, _ in found:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
        return [sql for _, sql in found]

    def _locations(
        self, cursor: Any, people: list[Row], orgs: list[Row]
    ) -> tuple[dict[int, str], dict[str, int]]:
        """Each row's address key (by `id(row)`), and Location ids by key, creating the ones not seen before
        (geocoded by ZIP centroid; an existing Location is left as it is)."""
        line1_i, line2_i, city_i, state_i = F["line1"], F["line2"], F["city"], F["state"]
        postal_i, country_i, phone_i = F["postal_code"], F["country"], F["phone"]
        keys: dict[int, str] = {}
        wanted: dict[str, tuple[Any, ...]] = {}
        for r in (*people, *orgs):
            f = r.fields
            line1, line2, city, state = f[line1_i], f[line2_i], f[city_i], f[state_i]
            text = address_text(line1, line2, city, state, r.zip5)
            key = keys[id(r)] = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
            if key not in wanted and (line1 or r.zip5):
                lat, lon = zip_centroid(r.zip5) or (None, None)
                wanted[key] = (
                    key, line1[:200], line2[:200], city[:100], state[:40], r.zip5, f[postal_i][:20],
                    (f[country_i] or "US")[:2], f[phone_i][:30], lat, lon,
                )  # fmt: skip
        if not wanted:
            return keys, {}
        self._insert(cursor, self.location, list(wanted.values()))
        return keys, dict(select_in(cursor, self.sql_location_ids, list(wanted)))

    def _organization(self, r: Row, location_id: int | None, stamp: Any) -> tuple[Any, ...]:
        name = r.fields[F["org_name"]][:300]
        codes = tuple(s[1] for s in r.slots)
        primary = next((s[1] for s in r.slots if s[2]), codes[0] if codes else "")
        active = r.deactivated_on is None
        return (
            r.npi, name, name_key(name)[:300], "", self._json(codes), primary, location_id, active,
            self._date(r.deactivated_on), r.digest, stamp,
        )  # fmt: skip

    def _people(
        self,
        cursor: Any,
        people: list[Row],
        known: dict[str, tuple[Any, Any, Any]],
        keys: dict[int, str],
        location_ids: dict[str, int],
        stamp: Any,
    ) -> list[int]:
        family_i, given_i, middle_i = F["family_name"], F["given_name"], F["middle_name"]
        prefix_i, suffix_i, credentials_i, sex_i = F["prefix"], F["suffix"], F["credentials"], F["sex"]
        rows = []
        for r in people:
            f = r.fields
            family, given, sex = f[family_i], f[given_i], f[sex_i]
            states = tuple(sorted({s[4] for s in r.slots if len(s[4]) == 2}))
            row = (
                r.npi, family[:100], given[:100], f[middle_i][:100], f[prefix_i][:20], f[suffix_i][:20],
                f[credentials_i][:100], name_key(family)[:100], name_key(given)[:100],
                sex if sex in ("F", "M") else "", r.deactivated_on is None, self._date(r.deactivated_on),
                self._json(states), r.digest, stamp, False, False, "[]",
            )  # fmt: skip
            rows.append(row)
        ids: dict[str, int] = dict(self._insert(cursor, self.practitioner, rows, returning="npi, id"))
        if not self.pg:
            ids = {r.npi: known[r.npi][2] for r in people if r.npi in known}
            ids.update(select_in(cursor, self.sql_ids, [r.npi for r in people if r.npi not in ids]))
        # Rewritten practitioners lose their NPPES slots and role, then get the file's (new ones have none).
        held = [ids[r.npi] for r in people if r.npi in known]
        if held:
            run_in(cursor, self.sql_drop_slots, held)
            run_in(cursor, self.sql_drop_roles, held)
        specialties = [
            (ids[r.npi], code[:10], primary, slot, license_number[:40], license_state[:2])
            for r in people
            for slot, code, primary, license_number, license_state in r.slots
        ]
        self._insert(cursor, self.specialty, specialties)
        roles = [
            (ids[r.npi], location_ids.get(keys[id(r)]), "nppes", r.deactivated_on is None) for r in people
        ]
        self._insert(cursor, self.role, roles)
        return list(ids.values())


def _known_codes() -> frozenset[str]:
    from ..taxonomy import nucc_table

    return frozenset(nucc_table())
