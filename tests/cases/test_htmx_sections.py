"""htmx partial updates on the case page: the same forms work with and without JavaScript."""

from __future__ import annotations

import pytest

from secondopinion.cases.models import Medicine, Question

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_adding_a_medicine_with_htmx_returns_the_section_and_the_checklist(patient_client, case) -> None:
    url = f"/cases/{case.pk}/medicines/add/"
    response = patient_client.post(
        url, {"name": "Vitamin D3", "dose": "2000 IU", "is_supplement": "on"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section id="medicines"') and "Vitamin D3" in html
    assert 'id="checklist" hx-swap-oob="true"' in html
    assert 'data-item="medicines" data-present="yes"' in html
    assert "<html" not in html  # a fragment, not a page
    assert Medicine.objects.filter(case=case, name="Vitamin D3", is_supplement=True).exists()


def test_an_invalid_medicine_with_htmx_shows_the_error_in_place(patient_client, case) -> None:
    response = patient_client.post(f"/cases/{case.pk}/medicines/add/", {"name": ""}, **HTMX)
    assert response.status_code == 200
    assert "usa-error-message" in response.content.decode() and "<details open>" in response.content.decode()
    assert not Medicine.objects.filter(case=case).exists()


def test_without_javascript_the_same_form_redirects_back(patient_client, case) -> None:
    response = patient_client.post(f"/cases/{case.pk}/questions/add/", {"text": "What are my options?"})
    assert response.status_code == 302 and response["Location"].endswith("#questions")
    htmx = patient_client.post(f"/cases/{case.pk}/questions/add/", {"text": "Any trials?"}, **HTMX)
    assert 'data-item="questions" data-present="yes"' in htmx.content.decode()
    assert list(Question.objects.filter(case=case).values_list("text", flat=True)) == [
        "What are my options?",
        "Any trials?",
    ]


def test_another_patient_gets_not_found_with_htmx_too(case) -> None:
    from django.test import Client

    from tests.factories import login, make_user

    stranger = login(Client(), make_user("patient"))
    assert stranger.post(f"/cases/{case.pk}/medicines/add/", {"name": "x"}, **HTMX).status_code == 404
