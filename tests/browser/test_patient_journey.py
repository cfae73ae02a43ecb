"""Issue 2's journey in a real browser, with axe-core on every page it visits.

A new patient signs up, creates a case, enters the diagnosis and the first doctor's plan, adds three
medicines of which one is a supplement, adds two questions, uploads a PDF and a DICOM file, watches the
checklist become complete, invites a companion; the companion logs in and sees the case but cannot delete a
document; the patient revokes the companion, who then gets "not found"; the patient's "who has seen my
records" page lists the companion's views.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from playwright.sync_api import Page, expect
from pydicom.data import get_testdata_file

from tests.browser.helpers import axe_check, mail_link, screenshot, submit, visit
from tests.factories import MINIMAL_PDF

pytestmark = pytest.mark.browser

PATIENT = {"name": "Rosa Delgado", "email": "rosa.delgado@example.test"}
COMPANION = {"name": "Miguel Delgado", "email": "miguel.delgado@example.test"}
PASSWORD = "plum-harbour-lantern-77"
CASE_TITLE = "My breast cancer, 2026"
CHECKLIST = ("pathology_report", "test_results", "medicines", "first_opinion", "questions", "companion")


def mail_to(address: str) -> EmailMessage:
    messages = [m for m in mail.outbox if address in m.to]
    assert messages, f"no e-mail to {address}; outbox: {[m.to for m in mail.outbox]}"
    return messages[-1]


def present(page: Page, code: str) -> str | None:
    return page.locator(f'#checklist li[data-item="{code}"]').get_attribute("data-present")


def expect_present(page: Page, *codes: str) -> None:
    for code in codes:
        expect(page.locator(f'#checklist li[data-item="{code}"]')).to_have_attribute("data-present", "yes")


def tick(page: Page, label: str) -> None:
    """Tick a USWDS checkbox the way a person does: by its label (the input itself is moved off-screen)."""
    page.locator("label.usa-checkbox__label", has_text=label).click()
    expect(page.get_by_label(label, exact=True)).to_be_checked()


def fill_signup(page: Page, name: str) -> None:
    page.fill("#id_full_name", name)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)


def add_medicine(page: Page, name: str, dose: str, frequency: str, *, supplement: bool = False) -> None:
    page.locator("#medicines summary").click()
    screenshot(page, "add-medicine")
    page.fill("#id_name", name)
    page.fill("#id_dose", dose)
    page.fill("#id_frequency", frequency)
    if supplement:
        tick(page, "Vitamin, herb or supplement")
    # htmx swaps the section (and the checklist) in place: no page load.
    page.get_by_role("button", name="Add this medicine").click()
    expect(page.locator("#medicines [role=status]")).to_have_text("Medicine added.")
    expect(page.locator("#medicines tbody")).to_contain_text(name)
    axe_check(page)


def upload(page: Page, kind: str, path: str | Path, title: str) -> None:
    submit(page, page.get_by_role("link", name="Add a document"))
    page.select_option("#id_kind", kind)
    page.fill("#id_title", title)
    page.set_input_files("#id_file", str(path))
    submit(page, page.get_by_role("button", name="Upload"))
    expect(page.locator("#documents li.so-document", has_text=title)).to_be_visible()


def test_patient_journey(new_page, live_server, tmp_path):
    page = new_page()

    # Sign up, confirm the address from the e-mail, sign in.
    visit(page, "/")
    submit(page, page.get_by_role("main").get_by_role("link", name="Create an account"))
    fill_signup(page, PATIENT["name"])
    page.fill("#id_email", PATIENT["email"])
    submit(page, page.get_by_role("button", name="Create my account"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    visit(page, mail_link(mail_to(PATIENT["email"])))
    expect(page.get_by_role("status")).to_contain_text("Your e-mail address is confirmed")
    page.fill("#id_username", PATIENT["email"])
    page.fill("#id_password", PASSWORD)
    submit(page, page.get_by_role("main").get_by_role("button", name="Sign in"))
    assert page.url == f"{live_server.url}/cases/"

    # Start a case; the next step is the diagnosis.
    submit(page, page.get_by_role("link", name="Start a new case"))
    page.fill("#id_title", CASE_TITLE)
    submit(page, page.get_by_role("button", name="Start my case"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your diagnosis, as you know it")
    page.fill("#id_cancer_type", "Invasive ductal carcinoma")
    page.fill("#id_body_site", "Left breast")
    page.fill("#id_diagnosis_date", "2025-11-03")
    submit(page, page.get_by_role("button", name="Save"))
    case_path = re.sub(r"#.*$", "", page.url.removeprefix(live_server.url))
    assert re.fullmatch(r"/cases/[0-9a-f-]{36}/", case_path), case_path
    expect(page.locator("#diagnosis")).to_contain_text("Invasive ductal carcinoma")
    assert {code: present(page, code) for code in CHECKLIST} == dict.fromkeys(CHECKLIST, "no")
    expect(page.locator("#checklist-complete")).to_have_count(0)

    # The first doctor's diagnosis and plan.
    submit(page, page.get_by_role("link", name="Enter or change the first opinion"))
    page.fill("#id_first_doctor_name", "Dr. Ann Lee")
    page.fill("#id_first_doctor_specialty", "Breast surgery")
    page.select_option("#id_cancer_type", "Breast cancer (female)")
    page.fill("#id_stage_text", "Stage IIA")
    tick(page, "Surgery")
    expect(page.locator("#id_details_surgery")).to_be_visible()  # shown once the treatment is ticked
    page.locator("label.usa-radio__label", has_text="Breast-conserving surgery (lumpectomy)").click()
    page.fill("#id_details_surgery", "With sentinel lymph node biopsy")
    page.fill("#id_narrative", "Invasive ductal carcinoma, grade 2, ER positive.")
    screenshot(page, "first-opinion-form")
    submit(page, page.get_by_role("button", name="Save"))
    expect_present(page, "first_opinion")
    expect(page.locator("#first-opinion")).to_contain_text("Breast-conserving surgery (lumpectomy)")
    assert present(page, "medicines") == "no"

    # Three medicines, one of them a supplement.
    add_medicine(page, "Letrozole", "2.5 mg", "once a day")
    expect_present(page, "medicines")
    add_medicine(page, "Metformin", "500 mg", "twice a day")
    add_medicine(page, "Turmeric", "1 capsule", "once a day", supplement=True)
    rows = page.locator("#medicines tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#medicines .usa-tag")).to_have_count(1)
    expect(rows.filter(has=page.locator(".usa-tag"))).to_contain_text("Turmeric")

    # Two questions.
    assert present(page, "questions") == "no"
    for text in ("What are all my treatment options?", "Do I need genetic testing?"):
        page.fill("#id_text", text)
        page.get_by_role("button", name="Add this question").click()  # htmx: the section is swapped in place
        expect(page.locator("#questions ol")).to_contain_text(text)
        axe_check(page)
    expect(page.locator("#questions ol > li")).to_have_count(2)
    expect_present(page, "questions")

    # A PDF (pathology report) and a DICOM file (imaging study): the packet is complete.
    assert present(page, "pathology_report") == "no"
    pdf = tmp_path / "pathology-report.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    upload(page, "pathology_report", pdf, "Biopsy report")
    expect_present(page, "pathology_report")
    assert present(page, "test_results") == "no"
    expect(page.locator("#checklist-complete")).to_have_count(0)
    upload(page, "imaging_study", get_testdata_file("CT_small.dcm"), "CT scan")
    expect_present(page, "pathology_report", "test_results", "medicines", "first_opinion", "questions")
    assert present(page, "companion") == "no"
    expect(page.locator("#checklist-complete")).to_have_text("Your packet is complete.")
    screenshot(page, "case-complete")
    delete_url = page.locator("#documents form").first.get_attribute("action")
    assert delete_url and delete_url.endswith("/delete/")

    # Invite a companion.
    submit(page, page.get_by_role("link", name="Invite or manage"))
    page.fill("#id_name", COMPANION["name"])
    page.fill("#id_email", COMPANION["email"])
    expect(page.locator("#id_can_view")).to_be_checked()
    submit(page, page.get_by_role("button", name="Send the invitation", exact=True))
    expect(page.get_by_role("status")).to_contain_text(f"We sent an invitation to {COMPANION['email']}")
    expect_present(page, "companion")

    # The companion opens the invitation in another browser and signs up; the address is fixed.
    companion = new_page()
    visit(companion, mail_link(mail_to(COMPANION["email"])))
    expect(companion.locator("#id_email")).to_be_disabled()
    expect(companion.locator("#id_email")).to_have_value(COMPANION["email"])
    screenshot(companion, "companion-signup")
    fill_signup(companion, COMPANION["name"])
    submit(companion, companion.get_by_role("button", name="Create my account"))
    assert companion.url == f"{live_server.url}{case_path}"
    expect(companion.get_by_role("heading", level=1)).to_have_text(CASE_TITLE)
    expect(companion.get_by_text(f"{PATIENT['name']} shares this case with you.")).to_be_visible()
    expect(companion.locator("#documents li.so-document")).to_have_count(2)
    screenshot(companion, "case-as-companion")

    # ... but cannot delete a document: no Remove button, and a direct POST is "not found".
    expect(companion.locator("#documents").get_by_role("button")).to_have_count(0)
    expect(companion.get_by_role("button", name="Remove")).to_have_count(0)
    csrf = next(c["value"] for c in companion.context.cookies() if c["name"] == "csrftoken")
    response = companion.request.post(
        delete_url, form={"csrfmiddlewaretoken": csrf}, headers={"Referer": f"{live_server.url}{case_path}"}
    )
    assert response.status == 404, response.status
    visit(page, case_path)
    expect(page.locator("#documents li.so-document")).to_have_count(2)

    # The patient stops sharing; the companion now gets "not found".
    submit(page, page.get_by_role("link", name="Invite or manage"))
    companion_row = page.locator("li.so-companion", has_text=COMPANION["email"])
    companion_row.locator("summary", has_text="Stop sharing").click()  # asks first (works without JS)
    expect(companion_row).to_contain_text("will no longer see this case.")
    submit(page, companion_row.get_by_role("button", name="Yes, stop sharing"))
    expect(page.get_by_role("status")).to_contain_text(f"{COMPANION['email']} can no longer see this case.")
    visit(companion, case_path, status=404)
    expect(companion.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(companion.get_by_text(CASE_TITLE)).to_have_count(0)
    screenshot(companion, "not-found")

    # "Who has seen my records" lists the companion's views.
    submit(page, page.get_by_role("link", name="Who has seen my records"))
    companion_rows = page.locator("#access-log tbody tr", has_text=COMPANION["name"])
    expect(companion_rows.first).to_contain_text("opened the case")
    screenshot(page, "access-log")
