"""Issue 5's journey in a real browser, with axe-core on every page it visits.

A patient in Miles City, Montana (rural: every comprehensive cancer center is hundreds of miles away)
searches for a "medical oncologist" within 200 miles, sees the nearest comprehensive centers offered,
filters to video visits, opens the one result's profile with its patients' reviews and the caveat that
they are patients' opinions, and asks that doctor for a second opinion: the request form opens with the
doctor already chosen, and the request is sent.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from secondopinion.accounts.models import Role
from secondopinion.consults.models import ConsultantProfile, ConsultRequest
from secondopinion.reviews.models import Review
from tests.browser.helpers import submit, visit
from tests.browser.test_second_opinion_journey import sign_in
from tests.directory.people import link_account, make_practitioner
from tests.factories import make_case, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REVIEW_TEXT = "She explained every option and answered all my questions."


def test_find_a_video_oncologist_and_ask_for_an_opinion(new_page, live_server) -> None:
    okafor = make_practitioner("160000001", "Okafor", "Helen", video=True, languages=("en", "es"))
    make_practitioner("160000002", "Lindqvist", "Anna")  # Billings too, no video visits
    make_practitioner("160000003", "Svensson", "Eric", video=True, place=("Minneapolis", "MN", "55455"))
    consultant = link_account(make_user(Role.CONSULTANT, name="Dr. Helen Okafor"), okafor)
    ConsultantProfile.objects.create(user=consultant, fee_notes="$400, billed after the opinion")
    earlier = make_user(Role.PATIENT)
    done = ConsultRequest.objects.create(
        case=make_case(earlier), kind="independent_specialist", status="completed",
        created_by=earlier, consultant=consultant,
    )  # fmt: skip
    Review.objects.create(
        practitioner=okafor, author=earlier, request=done, overall=5, communication=5,
        explaining_options=4, time_given=5, text=REVIEW_TEXT,
    )  # fmt: skip
    patient = make_user(Role.PATIENT, name="Dale Running Crane")
    case = make_case(patient, title="My lymphoma")

    page = new_page()
    sign_in(page, patient, "/cases/")
    submit(page, page.get_by_role("link", name="Find a specialist"))
    page.fill("#id_specialty", "medical oncologist")
    page.fill("#id_near", "59301")
    page.select_option("#id_radius_miles", "200")
    submit(page, page.get_by_role("button", name="Search"))
    results = page.locator("#results > li")
    expect(results).to_have_count(2)  # the two in Billings; Minneapolis is too far
    expect(page.locator("#rural-centers")).to_contain_text("more than")
    expect(page.locator("#rural-centers li").first).to_contain_text("miles")

    page.locator("label.usa-checkbox__label", has_text="Offers video visits").click()
    submit(page, page.get_by_role("button", name="Search"))
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Helen Okafor, MD")
    expect(results.first).to_contain_text("Video visits")
    expect(results.first).to_contain_text("Takes requests on secondopinion")

    submit(page, results.first.get_by_role("link", name="Helen Okafor, MD"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Helen Okafor, MD")
    reviews = page.locator("#reviews")
    expect(reviews).to_contain_text("opinions of patients")
    expect(reviews).to_contain_text("not ratings by")
    expect(reviews).to_contain_text(REVIEW_TEXT)
    expect(reviews).not_to_contain_text(earlier.full_name)
    expect(page.locator("#ask")).to_contain_text("$400, billed after the opinion")

    submit(page, page.locator("#start-request"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for a second opinion")
    expect(page.locator(f'input[name="target"][value="consultant:{consultant.pk}"]')).to_be_checked()
    page.fill("#id_reasons_text", "I live far from a cancer center and want an expert to check my plan.")
    submit(page, page.get_by_role("button", name="Check my request"))
    submit(page, page.locator("#send-request"))
    expect(page.locator("#status")).to_have_text("Sent")
    sent = ConsultRequest.objects.get(case=case)
    assert sent.consultant == consultant and sent.status == "requested"
    visit(page, "/directory/centers/?near=59301&center_type=comprehensive")
    expect(page.locator("#far-note")).to_be_visible()
