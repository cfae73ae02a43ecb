"""Spanish everyday specialty names find the same NUCC codes as the English ones."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from secondopinion.directory import taxonomy


def test_every_spanish_name_means_a_known_english_name() -> None:
    english = taxonomy.specialty_names()
    rows = taxonomy.spanish_specialty_rows()
    assert len(rows) > 40
    for name, everyday_name in rows:
        assert everyday_name in english, name
    assert set(english) == {e for _, e in rows}, "every English name has a Spanish one"


@pytest.mark.parametrize(
    ("spanish", "english"),
    [
        ("oncólogo médico", "medical oncologist"),
        ("Oncólogos médicos", "medical oncologist"),
        ("ONCOLOGA MEDICA", "medical oncologist"),
        ("cirujana oncóloga", "surgical oncologist"),
        ("radiooncólogo", "radiation oncologist"),
        ("patólogos", "pathologist"),
        ("médico de cuidados paliativos", "palliative care doctor"),
    ],
)
def test_spanish_names_find_the_english_codes(spanish: str, english: str) -> None:
    assert taxonomy.codes_for(spanish) == taxonomy.codes_for(english) != ()


def test_unknown_spanish_word_finds_nothing() -> None:
    assert taxonomy.codes_for("mago") == ()


@pytest.mark.django_db
def test_the_spanish_page_suggests_spanish_names(client: Client) -> None:
    client.cookies["django_language"] = "es"
    response = client.get(reverse("directory:search"), HTTP_ACCEPT_LANGUAGE="es")
    assert "oncólogo médico" in response.context["specialty_names"]
    client.cookies["django_language"] = "en"
    english = client.get(reverse("directory:search"), HTTP_ACCEPT_LANGUAGE="en")
    assert "medical oncologist" in english.context["specialty_names"]


@pytest.mark.django_db
def test_the_spanish_page_explains_in_spanish(client: Client) -> None:
    client.cookies["django_language"] = "es"
    response = client.get(reverse("directory:search"), {"specialty": "mago"}, HTTP_ACCEPT_LANGUAGE="es")
    assert (
        "No conocemos ninguna especialidad llamada 'mago'." in response.context["form"].errors["specialty"][0]
    )
