"""The language switch: English ⇄ Español, with axe-core on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import screenshot, submit, tick, visit

pytestmark = pytest.mark.browser


def test_switch_to_spanish_and_back(page):
    visit(page, "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switch = page.locator("form.so-lang button")
    expect(switch).to_have_text("Español")
    expect(switch).to_have_attribute("lang", "es")

    submit(page, switch)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(switch).to_have_text("English")
    expect(switch).to_have_attribute("lang", "en")
    screenshot(page, "home-es")

    submit(page, switch)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(switch).to_have_text("Español")


def test_switching_language_keeps_the_half_filled_triage_form(page):
    """The switch submits the page's own form (HTML form/formaction attributes, no script needed)."""
    visit(page, "/triage/")
    page.fill("#id_cancer_type", "cáncer de mama")
    page.fill("#id_age", "52")
    tick(page, "input[name=options_considered][value=surgery]")
    submit(page, page.locator("form.so-lang button"))  # Español
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#id_cancer_type")).to_have_value("cáncer de mama")
    expect(page.locator("#id_age")).to_have_value("52")
    expect(page.locator("input[name=options_considered][value=surgery]")).to_be_checked()
    expect(page.locator("input[name=options_considered][value=radiation]")).not_to_be_checked()
