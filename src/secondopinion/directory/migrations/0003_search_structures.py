"""Search at national scale (docs/directory-search.md, "How it stays fast"): three covering indexes and two
tables the database keeps up to date by itself with triggers, `directory_searchpoint` and
`directory_searchslot`.

`directory_searchpoint` holds one row per (specialty slot or cancer-focus row) x (active role of the same
practitioner whose location has coordinates): kind ('s' or 'c'), the term (NUCC code or cancer type), the
primary switch, and the coordinates. Its index (kind, term, latitude, longitude, …) answers "this specialty
(or cancer type) inside this box" with one range scan, instead of joining specialty, role and location rows
one by one. Triggers on the specialty, cancer-focus, role and location tables keep it exact whatever writes
those tables (the importer, the ORM, an admin); on PostgreSQL they are statement-level triggers over
transition tables, so a batch insert costs one extra statement, and TRUNCATE empties it too.

`directory_searchslot` holds one row per specialty slot with a copy of its practitioner's search fields
(active, video visits, languages, name keys): "this specialty, video, this language" is one index range scan
instead of a probe into the practitioner table per slot. A trigger on the practitioner table refreshes the
copies when those fields change.

Plain SQL (no model): Django does not know these objects. On SQLite, a later migration that rebuilds one
of these tables (Django's "remake table" for some field changes) drops its triggers: a test
(tests/directory/test_perf_search_structures.py) fails if a trigger or index is missing.
"""

from django.db import migrations

POINT = "directory_searchpoint"
SLOT = "directory_searchslot"
PEOPLE = "directory_practitioner"
SLOT_COLUMNS = (
    "practitioner_id, ref_id, term, is_primary, active, offers_video, languages, family_name_key, given_name_key"
)
PERSON = ("active", "offers_video", "languages", "family_name_key", "given_name_key")
SPECIALTY = "directory_practitionerspecialty"
FOCUS = "directory_cancerfocus"
ROLE = "directory_practitionerrole"
LOCATION = "directory_location"
COLUMNS = "kind, ref_id, role_id, practitioner_id, term, is_primary, latitude, longitude"
# (kind, source table, term column, primary expression)
SOURCES = [("s", SPECIALTY, "nucc_code", 'x."primary"'), ("c", FOCUS, "cancer_type", "FALSE")]
WATCHED = {"s": 'practitioner_id, nucc_code, "primary"', "c": "practitioner_id, cancer_type"}

INDEXES = [
    f'CREATE INDEX dir_specialty_code_owner ON {SPECIALTY} (nucc_code, practitioner_id, "primary")',
    f"CREATE INDEX dir_cancer_focus_type_owner ON {FOCUS} (cancer_type, practitioner_id)",
    "CREATE INDEX dir_practitioner_given_family ON directory_practitioner (given_name_key, family_name_key)",
    f"CREATE INDEX dir_searchpoint_term ON {POINT} (kind, term, latitude, longitude, practitioner_id, is_primary)",
    f"CREATE INDEX dir_searchpoint_owner ON {POINT} (practitioner_id, kind, ref_id)",
    f"CREATE INDEX dir_searchslot_term ON {SLOT} (term, active, offers_video, practitioner_id, is_primary, "
    "family_name_key, given_name_key, languages)",
    f"CREATE INDEX dir_searchslot_owner ON {SLOT} (practitioner_id, ref_id)",
]
DROP_INDEXES = [
    "DROP INDEX IF EXISTS dir_specialty_code_owner",
    "DROP INDEX IF EXISTS dir_cancer_focus_type_owner",
    "DROP INDEX IF EXISTS dir_practitioner_given_family",
]


def points_for_sources(kind: str, source: str, term: str, primary: str, x: str, where: str) -> str:
    """INSERT the points of the source rows `x` (a table or transition table) joined to active geocoded roles."""
    primary = primary.replace("x.", f"{x}.")
    return (
        f"INSERT INTO {POINT} ({COLUMNS}) SELECT '{kind}', {x}.id, r.id, {x}.practitioner_id, {x}.{term}, "
        f"{primary}, l.latitude, l.longitude FROM {source} {x} "
        f"JOIN {ROLE} r ON r.practitioner_id = {x}.practitioner_id AND r.active "
        f"JOIN {LOCATION} l ON l.id = r.location_id "
        f"WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL{where}"
    )


def points_for_roles(kind: str, source: str, term: str, primary: str, r: str, where: str) -> str:
    """INSERT the points of the role rows `r` (a table or transition table) for every source row."""
    return (
        f"INSERT INTO {POINT} ({COLUMNS}) SELECT '{kind}', x.id, {r}.id, {r}.practitioner_id, x.{term}, "
        f"{primary}, l.latitude, l.longitude FROM {ROLE} {r} "
        f"JOIN {LOCATION} l ON l.id = {r}.location_id "
        f"JOIN {source} x ON x.practitioner_id = {r}.practitioner_id "
        f"WHERE {r}.active AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL{where}"
    )


def slots_for(x: str, where: str, languages: str = "p.languages") -> str:
    """INSERT the slots of the specialty rows `x` (a table or transition table) with their practitioner's
    search fields."""
    return (
        f"INSERT INTO {SLOT} ({SLOT_COLUMNS}) SELECT {x}.practitioner_id, {x}.id, {x}.nucc_code, {x}.\"primary\", "
        f"p.active, p.offers_video, {languages}, p.family_name_key, p.given_name_key FROM {SPECIALTY} {x} "
        f"JOIN {PEOPLE} p ON p.id = {x}.practitioner_id{where}"
    )


def person_sets(languages_cast: str) -> str:
    """SET the slots' copies of a practitioner's search fields from NEW."""
    return ", ".join(f"{c} = NEW.{c}{languages_cast if c == 'languages' else ''}" for c in PERSON)


def sqlite_forward() -> list[str]:
    sql = [
        f"CREATE TABLE {POINT} (kind varchar(1) NOT NULL, ref_id bigint NOT NULL, role_id bigint NOT NULL, "
        "practitioner_id bigint NOT NULL, term varchar(100) NOT NULL, is_primary bool NOT NULL, "
        "latitude real NOT NULL, longitude real NOT NULL)",
        f"CREATE TABLE {SLOT} (practitioner_id bigint NOT NULL, ref_id bigint NOT NULL, term varchar(10) NOT NULL, "
        "is_primary bool NOT NULL, active bool NOT NULL, offers_video bool NOT NULL, languages text NOT NULL, "
        "family_name_key varchar(100) NOT NULL, given_name_key varchar(100) NOT NULL)",
    ]
    new_slot = slots_for("x", " WHERE x.id = NEW.id")
    old_slot = f"DELETE FROM {SLOT} WHERE practitioner_id = OLD.practitioner_id AND ref_id = OLD.id"
    person = person_sets("")
    sql += [
        f"CREATE TRIGGER dir_searchslot_insert AFTER INSERT ON {SPECIALTY} BEGIN {new_slot}; END",
        f"CREATE TRIGGER dir_searchslot_delete AFTER DELETE ON {SPECIALTY} BEGIN {old_slot}; END",
        f"CREATE TRIGGER dir_searchslot_update AFTER UPDATE OF {WATCHED['s']} ON {SPECIALTY} "
        f"BEGIN {old_slot}; {new_slot}; END",
        f"CREATE TRIGGER dir_searchslot_person AFTER UPDATE OF {', '.join(PERSON)} ON {PEOPLE} "
        f"BEGIN UPDATE {SLOT} SET {person} WHERE practitioner_id = NEW.id; END",
    ]
    for kind, source, term, primary in SOURCES:
        new = points_for_sources(kind, source, term, primary, "x", " AND x.id = NEW.id")
        old = f"DELETE FROM {POINT} WHERE practitioner_id = OLD.practitioner_id AND kind = '{kind}' AND ref_id = OLD.id"
        sql += [
            f"CREATE TRIGGER dir_searchpoint_{kind}_insert AFTER INSERT ON {source} BEGIN {new}; END",
            f"CREATE TRIGGER dir_searchpoint_{kind}_delete AFTER DELETE ON {source} BEGIN {old}; END",
            f"CREATE TRIGGER dir_searchpoint_{kind}_update AFTER UPDATE OF {WATCHED[kind]} ON {source} "
            f"BEGIN {old}; {new}; END",
        ]
    new_role = "; ".join(points_for_roles(*source, "r", " AND r.id = NEW.id") for source in SOURCES)
    old_role = f"DELETE FROM {POINT} WHERE practitioner_id = OLD.practitioner_id AND role_id = OLD.id"
    at_location = (
        f"DELETE FROM {POINT} WHERE practitioner_id IN (SELECT practitioner_id FROM {ROLE} WHERE location_id = NEW.id) "
        f"AND role_id IN (SELECT id FROM {ROLE} WHERE location_id = NEW.id)"
    )
    moved = "; ".join(points_for_roles(*source, "r", " AND r.location_id = NEW.id") for source in SOURCES)
    sql += [
        f"CREATE TRIGGER dir_searchpoint_role_insert AFTER INSERT ON {ROLE} BEGIN {new_role}; END",
        f"CREATE TRIGGER dir_searchpoint_role_delete AFTER DELETE ON {ROLE} BEGIN {old_role}; END",
        f"CREATE TRIGGER dir_searchpoint_role_update AFTER UPDATE OF practitioner_id, location_id, active ON {ROLE} "
        f"BEGIN {old_role}; {new_role}; END",
        f"CREATE TRIGGER dir_searchpoint_location_update AFTER UPDATE OF latitude, longitude ON {LOCATION} "
        f"BEGIN {at_location}; {moved}; END",
    ]
    return sql


def postgresql_forward() -> list[str]:
    sql = [
        f"CREATE TABLE {POINT} (kind varchar(1) NOT NULL, ref_id bigint NOT NULL, role_id bigint NOT NULL, "
        "practitioner_id bigint NOT NULL, term varchar(100) NOT NULL, is_primary boolean NOT NULL, "
        "latitude double precision NOT NULL, longitude double precision NOT NULL)",
        f"CREATE TABLE {SLOT} (practitioner_id bigint NOT NULL, ref_id bigint NOT NULL, term varchar(10) NOT NULL, "
        "is_primary boolean NOT NULL, active boolean NOT NULL, offers_video boolean NOT NULL, languages text NOT NULL, "
        "family_name_key varchar(100) NOT NULL, given_name_key varchar(100) NOT NULL)",
    ]

    def function(name: str, body: list[str]) -> str:
        statements = "".join(f"{statement};\n" for statement in body)
        return (
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{statements}RETURN NULL;\nEND $$"
        )

    for kind, source, term, primary in SOURCES:
        drop = (
            f"DELETE FROM {POINT} p USING old_rows o WHERE p.practitioner_id = o.practitioner_id "
            f"AND p.kind = '{kind}' AND p.ref_id = o.id"
        )
        add = points_for_sources(kind, source, term, primary, "x", "").replace(
            f"FROM {source} x", "FROM new_rows x"
        )
        added, removed = [add], [drop]
        if kind == "s":  # the specialty table also feeds the slots
            added.append(slots_for("x", "", "p.languages::text").replace(f"FROM {SPECIALTY} x", "FROM new_rows x"))
            removed.append(
                f"DELETE FROM {SLOT} t USING old_rows o WHERE t.practitioner_id = o.practitioner_id AND t.ref_id = o.id"
            )
        sql += [
            function(f"dir_searchpoint_{kind}_added", added),
            function(f"dir_searchpoint_{kind}_removed", removed),
            function(f"dir_searchpoint_{kind}_changed", removed + added),
        ]
        for event, name, referencing in (
            ("INSERT", "added", "NEW TABLE AS new_rows"),
            ("DELETE", "removed", "OLD TABLE AS old_rows"),
            ("UPDATE", "changed", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ):
            sql.append(
                f"CREATE TRIGGER dir_searchpoint_{kind}_{event.lower()} AFTER {event} ON {source} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION dir_searchpoint_{kind}_{name}()"
            )
    drop_role = f"DELETE FROM {POINT} p USING old_rows o WHERE p.practitioner_id = o.practitioner_id AND p.role_id = o.id"
    add_role = [points_for_roles(*source, "n", "").replace(f"FROM {ROLE} n", "FROM new_rows n") for source in SOURCES]
    at_location = (
        f"DELETE FROM {POINT} p USING {ROLE} r WHERE r.location_id = NEW.id "
        "AND p.practitioner_id = r.practitioner_id AND p.role_id = r.id"
    )
    moved = [points_for_roles(*source, "r", " AND r.location_id = NEW.id") for source in SOURCES]
    sql += [
        function("dir_searchpoint_role_added", add_role),
        function("dir_searchpoint_role_removed", [drop_role]),
        function("dir_searchpoint_role_changed", [drop_role, *add_role]),
        function("dir_searchpoint_location_moved", [at_location, *moved]),
        function(
            "dir_searchpoint_truncated",
            [
                f"DELETE FROM {POINT} WHERE TG_ARGV[0] = '*' OR kind = TG_ARGV[0]",
                f"DELETE FROM {SLOT} WHERE TG_ARGV[0] = 's'",
            ],
        ),
        function("dir_searchslot_person", [f"UPDATE {SLOT} SET {person_sets('::text')} WHERE practitioner_id = NEW.id"]),
    ]
    for event, name, referencing in (
        ("INSERT", "added", "NEW TABLE AS new_rows"),
        ("DELETE", "removed", "OLD TABLE AS old_rows"),
        ("UPDATE", "changed", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ):
        sql.append(
            f"CREATE TRIGGER dir_searchpoint_role_{event.lower()} AFTER {event} ON {ROLE} "
            f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION dir_searchpoint_role_{name}()"
        )
    sql += [
        f"CREATE TRIGGER dir_searchpoint_location_update AFTER UPDATE OF latitude, longitude ON {LOCATION} "
        "FOR EACH ROW WHEN (OLD.latitude IS DISTINCT FROM NEW.latitude OR OLD.longitude IS DISTINCT FROM "
        "NEW.longitude) EXECUTE FUNCTION dir_searchpoint_location_moved()",
        f"CREATE TRIGGER dir_searchslot_person AFTER UPDATE OF {', '.join(PERSON)} ON {PEOPLE} FOR EACH ROW "
        f"WHEN ({' OR '.join(f'OLD.{c} IS DISTINCT FROM NEW.{c}' for c in PERSON)}) "
        "EXECUTE FUNCTION dir_searchslot_person()",
        f"CREATE TRIGGER dir_searchpoint_s_truncate AFTER TRUNCATE ON {SPECIALTY} "
        "FOR EACH STATEMENT EXECUTE FUNCTION dir_searchpoint_truncated('s')",
        f"CREATE TRIGGER dir_searchpoint_c_truncate AFTER TRUNCATE ON {FOCUS} "
        "FOR EACH STATEMENT EXECUTE FUNCTION dir_searchpoint_truncated('c')",
        f"CREATE TRIGGER dir_searchpoint_role_truncate AFTER TRUNCATE ON {ROLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION dir_searchpoint_truncated('*')",
    ]
    return sql


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    sql = sqlite_forward() if vendor == "sqlite" else postgresql_forward()
    # The existing rows' points, then the indexes (faster to build after the rows are in).
    sql += [points_for_sources(*source, "x", "") for source in SOURCES]
    sql.append(slots_for("x", "", "p.languages::text" if vendor == "postgresql" else "p.languages"))
    for statement in sql + INDEXES:
        schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    sql = list(DROP_INDEXES)
    if vendor == "postgresql":
        sql += [f"DROP TABLE IF EXISTS {POINT}", f"DROP TABLE IF EXISTS {SLOT}"]
        sql.append(f"DROP TRIGGER IF EXISTS dir_searchslot_person ON {PEOPLE}")
        triggers = [
            ("s", SPECIALTY), ("c", FOCUS), ("role", ROLE),
        ]  # fmt: skip
        for prefix, table in triggers:
            for event in ("insert", "delete", "update", "truncate"):
                sql.append(f"DROP TRIGGER IF EXISTS dir_searchpoint_{prefix}_{event} ON {table}")
        sql.append(f"DROP TRIGGER IF EXISTS dir_searchpoint_location_update ON {LOCATION}")
        for prefix in ("s", "c", "role"):
            for name in ("added", "removed", "changed"):
                sql.append(f"DROP FUNCTION IF EXISTS dir_searchpoint_{prefix}_{name}()")
        sql += [
            "DROP FUNCTION IF EXISTS dir_searchpoint_location_moved()",
            "DROP FUNCTION IF EXISTS dir_searchpoint_truncated()",
            "DROP FUNCTION IF EXISTS dir_searchslot_person()",
        ]
    else:
        for prefix in ("s", "c", "role"):
            for event in ("insert", "delete", "update"):
                sql.append(f"DROP TRIGGER IF EXISTS dir_searchpoint_{prefix}_{event}")
        for event in ("insert", "delete", "update", "person"):
            sql.append(f"DROP TRIGGER IF EXISTS dir_searchslot_{event}")
        sql += [
            "DROP TRIGGER IF EXISTS dir_searchpoint_location_update",
            f"DROP TABLE IF EXISTS {POINT}",
            f"DROP TABLE IF EXISTS {SLOT}",
        ]
    for statement in sql:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_reviews"),
    ]

    operations = [migrations.RunPython(forward, backward)]
