"""The computed comparison's reasons in Spanish on Spanish pages; unchanged in English and in the API."""

from __future__ import annotations

import pytest
from django.utils import translation

from secondopinion.opinions.comparison import compare_opinions
from secondopinion.opinions.reason_words import reason_in_words

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
