"""The request pages through HTTP: the patient's path, automatic moves, consent and visibility."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from secondopinion.consults.models import ConsultRequest, Message
from secondopinion.consults.transitions import Status
from tests.consults.helpers import SECRET_TEXT, audit_actions, make_request, make_world
from tests.factories import make_companion, make_user


@pytest.fixture
def world(db):
    return make_world()


def detail(cr):
    return reverse("consults:detail", args=[cr.pk])


def test_patient_asks_for_a_second_opinion(world):
    client = world.client(world.patient)
    page = client.get(reverse("consults:new", args=[world.case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fee 500" in html and "Most plans" in html and "5 working days" in html
    assert "A pathologist" in html  # plain-language explanation of each kind
    response = client.post(
        reverse("consults:new", args=[world.case.pk]),
        {
            "kind": "independent_specialist",
            "target": f"program:{world.program.pk}",
            "reason_codes": ["several_options"],
            "reasons_text": "I want to be sure",
            "documents": [str(world.docs[0].pk)],
            "consent_days": "30",
        },
    )
    cr = ConsultRequest.objects.get(case=world.case)
    assert response.status_code == 302 and response.url == detail(cr)
    assert cr.status == Status.DRAFT
    review = client.get(detail(cr)).content.decode()
    assert "Send my request" in review and "Is surgery needed?" in review and "Fee 500" in review
    client.post(reverse("consults:move", args=[cr.pk]), {"target": "requested"})
    cr.refresh_from_db()
    assert cr.status == Status.REQUESTED
    assert [q.text for q in cr.questions.all()] == ["Is surgery needed?"]
    consent = cr.consents.get()
    assert list(consent.documents.all()) == [world.docs[0]]
    assert 29 <= (consent.expires_at - cr.created_at).days <= 30
    acts = audit_actions(case_id=world.case.pk)
    for action in ("request.create", "consent.grant", "request.transition"):
        assert action in acts


def test_case_page_lists_requests_and_offers_the_button(world):
    cr = make_request(world)
    html = world.client(world.patient).get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert "Ask for a second opinion" in html and detail(cr) in html and "Sent" in html


def test_consultant_first_open_marks_received_then_workflow(world):
    cr = make_request(world)
    consultant = world.client(world.consultant)
    assert consultant.get(detail(cr)).status_code == 200
    cr.refresh_from_db()
    assert cr.status == Status.RECEIVED
    move = reverse("consults:move", args=[cr.pk])
    consultant.post(move, {"target": "accepted"})
    consultant.post(move, {"target": "in-progress"})
    consultant.post(move, {"target": "on-hold", "reason": "Please send the CT report"})
    cr.refresh_from_db()
    assert cr.status == Status.ON_HOLD
    assert Message.objects.filter(
        request=cr, author=world.consultant, body="Please send the CT report"
    ).exists()
    patient = world.client(world.patient)
    page = patient.get(detail(cr)).content.decode()
    assert "Waiting for you" in page and "What happens next" in page
    patient.post(reverse("consults:post_message", args=[cr.pk]), {"body": SECRET_TEXT})
    cr.refresh_from_db()
    assert cr.status == Status.IN_PROGRESS
    assert "message.send" in audit_actions(case_id=world.case.pk)
    # "completed" is never a button
    assert 'data-move="completed"' not in consultant.get(detail(cr)).content.decode()
    response = consultant.post(move, {"target": "completed"}, follow=True)
    cr.refresh_from_db()
    assert cr.status == Status.IN_PROGRESS and response.status_code == 200


def test_illegal_move_is_a_clear_error_and_changes_nothing(world):
    cr = make_request(world, status=Status.RECEIVED)
    response = world.client(world.patient).post(
        reverse("consults:move", args=[cr.pk]), {"target": "accepted"}, follow=True
    )
    assert (
        "Only consultant, coordinator may move a request from received to accepted."
        in response.content.decode()
    )
    cr.refresh_from_db()
    assert cr.status == Status.RECEIVED
    response = world.client(world.consultant).post(
        reverse("consults:move", args=[cr.pk]), {"target": "rejected"}, follow=True
    )
    assert "needs a reason" in response.content.decode()
    cr.refresh_from_db()
    assert cr.status == Status.RECEIVED


def test_patient_cancels(world):
    cr = make_request(world, status=Status.ACCEPTED)
    world.client(world.patient).post(reverse("consults:move", args=[cr.pk]), {"target": "cancelled"})
    cr.refresh_from_db()
    assert cr.status == Status.CANCELLED


@pytest.mark.parametrize("how", ["revoke", "expire", "new_version_without"])
def test_consent_end_hides_documents_not_the_request(world, how):
    cr = make_request(world, status=Status.IN_PROGRESS)
    consultant = world.client(world.consultant)
    doc = world.docs[0]
    download = reverse("cases:download", args=[doc.pk])
    api_content = f"/api/v1/documents/{doc.pk}/content"
    assert consultant.get(download).status_code == 200
    assert consultant.get(api_content).status_code == 200
    patient = world.client(world.patient)
    if how == "revoke":
        patient.post(reverse("consults:revoke_consent", args=[cr.pk]))
        assert "consent.revoke" in audit_actions(case_id=world.case.pk)
    elif how == "expire":
        from django.utils import timezone

        cr.consents.update(expires_at=timezone.now())
    else:
        patient.post(
            reverse("consults:consent", args=[cr.pk]),
            {"documents": [str(world.docs[1].pk)], "consent_days": "10"},
        )
        assert cr.consents.count() == 2
        assert consultant.get(reverse("cases:download", args=[world.docs[1].pk])).status_code == 200
    assert consultant.get(download).status_code == 404
    assert consultant.get(api_content).status_code == 404
    page = consultant.get(detail(cr))
    assert page.status_code == 200 and b"History" in page.content
    assert patient.get(download).status_code == 200
    assert patient.get(detail(cr)).status_code == 200


def test_hidden_from_others(world):
    cr = make_request(world, status=Status.IN_PROGRESS)
    other_patient = make_user("patient")
    for user in (world.other_consultant, other_patient, make_user("admin")):
        client = world.client(user)
        assert client.get(detail(cr)).status_code == 404
        assert client.get(reverse("cases:download", args=[world.docs[0].pk])).status_code == 404
        assert client.post(reverse("consults:move", args=[cr.pk]), {"target": "cancelled"}).status_code == 404
        assert client.post(reverse("consults:post_message", args=[cr.pk]), {"body": "hi"}).status_code == 404
        assert client.get(f"/api/v1/requests/{cr.pk}").status_code == 404
    assert world.client(world.patient).get(reverse("consults:flag_urgent", args=[cr.pk])).status_code == 405
    assert (
        world.client(world.patient)
        .post(reverse("consults:flag_urgent", args=[cr.pk]), {"note": "x"})
        .status_code
        == 404
    )


def test_companion_views_and_asks(world):
    cr = make_request(world, status=Status.IN_PROGRESS)
    viewer = make_user("companion")
    make_companion(world.case, viewer)
    client = world.client(viewer)
    assert client.get(detail(cr)).status_code == 200
    assert client.post(reverse("consults:post_message", args=[cr.pk]), {"body": "hi"}).status_code == 404
    asker = make_user("companion")
    make_companion(world.case, asker, can_ask=True)
    assert (
        world.client(asker)
        .post(reverse("consults:post_message", args=[cr.pk]), {"body": "a question"})
        .status_code
        == 302
    )


def test_coordinator_sees_only_their_program(world):
    mine = make_request(world)
    other_world = make_world()
    theirs = make_request(other_world)
    coord = world.client(world.coordinator)
    html = coord.get(reverse("consults:program", args=[world.program.pk])).content.decode()
    assert str(mine.pk) in html and str(theirs.pk) not in html
    assert coord.get(reverse("consults:program", args=[other_world.program.pk])).status_code == 404
    assert coord.get(detail(theirs)).status_code == 404
    assert coord.get(detail(mine)).status_code == 200
    coord.post(reverse("consults:assign", args=[mine.pk]), {"consultant": world.other_consultant.pk})
    mine.refresh_from_db()
    assert mine.consultant == world.other_consultant
    assert "request.assign" in audit_actions(case_id=world.case.pk)
    # the former consultant loses the request
    assert world.client(world.consultant).get(detail(mine)).status_code == 404


def test_inbox_filters_and_overdue(world):
    from datetime import timedelta

    from secondopinion.consults.models import StatusChange

    late = make_request(world, status=Status.IN_PROGRESS)
    StatusChange.objects.filter(request=late).update(at=late.created_at - timedelta(days=30))
    fresh = make_request(world, status=Status.ACCEPTED)
    client = world.client(world.consultant)
    html = client.get(reverse("consults:inbox")).content.decode()
    assert str(late.pk) in html and str(fresh.pk) in html and 'data-overdue="yes"' in html
    only_late = client.get(reverse("consults:inbox") + "?overdue=on").content.decode()
    assert str(late.pk) in only_late and str(fresh.pk) not in only_late
    accepted = client.get(reverse("consults:inbox") + "?status=accepted").content.decode()
    assert str(fresh.pk) in accepted and str(late.pk) not in accepted
    pathology = client.get(reverse("consults:inbox") + "?kind=pathology_review").content.decode()
    assert str(fresh.pk) not in pathology
    assert (
        world.client(world.other_consultant)
        .get(reverse("consults:inbox"))
        .content.decode()
        .count(str(late.pk))
        == 0
    )
    assert world.client(world.patient).get(reverse("consults:inbox")).status_code == 404


def test_message_attachment_checked_and_audited(world):
    from tests.factories import unique_pdf

    cr = make_request(world, status=Status.IN_PROGRESS)
    patient = world.client(world.patient)
    from django.core.files.uploadedfile import SimpleUploadedFile

    patient.post(
        reverse("consults:post_message", args=[cr.pk]),
        {
            "body": "here it is",
            "attachment": SimpleUploadedFile("scan.pdf", unique_pdf("att"), "application/pdf"),
        },
    )
    message = Message.objects.get(request=cr, body="here it is")
    assert message.attachment_key
    url = reverse("consults:message_attachment", args=[cr.pk, message.pk])
    assert world.client(world.consultant).get(url).status_code == 200
    assert "document.download" in audit_actions(entity_id=str(message.pk))
    assert world.client(world.other_consultant).get(url).status_code == 404
    patient.post(reverse("consults:revoke_consent", args=[cr.pk]))
    assert world.client(world.consultant).get(url).status_code == 404
    assert patient.get(url).status_code == 200
    # a refused file: nothing stored, a clear message
    response = patient.post(
        reverse("consults:post_message", args=[cr.pk]),
        {
            "body": "bad",
            "attachment": SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 100, "application/octet-stream"),
        },
        follow=True,
    )
    assert not Message.objects.filter(body="bad").exists()
    assert response.status_code == 200


def test_mails_carry_no_health_data(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cr = make_request(world, status=Status.IN_PROGRESS)
        client = world.client(world.patient)
        client.post(reverse("consults:post_message", args=[cr.pk]), {"body": SECRET_TEXT})
        world.client(world.consultant).post(
            reverse("consults:flag_urgent", args=[cr.pk]), {"note": SECRET_TEXT}
        )
    urgent = [m for m in mail.outbox if "Urgent" in m.subject]
    assert {m.to[0] for m in urgent} == {world.patient.email, "first.doctor@example.test"}
    assert len(mail.outbox) > len(urgent)
    assert "urgent.flag" in audit_actions(case_id=world.case.pk)
    page = world.client(world.patient).get(reverse("consults:detail", args=[cr.pk])).content.decode()
    assert 'id="urgent-alert"' in page and "usa-alert--emergency" in page
    for m in mail.outbox:
        text = m.subject + m.body
        for secret in (world.case.cancer_type, SECRET_TEXT, "angiosarcoma", world.case.title):
            assert secret not in text
