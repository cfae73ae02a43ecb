"""The radio/checkbox group check: it fails on a page whose choices lack a fieldset and legend, passes on a
good one, runs with axe on every page the browser tests check, and the triage questions pass it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import axe_check, choice_groups_check, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD = """<!doctype html><html lang="en"><title>Good</title><main><form>
<fieldset><legend>Has the cancer spread?</legend>
  <input type="radio" name="spread" id="s1" value="yes"><label for="s1">Yes</label>
  <input type="radio" name="spread" id="s2" value="no"><label for="s2">No</label>
</fieldset>
<fieldset><legend> Which treatments? </legend>
  <input type="checkbox" name="t" id="t1" value="a"><label for="t1">A</label>
  <input type="checkbox" name="t" id="t2" value="b"><label for="t2">B</label>
</fieldset>
<input type="checkbox" name="alone" id="alone"><label for="alone">A single checkbox needs no fieldset</label>
</form></main></html>"""

BAD_PAGES = {
    "radios without fieldset": """<form><p>Has the cancer spread?</p>
      <input type="radio" name="spread" id="s1"><label for="s1">Yes</label>
      <input type="radio" name="spread" id="s2"><label for="s2">No</label></form>""",
    "fieldset without legend": """<form><fieldset><p>Has the cancer spread?</p>
      <input type="radio" name="spread" id="s1"><label for="s1">Yes</label>
      <input type="radio" name="spread" id="s2"><label for="s2">No</label></fieldset></form>""",
    "empty legend": """<form><fieldset><legend>  </legend>
      <input type="radio" name="spread" id="s1"><label for="s1">Yes</label></fieldset></form>""",
    "checkboxes without fieldset": """<form>
      <input type="checkbox" name="t" id="t1"><label for="t1">A</label>
      <input type="checkbox" name="t" id="t2"><label for="t2">B</label></form>""",
    "one group split over two fieldsets": """<form>
      <fieldset><legend>Part one</legend><input type="radio" name="spread" id="s1"></fieldset>
      <fieldset><legend>Part two</legend><input type="radio" name="spread" id="s2"></fieldset>
      </form>""",
    "legend only of an inner fieldset": """<form><fieldset>
      <fieldset><legend>Inner</legend><input type="checkbox" name="t" id="t1"></fieldset>
      <input type="checkbox" name="t" id="t2"><label for="t2">B</label></fieldset></form>""",
}


def test_the_check_passes_on_a_page_with_grouped_choices(page: Page) -> None:
    page.set_content(GOOD)
    choice_groups_check(page)


@pytest.mark.parametrize("html", BAD_PAGES.values(), ids=BAD_PAGES.keys())
def test_the_check_fails_on_ungrouped_choices(page: Page, html: str) -> None:
    page.set_content(f'<!doctype html><html lang="en"><title>Bad</title><main>{html}</main></html>')
    with pytest.raises(pytest.fail.Exception, match="without a fieldset and legend"):
        choice_groups_check(page)


def test_triage_questions_are_fieldsets_with_legends_and_axe_runs_the_check(page: Page) -> None:
    visit(page, "/triage/")  # visit runs axe_check, and with it the group check: the page passes
    legends = page.locator("fieldset.usa-fieldset > legend.usa-legend").all_inner_texts()
    for question in (
        "Does the pathology report give a definite diagnosis?",
        "Has the cancer spread to other parts of the body?",
        "Are your test results unclear about the type or where the cancer is?",
        "Which treatments have been mentioned to you?",
        "Do you feel unsure about which treatment to choose?",
        "How many people with this cancer has your doctor treated?",
        "Are you comfortable with your diagnosis and treatment plan?",
        "Have you already started treatment?",
    ):
        assert question in legends, legends
    assert page.locator("fieldset .usa-radio > input.usa-radio__input[type=radio]").count() == 6 * 3 + 4
    # The same page with one ungrouped radio pair added: axe_check now fails, naming the group.
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
        '<input type="radio" name="stray" id="x1"><label for="x1">x</label>' +
        '<input type="radio" name="stray" id="x2"><label for="x2">y</label>')"""
    )
    with pytest.raises(pytest.fail.Exception, match="'stray'"):
        axe_check(page)
