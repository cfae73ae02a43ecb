"""`directory import-nppes`: real NPPES rows, generated current-layout files, re-runs, deactivations,
bad rows, geocoding, zip files, and an interrupted run resumed."""

from __future__ import annotations

import zipfile

import pytest
from django.core.management.base import CommandError

from secondopinion.core.geo import zip_centroid
from secondopinion.directory.models import (
    ImportRun,
    Location,
    Organization,
    Practitioner,
    PractitionerSpecialty,
)
from secondopinion.directory.synth import synth

from .helpers import person, run, snapshot, valid_npi, write_nppes

pytestmark = pytest.mark.django_db(transaction=True)
ZERO = {"inserted": 0, "updated": 0, "unchanged": 0, "deactivated": 0, "bad_rows": 0}


def counts(**kwargs: int) -> dict[str, int]:
    return {**ZERO, **kwargs}


def test_real_2018_rows_load_and_a_rerun_changes_nothing(shared_sample):
    summary, _ = run("import-nppes", shared_sample)
    assert summary == counts(inserted=2000)
    soucier = Practitioner.objects.get(npi="1255334207")
    assert (soucier.family_name, soucier.given_name, soucier.credentials, soucier.sex) == (
        "SOUCIER",
        "RICHARD",
        "MD",
        "M",
    )
    assert soucier.family_name_key == "soucier" and soucier.active
    assert Practitioner.objects.filter(specialties__nucc_code="207RH0003X").distinct().count() == 22
    # 29 rows answer the primary switch with "X" (not answered) on every slot: no primary is invented.
    assert Practitioner.objects.exclude(specialties__primary=True).count() == 29
    assert PractitionerSpecialty.objects.filter(primary=True).count() == 2000 - 29
    role = soucier.roles.select_related("location").get()
    assert role.location is not None and role.location.zip5 == "06105"
    assert (role.location.latitude, role.location.longitude) == zip_centroid("06105")
    # The sample's 30 deactivation dates are all followed by a reactivation: all active.
    assert Practitioner.objects.filter(active=False).count() == 0

    again, _ = run("import-nppes", shared_sample)
    assert again == counts(unchanged=2000)


def test_real_organizations_load(shared_sample):
    orgs = shared_sample.with_name("sample-nppes-organization-data.csv")
    summary, _ = run("import-nppes", orgs)
    assert summary == counts(inserted=40)
    org = Organization.objects.get(npi="1982607537")
    assert org.name == "GREATER NEW BEDFORD COMMUNITY HEALTH CENTER, INC." and org.primary_taxonomy


def test_generated_current_layout_file_with_profiles(tmp_path):
    out = tmp_path / "nppes.csv"
    profiles = synth(out, 300, seed=7)
    summary, _ = run("import-nppes", out, "--profiles", profiles)
    assert summary["inserted"] == 300 and summary["bad_rows"] == 0
    people = Practitioner.objects.count()
    # (`sync_centers` adds the NCI centers after every migrate: they have no NPI)
    assert people + Organization.objects.filter(npi__isnull=False).count() == 300 and people > 200
    assert Practitioner.objects.exclude(languages=[]).count() == people
    assert Location.objects.filter(latitude__isnull=True).count() == 0  # generated ZIPs all exist
    # The same data in the 2018 layout is unchanged: digests cover the data, not the layout.
    synth(tmp_path / "old.csv", 300, seed=7, layout="2018")
    again, _ = run("import-nppes", tmp_path / "old.csv")
    assert again == counts(unchanged=300)


def test_generator_is_deterministic(tmp_path):
    synth(tmp_path / "a.csv", 200, seed=3)
    synth(tmp_path / "b.csv", 200, seed=3)
    synth(tmp_path / "c.csv", 200, seed=4)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv.profiles.csv").read_bytes() == (tmp_path / "b.csv.profiles.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() != (tmp_path / "c.csv").read_bytes()


def test_malformed_rows_are_counted_and_reported_never_fatal(tmp_path):
    good = valid_npi("123456789")
    path = write_nppes(
        tmp_path / "bad.csv",
        [
            person(good),
            ["1", "2", "3"],  # too few columns
            person("1234567890"),  # check digit
            person(valid_npi("223456789"), **{"Entity Type Code": "X"}),
            person(valid_npi("323456789"), **{"NPI Deactivation Date": "13/45/2020"}),
            person(valid_npi("133456789"), last="SMITH"),
        ],
    )
    summary, err = run("import-nppes", path)
    assert summary == counts(inserted=2, bad_rows=4)
    assert "line 3: expected 330 fields, got 3" in err
    assert "line 4: NPI 1234567890 fails its check digit" in err


def test_updates_deactivations_and_deactivation_only_rows(tmp_path):
    a, b, c = valid_npi("123456789"), valid_npi("223456789"), valid_npi("133456789")
    run("import-nppes", write_nppes(tmp_path / "m1.csv", [person(a), person(b), person(c)]))
    deactivated_b = {
        "NPI": b,
        "NPI Deactivation Date": "05/01/2024",
    }  # what NPPES ships for a deactivated NPI
    month2 = [
        person(a, last="DOE-SMITH"),
        deactivated_b,
        person(c, **{"NPI Deactivation Date": "04/01/2024"}),
        {"NPI": valid_npi("333456789"), "NPI Deactivation Date": "05/01/2024"},  # never held: nothing to do
    ]
    summary, _ = run("import-nppes", write_nppes(tmp_path / "m2.csv", month2))
    assert summary == counts(updated=3, deactivated=2, unchanged=1)
    held_b = Practitioner.objects.get(npi=b)
    assert not held_b.active and str(held_b.deactivated_on) == "2024-05-01"
    assert held_b.family_name == "DOE"  # a deactivation-only row keeps what we knew
    assert Practitioner.objects.get(npi=a).family_name_key == "doesmith"
    again, _ = run("import-nppes", tmp_path / "m2.csv")
    assert again == counts(unchanged=4)


def test_unknown_taxonomy_codes_are_kept(tmp_path):
    npi = valid_npi("123456789")
    path = write_nppes(
        tmp_path / "u.csv", [person(npi, **{"Healthcare Provider Taxonomy Code_2": "999Z00000X"})]
    )
    _, err = run("import-nppes", path)
    assert "999Z00000X" in err
    assert set(Practitioner.objects.get(npi=npi).specialties.values_list("nucc_code", flat=True)) == {
        "207RX0202X",
        "999Z00000X",
    }


def test_a_zipped_file_streams_from_the_archive(tmp_path):
    synth(tmp_path / "npidata_pfile_20050523-20250112.csv", 120, seed=2)
    archive = tmp_path / "NPPES_Data_Dissemination.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("npidata_pfile_20050523-20250112_fileheader.csv", "NPI\n")
        z.write(tmp_path / "npidata_pfile_20050523-20250112.csv", "npidata_pfile_20050523-20250112.csv")
        z.writestr("Readme.pdf", "not a csv")
    summary, _ = run("import-nppes", archive)
    assert summary["inserted"] == 120


def test_an_interrupted_import_resumes_to_the_same_end_state(tmp_path, settings, django_db_blocker):
    path = tmp_path / "big.csv"
    synth(path, 450, seed=11)
    run("import-nppes", path, "--batch-rows", "50")
    one_shot = snapshot()
    Practitioner.objects.all().delete()
    Organization.objects.all().delete()
    Location.objects.all().delete()

    settings.DIRECTORY_IMPORT_STOP_AFTER_ROWS = 120
    first, err = run("import-nppes", path, "--batch-rows", "50")
    assert "--resume" in err
    assert first["inserted"] == 120
    settings.DIRECTORY_IMPORT_STOP_AFTER_ROWS = None
    rest, _ = run("import-nppes", path, "--batch-rows", "50", "--resume")
    assert rest == counts(inserted=450, deactivated=rest["deactivated"])
    assert snapshot() == one_shot
    assert ImportRun.objects.filter(complete=True).count() == 2
    # After completion, --resume finds nothing unfinished: a fresh pass, all unchanged.
    final, _ = run("import-nppes", path, "--resume")
    assert final == counts(unchanged=450)


def test_progress_line_on_request(tmp_path):
    path = write_nppes(tmp_path / "p.csv", [person(valid_npi("123456789"))])
    _, err = run("import-nppes", path, "--progress")
    assert "rows/s" in err and "ETA" in err


def test_missing_file_and_non_nppes_file_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("import-nppes", tmp_path / "nope.csv")
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    with pytest.raises(CommandError, match="not an NPPES file"):
        run("import-nppes", tmp_path / "x.csv")


def test_profiles_set_languages_video_and_cancer_focus(tmp_path):
    a, b = valid_npi("123456789"), valid_npi("223456789")
    run("import-nppes", write_nppes(tmp_path / "n.csv", [person(a), person(b)]))
    profiles = tmp_path / "p.csv"
    profiles.write_text(
        "npi,languages,offers_video,accepts_second_opinions,cancer_focus\n"
        f"{a},en;ES,1,1,BRCA;LUNG\n{valid_npi('333456789')},en,0,0,\nabc,en,0,0,\n",
        encoding="utf-8",
    )
    summary, _ = run("import-profiles", profiles)
    assert summary == {"profiles": {"applied": 1, "unknown_npi": 1, "bad_rows": 1}}
    run("import-profiles", profiles)  # applying twice replaces, never duplicates
    held = Practitioner.objects.get(npi=a)
    assert (held.languages, held.offers_video, held.accepts_second_opinions) == (["en", "es"], True, True)
    assert sorted(held.cancer_focus.values_list("cancer_type", "source")) == [
        ("BRCA", "generator"),
        ("LUNG", "generator"),
    ]
    # A later NPPES import leaves profile fields alone.
    run("import-nppes", write_nppes(tmp_path / "n2.csv", [person(a, last="ROE")]))
    held.refresh_from_db()
    assert held.family_name == "ROE" and held.languages == ["en", "es"] and held.offers_video
