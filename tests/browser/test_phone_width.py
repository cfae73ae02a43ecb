"""Every page a patient visits, at a phone's width (390 px): nothing scrolls sideways (issue 11, item 10).

The patient's case is well filled and full of long unbroken words (a title, medicine names, document
titles, a question, a doctor's name in the directory), so a page that does not wrap them, or a table that
neither stacks nor scrolls inside its box, widens the page. On each page: the document is no wider than the
screen, and axe-core finds no serious or critical violation. The header folds into the USWDS menu button.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from secondopinion.cases import actions as case_actions
from tests.browser.helpers import screenshot, submit, visit
from tests.browser.test_second_opinion_journey import sign_in
from tests.browser.test_triage_journey import answer_questions
from tests.directory.people import make_practitioner
from tests.factories import make_document, unique_pdf
from tests.opinions.support import Setup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
LONG = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2  # 90 letters, no place to break
WIDEST = """(width) => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > width + 0.5)
  .slice(0, 8)
  .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + el.getAttribute("class")
    + " → " + Math.round(el.getBoundingClientRect().right))"""


def fits(page: Page, name: str) -> None:
    """The page is no wider than the phone; axe already ran (visit/submit)."""
    screenshot(page, f"phone-{name}")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{name} ({page.url}) is {width} px wide: {page.evaluate(WIDEST, WIDTH)}"


def open_at_phone_width(page: Page, url: str, name: str) -> None:
    visit(page, url)
    fits(page, name)


def well_filled_case() -> tuple[Setup, Any]:
    """A case with a signed second opinion, several medicines, documents, questions: long words everywhere."""
    setup = Setup()
    patient, case = setup.patient, setup.case
    case_actions.update_case(patient, case, {"title": f"My {LONG} case"})
    medicines = [
        (f"{LONG}mab", "50 mg", "every morning", False),
        ("Tamoxifen", "20 mg", "once a day", False),
        (f"Vitamin D3 {LONG}", "1000 IU", "once a day", True),
        ("Turmeric", "500 mg", "twice a day", True),
    ]
    for name, dose, frequency, supplement in medicines:
        case_actions.add_medicine(
            patient,
            case,
            {
                "name": name,
                "dose": dose,
                "frequency": frequency,
                "since": date(2026, 1, 5),
                "is_supplement": supplement,
            },
        )
    make_document(patient, case, unique_pdf("long"), title=f"Biopsy {LONG} report", name=f"{LONG}.pdf")
    make_document(patient, case, unique_pdf("scan"), kind="imaging_report", title="Mammogram, March 2026")
    case_actions.add_question(patient, case, f"What does {LONG} mean for my treatment?")
    return setup, setup.signed()


def test_every_patient_page_fits_a_phone(new_page, live_server) -> None:
    setup, opinion = well_filled_case()
    case, request = setup.case, setup.request
    doctor = make_practitioner("160000011", LONG, "Helen", video=True)
    page = new_page()
    page.set_viewport_size({"width": WIDTH, "height": 844})

    # The header: at this width its links sit behind the menu button.
    visit(page, "/")
    menu = page.locator(".usa-menu-btn")
    expect(menu).to_be_visible()
    expect(page.locator("nav.usa-nav")).to_be_hidden()
    menu.click()
    expect(page.locator("nav.usa-nav")).to_be_visible()
    expect(page.locator("nav.usa-nav").get_by_role("link", name="Sign in")).to_be_visible()
    fits(page, "menu-open")
    page.locator(".usa-nav__close").click()
    expect(page.locator("nav.usa-nav")).to_be_hidden()

    sign_in(page, setup.patient, "/cases/")
    fits(page, "cases")
    open_at_phone_width(page, "/", "home")  # lands on the cases list
    assert page.url.endswith("/cases/")
    menu.click()
    expect(page.locator("nav.usa-nav").get_by_role("link", name="My cases")).to_be_visible()
    expect(page.locator("nav.usa-nav").get_by_role("button", name="Sign out")).to_be_visible()
    page.locator(".usa-nav__close").click()

    pages = {
        "case": f"/cases/{case.pk}/",
        "upload": f"/cases/{case.pk}/documents/upload/",
        "companions": f"/cases/{case.pk}/companions/",
        "access-log": f"/cases/{case.pk}/access-log/",
        "triage": "/triage/",
        "directory": "/directory/",
        "directory-results": "/directory/?specialty=medical+oncologist&near=59101&radius_miles=200",
        "practitioner": f"/directory/practitioners/{doctor.npi}/",
        "centers": "/directory/centers/?near=59301&center_type=comprehensive",
        "request-new": f"/requests/new/{case.pk}/",
        "request": f"/requests/{request.pk}/",
        "compare": f"/opinions/cases/{case.pk}/compare/",
        "guide": f"/opinions/cases/{case.pk}/guide/",
        "decision": f"/opinions/cases/{case.pk}/decision/",
        "opinion": f"/opinions/{opinion.pk}/",
        "account": "/accounts/me/",
    }
    for name, url in pages.items():
        open_at_phone_width(page, url, name)
        if name == "case":
            expect(page.locator("main")).to_contain_text(LONG)
            cells = page.locator("#medicines td[data-label]")
            expect(cells.first).to_have_attribute("data-label", "Name")
        if name == "directory-results":
            expect(page.locator("#results > li")).to_have_count(1)
        if name == "centers":
            expect(page.locator("#centers th[data-label]").first).to_be_visible()
        if name == "triage":
            answer_questions(page, cancer="Breast cancer", yes_to_spread="no", submit_label="See my answer")
            expect(page.locator("#recommendation")).to_be_visible()
            fits(page, "triage-result")

    # The stacked medicines table shows each cell's label on the phone.
    visit(page, f"/cases/{case.pk}/")
    label = page.locator("#medicines td[data-label]").first.evaluate(
        "td => getComputedStyle(td, '::before').content"
    )
    assert label == '"Name"'
    submit(page, page.locator("#medicines").get_by_role("link", name="Change").first)
    fits(page, "medicine-edit")
