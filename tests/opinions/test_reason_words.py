"""The computed comparison's reasons in Spanish on Spanish pages; unchanged in English and in the API."""

from __future__ import annotations

import pytest
from django.utils import translation

from secondopinion.opinions import wording
from secondopinion.opinions.comparison import BEHAVIOURS, compare_opinions
from secondopinion.opinions.wording import reason_in_words

FIRST = {
    "diagnosis": {"site": "C50.4", "histology": "8500/3", "laterality": "left"},
    "stage": {"group": "IIA"},
    "treatment": {"options": [{"modalities": ["surgery"], "procedures": {"surgery": "mastectomy"}}]},
}


@pytest.mark.parametrize(
    ("second", "dimension"),
    [
        ({"treatment": {"options": [{"modalities": ["chemotherapy"]}]}}, "treatment"),
        (
            {
                "treatment": {
                    "options": [{"modalities": ["surgery"], "procedures": {"surgery": "lumpectomy"}}]
                }
            },
            "treatment",
        ),
        ({"treatment": {"options": [{"modalities": ["surgery", "radiation"]}]}}, "treatment"),
        ({"stage": {"group": "IIB"}}, "stage"),
        ({"stage": {"group": "IIA"}}, "stage"),
        ({"diagnosis": {"site": "C34.1"}}, "diagnosis"),
        ({"diagnosis": {"site": "C50.4", "histology": "8500/3", "laterality": "left"}}, "diagnosis"),
        ({}, "treatment"),
    ],
)
def test_every_reason_of_these_comparisons_reads_in_spanish(second, dimension) -> None:
    content = {**FIRST, **second}
    reasons = compare_opinions(FIRST, content)[dimension]["because"]
    assert reasons
    with translation.override("es"):
        spanish = [reason_in_words(r) for r in reasons]
    for english, words in zip(reasons, spanish, strict=True):
        assert words != english, english  # a pattern knew it
        for word in (" only in ", " missing ", " matches", " procedure", "primary modality", "needs "):
            assert word not in words, words


def test_examples_in_spanish() -> None:
    with translation.override("es"):
        assert reason_in_words("primary modality surgery → chemotherapy") == (
            "tratamiento principal: Cirugía → Quimioterapia"
        )
        assert reason_in_words("surgery procedure mastectomy → lumpectomy") == (
            "tipo de cirugía: Mastectomía (se extirpa toda la mama) → "
            "Cirugía con conservación de la mama (lumpectomía)"
        )
        assert reason_in_words("site C50.4 matches") == "sitio C50.4: igual"
        assert reason_in_words("something new") == "something new"


def test_english_pages_keep_the_rule_words() -> None:
    with translation.override("en"):
        assert (
            reason_in_words("primary modality surgery → chemotherapy")
            == "primary modality surgery → chemotherapy"
        )


def test_the_behaviour_of_a_histology_code_reads_in_spanish() -> None:
    second = {"diagnosis": {"site": "C50.4", "histology": "8500/2", "laterality": "left"}}
    reasons = compare_opinions(FIRST, {**FIRST, **second})["diagnosis"]["because"]
    assert reasons == ["behaviour /3 (malignant) → /2 (in situ)"]
    with translation.override("es"):
        assert reason_in_words(reasons[0]) == "comportamiento: /3 (maligno) → /2 (in situ)"
        assert reason_in_words(
            "behaviour /9 (malignant, primary or metastatic uncertain) → /3 (malignant)"
        ) == ("comportamiento: /9 (maligno, sin saber si es primario o metastásico) → /3 (maligno)")


def test_every_behaviour_the_comparison_names_has_words() -> None:
    assert set(BEHAVIOURS) == set(wording.BEHAVIOURS)
