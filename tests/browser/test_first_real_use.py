"""Issue 11's "Must show": the whole journey as a new user meets it, in a real browser, axe on every page.

A patient signs in (landing on their cases), enters the first doctor's plan once on the case page (breast
cancer from the list, the stage as written, surgery: mastectomy) and asks a program for a second opinion.
The program's coordinator signs in without a `next` and lands on the program queue, and assigns the
consultant; the consultant lands on the inbox, accepts and starts, writes the opinion with the packet beside
the editor (the patient's entry is there), proposes breast-conserving surgery (lumpectomy) + radiation,
answers the patient's questions, and on the sign page states "changed" for the treatment. The patient's
comparison leads with that class, and the discussion guide's PDF carries the answers.

Two passes: English at desktop width (1280 px), with the assertions on words; Spanish (browser locale
es-ES) at a phone's width (390 px), lighter: the pages load, axe and the choice-group check pass (inside
visit/submit), no patient page scrolls sideways, and the comparison's treatment class is read from a data
attribute. The Spanish pass selects by ids, names, values and URLs only, never by words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pypdfium2
import pytest
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from secondopinion.accounts.models import Role, User
from secondopinion.cases import actions as case_actions
from secondopinion.consults.models import ConsultRequest, Program
from secondopinion.opinions.models import Opinion
from tests.browser.helpers import submit, tick, visit
from tests.browser.test_second_opinion_journey import dimension, status, totp_code
from tests.factories import PASSWORD, make_case, make_document, make_user, unique_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRAM = "Lakeside Cancer Center Second Opinions"
CONSULTANT = "Dr. Helen Okafor"
BREAST = "Breast cancer (female)"  # the stored name in the cancer-type list
QUESTIONS = ("Can I keep my breast?", "Will I need radiation every day?")
ANSWERS = (
    "Yes: breast-conserving surgery is as safe as mastectomy for a tumour like yours.",
    "Yes, on weekdays for about three weeks after the surgery.",
)
SUMMARY = "Surgery that keeps the breast, then radiation, is the better plan for you."


@dataclass
class Pass:
    locale: str
    width: int
    stage: str  # the stage as the patient copies it from the report
    english: bool  # assert words (English pass) or only ids, data attributes and URLs (Spanish pass)


ENGLISH_DESKTOP = Pass(locale="en-US", width=1280, stage="IIA", english=True)
SPANISH_PHONE = Pass(locale="es-ES", width=390, stage="T2 N0 M0", english=False)


@pytest.fixture
def open_page(browser: Browser, live_server: Any) -> Iterator[Callable[[Pass], Page]]:
    """A page in a fresh browser context (one person each) with the pass's language and width."""
    contexts: list[BrowserContext] = []

    def make(run: Pass) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale=run.locale,
            viewport={"width": run.width, "height": 900},
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def path_of(page: Page, live_server: Any) -> str:
    return page.url.removeprefix(live_server.url).split("#")[0]


def sign_in(page: Page, user: User) -> None:
    """The login form without a `next`, then (for clinicians) the code from the authenticator app."""
    visit(page, "/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    submit(page, page.locator("main form button[type=submit]"))
    if user.needs_second_factor:
        page.fill("#id_otp_token", totp_code(user))
        submit(page, page.locator("main form button[type=submit]"))


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def journey(run: Pass, open_page: Callable[[Pass], Page], live_server: Any) -> None:
    patient = make_user(Role.PATIENT, name="Rosa Delgado", email="rosa.delgado@example.test")
    case = make_case(patient, title="My breast cancer", first_doctor_name="Dr. Ann Lee")
    for text in QUESTIONS:
        case_actions.add_question(patient, case, text)
    make_document(patient, case, unique_pdf("biopsy"), title="Biopsy report")
    consultant = make_user(Role.CONSULTANT, name=CONSULTANT, email="helen.okafor@example.test")
    coordinator = make_user(Role.COORDINATOR, name="Sam Rivera", email="sam.rivera@example.test")
    program = Program.objects.create(
        name=PROGRAM, institution="Lakeside University Hospital", turnaround_days=7
    )
    program.coordinators.add(coordinator)
    program.consultants.add(consultant)
    case_path = reverse("cases:detail", args=[case.pk])

    def fits(page: Page) -> None:
        """No horizontal scroll on the patient's page (axe already ran in visit/submit)."""
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= run.width, f"{page.url} is {width} px wide at {run.width} px"

    def patient_visit(page: Page, url: str) -> None:
        visit(page, url)
        fits(page)

    def patient_submit(page: Page, button: Locator) -> None:
        submit(page, button)
        fits(page)

    # --- The patient signs in and lands on their cases; opens the case. ---
    rosa = open_page(run)
    sign_in(rosa, patient)
    assert path_of(rosa, live_server) == reverse("cases:list")
    fits(rosa)
    expect(rosa.locator("html")).to_have_attribute("lang", "en" if run.english else "es")
    patient_submit(rosa, rosa.locator(f'main a[href="{case_path}"]').first)

    # --- ... enters the first doctor's plan once, from the case page's first-doctor section. ---
    patient_submit(
        rosa, rosa.locator(f'#first-opinion a[href="{reverse("opinions:first", args=[case.pk])}"]')
    )
    rosa.select_option("#id_cancer_type", BREAST)
    rosa.fill("#id_stage_text", run.stage)
    tick(rosa, "input[name=modalities][value=surgery]")
    tick(rosa, "input[name=procedure_surgery][value=mastectomy]")
    patient_submit(rosa, rosa.locator("#first-opinion-form button[type=submit]"))
    first = Opinion.objects.get(case=case, source=Opinion.Source.FIRST)
    option = first.content["treatment"]["options"][0]
    assert option["modalities"] == ["surgery"] and option["procedures"] == {"surgery": "mastectomy"}
    assert first.content["diagnosis"]["site"].startswith("C50")  # the list's topography category
    assert Opinion.objects.filter(case=case, source=Opinion.Source.FIRST).count() == 1
    if run.english:
        first_stage = first.content["stage"]
        assert first_stage["as_written"] == "IIA" and first_stage["group"] == "IIA"
        if path_of(rosa, live_server) != case_path:
            patient_visit(rosa, case_path)
        section = rosa.locator("#first-opinion")
        expect(section).to_contain_text("Breast cancer")
        expect(section).to_contain_text("Mastectomy")
    else:
        assert first.content["stage"]["t"] and first.content["stage"]["n"] and first.content["stage"]["m"]

    # --- ... and asks the program for a second opinion, then sends the request. ---
    patient_visit(rosa, case_path)
    patient_submit(rosa, rosa.locator('#second-opinions a[href^="/requests/new/"]').first)
    tick(rosa, f'input[name=target][value*="{program.pk}"]')
    rosa.fill("#id_reasons_text", "I want to know whether I can keep my breast.")
    patient_submit(rosa, rosa.locator("main form button[type=submit]").last)
    request_path = path_of(rosa, live_server)
    assert status(rosa) == "draft"
    patient_submit(rosa, rosa.locator("#send-request"))
    assert status(rosa) == "requested"
    cr = ConsultRequest.objects.get(case=case)
    assert cr.program == program and cr.consultant is None

    # --- The coordinator signs in and lands on the program queue; assigns the consultant. ---
    sam = open_page(run)
    sign_in(sam, coordinator)
    assert path_of(sam, live_server) == reverse("consults:program", args=[program.pk])
    if run.english:  # outcome figures one click away
        expect(sam.locator(f'header a[href="{reverse("outcomes:page")}"]')).to_have_count(1)
    submit(sam, sam.locator(f'tr[data-request="{cr.pk}"] a[href="{request_path}"]'))
    assert status(sam) == "received"
    sam.select_option("#id_consultant", label=CONSULTANT)
    submit(sam, sam.locator("#assign button[type=submit]"))
    cr.refresh_from_db()
    assert cr.consultant == consultant

    # --- The consultant signs in and lands on the inbox; accepts and starts. ---
    helen = open_page(run)
    sign_in(helen, consultant)
    assert path_of(helen, live_server) == reverse("consults:inbox")
    submit(helen, helen.locator(f'tr[data-request="{cr.pk}"] a[href="{request_path}"]'))
    submit(helen, helen.locator('[data-move="accepted"]'))
    assert status(helen) == "accepted"
    submit(helen, helen.locator('[data-move="in-progress"]'))
    assert status(helen) == "in-progress"

    # --- ... opens the editor: the packet beside it holds the patient's entry. ---
    submit(helen, helen.locator("#write-opinion"))
    assert path_of(helen, live_server) == reverse("opinions:edit", args=[cr.pk])
    packet = helen.locator("#packet")
    expect(packet).to_be_visible()
    expect(packet.locator('[data-part="diagnosis"]')).to_contain_text("C50")
    expect(packet.locator("#packet-questions li")).to_have_text(list(QUESTIONS))
    if run.english:
        expect(packet.locator('[data-part="diagnosis"]')).to_contain_text("Breast cancer")
        expect(packet.locator('[data-part="stage"]')).to_contain_text("IIA")
        expect(packet.locator('[data-part="treatment"]')).to_contain_text("Surgery")
        expect(packet.locator('[data-part="treatment"]')).to_contain_text("Mastectomy")
        editor = helen.locator("form:has(button[name=review])")
        panel_box, editor_box = packet.bounding_box(), editor.bounding_box()
        assert panel_box and editor_box and panel_box["x"] + panel_box["width"] <= editor_box["x"]  # beside

    # --- ... writes lumpectomy + radiation, answers the questions, and reviews. ---
    helen.fill("#id_site", "C50.4")
    helen.fill("#id_histology", "8500/3")
    helen.fill("#id_group", "IIA")
    tick(helen, "input[name=opt0_modalities][value=surgery]")
    tick(helen, "input[name=opt0_procedure_surgery][value=lumpectomy]")
    tick(helen, "input[name=opt0_modalities][value=radiation]")
    helen.select_option("#id_opt0_intent", "curative")
    tick(helen, "#id_opt0_preferred")
    for question, answer in zip(QUESTIONS, ANSWERS, strict=True):  # the patient's own words label them
        helen.get_by_label(question, exact=True).fill(answer)
    helen.fill("#id_summary_plain", SUMMARY)
    submit(helen, helen.locator("button[name=review]"))
    assert path_of(helen, live_server) == reverse("opinions:review", args=[cr.pk])
    treatment_row = helen.locator('tr[data-dimension="treatment"]')
    expect(treatment_row.locator("[data-computed]")).to_have_attribute("data-computed", "changed")
    preview = helen.locator("#preview")
    for answer in ANSWERS:
        expect(preview).to_contain_text(answer)
    if run.english:
        expect(preview).to_contain_text(SUMMARY)
        expect(treatment_row).to_contain_text("Mastectomy")
        expect(treatment_row).to_contain_text("lumpectomy")

    # --- ... states a class for each dimension ("changed" for the treatment) and signs. ---
    tick(helen, "input[name=stated_treatment][value=changed]")
    tick(helen, "input[name=stated_stage][value=confirmed]")
    tick(helen, "input[name=stated_diagnosis][value=confirmed]")  # the computed check says "refined"
    submit(helen, helen.locator("#sign-form button[type=submit]"))
    opinion = Opinion.objects.get(request=cr)
    assert opinion.signed_at is not None and opinion.signed_by == consultant
    assert opinion.stated_change == {"diagnosis": "confirmed", "stage": "confirmed", "treatment": "changed"}
    treatment = opinion.content["treatment"]["options"][0]
    assert sorted(treatment["modalities"]) == ["radiation", "surgery"]
    assert treatment["procedures"] == {"surgery": "lumpectomy"}

    # --- The patient's comparison leads with the stated class: the treatment is changed. ---
    patient_visit(rosa, request_path)
    assert status(rosa) == "completed"
    patient_submit(rosa, rosa.locator("#compare-opinions"))
    assert path_of(rosa, live_server) == reverse("opinions:compare", args=[case.pk])
    assert dimension(rosa, "treatment") == "changed"
    treatment_part = rosa.locator('.so-dimension[data-dimension="treatment"]')
    expect(treatment_part).to_have_attribute("data-computed", "changed")
    if run.english:
        expect(treatment_part.locator("h3 .usa-tag")).to_have_text("Changed")
        expect(treatment_part).to_contain_text("Mastectomy")
        expect(treatment_part).to_contain_text("lumpectomy")
        expect(treatment_part).to_contain_text("Radiation")
        diagnosis = rosa.locator('.so-dimension[data-dimension="diagnosis"]')
        expect(diagnosis).to_have_attribute("data-class", "confirmed")  # her word leads ...
        expect(diagnosis).to_have_attribute("data-computed", "refined")  # ... the computed class is a check
        expect(diagnosis.locator("h3 .usa-tag")).to_have_text("Confirmed")
        expect(diagnosis.locator(".so-check")).to_contain_text(f"{CONSULTANT} judged this")

    # --- ... and the discussion guide's PDF carries the answers to her questions. ---
    patient_submit(rosa, rosa.locator(f'main a[href="{reverse("opinions:guide", args=[case.pk])}"]').first)
    pdf_href = reverse("opinions:guide_pdf", args=[case.pk])
    link = rosa.locator(f'main a[href="{pdf_href}"]')
    expect(link).to_have_count(1)
    response = rosa.request.get(link.get_attribute("href") or "")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/pdf")
    text = " ".join(pdf_text(response.body()).split())
    for question, answer in zip(QUESTIONS, ANSWERS, strict=True):
        assert question in text and answer in text, text[:2000]
    assert "Rosa Delgado" in text
    if run.english:
        assert SUMMARY in text


def test_first_real_use_in_english_at_desktop_width(open_page, live_server) -> None:
    journey(ENGLISH_DESKTOP, open_page, live_server)


def test_first_real_use_in_spanish_at_phone_width(open_page, live_server) -> None:
    journey(SPANISH_PHONE, open_page, live_server)
