"""The referring doctor asks for a second opinion on the patient's behalf, with the patient's consent
(issue 3, item 1): the consent is a grant on the case ("My doctor: may ask for second opinions for me"),
accepted by a verified referring physician's account with the invited address."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from secondopinion.accounts.models import ClinicianProfile, Role
from secondopinion.cases import actions as case_actions
from secondopinion.cases.models import Companion
from secondopinion.consults.models import ConsultRequest, StatusChange
from secondopinion.consults.transitions import Status
from secondopinion.core.models import AuditEvent
from tests.consults.helpers import World, make_request, make_world
from tests.factories import make_companion, make_user

DOCTOR_EMAIL = "first.doctor@example.test"  # the case's first_doctor_email (tests/consults/helpers.py)


@pytest.fixture
def world(db):
    return make_world()


def _invite_doctor(world: World, capture, email: str = DOCTOR_EMAIL) -> str:
    """The patient sends the grant from the companions page; returns the invitation's path."""
    client = world.client(world.patient)
    page = client.get(reverse("cases:companions", args=[world.case.pk])).content.decode()
    assert "My doctor: may ask for second opinions for me" in page
    assert f'value="{DOCTOR_EMAIL}"' in page  # pre-filled from the case's first doctor
    mail.outbox = []
    with capture(execute=True):
        response = client.post(
            reverse("cases:companions", args=[world.case.pk]),
            {"doctor-name": "Dr First", "doctor-email": email, "doctor-days": "365"},
        )
    assert response.status_code == 302
    grant = Companion.objects.get(case=world.case, email=email)
    assert (grant.can_request, grant.can_view, grant.can_ask) == (True, False, False)
    (message,) = mail.outbox
    assert message.to == [email] and world.case.cancer_type not in message.body
    return re.search(r"(/cases/invitations/[^/\s]+/)", message.body)[1]  # type: ignore[index]


def _new_request_post(world: World) -> dict[str, object]:
    return {
        "kind": "independent_specialist",
        "target": f"program:{world.program.pk}",
        "reasons_text": "A second look before surgery",
        "documents": [str(world.docs[0].pk)],
        "consent_days": "30",
    }


def _referrer(world: World, capture, **kwargs: object):
    doctor = make_user(Role.REFERRING_PHYSICIAN, email=DOCTOR_EMAIL, name="Dr First", **kwargs)  # type: ignore[arg-type]
    path = _invite_doctor(world, capture)
    client = world.client(doctor)
    return doctor, client, client.get(path)


def test_the_referrer_asks_for_a_second_opinion_for_the_patient(world, django_capture_on_commit_callbacks):
    doctor, client, accepted = _referrer(world, django_capture_on_commit_callbacks)
    assert accepted.status_code == 302 and accepted.url == reverse("cases:detail", args=[world.case.pk])
    case_page = client.get(accepted.url).content.decode()
    assert world.case.cancer_type in case_page and "Ask for a second opinion" in case_page
    # The packet's documents: the patient's own doctor chooses what to share.
    assert client.get(reverse("cases:download", args=[world.docs[1].pk])).status_code == 200

    new_page = client.get(reverse("consults:new", args=[world.case.pk]))
    assert new_page.status_code == 200 and 'id="on-behalf"' in new_page.content.decode()
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(reverse("consults:new", args=[world.case.pk]), _new_request_post(world))
    cr = ConsultRequest.objects.get(case=world.case)
    assert created.status_code == 302 and created.url == reverse("consults:detail", args=[cr.pk])
    assert cr.status == Status.DRAFT and cr.created_by == doctor
    assert [d.pk for d in cr.consents.get().documents.all()] == [world.docs[0].pk]
    (told,) = mail.outbox  # the patient hears at once, without health data
    assert told.to == [world.patient.email] and world.case.cancer_type not in told.body

    review = client.get(reverse("consults:detail", args=[cr.pk])).content.decode()
    assert "Send the request" in review and "Is surgery needed?" in review
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("consults:move", args=[cr.pk]), {"target": "requested"})
    assert sent.status_code == 302
    cr.refresh_from_db()
    assert cr.status == Status.REQUESTED and [q.text for q in cr.questions.all()] == ["Is surgery needed?"]
    told_now = {m.to[0] for m in mail.outbox}
    assert world.patient.email in told_now and world.coordinator.email in told_now

    change = StatusChange.objects.get(request=cr, target=Status.REQUESTED)
    assert (change.source, change.actor, change.actor_kind) == (Status.DRAFT, doctor, "referrer")
    create_row = AuditEvent.objects.get(action="request.create", entity_id=str(cr.pk))
    assert create_row.actor == doctor and create_row.purpose == "TREAT"
    move_row = AuditEvent.objects.get(action="request.transition", entity_id=str(cr.pk))
    assert move_row.actor == doctor and move_row.detail == {"from": "draft", "to": "requested"}
    assert AuditEvent.objects.filter(action="companion.accept", actor=doctor).exists()

    # The program's coordinator receives it; the consultant it is assigned to opens it.
    inbox = world.client(world.coordinator).get(reverse("consults:inbox")).content.decode()
    assert reverse("consults:detail", args=[cr.pk]) in inbox
    from secondopinion.consults import actions

    actions.assign(world.coordinator, cr, world.consultant)
    assert world.client(world.consultant).get(reverse("consults:detail", args=[cr.pk])).status_code == 200
    cr.refresh_from_db()
    assert cr.status == Status.RECEIVED

    patient_view = world.client(world.patient).get(reverse("consults:detail", args=[cr.pk])).content.decode()
    assert "Started by your doctor, Dr First, on your behalf." in patient_view
    # The referrer follows the status and history, not the thread between patient and consultant.
    followed = client.get(reverse("consults:detail", args=[cr.pk])).content.decode()
    assert 'id="timeline"' in followed and 'id="messages"' not in followed
    assert client.get(f"/api/v1/requests/{cr.pk}/messages").status_code == 404


def test_the_referrer_uses_the_api(world, django_capture_on_commit_callbacks):
    doctor, client, _accepted = _referrer(world, django_capture_on_commit_callbacks)
    created = client.post(
        f"/api/v1/cases/{world.case.pk}/requests",
        {"kind": "pathology_review", "program_id": str(world.program.pk)},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    cr = ConsultRequest.objects.get(pk=created.json()["id"])
    assert cr.created_by == doctor
    sent = client.post(f"/api/v1/requests/{cr.pk}/submit")
    assert sent.status_code == 200 and sent.json()["status"] == "requested"
    assert StatusChange.objects.get(request=cr).actor_kind == "referrer"
    # Cancelling stays the patient's.
    refused = client.post(
        f"/api/v1/requests/{cr.pk}/transition", {"target": "cancelled"}, content_type="application/json"
    )
    assert refused.status_code == 403 and refused.json()["code"] == "not_allowed"


def test_an_unverified_referring_physician_sees_nothing(world, django_capture_on_commit_callbacks):
    doctor, client, accepted = _referrer(
        world, django_capture_on_commit_callbacks, clinician_status=ClinicianProfile.Status.PENDING
    )
    assert accepted.status_code == 302 and accepted.url == reverse("home")
    assert Companion.objects.get(case=world.case, user=doctor).accepted_at is not None
    assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code == 404
    assert client.get(reverse("consults:new", args=[world.case.pk])).status_code == 404
    assert (
        client.post(reverse("consults:new", args=[world.case.pk]), _new_request_post(world)).status_code
        == 404
    )
    assert not ConsultRequest.objects.exists()


def test_revoking_the_grant_ends_everything(world, django_capture_on_commit_callbacks):
    doctor, client, _accepted = _referrer(world, django_capture_on_commit_callbacks)
    client.post(reverse("consults:new", args=[world.case.pk]), _new_request_post(world))
    cr = ConsultRequest.objects.get(case=world.case)
    grant = Companion.objects.get(case=world.case, user=doctor)
    revoked = world.client(world.patient).post(reverse("cases:revoke_companion", args=[grant.pk]))
    assert revoked.status_code == 302
    for url in (
        reverse("cases:detail", args=[world.case.pk]),
        reverse("consults:new", args=[world.case.pk]),
        reverse("consults:detail", args=[cr.pk]),
        reverse("cases:download", args=[world.docs[0].pk]),
        f"/api/v1/requests/{cr.pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("consults:move", args=[cr.pk]), {"target": "requested"}).status_code == 404
    cr.refresh_from_db()
    assert cr.status == Status.DRAFT


def test_a_grant_without_can_request_opens_no_request(world):
    # A family-style grant accepted by a referring physician: the companion rule skips clinicians.
    doctor = make_user(Role.REFERRING_PHYSICIAN, name="Dr Viewer")
    make_companion(world.case, doctor, can_view=True, can_ask=True)
    client = world.client(doctor)
    assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code == 404
    assert (
        client.post(reverse("consults:new", args=[world.case.pk]), _new_request_post(world)).status_code
        == 404
    )
    api = client.post(
        f"/api/v1/cases/{world.case.pk}/requests",
        {"kind": "pathology_review", "program_id": str(world.program.pk)},
        content_type="application/json",
    )
    assert api.status_code == 404
    # And a can_request grant held by a clinician who is not a referring physician opens nothing either.
    consultant = make_user(Role.CONSULTANT, name="Dr Not Referring")
    make_companion(world.case, consultant, can_view=False, can_request=True)
    assert world.client(consultant).get(reverse("consults:new", args=[world.case.pk])).status_code == 404
    assert not ConsultRequest.objects.exists()


def test_the_referrer_cannot_change_the_packet_or_who_sees_it(world):
    doctor = make_user(Role.REFERRING_PHYSICIAN, name="Dr Referrer")
    grant = make_companion(world.case, doctor, can_view=False, can_request=True)
    family = make_companion(world.case, make_user(Role.COMPANION))
    cr = make_request(world, status=Status.IN_PROGRESS)
    client = world.client(doctor)
    case_id = world.case.pk
    assert client.get(reverse("cases:detail", args=[case_id])).status_code == 200
    for url, data in (
        (reverse("cases:diagnosis", args=[case_id]), {"cancer_type": "Something else"}),
        (reverse("opinions:first", args=[case_id]), {"narrative": "Changed"}),
        (reverse("cases:add_medicine", args=[case_id]), {"name": "Aspirin"}),
        (reverse("cases:add_question", args=[case_id]), {"text": "Mine?"}),
        (reverse("cases:delete_document", args=[world.docs[0].pk]), {}),
        (
            reverse("cases:companions", args=[case_id]),
            {"email": "x@example.test", "can_view": "on", "days": "9"},
        ),
        (reverse("cases:revoke_companion", args=[family.pk]), {}),
        (reverse("cases:revoke_companion", args=[grant.pk]), {}),
        (reverse("cases:access_log", args=[case_id]), {}),
        (
            reverse("consults:consent", args=[cr.pk]),
            {"documents": [str(world.docs[0].pk)], "consent_days": "9"},
        ),
        (reverse("consults:revoke_consent", args=[cr.pk]), {}),
        (reverse("consults:post_message", args=[cr.pk]), {"body": "Hello"}),
    ):
        assert client.post(url, data).status_code == 404, url
    patch = client.patch(f"/api/v1/cases/{case_id}", {"title": "x"}, content_type="application/json")
    assert patch.status_code == 404
    # The request made by the patient is visible to the referrer; cancelling stays the patient's.
    assert client.get(reverse("consults:detail", args=[cr.pk])).status_code == 200
    client.post(reverse("consults:move", args=[cr.pk]), {"target": "cancelled"})
    cr.refresh_from_db()
    assert cr.status == Status.IN_PROGRESS
    grant.refresh_from_db()
    assert grant.revoked_at is None and world.case.documents.count() == 2
    assert not AuditEvent.objects.filter(
        actor=doctor, action__in=["case.update", "companion.revoke"]
    ).exists()


def test_a_doctor_without_an_account_is_sent_to_the_clinician_sign_up(
    world, django_capture_on_commit_callbacks
):
    path = _invite_doctor(world, django_capture_on_commit_callbacks)
    response = world.client(world.patient).get(path)  # another account: told to switch
    assert response.status_code == 403
    from django.test import Client

    anonymous = Client().get(path)
    assert anonymous.status_code == 302 and anonymous.url == reverse("accounts:signup_clinician")
    # The grant can be revoked by the patient before anyone accepts it.
    grant = Companion.objects.get(case=world.case, email=DOCTOR_EMAIL)
    case_actions.revoke_companion(world.patient, grant)
    assert Client().get(path).status_code == 404
