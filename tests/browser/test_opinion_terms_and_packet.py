"""Issue 11, items 4 and 14 in a browser: a clinical term opens its explanation from the keyboard, the
glossary fits a phone, and the consultant's packet sits beside the editor on a desktop and above it on a
phone (no sideways scroll). axe-core runs on every page visited (helpers.visit)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from secondopinion.opinions import actions
from tests.browser.helpers import visit
from tests.browser.test_second_opinion_journey import sign_in
from tests.opinions.support import Setup, second_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_a_term_opens_by_keyboard_and_the_glossary_fits_a_phone(new_page) -> None:
    s = Setup()
    content = second_content(s.request)
    content["diagnosis"]["grade"] = "2"
    opinion = actions.sign(s.consultant, actions.save_draft(s.consultant, s.request, content, {}))
    page = new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, s.patient, f"/opinions/{opinion.pk}/")
    grade = page.locator('details.so-term[data-term="grade"]')
    explanation = grade.locator(".so-term__text")
    expect(explanation).to_be_hidden()
    grade.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(explanation).to_be_visible()
    expect(explanation).to_contain_text("How different the cancer cells look")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    explanation.get_by_role("link", name="More in the glossary").click()
    page.wait_for_url("**/help/glossary/#term-grade")
    visit(page, "/help/glossary/")
    expect(page.locator("#term-grade")).to_contain_text("Grade")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_packet_is_beside_the_editor_on_a_desktop_and_above_it_on_a_phone(new_page) -> None:
    s = Setup()
    page = new_page()
    page.set_viewport_size(DESKTOP)
    sign_in(page, s.consultant, f"/opinions/requests/{s.request.pk}/edit/")
    visit(page, f"/opinions/requests/{s.request.pk}/edit/")
    panel, form = page.locator("aside.so-packet"), page.locator(".so-with-packet__work form")
    expect(panel).to_contain_text(s.questions()[0].text)
    p, f = panel.bounding_box(), form.bounding_box()
    assert p and f and p["x"] + p["width"] <= f["x"] and p["y"] < f["y"] + 200  # side by side
    page.set_viewport_size(PHONE)
    p, f = panel.bounding_box(), form.bounding_box()
    assert p and f and p["y"] + p["height"] <= f["y"]  # stacked: the packet, then the form
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
