"""Issue 4's journey: the anonymous triage in English and in Spanish, ending in sign-up with the answer
saved to the new case (axe-core runs on every page)."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from secondopinion.triage.models import TriageAssessment
from tests.browser.helpers import mail_link, submit, tick, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password-42"


def answer_questions(page: Page, *, cancer: str, yes_to_spread: str, submit_label: str) -> None:
    page.fill("#id_cancer_type", cancer)
    page.fill("#id_age", "52")
    tick(page, f"input[name=metastatic][value={yes_to_spread}]")
    tick(page, "input[name=pathology_definite][value=no]")
    for option in ("surgery", "chemotherapy"):  # USWDS styles the label; the box itself is visually hidden
        tick(page, f"input[name=options_considered][value={option}]")
    tick(page, "input[name=doctor_experience][value=few]")
    page.fill("#id_zip", "59001")
    submit(page, page.get_by_role("button", name=submit_label))


def codes(page: Page, list_id: str) -> list[str]:
    return page.locator(f"#{list_id} [data-code]").evaluate_all("els => els.map(e => e.dataset.code)")


def sign_up_and_confirm(page: Page, *, name: str, email: str, submit_label: str) -> None:
    page.fill("#id_full_name", name)
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    submit(page, page.get_by_role("button", name=submit_label))
    visit(page, mail_link(mail.outbox[-1]))  # confirm the address


def test_anonymous_triage_in_english_then_sign_up_keeps_the_answer(page: Page) -> None:
    visit(page, "/")
    submit(page, page.get_by_role("link", name="Do I need a second opinion? Find out in two minutes"))
    answer_questions(page, cancer="Lung cancer", yes_to_spread="yes", submit_label="See my answer")

    expect(page.locator("#recommendation")).to_have_attribute("data-code", "strongly_suggested")
    assert codes(page, "reasons") == [
        "inexperienced_doctor",
        "several_options",
        "pathology_not_definite",
        "metastatic",
    ]
    assert codes(page, "channels") == ["pathology_review", "independent_specialist", "tumor_board"]
    assert codes(page, "specialties") == ["medical_oncology", "pathology", "surgical_oncology"]
    expect(page.locator("#centers li")).to_have_count(3)  # a Montana ZIP: rural, far from any center
    assert TriageAssessment.objects.count() == 0  # nothing stored yet

    submit(page, page.locator("#start-request"))
    sign_up_and_confirm(page, name="Rosa Field", email="rosa@example.test", submit_label="Create my account")

    assessment = TriageAssessment.objects.get()
    assert assessment.case.owner.email == "rosa@example.test"
    assert assessment.case.cancer_type == "Lung cancer"
    assert assessment.reason_codes == [
        "inexperienced_doctor",
        "several_options",
        "pathology_not_definite",
        "metastatic",
    ]


def test_anonymous_triage_in_spanish_then_sign_up_keeps_the_answer(page: Page) -> None:
    visit(page, "/")
    submit(page, page.locator("form.so-lang button"))  # Español
    expect(page.locator("html")).to_have_attribute("lang", "es")
    visit(page, "/triage/")
    answer_questions(page, cancer="Breast cancer", yes_to_spread="no", submit_label="Ver mi resultado")

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#recommendation")).to_have_attribute("data-code", "strongly_suggested")
    assert codes(page, "reasons") == ["inexperienced_doctor", "several_options", "pathology_not_definite"]
    expect(page.locator("main")).to_contain_text("segunda opinión")

    submit(page, page.locator("#start-request"))
    sign_up_and_confirm(page, name="Lucía Ortega", email="lucia@example.test", submit_label="Crear mi cuenta")

    assessment = TriageAssessment.objects.get()
    assert assessment.case.owner.email == "lucia@example.test"
    assert assessment.reason_codes == ["inexperienced_doctor", "several_options", "pathology_not_definite"]
    assert assessment.result["explanations"]  # stored with the case
