"""Spanish everywhere it shows: cancer-type names (one function, one filter), Spanish typed names in triage,
specialties and center kinds on Spanish pages. Through HTTP with the Spanish language cookie."""

from __future__ import annotations

import copy
import re
from html import unescape

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from secondopinion.core.reference import (
    cancer_type_choices,
    cancer_type_name,
    find_cancer_type,
    normalize_term,
)
from secondopinion.directory import taxonomy
from secondopinion.opinions import actions as opinion_actions
from tests.directory.people import make_practitioner
from tests.opinions.support import FIRST_CONTENT, Setup

pytestmark = pytest.mark.django_db


def spanish(client: Client) -> Client:
    client.cookies["django_language"] = "es"
    return client


def found(pattern: str, html: str, flags: int = 0) -> str:
    match = re.search(pattern, html, flags)
    assert match is not None, pattern
    return match.group(1) if match.groups() else match.group(0)


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


# --- the one place that names a cancer type ------------------------------------------------------------


def test_cancer_type_name_follows_the_language() -> None:
    assert cancer_type_name("Breast cancer (female)", "es") == "Cáncer de mama (mujer)"
    assert cancer_type_name("cáncer de mama (mujer)", "en") == "Breast cancer (female)"
    assert cancer_type_name("Lung cancer", "en") == "Lung cancer"
    with translation.override("es"):
        assert cancer_type_name("Lung cancer") == "Cáncer de pulmón"
    assert cancer_type_name("Left breast, upper outer quadrant", "es") == "Left breast, upper outer quadrant"
    assert cancer_type_name(None, "es") == "" and cancer_type_name("", "es") == ""


def test_the_filter_is_the_same_function() -> None:
    template = Template("{% load cancer_names %}{{ a|cancer_name }} / {{ b|cancer_name }}")
    with translation.override("es"):
        assert template.render(Context({"a": "Prostate cancer", "b": "my words"})) == (
            "Cáncer de próstata / my words"
        )


def test_the_list_is_stored_in_english_and_shown_in_the_language() -> None:
    choices = dict(cancer_type_choices("es"))
    assert choices["Breast cancer (female)"] == "Cáncer de mama (mujer)"
    labels = [label for _, label in cancer_type_choices("es")]
    assert labels == sorted(labels, key=normalize_term)  # in the order of the shown names, accents aside
    assert labels.index("Cáncer de hígado") < labels.index("Cáncer de hueso (primario)")


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("cáncer de mama", "Breast cancer (female)"),
        ("mama", "Breast cancer (female)"),
        ("Seno", "Breast cancer (female)"),
        ("pulmón", "Lung cancer"),
        ("cancer de prostata", "Prostate cancer"),
        ("colon", "Colorectal cancer"),
        ("breast", "Breast cancer (female)"),
    ],
)
def test_an_organ_alone_names_its_cancer(typed: str, name: str) -> None:
    cancer = find_cancer_type(typed)
    assert cancer is not None and cancer.name == name


def test_an_unknown_organ_names_nothing() -> None:
    assert find_cancer_type("piel") is None and find_cancer_type("") is None


# --- triage ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["cáncer de mama", "mama", "Cancer de seno"])
def test_spanish_triage_accepts_spanish_names_and_answers_with_the_spanish_name(typed: str) -> None:
    response = spanish(Client()).post("/triage/", {"cancer_type": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="recommendation"' in html
    cancer = found(r'<p id="cancer-type">(.*?)</p>', html)
    assert "Cáncer de mama (mujer)" in unescape(cancer)


def test_english_triage_shows_the_english_name_of_a_spanish_entry() -> None:
    html = Client().post("/triage/", {"cancer_type": "mama"}).content.decode()
    assert "Breast cancer (female)" in found(r'<p id="cancer-type">(.*?)</p>', html)


def test_spanish_triage_never_asks_for_english() -> None:
    page = text_of(spanish(Client()).get("/triage/").content.decode())
    assert "inglés" not in page
    bad = text_of(spanish(Client()).post("/triage/", {"cancer_type": "xyzzy"}).content.decode())
    assert "No conocemos el tipo de cáncer" in bad and "inglés" not in bad


def test_the_spanish_triage_list_is_in_spanish() -> None:
    html = spanish(Client()).get("/triage/").content.decode()
    options = found(r'<datalist id="cancer-types">(.*?)</datalist>', html, re.S)
    assert "Cáncer de mama (mujer)" in unescape(options) and "Breast cancer (female)" not in options


def test_triage_keeps_the_list_name_on_the_case() -> None:
    from secondopinion.triage.forms import TriageForm

    form = TriageForm({"cancer_type": " mama "})
    assert form.is_valid()
    assert form.answers()["cancer_type"] == "Breast cancer (female)"
    unknown = TriageForm({"cancer_type": "what my doctor said"})
    assert unknown.is_valid() and unknown.answers()["cancer_type"] == "what my doctor said"


# --- case page, first opinion and comparison -----------------------------------------------------------


def first_in_the_list() -> dict:
    """The shared first opinion, its cancer type named as in the list."""
    content = copy.deepcopy(FIRST_CONTENT)
    content["diagnosis"]["site_text"] = "Breast cancer (female)"  # type: ignore[index]
    return content


def test_spanish_case_page_and_comparison_show_the_spanish_cancer_name() -> None:
    s = Setup(first=False)
    opinion_actions.save_first_opinion(s.patient, s.case, first_in_the_list())
    s.signed()
    client = spanish(s.client(s.patient))
    compare = text_of(client.get(reverse("opinions:compare", args=[s.case.pk])).content.decode())
    assert "Cáncer de mama (mujer)" in compare and "Breast cancer (female)" not in compare
    assert "tratamiento principal: Cirugía → Quimioterapia" in compare  # the computed reason, in words
    assert "primary modality" not in compare
    case_page = text_of(client.get(reverse("cases:detail", args=[s.case.pk])).content.decode())
    assert "Cáncer de mama (mujer)" in case_page and "Breast cancer (female)" not in case_page
    english = text_of(s.client(s.patient).get(reverse("opinions:compare", args=[s.case.pk])).content.decode())
    assert "Breast cancer (female)" in english
    assert "primary modality surgery → chemotherapy" in english  # English pages keep the rule's words


# --- the register: profiles, specialties, center kinds -------------------------------------------------


def test_spanish_profile_names_cancer_focus_and_specialty_in_spanish() -> None:
    practitioner = make_practitioner("140000011", "Okafor", "Helen", focus=("Breast cancer (female)",))
    url = reverse("directory:practitioner", args=[practitioner.npi])
    page = text_of(spanish(Client()).get(url).content.decode())
    assert "Cáncer de mama (mujer)" in page and "Breast cancer (female)" not in page
    assert "Oncólogo médico" in page
    english = text_of(Client().get(url).content.decode())
    assert "Breast cancer (female)" in english and "Oncólogo" not in english


def test_specialty_display_names() -> None:
    assert taxonomy.display_name("207RX0202X", "es") == "Oncólogo médico"  # not the wider "oncólogo"
    assert taxonomy.display_name("2086X0206X", "es") == "Cirujano oncólogo"
    assert taxonomy.display_name("207RX0202X", "en") == taxonomy.display("207RX0202X")
    assert taxonomy.display_name("207RC0000X", "es") == taxonomy.display("207RC0000X")  # no everyday name


def test_spanish_center_table_names_the_kind_in_spanish_with_spanish_distances() -> None:
    from secondopinion.directory.actions import sync_centers

    sync_centers()
    html = spanish(Client()).get(reverse("directory:centers"), {"near": "59301"}).content.decode()
    table = unescape(found(r'<table[^>]*id="centers".*?</table>', html, re.S))
    assert "Centro Oncológico Integral designado por el NCI" in table
    assert "NCI-designated Comprehensive Cancer Center" not in table
    assert re.search(r"\d,\d millas", table)  # a decimal comma


def test_the_spanish_first_opinion_form_lists_spanish_names_and_stores_english_ones() -> None:
    s = Setup(first=False)
    html = spanish(s.client(s.patient)).get(reverse("opinions:first", args=[s.case.pk])).content.decode()
    option = found(r'<option value="Breast cancer \(female\)"[^>]*>([^<]*)</option>', html)
    assert unescape(option) == "Cáncer de mama (mujer)"
