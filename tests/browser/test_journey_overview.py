"""The journey overview on a 390 px phone: the step indicator says where the patient stands, the one next
action leads on, and the decision form's one question works without a treating doctor."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.helpers import screenshot, submit, visit
from tests.factories import PASSWORD
from tests.opinions.support import Setup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, user) -> None:
    visit(page, reverse("accounts:login"))
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    submit(page, page.get_by_role("main").get_by_role("button", name="Sign in"))


def test_journey_at_phone_width(new_page) -> None:
    s = Setup()
    s.signed()
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, s.patient)
    case_path = reverse("cases:detail", args=[s.case.pk])
    visit(page, case_path)
    journey = page.locator("#journey")
    expect(journey.locator(".usa-step-indicator__heading")).to_contain_text("Step 4 of 5")
    expect(journey.locator(".usa-step-indicator__heading")).to_contain_text("Compare the opinions")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "journey-390-compare")
    submit(page, journey.get_by_role("link", name="Compare the opinions"))
    assert page.url.endswith(reverse("opinions:compare", args=[s.case.pk]))

    # not decided yet: no treating doctor needed; the journey then asks for the decision
    visit(page, reverse("opinions:decision", args=[s.case.pk]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#follows-advice label.usa-radio__label", has_text="Not decided yet").click()
    submit(page, page.get_by_role("button", name="Save my decision"))
    visit(page, case_path)
    expect(journey.locator(".usa-step-indicator__heading")).to_contain_text("Step 5 of 5")
    expect(journey.get_by_role("link", name="Record your decision")).to_be_visible()

    # a decision made: every step done, and what follows a decision instead of the packet download
    visit(page, reverse("opinions:decision", args=[s.case.pk]))
    page.locator("#follows-advice label.usa-radio__label", has_text="Yes").click()
    page.fill("#id_treating_doctor", "Dr. Ann Lee")
    submit(page, page.get_by_role("button", name="Save my decision"))
    visit(page, case_path)
    expect(journey).to_contain_text("Every step is done")
    expect(page.locator("#after-decision")).to_contain_text("Ask for a third opinion")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "journey-390-done")
