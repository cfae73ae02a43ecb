"""Reporting abuse and the admins' moderation queue, through HTTP: one report per person, admins only,
keep or remove (a note required), every step audited, the author never shown to a moderator."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from secondopinion.accounts.models import Role
from secondopinion.core.models import AuditEvent
from secondopinion.reviews import actions
from secondopinion.reviews.models import Review, ReviewReport, ReviewStatus
from secondopinion.reviews.rules import ReviewRefused
from tests.factories import make_user
from tests.reviews.support import (
    doctor_review_url,
    make_scene,
    request_in_status,
    reviews_panel,
    write_review,
)

pytestmark = pytest.mark.django_db

TEXT = "He listened to every question."


@pytest.fixture
def scene():
    return make_scene()


@pytest.fixture
def review(scene) -> Review:
    request_in_status(scene)
    assert (
        write_review(scene.client(scene.patient), doctor_review_url(scene.doctor), text=TEXT).status_code
        == 302
    )
    return Review.objects.get()


def report_url(review: Review) -> str:
    return reverse("reviews:report_review", args=[review.pk])


def decide_url(review: Review) -> str:
    return reverse("reviews:moderate_review", args=[review.pk])


def profile_url(scene) -> str:
    return reverse("directory:practitioner", args=[scene.doctor.npi])


# --- reporting ---------------------------------------------------------------------------------------------


def test_any_signed_in_user_reports_once(scene, review) -> None:
    reporter = make_user(Role.CONSULTANT)  # any account, not only patients
    client = scene.client(reporter)
    page = client.get(report_url(review))
    assert (
        page.status_code == 200 and TEXT in page.content.decode() and 'name="reason"' in page.content.decode()
    )
    response = client.post(report_url(review), {"reason": "abusive", "detail": "Insults the nurse."})
    assert response.status_code == 302 and response["Location"] == profile_url(scene) + "#reviews"
    review.refresh_from_db()
    assert review.status == ReviewStatus.REPORTED
    report = ReviewReport.objects.get()
    assert (report.reporter, report.reason, report.detail) == (reporter, "abusive", "Insults the nurse.")
    row = AuditEvent.objects.get(action="review.report")
    assert (
        row.actor_id == reporter.pk
        and row.entity_id == str(review.pk)
        and row.detail == {"reason": "abusive"}
    )
    # Twice: the page says so, and a second POST changes nothing.
    again = client.get(report_url(review))
    assert again.status_code == 200 and "You have already reported this review" in again.content.decode()
    assert 'name="reason"' not in again.content.decode()
    assert client.post(report_url(review), {"reason": "false"}).status_code == 200
    assert ReviewReport.objects.count() == 1
    with pytest.raises(ReviewRefused) as refused:
        actions.report_review(reporter, review, "false")
    assert refused.value.code == "already_reported"
    # Another person may still report it; the review stays on the profile until a moderator decides.
    assert (
        scene.client(make_user(Role.PATIENT)).post(report_url(review), {"reason": "private"}).status_code
        == 302
    )
    assert ReviewReport.objects.count() == 2
    assert TEXT in scene.client(None).get(profile_url(scene)).content.decode()
    # The profile tells the reporter they reported it (no second "Report" link for them).
    assert "You reported this review." in client.get(profile_url(scene)).content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [({}, "reason"), ({"reason": "nonsense"}, "reason"), ({"reason": "other", "detail": "  "}, "detail")],
)
def test_a_report_needs_a_reason(scene, review, data, field) -> None:
    response = scene.client(make_user(Role.PATIENT)).post(report_url(review), data)
    assert response.status_code == 200 and list(response.context["form"].errors) == [field]
    assert not ReviewReport.objects.exists()
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED


def test_reporting_needs_an_account_and_a_visible_review(scene, review) -> None:
    anonymous = scene.client(None).get(report_url(review))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    client = scene.client(make_user(Role.PATIENT))
    missing = reverse("reviews:report_review", args=[uuid.uuid4()])
    assert (
        client.get(missing).status_code == 404
        and client.post(missing, {"reason": "other"}).status_code == 404
    )
    assert client.get("/directory/reviews/not-a-uuid/report/").status_code == 404
    Review.objects.filter(pk=review.pk).update(status=ReviewStatus.REMOVED)
    assert client.get(report_url(review)).status_code == 404
    assert client.post(report_url(review), {"reason": "abusive"}).status_code == 404


# --- moderation --------------------------------------------------------------------------------------------


def _reported(scene, review: Review) -> Review:
    for reason, detail in (("private", "It names the patient's tumour."), ("other", "Looks fake to me.")):
        assert (
            scene.client(make_user(Role.PATIENT))
            .post(report_url(review), {"reason": reason, "detail": detail})
            .status_code
            == 302
        )
    review.refresh_from_db()
    return review


def test_only_admins_moderate(scene, review) -> None:
    _reported(scene, review)
    for user in (scene.patient, make_user(Role.PATIENT), scene.consultant, scene.coordinator):
        client = scene.client(user)
        assert client.get(reverse("reviews:moderation")).status_code == 403, user.role
        assert client.get(decide_url(review)).status_code == 403, user.role
        assert client.post(decide_url(review), {"decision": "remove", "note": "x"}).status_code == 403
    anonymous = scene.client(None).get(reverse("reviews:moderation"))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    with pytest.raises(ReviewRefused):
        actions.moderate_review(scene.patient, review, "remove", "mine")
    review.refresh_from_db()
    assert review.status == ReviewStatus.REPORTED and not AuditEvent.objects.filter(action="review.moderate")


def test_queue_lists_reported_reviews_with_reasons_never_the_author(scene, review) -> None:
    admin = make_user(Role.ADMIN)
    client = scene.client(admin)
    empty = client.get(reverse("reviews:moderation"))
    assert empty.status_code == 200 and 'id="queue-empty"' in empty.content.decode()  # published: not queued
    _reported(scene, review)
    for url in (reverse("reviews:moderation"), decide_url(review)):
        body = client.get(url).content.decode()
        assert TEXT in body and scene.doctor.display_name in body
        assert "It names the patient&#x27;s tumour." in body and "Looks fake to me." in body
        assert "It shares someone&#x27;s private or health information" in body
        for secret in (
            scene.patient.full_name,
            scene.patient.email,
            scene.case.title,
            str(review.request_id),
        ):
            assert secret not in body, secret
    assert client.get(reverse("reviews:moderate_review", args=[uuid.uuid4()])).status_code == 404


def test_keep_publishes_again_and_resolves_reports(scene, review) -> None:
    _reported(scene, review)
    admin = make_user(Role.ADMIN)
    response = scene.client(admin).post(decide_url(review), {"decision": "keep", "note": ""})
    assert response.status_code == 302 and response["Location"] == reverse("reviews:moderation")
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED and review.moderated_by == admin
    assert review.moderated_at is not None
    assert not ReviewReport.objects.filter(resolved_at__isnull=True).exists()
    row = AuditEvent.objects.get(action="review.moderate")
    assert row.actor_id == admin.pk and row.entity_id == str(review.pk)
    assert row.detail == {"decision": "keep", "from": "reported", "to": "published", "reports_resolved": 2}
    assert 'id="queue-empty"' in scene.client(admin).get(reverse("reviews:moderation")).content.decode()
    assert TEXT in scene.client(None).get(profile_url(scene)).content.decode()


def test_remove_needs_a_note_then_hides_the_review(scene, review) -> None:
    _reported(scene, review)
    client = scene.client(make_user(Role.ADMIN))
    refused = client.post(decide_url(review), {"decision": "remove", "note": "   "})
    assert refused.status_code == 200 and list(refused.context["form"].errors) == ["note"]
    bad = client.post(decide_url(review), {"decision": "delete-everything"})
    assert bad.status_code == 200 and "decision" in bad.context["form"].errors
    review.refresh_from_db()
    assert review.status == ReviewStatus.REPORTED and not AuditEvent.objects.filter(action="review.moderate")
    done = client.post(decide_url(review), {"decision": "remove", "note": "Shares health details."})
    assert done.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.REMOVED and review.moderation_note == "Shares health details."
    assert AuditEvent.objects.get(action="review.moderate").detail["decision"] == "remove"
    page = scene.client(None).get(profile_url(scene))
    assert TEXT not in page.content.decode() and reviews_panel(page)["count"] == 0
    # The author still cannot write a second review: once per author and subject, removed or not.
    again = scene.client(scene.patient).get(doctor_review_url(scene.doctor))
    assert again.context["state"] == "already"
