"""The importer's parsing child process (`child.batches_from_child`, used for large files) gives exactly what
parsing in the importing process gives: the same rows, counts, bad-row reports and resume points."""

from __future__ import annotations

import random
import zipfile

import pytest

from secondopinion.accounts.validators import npi_check_digit_ok
from secondopinion.directory.models import ImportRun, Location, Organization, Practitioner
from secondopinion.directory.nppes import child, columns, reader
from secondopinion.directory.nppes.importer import ImportOptions, import_nppes
from secondopinion.directory.synth import synth

from .helpers import person, snapshot, valid_npi, write_nppes

pytestmark = pytest.mark.django_db(transaction=True)


def fresh() -> None:
    Practitioner.objects.all().delete()
    Organization.objects.all().delete()
    Location.objects.all().delete()
    ImportRun.objects.all().delete()


def test_the_child_process_reads_what_the_importer_reads(tmp_path):
    path = tmp_path / "n.csv"
    synth(path, 700, seed=8)
    with path.open("a", encoding="utf-8") as f:  # bad rows and a blank line at the end
        f.write('"1","2"\n\n"1234567890"' + ',""' * 329 + "\n")
    here = list(reader.read_batches(path, skip=5, stop_after=None, batch_rows=100))
    there = list(child.batches_from_child(path, skip=5, stop_after=None, batch_rows=100))
    assert here == there and len(here) == 7 and here[-1].last and here[-1].bad == 2
    assert [b.rows_done for b in here] == [b.rows_done for b in there]
    stopped = list(child.batches_from_child(path, skip=0, stop_after=150, batch_rows=100))
    assert stopped[-1].stopped and stopped[-1].rows_done == 150


def test_parallel_and_in_process_imports_end_the_same(tmp_path):
    path = tmp_path / "n.csv"
    synth(path, 600, seed=12)
    fresh()
    one = import_nppes(path, ImportOptions(batch_rows=70, parallel=False, progress=False))
    in_process = snapshot()
    fresh()
    two = import_nppes(path, ImportOptions(batch_rows=70, parallel=True, progress=False))
    assert snapshot() == in_process and one.counts == two.counts == {**two.counts, "inserted": 600}
    # An interrupted parallel run resumes where it stopped.
    fresh()
    first = import_nppes(path, ImportOptions(batch_rows=70, parallel=True, progress=False, stop_after=250))
    assert first.stopped_early and first.counts["inserted"] == 250
    rest = import_nppes(path, ImportOptions(batch_rows=70, parallel=True, progress=False, resume=True))
    assert rest.counts["inserted"] == 600 and snapshot() == in_process


def test_bad_rows_and_a_zip_through_the_child(tmp_path):
    rows = [person(valid_npi("123456789")), ["1", "2"], person("1234567890"), person(valid_npi("133456789"))]
    plain = write_nppes(tmp_path / "npidata_pfile.csv", rows)
    archive = tmp_path / "nppes.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(plain, plain.name)
    fresh()
    here = import_nppes(plain, ImportOptions(parallel=False, progress=False))
    fresh()
    there = import_nppes(archive, ImportOptions(parallel=True, progress=False))
    assert here.counts == there.counts and here.counts["bad_rows"] == 2
    assert (
        here.bad_examples
        == there.bad_examples
        == [
            "line 3: expected 330 fields, got 2",
            "line 4: NPI 1234567890 fails its check digit",
        ]
    )


def test_a_file_that_is_not_nppes_fails_before_any_child_starts(tmp_path):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    with pytest.raises(columns.HeaderError):
        import_nppes(tmp_path / "x.csv", ImportOptions(parallel=True, progress=False))
    assert not ImportRun.objects.exists()


def test_the_table_driven_check_digit_is_the_validator():
    rng = random.Random(3)
    npis = [f"{rng.randrange(10**10):010d}" for _ in range(5000)]
    npis += [valid_npi(f"{rng.randrange(10**9):09d}") for _ in range(500)]
    assert [columns.check_digit_ok(n) for n in npis] == [npi_check_digit_ok(n) for n in npis]
    assert sum(map(columns.check_digit_ok, npis)) >= 500
