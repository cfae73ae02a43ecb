"""Issue 3's journey in a real browser, with axe-core on every page it visits.

The patient enters the first doctor's opinion (surgery first) and asks a program for a second opinion,
sharing two of three documents; the coordinator (password + TOTP code) assigns a consultant; the consultant
(password + TOTP code) accepts, starts, and puts the request on hold with a question; the patient answers,
which resumes the work; the consultant cannot sign while a question is unanswered, then signs an opinion
that answers both questions and prefers chemotherapy; the patient sees the comparison (treatment: changed),
starts a third-opinion request from the discussion guide, and records the decision, sharing the opinion
with the first doctor, whose e-mailed link opens it without an account.

Set-up (people, case, documents, program) is made through the factories; every step is a page.
"""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from secondopinion.accounts.models import Role, User
from secondopinion.cases import actions as case_actions
from secondopinion.consults.models import ConsultRequest, Program
from secondopinion.opinions.models import Decision, Opinion
from tests.browser.helpers import mail_link, submit, visit
from tests.factories import PASSWORD, make_case, make_document, make_user, unique_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRAM = "Lakeside Cancer Center Second Opinions"
CONSULTANT = "Dr. Helen Okafor"
COORDINATOR = "Sam Rivera"
FIRST_DOCTOR = "first.doctor@example.test"
QUESTIONS = ("Do I need chemotherapy?", "Can I keep my breast?")
SHARED = ("Biopsy report", "Mammogram report")
NOT_SHARED = "Blood tests"
HOLD_QUESTION = "Please tell me whether the lump has grown since the biopsy."
ANSWER = "It has not grown; my surgeon measured it last week."
SUMMARY = "Chemotherapy before surgery is the better first step for you."


def mail_to(address: str) -> EmailMessage:
    messages = [m for m in mail.outbox if address in m.to]
    assert messages, f"no e-mail to {address}; outbox: {[m.to for m in mail.outbox]}"
    return messages[-1]


def totp_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time()
    return f"{generator.token():0{device.digits}d}"


def sign_in(page: Page, user: User, next_path: str) -> None:
    """The login form, then (for clinicians) the code from the authenticator app."""
    visit(page, f"/accounts/login/?next={next_path}")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    submit(page, page.get_by_role("main").get_by_role("button", name="Sign in"))
    if user.needs_second_factor:
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
        page.fill("#id_otp_token", totp_code(user))
        submit(page, page.get_by_role("button", name="Continue"))
    assert page.url.endswith(next_path), page.url


def tick(page: Page, label: str, *, scope: str = "main") -> None:
    """Tick a USWDS checkbox by its label (the input itself is moved off-screen)."""
    box = page.locator(scope).locator("label.usa-checkbox__label", has_text=label)
    box.click()
    expect(page.locator(f"#{box.get_attribute('for')}")).to_be_checked()


def status(page: Page) -> str:
    return page.locator("#status").get_attribute("data-status") or ""


def shared_titles(page: Page) -> list[str]:
    return [re.sub(r" — .*$", "", t.strip()) for t in page.locator("#documents li").all_inner_texts()]


def dimension(page: Page, name: str) -> str:
    return page.locator(f'.so-dimension[data-dimension="{name}"]').get_attribute("data-class") or ""


def test_second_opinion_journey(new_page, live_server) -> None:
    patient = make_user(Role.PATIENT, name="Rosa Delgado", email="rosa.delgado@example.test")
    case = make_case(
        patient,
        title="My breast cancer, 2026",
        cancer_type="Breast cancer (female)",
        first_doctor_name="Dr. Ann Lee",
        first_doctor_email=FIRST_DOCTOR,
    )
    for text in QUESTIONS:
        case_actions.add_question(patient, case, text)
    make_document(patient, case, unique_pdf("biopsy"), title=SHARED[0])
    make_document(patient, case, unique_pdf("mammogram"), kind="imaging_report", title=SHARED[1])
    make_document(patient, case, unique_pdf("blood"), kind="lab_result", title=NOT_SHARED)
    consultant = make_user(Role.CONSULTANT, name=CONSULTANT, email="helen.okafor@example.test")
    coordinator = make_user(Role.COORDINATOR, name=COORDINATOR, email="sam.rivera@example.test")
    program = Program.objects.create(
        name=PROGRAM,
        institution="Lakeside University Hospital",
        fee_notes="$750, billed after the opinion",
        insurance_notes="Most plans cover it; ask yours.",
        turnaround_days=7,
    )
    program.coordinators.add(coordinator)
    program.consultants.add(consultant)
    case_path = f"/cases/{case.pk}/"

    # --- The patient enters the first doctor's opinion: surgery first. ---
    rosa = new_page()
    sign_in(rosa, patient, case_path)
    submit(rosa, rosa.locator("#first-opinion").get_by_role("link", name="Enter or change the first opinion"))
    expect(rosa.locator("#id_cancer_type")).to_have_value("Breast cancer (female)")  # from the case
    rosa.fill("#id_stage_text", "IIA")
    tick(rosa, "Surgery")
    tick(rosa, "Radiation therapy")
    rosa.select_option("#id_preferred", "surgery")
    submit(rosa, rosa.get_by_role("button", name="Save"))
    expect(rosa.get_by_role("status")).to_contain_text("Your first doctor's opinion can now be compared")
    first = Opinion.objects.get(case=case, source=Opinion.Source.FIRST)
    option = first.content["treatment"]["options"][0]
    assert option == {"modalities": ["surgery", "radiation"], "preferred": True}
    assert first.content["stage"]["group"] == "IIA"

    # --- ... and asks the program, sharing two of the three documents. ---
    submit(rosa, rosa.locator("#second-opinions").get_by_role("link", name="Ask for a second opinion"))
    program_label = rosa.locator("label.usa-radio__label", has_text=PROGRAM)
    expect(program_label).to_contain_text("$750, billed after the opinion")
    expect(program_label).to_contain_text("7 working days")
    expect(rosa.locator("#kind-independent_specialist")).to_be_checked()
    program_label.click()
    rosa.fill("#id_reasons_text", "I want to be sure surgery first is right for me.")
    for title in (*SHARED, NOT_SHARED):  # every record of the case is ticked to start with
        expect(rosa.get_by_label(title, exact=True)).to_be_checked()
    rosa.locator("label.usa-checkbox__label", has_text=NOT_SHARED).click()
    expect(rosa.get_by_label(NOT_SHARED, exact=True)).not_to_be_checked()
    expect(rosa.locator("#id_consent_days")).to_have_value("90")
    submit(rosa, rosa.get_by_role("button", name="Check my request"))
    request_path = rosa.url.removeprefix(live_server.url).split("#")[0]
    assert re.fullmatch(r"/requests/[0-9a-f-]{36}/", request_path), request_path
    assert status(rosa) == "draft"
    next_section = rosa.locator(".so-next")
    expect(next_section).to_contain_text("$750, billed after the opinion")
    expect(next_section).to_contain_text("Most plans cover it; ask yours.")
    expect(next_section.locator("ol li")).to_have_text(list(QUESTIONS))
    assert sorted(shared_titles(rosa)) == sorted(SHARED)
    submit(rosa, rosa.locator("#send-request"))
    assert status(rosa) == "requested"
    expect(rosa.locator("#status")).to_have_text("Sent")
    cr = ConsultRequest.objects.get(case=case)
    assert cr.program == program and cr.consultant is None
    assert sorted(str(d) for d in cr.consents.get().documents.all()) == sorted(SHARED)
    mail_to(coordinator.email)  # the coordinator is told (no health data: see the mail tests)

    # --- The coordinator assigns the consultant. ---
    sam = new_page()
    sign_in(sam, coordinator, "/requests/inbox/")
    submit(sam, sam.get_by_role("main").get_by_role("link", name=PROGRAM))
    row = sam.locator(f'tr[data-request="{cr.pk}"]')
    expect(row).to_contain_text("Rosa Delgado")
    expect(row).to_contain_text("Sent")
    submit(sam, row.get_by_role("link", name="Rosa Delgado"))
    assert status(sam) == "received"  # opened by the program: received
    expect(sam.locator("#status")).to_have_text("Received")
    sam.select_option("#id_consultant", label=CONSULTANT)
    submit(sam, sam.locator("#assign").get_by_role("button", name="Assign"))
    expect(sam.get_by_role("status")).to_contain_text(f"Assigned to {CONSULTANT}.")
    expect(sam.locator("main h1 + p")).to_contain_text(f"{PROGRAM} — {CONSULTANT}")
    mail_to(consultant.email)

    # --- The consultant accepts, starts, and puts the request on hold with a question. ---
    helen = new_page()
    sign_in(helen, consultant, "/requests/inbox/")
    row = helen.locator(f'tr[data-request="{cr.pk}"]')
    expect(row).to_contain_text("Received")
    submit(helen, row.get_by_role("link", name="Rosa Delgado"))
    assert status(helen) == "received"
    assert sorted(shared_titles(helen)) == sorted(SHARED)  # exactly the two shared records
    expect(helen.locator("#documents")).not_to_contain_text(NOT_SHARED)
    document_href = helen.locator("#documents a").first.get_attribute("href") or ""
    assert helen.request.get(document_href).status == 200  # she can open what is shared
    expect(helen.locator("#request-details ol li")).to_have_text(list(QUESTIONS))
    submit(helen, helen.locator('[data-move="accepted"]'))
    assert status(helen) == "accepted"
    submit(helen, helen.locator('[data-move="in-progress"]'))
    assert status(helen) == "in-progress"
    helen.fill("#reason-on-hold", HOLD_QUESTION)
    submit(helen, helen.locator('[data-move="on-hold"]'))
    assert status(helen) == "on-hold"
    expect(helen.get_by_role("status")).to_contain_text("Done. The request is now: Waiting for you.")

    # --- The patient reads the question and answers it: the work resumes. ---
    visit(rosa, request_path)
    assert status(rosa) == "on-hold"
    expect(rosa.locator("#status")).to_have_text("Waiting for you")
    expect(rosa.locator("#messages .so-message")).to_contain_text(HOLD_QUESTION)
    rosa.fill("#id_body", ANSWER)
    submit(rosa, rosa.locator("#messages").get_by_role("button", name="Send message"))
    expect(rosa.get_by_role("status")).to_contain_text("Your message was sent.")
    assert status(rosa) == "in-progress"
    expect(rosa.locator("#timeline")).to_contain_text(HOLD_QUESTION)

    # --- The consultant writes the opinion; signing waits until both questions are answered. ---
    visit(helen, request_path)
    assert status(helen) == "in-progress"
    expect(helen.locator("#messages")).to_contain_text(ANSWER)
    submit(helen, helen.locator("#write-opinion"))
    expect(helen.get_by_role("heading", level=1)).to_have_text("Write the opinion")
    helen.fill("#id_site", "C50.4")
    helen.fill("#id_histology", "8500/3")
    helen.fill("#id_group", "IIA")
    option_1 = "fieldset:has(> legend:text-is('Option 1: treatments'))"
    tick(helen, "Chemotherapy", scope=option_1)
    helen.select_option("#id_opt0_intent", "curative")
    tick(helen, "Option 1 is the preferred option")
    helen.get_by_label(QUESTIONS[0], exact=True).fill("Yes, before surgery, to shrink the tumour.")
    helen.fill("#id_summary_plain", SUMMARY)
    helen.select_option("#id_stated_treatment", "changed")
    submit(helen, helen.get_by_role("button", name="Save and review before signing"))
    expect(helen.get_by_role("heading", level=1)).to_have_text("Review and sign")
    expect(helen.locator('tr[data-dimension="treatment"]')).to_contain_text("changed")
    expect(helen.locator("#mismatches")).to_have_count(0)  # her view matches the computed class
    expect(helen.get_by_role("alert").filter(has_text="Questions still without an answer")).to_contain_text(
        QUESTIONS[1]
    )
    expect(helen.get_by_role("button", name="Sign the opinion")).to_be_disabled()
    submit(helen, helen.get_by_role("link", name="Back to the draft"))
    helen.get_by_label(QUESTIONS[1], exact=True).fill("Yes: breast-conserving surgery after chemotherapy.")
    submit(helen, helen.get_by_role("button", name="Save and review before signing"))
    expect(helen.get_by_text("Questions still without an answer")).to_have_count(0)
    submit(helen, helen.get_by_role("button", name="Sign the opinion"))
    expect(helen.get_by_role("status")).to_contain_text("Signed. The patient can now read your opinion.")
    expect(helen.locator(".so-opinion-summary")).to_contain_text(SUMMARY)
    opinion = Opinion.objects.get(request=cr)
    assert opinion.signed_at is not None and opinion.signed_by == consultant
    visit(helen, request_path)
    assert status(helen) == "completed"
    expect(helen.locator("#write-opinion")).to_have_count(0)
    submit(helen, helen.locator("#read-opinion"))
    assert helen.url == f"{live_server.url}/opinions/{opinion.pk}/"

    # --- The patient sees the comparison: the treatment is changed. ---
    visit(rosa, request_path)
    assert status(rosa) == "completed"
    expect(rosa.locator("#status")).to_have_text("Opinion ready")
    submit(rosa, rosa.locator("#compare-opinions"))
    expect(rosa.get_by_role("heading", level=1)).to_have_text("What is the same and what is different")
    expect(rosa.locator(".so-comparison h2")).to_have_text(f"First opinion and Second opinion — {CONSULTANT}")
    assert dimension(rosa, "treatment") == "changed"
    treatment = rosa.locator('.so-dimension[data-dimension="treatment"]')
    expect(treatment).to_contain_text("The second doctor changes the treatment plan.")
    expect(treatment).to_contain_text("Surgery + Radiation therapy (preferred)")
    expect(treatment).to_contain_text("Chemotherapy (preferred)")
    expect(treatment).to_contain_text("The doctor's own view: changed.")
    assert dimension(rosa, "stage") == "confirmed"  # IIA on both sides
    # The list gave the first opinion its site category (C50): Dr. Helen's C50.4 and histology refine it.
    assert dimension(rosa, "diagnosis") == "refined"

    # --- ... opens the discussion guide and starts a third-opinion request, pre-filled from the case. ---
    submit(rosa, rosa.get_by_role("link", name="Get a list of things to discuss"))
    expect(rosa.locator('li[data-dimension="treatment"]')).to_contain_text("The second doctor changes")
    third_href = rosa.locator("#third-opinion").get_attribute("href") or ""
    assert third_href == f"/requests/new/{case.pk}/?previous={cr.pk}", third_href
    submit(rosa, rosa.locator("#third-opinion"))
    expect(rosa.get_by_role("heading", level=1)).to_have_text("Ask for a second opinion")
    expect(rosa.get_by_role("main")).to_contain_text(case.title)
    expect(rosa.locator("#kind-independent_specialist")).to_be_checked()
    for title in (*SHARED, NOT_SHARED):  # the case's records, all ticked
        expect(rosa.get_by_label(title, exact=True)).to_be_checked()
    expect(rosa.locator("#id_consent_days")).to_have_value("90")
    # Not asserted, see the report: the page ignores ?previous= (nothing is taken from the previous
    # request, and the new request's previous_request stays empty).
    rosa.locator("label.usa-radio__label", has_text=CONSULTANT).click()
    submit(rosa, rosa.get_by_role("button", name="Check my request"))
    assert status(rosa) == "draft"
    third = ConsultRequest.objects.exclude(pk=cr.pk).get(case=case)
    assert third.consultant == consultant and third.program is None
    visit(rosa, case_path)
    expect(rosa.locator("#second-opinions li.so-request")).to_have_count(2)

    # --- ... and records the decision, sharing the opinion with the first doctor. ---
    submit(rosa, rosa.locator("#opinions").get_by_role("link", name="Record your decision"))
    expect(rosa.get_by_role("main")).to_contain_text("You do not have to switch doctors.")
    rosa.fill("#id_treating_doctor", "Dr. Ann Lee")
    rosa.locator("#follows-advice label.usa-radio__label", has_text="Yes").click()
    tick(rosa, "Send my first doctor a link to the second opinion")
    outbox_before = len(mail.outbox)
    submit(rosa, rosa.get_by_role("button", name="Save my decision"))
    expect(rosa.get_by_role("status")).to_contain_text("Your decision is saved.")
    expect(rosa.locator("#opinions")).to_contain_text("Treated by Dr. Ann Lee. Following the advice: Yes.")
    decision = Decision.objects.get(case=case)
    assert decision.opinion == opinion and decision.share_with_first_doctor

    # --- The first doctor's e-mailed link opens the signed opinion, without an account. ---
    assert [m.to for m in mail.outbox[outbox_before:]] == [[FIRST_DOCTOR]]
    doctor_mail = mail_to(FIRST_DOCTOR)
    for private in ("Rosa", "Delgado", "chemotherapy", "Chemotherapy", "breast"):
        assert private not in doctor_mail.subject + doctor_mail.body, private
    doctor = new_page()
    visit(doctor, mail_link(doctor_mail))
    expect(doctor.get_by_role("heading", level=1)).to_have_text("An opinion your patient shared with you")
    expect(doctor.locator(".so-opinion-summary")).to_contain_text(SUMMARY)
    expect(doctor.get_by_role("main")).to_contain_text(f"Signed by {CONSULTANT}")
    expect(doctor.get_by_role("main")).to_contain_text("Chemotherapy (preferred)")
    expect(doctor.get_by_role("link", name="Sign in")).to_be_visible()  # not signed in
