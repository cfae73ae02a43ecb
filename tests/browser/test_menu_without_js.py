"""The phone menu needs USWDS's JavaScript; without it the header's links stay in the page."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("scripts", [True, False])
def test_phone_header_links_reachable_with_and_without_javascript(browser, live_server, scripts) -> None:
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=scripts, viewport={"width": 390, "height": 800}
    )
    try:
        page = context.new_page()
        page.goto("/")
        find = page.locator('[data-nav="find"] a')
        menu = page.locator(".usa-menu-btn")
        if scripts:  # behind the menu button until it is opened
            assert menu.is_visible() and not find.is_visible()
            menu.click()
            assert find.is_visible()
        else:
            assert find.is_visible() and not menu.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
