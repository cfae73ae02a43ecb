"""Each cancer type of the list carries its ICD-O-3 topography category (data/cancer_topography.csv)."""

from __future__ import annotations

import csv
import re

from secondopinion.core.reference import INCIDENCE_CSV, TOPOGRAPHY_CSV, cancer_types


def test_every_type_has_a_row_and_codes_are_categories() -> None:
    names = [row["everyday_name"] for row in csv.DictReader(INCIDENCE_CSV.open(encoding="utf-8"))]
    rows = list(csv.DictReader(TOPOGRAPHY_CSV.open(encoding="utf-8")))
    assert [row["everyday_name"] for row in rows] == names
    assert all(re.fullmatch(r"(C[0-9]{2})?", row["icdo3_topography"]) for row in rows)
    assert all(row["note"] for row in rows if not row["icdo3_topography"])  # an empty cell says why


def test_the_categories_people_meet_most() -> None:
    by_name = {t.name: t.topography for t in cancer_types()}
    assert by_name["Breast cancer (female)"] == "C50"
    assert by_name["Lung cancer"] == "C34"
    assert by_name["Prostate cancer"] == "C61"
    assert by_name["Acute myeloid leukemia"] == "C42"
    assert by_name["Colorectal cancer"] == ""  # colon C18, rectum C20: a wrong category would say "changed"
    assert sum(1 for code in by_name.values() if code) == 50
