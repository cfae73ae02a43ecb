"""The language switch: English ⇄ Español, with axe-core on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import screenshot, submit, visit

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
