"""Spanish cancer names: every incidence row has one, Spanish input resolves, the datalist is Spanish."""

from __future__ import annotations

import csv
import html
import re

import pytest
from django.test import Client

from secondopinion.core import reference
from secondopinion.core.reference import (
    INCIDENCE_CSV,
    SPANISH_NAMES_CSV,
    ReferenceDataError,
    cancer_types,
    display_name,
    find_cancer_type,
    normalize_term,
    suggest_cancer_types,
)
from secondopinion.triage.engine import TriageInputError, run_triage


def _csv_names(path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row["everyday_name"] for row in csv.DictReader(handle)]


def test_every_incidence_row_has_one_spanish_row():
    assert sorted(_csv_names(SPANISH_NAMES_CSV)) == sorted(_csv_names(INCIDENCE_CSV))
    for row in cancer_types():
        assert row.name_es, row.name
        assert display_name(row, "es") == row.name_es
        assert display_name(row, "es-mx") == row.name_es
        assert display_name(row, "en") == row.name and display_name(row, None) == row.name


SPANISH_INPUTS = [
    ("cáncer de mama", "Breast cancer (female)"),
    ("cancer de mama", "Breast cancer (female)"),
    ("Cáncer de seno", "Breast cancer (female)"),
    ("CÁNCER DE MAMA (MUJER)", "Breast cancer (female)"),
    ("cáncer de mama en hombres", "Male breast cancer"),
    ("cancer de pulmon", "Lung cancer"),
    ("cáncer de pulmón de células no pequeñas", "Lung cancer"),
    ("leucemia", "Leukemia (all types)"),
    ("Leucemia mieloide aguda", "Acute myeloid leukemia"),
    ("LLA", "Acute lymphoblastic leukemia"),
    ("cáncer de colon", "Colorectal cancer"),
    ("cancer de higado", "Liver cancer"),
    ("cáncer cervicouterino", "Cervical cancer"),
    ("cáncer de vías biliares", "Cholangiocarcinoma"),
    ("tumor cerebral", "Brain and spinal cord cancer (malignant)"),
    ("tumor de Wilms", "Wilms tumor"),
    ("linfoma", "Non-Hodgkin lymphoma"),
    ("Macroglobulinemia de Waldenstrom", "Waldenstrom macroglobulinemia"),
    ("  síndromes mielodisplásicos ", "Myelodysplastic syndromes"),
]


@pytest.mark.parametrize(("typed", "everyday_name"), SPANISH_INPUTS)
def test_spanish_input_resolves_through_run_triage(typed, everyday_name):
    result = run_triage({"cancer_type": typed})
    assert find_cancer_type(typed).name == everyday_name
    rare = result["rare"]
    expected_rare = find_cancer_type(everyday_name).rarity_rate < 15
    assert (rare is not None) == expected_rare
    if rare is not None:
        assert f"row '{everyday_name}'" in rare["source"]


def test_no_spanish_term_maps_to_two_rows():
    english: dict[str, set[str]] = {}
    for row in cancer_types():
        for term in (row.name, row.oncotree_code, *row.synonyms):
            if normalize_term(term):
                english.setdefault(normalize_term(term), set()).add(row.name)
    spanish_owner: dict[str, str] = {}
    for row in cancer_types():
        for term in (row.name_es, *row.synonyms_es):
            key = normalize_term(term)
            assert spanish_owner.setdefault(key, row.name) == row.name, term
            assert english.get(key, {row.name}) == {row.name}, term  # not an English term of another row
            assert find_cancer_type(term) is row, term


def test_spanish_names_do_not_change_english_matching():
    rows = cancer_types()
    for row in rows:
        assert find_cancer_type(row.name) is row
    # the documented first-row-wins cases stay as they were
    assert find_cancer_type("BRCA").name == "Breast cancer (female)"
    assert find_cancer_type("brain tumor").name == "Brain and spinal cord cancer (malignant)"
    assert find_cancer_type("eye melanoma").name == "Eye cancer"


def test_spanish_misspelling_gets_spanish_suggestions():
    with pytest.raises(TriageInputError) as caught:
        run_triage({"cancer_type": "leucemya"})
    assert "Leucemia (todos los tipos)" in caught.value.suggestions
    assert suggest_cancer_types("cancer de pulmn")[0] == "Cáncer de pulmón"
    assert suggest_cancer_types("lukemia")[0] == "Leukemia (all types)"


@pytest.fixture
def spanish_table(tmp_path, monkeypatch):
    """Point the loader at a temporary copy of the Spanish table; caches are cleared before and after."""
    path = tmp_path / "cancer_names_es.csv"
    monkeypatch.setattr(reference, "SPANISH_NAMES_CSV", path)
    cached = (
        reference.cancer_types,
        reference._indexed_terms,
        reference._term_index,
        reference._everyday_names,
    )
    for function in cached:
        function.cache_clear()
    yield path
    monkeypatch.undo()
    for function in cached:
        function.cache_clear()


def _rows() -> list[list[str]]:
    with SPANISH_NAMES_CSV.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _write(path, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda rows: rows[:-1], "no Spanish name"),
        (lambda rows: [*rows, ["Unicorn cancer", "Cáncer de unicornio", ""]], "unknown everyday_name"),
        (lambda rows: [*rows, rows[1]], "duplicate row"),
        (lambda rows: [rows[0], [rows[1][0], rows[1][1], "leucemia"], *rows[2:]], "also listed for"),
    ],
)
def test_broken_spanish_table_fails_loudly(spanish_table, change, message):
    _write(spanish_table, change(_rows()))
    with pytest.raises(ReferenceDataError, match=message):
        cancer_types()


@pytest.mark.django_db
def test_spanish_datalist_on_the_triage_page():
    page = Client(headers={"accept-language": "es"}).get("/triage/")
    datalist = re.search(r'<datalist id="cancer-types">(.*?)</datalist>', page.content.decode(), re.S)
    names = [html.unescape(v) for v in re.findall(r'value="([^"]*)"', datalist.group(1))]
    assert "Cáncer de pulmón" in names and "Leucemia mieloide aguda" in names
    assert "Lung cancer" not in names and len(names) == len(cancer_types())


@pytest.mark.django_db
def test_english_datalist_is_unchanged():
    page = Client(headers={"accept-language": "en"}).get("/triage/")
    datalist = re.search(r'<datalist id="cancer-types">(.*?)</datalist>', page.content.decode(), re.S)
    names = [html.unescape(v) for v in re.findall(r'value="([^"]*)"', datalist.group(1))]
    assert names == sorted(t.name for t in cancer_types())


@pytest.mark.django_db
def test_spanish_name_posted_from_the_form_is_answered():
    response = Client(headers={"accept-language": "es"}).post("/triage/", {"cancer_type": "Cáncer de pulmón"})
    assert response.status_code == 200
    assert 'id="recommendation"' in response.content.decode()
