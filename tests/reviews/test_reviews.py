"""Patient reviews through HTTP: who may review (eligibility), once only, scores, and what the public sees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from secondopinion.accounts.models import ClinicianProfile, Role
from secondopinion.cases import actions as case_actions
from secondopinion.consults import actions as consult_actions
from secondopinion.consults.transitions import Actor, Status
from secondopinion.core.models import AuditEvent
from secondopinion.directory.models import PractitionerRole
from secondopinion.reviews import actions
from secondopinion.reviews.models import Review, ReviewStatus
from secondopinion.reviews.queries import review_eligibility
from secondopinion.reviews.rules import ReviewRefused
from tests.directory.people import link_account
from tests.factories import make_case, make_companion, make_user
from tests.reviews.support import (
    GOOD,
    Scene,
    center_review_url,
    doctor_review_url,
    make_scene,
    request_in_status,
    reviews_panel,
    write_review,
)

pytestmark = pytest.mark.django_db

CAVEAT_START = "These reviews are the opinions of patients who had a consult through secondopinion."
NOT_RATINGS = "They are not ratings by doctors or other health-care professionals"


@pytest.fixture
def scene():
    return make_scene()


# --- eligibility -----------------------------------------------------------------------------------------


def test_owner_of_a_completed_consult_reviews_the_linked_doctor(scene) -> None:
    done = request_in_status(scene)
    client = scene.client(scene.patient)
    page = client.get(doctor_review_url(scene.doctor))
    assert page.status_code == 200 and page.context["state"] == "form"
    body = page.content.decode()
    assert CAVEAT_START in body and "What happens next" in body
    assert body.count("<fieldset") == 4 and body.count("<legend") == 4  # one radio group per score
    response = write_review(client, doctor_review_url(scene.doctor))
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:practitioner", args=[scene.doctor.npi]) + "#reviews"
    review = Review.objects.get()
    assert (review.author, review.practitioner, review.organization, review.request) == (
        scene.patient,
        scene.doctor,
        None,
        done,
    )
    assert (review.overall, review.communication, review.explaining_options, review.time_given) == (
        5,
        4,
        4,
        3,
    )
    assert review.status == ReviewStatus.PUBLISHED
    row = AuditEvent.objects.get(action="review.create")
    assert row.actor_id == scene.patient.pk and row.entity_id == str(review.pk)
    assert row.case_id == scene.case.pk and row.detail["npi"] == scene.doctor.npi


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REQUESTED, Status.IN_PROGRESS, Status.CANCELLED])
def test_a_consult_that_is_not_completed_does_not_make_anyone_eligible(scene, status) -> None:
    cr = request_in_status(scene, Status.REQUESTED if status == Status.CANCELLED else status)
    if status == Status.CANCELLED:
        consult_actions.move(scene.patient, cr, Status.CANCELLED, {Actor.PATIENT})
    client = scene.client(scene.patient)
    page = client.get(doctor_review_url(scene.doctor))
    assert page.status_code == 200 and page.context["state"] == "not_eligible"
    assert 'name="overall"' not in page.content.decode()
    assert write_review(client, doctor_review_url(scene.doctor)).status_code == 403
    assert not Review.objects.exists()


def test_only_the_case_owner_may_review(scene) -> None:
    """The companion (even one who may ask questions), the referring doctor, another patient, the consultant
    and an admin are all refused, page and POST."""
    request_in_status(scene)
    companion = make_user(Role.COMPANION)
    make_companion(scene.case, companion, can_view=True, can_ask=True)
    referrer = make_user(Role.REFERRING_PHYSICIAN)
    make_companion(scene.case, referrer, can_view=False, can_request=True, days=365)
    PractitionerRole.objects.create(practitioner=scene.doctor, organization=scene.center)
    others = [companion, referrer, make_user(Role.PATIENT), scene.consultant, make_user(Role.ADMIN)]
    for user in others:
        client = scene.client(user)
        for url in (doctor_review_url(scene.doctor), center_review_url(scene.center)):
            page = client.get(url)
            assert page.status_code == 200 and page.context["state"] == "not_eligible", (user.role, url)
            assert write_review(client, url).status_code == 403, (user.role, url)
        assert review_eligibility(user, practitioner=scene.doctor).request is None
        assert review_eligibility(user, organization=scene.center).request is None
    assert not Review.objects.exists()
    # …while the owner may review both.
    assert review_eligibility(scene.patient, practitioner=scene.doctor).may_review
    assert review_eligibility(scene.patient, organization=scene.center).may_review


def test_a_consult_with_one_doctor_does_not_allow_reviewing_another(scene) -> None:
    request_in_status(scene)
    client = scene.client(scene.patient)
    assert client.get(doctor_review_url(scene.other_doctor)).context["state"] == "not_eligible"
    assert write_review(client, doctor_review_url(scene.other_doctor)).status_code == 403
    # A second verified consultant linked to the other doctor: a consult with them opens that one too.
    second = make_user(Role.CONSULTANT)
    link_account(second, scene.other_doctor)
    assert client.get(doctor_review_url(scene.other_doctor)).context["state"] == "not_eligible"
    request_in_status(scene, consultant=second)
    assert client.get(doctor_review_url(scene.other_doctor)).context["state"] == "form"


@pytest.mark.parametrize("status", [ClinicianProfile.Status.PENDING, ClinicianProfile.Status.REJECTED])
def test_an_unverified_link_does_not_count(scene, status) -> None:
    """The consult was done while verified; once the account's verification is withdrawn, its NPI no longer
    links it to the directory entry, so nobody can review the practitioner through it."""
    request_in_status(scene)
    ClinicianProfile.objects.filter(user=scene.consultant).update(status=status)
    client = scene.client(scene.patient)
    assert client.get(doctor_review_url(scene.doctor)).context["state"] == "not_eligible"
    assert write_review(client, doctor_review_url(scene.doctor)).status_code == 403
    assert not Review.objects.exists()


def test_center_through_one_of_its_programs(scene) -> None:
    request_in_status(scene, via_program=True)
    client = scene.client(scene.patient)
    assert client.get(center_review_url(scene.center)).context["state"] == "not_eligible"
    scene.center.programs.add(scene.program)
    assert client.get(center_review_url(scene.center)).context["state"] == "form"
    response = write_review(client, center_review_url(scene.center), text="")
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:center", args=[scene.center.pk]) + "#reviews"
    review = Review.objects.get()
    assert review.organization == scene.center and review.practitioner is None and review.text == ""
    assert AuditEvent.objects.get(action="review.create").detail["organization"] == scene.center.pk


def test_center_through_a_linked_practitioner_with_an_active_role_there(scene) -> None:
    request_in_status(scene)  # to the consultant by name, no program
    client = scene.client(scene.patient)
    assert client.get(center_review_url(scene.center)).context["state"] == "not_eligible"
    role = PractitionerRole.objects.create(practitioner=scene.doctor, organization=scene.center, active=False)
    assert client.get(center_review_url(scene.center)).context["state"] == "not_eligible"  # inactive role
    # Someone else (not linked to the consultant) working there does not count either.
    PractitionerRole.objects.create(practitioner=scene.other_doctor, organization=scene.center)
    assert client.get(center_review_url(scene.center)).context["state"] == "not_eligible"
    PractitionerRole.objects.filter(pk=role.pk).update(active=True)
    assert client.get(center_review_url(scene.center)).context["state"] == "form"
    assert write_review(client, center_review_url(scene.center)).status_code == 302


def test_once_per_author_and_subject_said_plainly(scene) -> None:
    request_in_status(scene)
    request_in_status(scene)  # a second completed consult with the same doctor does not allow a second review
    PractitionerRole.objects.create(practitioner=scene.doctor, organization=scene.center)
    client = scene.client(scene.patient)
    assert write_review(client, doctor_review_url(scene.doctor)).status_code == 302
    page = client.get(doctor_review_url(scene.doctor))
    assert page.status_code == 200 and page.context["state"] == "already"
    assert "You have already written your review" in page.content.decode()
    again = write_review(client, doctor_review_url(scene.doctor), overall="1")
    assert again.status_code == 200 and again.context["state"] == "already"
    assert Review.objects.count() == 1 and Review.objects.get().overall == 5
    with pytest.raises(ReviewRefused) as refused:
        actions.create_review(scene.patient, practitioner=scene.doctor, scores={**_ints(GOOD)})
    assert refused.value.code == "already_reviewed"
    # The same consult also justifies one review of the center where the doctor works.
    assert write_review(client, center_review_url(scene.center)).status_code == 302
    reviews = list(Review.objects.order_by("created_at"))
    assert len(reviews) == 2 and reviews[0].request == reviews[1].request


def _ints(data: dict[str, str]) -> dict[str, int]:
    return {k: int(v) for k, v in data.items()}


# --- scores and bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("overall", "0"),
        ("overall", "6"),
        ("communication", ""),
        ("explaining_options", "4.5"),
        ("time_given", "three"),
        ("overall", None),
    ],
)
def test_scores_must_be_one_to_five(scene, field, value) -> None:
    request_in_status(scene)
    data = {**GOOD, "text": "Fine."}
    if value is None:
        del data[field]
    else:
        data[field] = value
    response = scene.client(scene.patient).post(doctor_review_url(scene.doctor), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert "Choose a score from 1 (very poor) to 5 (very good)." in response.content.decode()
    assert not Review.objects.exists() and not AuditEvent.objects.filter(action="review.create").exists()


def test_text_too_long_and_action_level_checks(scene) -> None:
    request_in_status(scene)
    response = write_review(scene.client(scene.patient), doctor_review_url(scene.doctor), text="x" * 4001)
    assert response.status_code == 200 and list(response.context["form"].errors) == ["text"]
    for bad in ({**_ints(GOOD), "overall": 0}, {**_ints(GOOD), "time_given": True}, {"overall": 5}):
        with pytest.raises(ReviewRefused) as refused:
            actions.create_review(scene.patient, practitioner=scene.doctor, scores=bad)
        assert refused.value.code == "invalid_score"
    assert not Review.objects.exists()


def test_unknown_subjects_and_anonymous_visitors(scene) -> None:
    client = scene.client(scene.patient)
    for url in (
        "/directory/practitioners/0000000000/review/",
        "/directory/practitioners/not-an-npi/review/",
        "/directory/practitioners/%27%3B--/review/",
        "/directory/centers/987654321/review/",
        "/directory/centers/99999999999999999999999999/review/",  # beyond any database integer
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, GOOD).status_code == 404, url
    anonymous = scene.client(None).get(doctor_review_url(scene.doctor))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


# --- what the public sees ----------------------------------------------------------------------------------


def _review_by_a_new_patient(scene, scores: dict[str, int], text: str) -> Review:
    """Another patient of the same consultant, with their own completed consult and review."""
    patient = make_user(Role.PATIENT, name="Hidden Author")
    case = make_case(patient, title="Their case")
    case_actions.add_question(patient, case, "What next?")
    request_in_status(Scene(**{**scene.__dict__, "patient": patient, "case": case}))
    return actions.create_review(patient, practitioner=scene.doctor, scores=scores, text=text)


def _month(when) -> str:
    return dateformat.format(timezone.localtime(when), "F Y")


def test_profile_shows_caveat_averages_and_anonymous_reviews(scene) -> None:
    first = _review_by_a_new_patient(
        scene, {"overall": 5, "communication": 4, "explaining_options": 3, "time_given": 2}, "Very clear."
    )
    _review_by_a_new_patient(
        scene,
        {"overall": 4, "communication": 4, "explaining_options": 4, "time_given": 5},
        "Kind <b>and</b> calm.",
    )
    removed = _review_by_a_new_patient(
        scene, {"overall": 1, "communication": 1, "explaining_options": 1, "time_given": 1}, "Removed words."
    )
    Review.objects.filter(pk=removed.pk).update(status=ReviewStatus.REMOVED)
    Review.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=400))
    page = scene.client(None).get(reverse("directory:practitioner", args=[scene.doctor.npi]))
    assert page.status_code == 200
    body = page.content.decode()
    assert CAVEAT_START in body and NOT_RATINGS in body
    assert body.index(CAVEAT_START) < body.index('id="review-averages"')  # the caveat comes above the scores
    panel = reviews_panel(page)
    assert panel["count"] == 2
    assert {a.field: a.value for a in panel["averages"]} == {
        "overall": 4.5,
        "communication": 4.0,
        "explaining_options": 3.5,
        "time_given": 3.5,
    }
    assert "Very clear." in body and "Kind &lt;b&gt;and&lt;/b&gt; calm." in body  # escaped
    assert "Removed words." not in body
    assert body.count("<strong>A patient</strong>") == 2
    assert "Hidden Author" not in body
    for review in Review.objects.select_related("author"):
        assert review.author.email not in body
    assert _month(timezone.now()) in body and _month(timezone.now() - timedelta(days=400)) in body
    assert 'id="write-review"' not in body and 'id="who-reviews"' in body  # anonymous: may not review


def test_panel_offers_writing_only_to_the_eligible_owner_and_notes_a_reported_review(scene) -> None:
    request_in_status(scene)
    profile = reverse("directory:practitioner", args=[scene.doctor.npi])
    client = scene.client(scene.patient)
    body = client.get(profile).content.decode()
    assert 'id="write-review"' in body and "No patient has reviewed this doctor yet." in body
    assert write_review(client, doctor_review_url(scene.doctor)).status_code == 302
    body = client.get(profile).content.decode()
    assert 'id="write-review"' not in body and 'id="your-review"' in body
    assert "Rosa Quintana" not in body and scene.patient.email not in body
    review = Review.objects.get()
    Review.objects.filter(pk=review.pk).update(status=ReviewStatus.REPORTED)
    body = scene.client(make_user(Role.PATIENT)).get(profile).content.decode()
    assert "Clear and kind." in body  # reported reviews stay visible until a moderator decides
    assert "Someone reported this review." in body
    assert reverse("reviews:report_review", args=[review.pk]) in body
    assert reviews_panel(client.get(reverse("directory:center", args=[scene.center.pk])))["count"] == 0
