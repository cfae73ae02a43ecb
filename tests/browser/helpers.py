"""Helpers for the browser tests: axe-core on every page, navigation that checks, e-mail links.

axe-core is loaded from src/secondopinion/static/vendor/axe/axe.min.js (copied there by `make install`; it
is gitignored). Playwright's add_script_tag(path=...) inserts the file's text as an inline <script>, which
the site's Content-Security-Policy (script-src 'self') blocks. Rather than switching the CSP off for the
whole browser context (bypass_csp=True), the script is added by its /static/ URL, which 'self' allows. So
the pages are tested under the CSP they are served with: an inline script that production would block
breaks here too.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.mail import EmailMessage
from playwright.sync_api import Locator, Page, Response

AXE_FILE = Path(__file__).resolve().parents[2] / "src/secondopinion/static/vendor/axe/axe.min.js"
AXE_URL = "/static/vendor/axe/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
LINK = re.compile(r"https?://\S+")


# Radio buttons sharing a name (one or more), and 2+ checkboxes sharing a name, make one question: each such
# group must sit inside one fieldset whose own legend holds the question (axe does not check this).
CHOICE_GROUPS_JS = """() => {
  const groups = new Map();
  for (const input of document.querySelectorAll('input[type=radio], input[type=checkbox]')) {
    const form = input.form ? [...document.forms].indexOf(input.form) : -1;
    const key = `${input.type} ${form} ${input.name || ('#' + Math.random())}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(input);
  }
  const problems = [];
  for (const members of groups.values()) {
    const type = members[0].type;
    if (type === 'checkbox' && members.length < 2) continue;
    let fieldset = members[0].closest('fieldset');
    while (fieldset && !members.every((m) => fieldset.contains(m))) {
      fieldset = fieldset.parentElement && fieldset.parentElement.closest('fieldset');
    }
    const legend = fieldset && fieldset.querySelector(':scope > legend');
    let why = '';
    if (!fieldset) why = 'not inside one fieldset';
    else if (!legend || !legend.textContent.trim()) why = 'its fieldset has no legend with the question';
    if (why) problems.push({name: members[0].name, type, count: members.length, why,
                            html: members[0].outerHTML.slice(0, 200)});
  }
  return problems;
}"""


def choice_groups_check(page: Page) -> None:
    """Fail when a group of radio buttons or checkboxes is not a fieldset with a non-empty legend."""
    problems = page.evaluate(CHOICE_GROUPS_JS)
    if problems:
        lines = [f"{len(problems)} radio/checkbox group(s) without a fieldset and legend on {page.url}"]
        for p in problems:
            lines.append(f"- {p['count']} {p['type']} input(s) named {p['name']!r}: {p['why']}: {p['html']}")
        pytest.fail("\n".join(lines))


def axe_check(page: Page) -> None:
    """Run axe-core on the page; fail on serious or critical WCAG 2.x A/AA violations.

    The radio/checkbox group check (choice_groups_check) runs first, on every page that axe checks.
    """
    choice_groups_check(page)
    if not AXE_FILE.exists():
        pytest.fail(f"{AXE_FILE} is missing: run `make install` to copy axe-core from node_modules")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    blocking = [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe: {len(blocking)} serious/critical violation(s) on {page.url}"]
        for v in blocking:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"][:5]:
                lines.append(f"    {json.dumps(node['target'])}: {node['html'][:200]}")
        pytest.fail("\n".join(lines))


def tick(page: Page, selector: str) -> None:
    """Choose a radio button or checkbox as a person does: USWDS hides the input and styles its label."""
    input_id = page.locator(selector).get_attribute("id")
    assert input_id, f"{selector} has no id for its label"
    page.locator(f'label[for="{input_id}"]').click()


def visit(page: Page, url: str, *, status: int = 200) -> Response:
    """Open a URL, check the status, run axe on the page."""
    response = page.goto(url)
    assert response is not None, url
    assert response.status == status, f"{url}: expected {status}, got {response.status}"
    axe_check(page)
    return response


def submit(page: Page, button: Locator, *, status: int = 200) -> Response:
    """Click something that loads a new page (a submit button or a link); check the status; run axe."""
    with page.expect_navigation() as navigation:
        button.click()
    response = navigation.value
    assert response is not None
    assert response.status == status, f"{response.url}: expected {status}, got {response.status}"
    axe_check(page)
    return response


def mail_link(message: EmailMessage) -> str:
    """The path (and query) of the one link in an e-mail; the mail names SITE_URL, not the live server."""
    links = LINK.findall(message.body)
    assert len(links) == 1, message.body
    parts = urlsplit(links[0])
    return parts.path + (f"?{parts.query}" if parts.query else "")


def screenshot(page: Page, name: str) -> None:
    """Save a full-page screenshot to $SECONDOPINION_SCREENSHOTS/<name>.png when that folder is set."""
    folder = os.environ.get("SECONDOPINION_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
