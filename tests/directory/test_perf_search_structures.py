"""Migration 0003's search structures: the indexes and triggers exist, and `directory_searchpoint` (kept by
the triggers) always equals what it stands for, after imports, profiles and ORM writes of every kind."""

from __future__ import annotations

import pytest
from django.db import connection

from secondopinion.directory.models import (
    CancerFocus,
    FocusSource,
    Location,
    Practitioner,
    PractitionerRole,
    PractitionerSpecialty,
)
from secondopinion.directory.synth import synth

from .helpers import run

pytestmark = pytest.mark.django_db(transaction=True)

INDEXES = {
    "dir_specialty_code_owner",
    "dir_cancer_focus_type_owner",
    "dir_practitioner_given_family",
    "dir_searchpoint_term",
    "dir_searchpoint_owner",
    "dir_searchslot_term",
    "dir_searchslot_owner",
}
TRIGGERS = {f"dir_searchpoint_{t}_{e}" for t in ("s", "c", "role") for e in ("insert", "delete", "update")}
TRIGGERS |= {"dir_searchpoint_location_update", "dir_searchslot_person"}
SLOTS = (
    "SELECT practitioner_id, ref_id, term, is_primary, active, offers_video, languages, family_name_key, "
    "given_name_key FROM directory_searchslot"
)
EXPECTED_SLOTS = (
    'SELECT x.practitioner_id, x.id, x.nucc_code, x."primary", p.active, p.offers_video, p.languages{}, '
    "p.family_name_key, p.given_name_key FROM directory_practitionerspecialty x "
    "JOIN directory_practitioner p ON p.id = x.practitioner_id"
)
POINTS = "SELECT kind, ref_id, role_id, practitioner_id, term, is_primary, latitude, longitude FROM {}"
EXPECTED = """
SELECT 's', x.id, r.id, x.practitioner_id, x.nucc_code, x."primary", l.latitude, l.longitude
FROM directory_practitionerspecialty x
JOIN directory_practitionerrole r ON r.practitioner_id = x.practitioner_id AND r.active
JOIN directory_location l ON l.id = r.location_id WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL
UNION ALL
SELECT 'c', x.id, r.id, x.practitioner_id, x.cancer_type, FALSE, l.latitude, l.longitude
FROM directory_cancerfocus x
JOIN directory_practitionerrole r ON r.practitioner_id = x.practitioner_id AND r.active
JOIN directory_location l ON l.id = r.location_id WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL
"""


def rows(sql: str) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(
            (k, ref, role, p, term, bool(primary), lat, lon)
            for k, ref, role, p, term, primary, lat, lon in cursor.fetchall()
        )


def slots(sql: str) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(
            (p, ref, term, bool(primary), bool(active), bool(video), languages, family, given)
            for p, ref, term, primary, active, video, languages, family, given in cursor.fetchall()
        )


def points_are_exact() -> int:
    """The search points and slots equal what they stand for; returns how many points."""
    held, expected = rows(POINTS.format("directory_searchpoint")), rows(EXPECTED)
    assert held == expected
    cast = "::text" if connection.vendor == "postgresql" else ""
    assert slots(SLOTS) == slots(EXPECTED_SLOTS.format(cast))
    return len(held)


def test_indexes_and_triggers_exist():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger')")
            found = {(kind, name) for kind, name in cursor.fetchall()}
            indexes = {name for kind, name in found if kind == "index"}
            triggers = {name for kind, name in found if kind == "trigger"}
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
            indexes = {name for (name,) in cursor.fetchall()}
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            triggers = {name for (name,) in cursor.fetchall()}
    assert indexes >= INDEXES
    assert triggers >= TRIGGERS


def test_search_points_follow_every_write(tmp_path):
    profiles = synth(tmp_path / "a.csv", 300, seed=4)
    run("import-nppes", tmp_path / "a.csv", "--profiles", profiles)
    assert points_are_exact() > 300
    people = list(Practitioner.objects.order_by("id")[:40])
    roles = PractitionerRole.objects.filter(practitioner__in=people)
    # roles: moved, deactivated, reactivated, added, deleted
    elsewhere = Location.objects.exclude(latitude=None).order_by("-id").first()
    roles.filter(practitioner=people[0]).update(location=elsewhere)
    roles.filter(practitioner__in=people[1:5]).update(active=False)
    roles.filter(practitioner=people[2]).update(active=True)
    PractitionerRole.objects.create(practitioner=people[5], location=elsewhere)
    PractitionerRole.objects.create(practitioner=people[6], location=None)
    roles.filter(practitioner=people[7]).delete()
    # locations: moved, lose and regain coordinates
    Location.objects.filter(pk=elsewhere.pk).update(latitude=10.5, longitude=-60.25)
    lost = roles.filter(practitioner=people[8]).values_list("location_id", flat=True)
    Location.objects.filter(pk__in=list(lost)).update(latitude=None)
    assert points_are_exact()
    Location.objects.filter(pk__in=list(lost)).update(latitude=33.0)
    # specialties and cancer focus: changed, deleted, added
    PractitionerSpecialty.objects.filter(practitioner=people[9]).update(nucc_code="207RX0202X", primary=True)
    PractitionerSpecialty.objects.filter(practitioner=people[10]).delete()
    PractitionerSpecialty.objects.create(practitioner=people[11], nucc_code="2085R0001X", slot=15)
    CancerFocus.objects.create(practitioner=people[12], cancer_type="BRCA", source=FocusSource.ADMIN)
    CancerFocus.objects.filter(practitioner=people[13]).update(cancer_type="LUNG")
    CancerFocus.objects.filter(practitioner=people[14]).delete()
    # practitioners: profile fields and names changed, deactivated, deleted (cascade)
    Practitioner.objects.filter(pk=people[19].pk).update(languages=["en", "vi"], offers_video=True)
    Practitioner.objects.filter(pk=people[20].pk).update(family_name_key="renamed", active=False)
    Practitioner.objects.filter(pk__in=[p.pk for p in people[15:18]]).delete()
    assert points_are_exact()
    synth(tmp_path / "b.csv", 300, seed=9)
    run("import-nppes", tmp_path / "b.csv", "--profiles", profiles)
    run("import-nppes", tmp_path / "a.csv", "--profiles", profiles)
    assert points_are_exact() > 300
    PractitionerSpecialty.objects.all().delete()
    CancerFocus.objects.all().delete()
    assert points_are_exact() == 0
