"""Switching language keeps a half-filled form (triage and the case form), without JavaScript."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from secondopinion.core.language import SESSION_KEY
from tests.factories import login, make_case, make_user

pytestmark = pytest.mark.django_db

HALF_FILLED_TRIAGE = {
    "cancer_type": "cáncer de mama",
    "age": "52",
    "metastatic": "yes",
    "options_considered": ["surgery", "radiation"],
    "zip": "59301",
}


def switch_button(html: str) -> str:
    button = re.search(r'<button[^>]*name="language"[^>]*>', html, re.S)
    assert button is not None
    return button.group(0)


def value_of(html: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    found = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return unescape(found.group(1)) if found else None


def checked(html: str, name: str) -> set[str]:
    tags = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    values = (re.search(r'value="([^"]*)"', t) for t in tags if re.search(r"\schecked", t))
    return {v.group(1) for v in values if v is not None}


def switch(client: Client, next_url: str, language: str, values: dict) -> None:
    response = client.post(f"/i18n/setlang/?next={next_url}", {"language": language, **values})
    assert response.status_code == 302 and response["Location"] == next_url


def test_the_triage_switch_submits_the_triage_form() -> None:
    html = Client().get("/triage/").content.decode()
    button = switch_button(html)
    assert 'form="triage-form"' in button and "formnovalidate" in button
    assert 'formaction="/i18n/setlang/?next=/triage/"' in button
    assert '<form method="post" id="triage-form"' in html


def test_switching_keeps_a_half_filled_triage_form_once() -> None:
    client = Client()
    switch(client, "/triage/", "es", HALF_FILLED_TRIAGE)
    page = client.get("/triage/").content.decode()
    assert '<html lang="es">' in page
    assert value_of(page, "cancer_type") == "cáncer de mama"
    assert value_of(page, "age") == "52"
    assert value_of(page, "zip") == "59301"
    assert checked(page, "metastatic") == {"yes"}
    assert checked(page, "options_considered") == {"surgery", "radiation"}
    assert 'class="usa-error-message"' not in page  # half filled is not an error
    again = client.get("/triage/").content.decode()
    assert value_of(again, "cancer_type") in (None, "")  # the values come back once, then are gone
    assert SESSION_KEY not in client.session


def test_the_kept_values_go_only_to_the_page_switched_on() -> None:
    patient = make_user("patient")
    client = login(Client(), patient)
    switch(client, "/triage/", "es", {**HALF_FILLED_TRIAGE, "title": "Meant for triage"})
    page = client.get("/cases/new/").content.decode()
    assert value_of(page, "title") is None  # the new-case form has a title field, but was not switched on
    assert SESSION_KEY in client.session  # still waiting for the triage page


def test_switching_keeps_a_half_filled_new_case_form() -> None:
    client = login(Client(), make_user("patient"))
    html = client.get("/cases/new/").content.decode()
    assert 'form="case-form"' in switch_button(html) and 'id="case-form"' in html
    switch(client, "/cases/new/", "es", {"title": "Mi segunda opinión", "subject": "self"})
    page = client.get("/cases/new/").content.decode()
    assert '<html lang="es">' in page
    assert value_of(page, "title") == "Mi segunda opinión"


def test_switching_keeps_a_half_filled_case_edit_form_over_the_stored_values() -> None:
    patient = make_user("patient")
    case = make_case(patient, title="Stored title")
    client = login(Client(), patient)
    url = f"/cases/{case.pk}/edit/"
    switch(client, url, "es", {"title": "Typed, not saved", "subject": "self"})
    page = client.get(url).content.decode()
    assert value_of(page, "title") == "Typed, not saved"
    case.refresh_from_db()
    assert case.title == "Stored title"  # switching language saved nothing


def test_a_plain_switch_keeps_nothing_and_still_works() -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/directory/?specialty=x"})
    assert response.status_code == 302 and response["Location"] == "/directory/?specialty=x"
    assert SESSION_KEY not in client.session
    assert '<html lang="es">' in client.get("/").content.decode()


def test_pages_without_a_kept_form_have_the_plain_switch() -> None:
    button = switch_button(Client().get("/").content.decode())
    assert "form=" not in button and "formaction" not in button


def test_an_oversized_form_is_not_kept() -> None:
    client = Client()
    switch(client, "/triage/", "es", {"cancer_type": "x" * 60_000})
    assert SESSION_KEY not in client.session


def test_switching_keeps_a_half_filled_first_opinion_form() -> None:
    patient = make_user("patient")
    case = make_case(patient)
    client = login(Client(), patient)
    url = f"/opinions/cases/{case.pk}/first/"
    assert 'form="first-opinion-form"' in switch_button(client.get(url).content.decode())
    switch(client, url, "es", {"cancer_type": "Lung cancer", "stage_text": "T2 N0 M0"})
    page = client.get(url).content.decode()
    assert '<html lang="es">' in page
    assert value_of(page, "stage_text") == "T2 N0 M0"
    assert re.search(r'<option value="Lung cancer"[^>]*selected', page)
