"""Treatment options at the level people decide on: the procedure (surgery, radiation), details for every
modality, in the format, the consultant's editor and the words shown (docs/opinion-schema.md)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondopinion.core.codes import MODALITY_CODES, PROCEDURE_LABELS, treatment_words
from secondopinion.opinions.comparison import OpinionFormatError, compare_opinions
from secondopinion.opinions.models import Opinion
from secondopinion.opinions.opinion_format import PROCEDURES, parse_opinion
from tests.opinions.support import Setup, editor_post


def test_every_procedure_has_words_and_belongs_to_a_modality() -> None:
    assert set(PROCEDURE_LABELS) == {p for procedures in PROCEDURES.values() for p in procedures}
    assert set(PROCEDURES) <= set(MODALITY_CODES)


@pytest.mark.parametrize(
    ("option", "field"),
    [
        ({"modalities": ["surgery"], "procedures": {"surgery": "whole_organ"}}, "procedures.surgery"),
        ({"modalities": ["surgery"], "procedures": {"surgery": "Lumpectomy"}}, "procedures.surgery"),
        ({"modalities": ["surgery"], "procedures": "lumpectomy"}, "procedures"),
        ({"modalities": ["chemotherapy"], "details": {"chemotherapy": 4}}, "details.chemotherapy"),
        ({"modalities": ["chemotherapy"], "details": ["weekly"]}, "details"),
    ],
)
def test_a_malformed_procedure_or_detail_names_its_field(option: dict, field: str) -> None:
    with pytest.raises(OpinionFormatError) as caught:
        parse_opinion({"treatment": {"options": [option]}})
    assert caught.value.field == f"treatment.options[0].{field}"


def test_a_procedure_for_a_modality_the_option_lacks_is_ignored() -> None:
    [option] = parse_opinion(
        {"treatment": {"options": [{"modalities": ["surgery"], "procedures": {"radiation": "partial"}}]}}
    ).options
    assert option.procedures == () and option.procedure("radiation") is None


def test_mastectomy_to_lumpectomy_and_radiation_is_a_changed_treatment() -> None:
    """Meyer 2015 counts it as a change; the pinned modality rules alone would call it a refinement."""
    first = {"treatment": {"options": [{"modalities": ["surgery"], "procedures": {"surgery": "mastectomy"}}]}}
    second = {
        "treatment": {
            "options": [{"modalities": ["surgery", "radiation"], "procedures": {"surgery": "lumpectomy"}}]
        }
    }
    assert compare_opinions(first, second)["treatment"]["class"] == "changed"
    without = {"treatment": {"options": [{"modalities": ["surgery"]}]}}
    with_radiation = {"treatment": {"options": [{"modalities": ["surgery", "radiation"]}]}}
    assert compare_opinions(without, with_radiation)["treatment"]["class"] == "refined"


def test_treatment_words() -> None:
    option = {
        "modalities": ["surgery", "hormone_therapy"],
        "procedures": {"surgery": "mastectomy_reconstruction"},
        "details": {"hormone_therapy": "5 years"},
    }
    assert treatment_words(option) == [
        "Surgery: Mastectomy with breast reconstruction",
        "Hormone therapy — 5 years",
    ]


@pytest.mark.django_db
def test_the_editor_saves_procedures_and_details_and_shows_them() -> None:
    s = Setup()
    c = s.client(s.consultant)
    url = reverse("opinions:edit", args=[s.request.pk])
    page = c.get(url).content.decode()
    assert 'name="opt0_procedure_surgery"' in page and 'name="opt2_details_immunotherapy"' in page
    post = editor_post(
        s,
        save="1",
        opt0_modalities=["surgery", "radiation"],
        opt0_procedure_surgery="lumpectomy",
        opt0_procedure_radiation="partial",
        opt0_details_radiation="Five days",
        opt0_details_chemotherapy="not ticked: not kept",
    )
    assert c.post(url, post).status_code == 302
    option = Opinion.objects.get(request=s.request).content["treatment"]["options"][0]
    assert option["modalities"] == ["surgery", "radiation"]
    assert option["procedures"] == {"surgery": "lumpectomy", "radiation": "partial"}
    assert option["details"] == {"radiation": "Five days"}
    again = c.get(url)
    assert again.context["form"].initial["opt0_procedure_surgery"] == "lumpectomy"
    detail = c.get(
        reverse("opinions:detail", args=[Opinion.objects.get(request=s.request).pk])
    ).content.decode()
    assert "Breast-conserving surgery (lumpectomy)" in detail and "Five days" in detail


@pytest.mark.django_db
def test_the_editor_refuses_an_unknown_procedure_on_its_field() -> None:
    s = Setup()
    c = s.client(s.consultant)
    url = reverse("opinions:edit", args=[s.request.pk])
    bad = c.post(
        url, editor_post(s, save="1", opt0_modalities=["surgery"], opt0_procedure_surgery="amputation")
    )
    assert bad.status_code == 200 and "opt0_procedure_surgery" in bad.context["form"].errors
    assert "Django" not in str(bad.context["form"].errors)
    assert not Opinion.objects.filter(request=s.request).exists()
