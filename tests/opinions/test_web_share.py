"""The patient's decision and the first doctor's expiring link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secondopinion.core.models import AuditEvent
from secondopinion.opinions import actions
from secondopinion.opinions.models import Decision, ShareLink
from tests.factories import make_user
from tests.opinions.support import Setup

pytestmark = pytest.mark.django_db


def _decide(s: Setup, opinion, share: bool = True):
    return s.client(s.patient).post(
        reverse("opinions:decision", args=[s.case.pk]),
        {
            "treating_doctor": "Dr First",
            "follows_advice": "yes",
            "opinion_choice": str(opinion.pk),
            "share_with_first_doctor": "on" if share else "",
        },
    )


def _token(message) -> str:
    path = reverse("opinions:shared", args=["X"]).rstrip("X/")
    line = next(word for word in message.body.split() if path in word)
    return line.rstrip("/").rsplit("/", 1)[-1]


def test_decision_is_recorded_and_audited(django_capture_on_commit_callbacks) -> None:
    s = Setup()
    opinion = s.signed()
    page = s.client(s.patient).get(reverse("opinions:decision", args=[s.case.pk]))
    assert "You do not have to switch doctors." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _decide(s, opinion, share=False)
    assert response.status_code == 302
    decision = Decision.objects.get(case=s.case)
    assert (decision.treating_doctor, decision.follows_advice, decision.opinion) == (
        "Dr First",
        "yes",
        opinion,
    )
    assert AuditEvent.objects.filter(action="decision.record", entity_id=str(decision.pk)).exists()
    assert not ShareLink.objects.exists() and not [m for m in mail.outbox if "first.doctor" in m.to[0]]
    assert s.client(s.consultant).get(reverse("opinions:decision", args=[s.case.pk])).status_code == 404


def test_share_link_opens_one_opinion_and_expires(django_capture_on_commit_callbacks) -> None:
    s = Setup()
    opinion = s.signed()
    with django_capture_on_commit_callbacks(execute=True):
        _decide(s, opinion)
    message = next(m for m in mail.outbox if m.to == ["first.doctor@example.test"])
    # the e-mail carries no health data: only a link
    for secret in ("Breast", "chemotherapy", "Chemotherapy", s.patient.full_name, s.case.title, "IIA"):
        assert secret not in message.body and secret not in message.subject
    token = _token(message)
    link = ShareLink.objects.get()
    assert link.token_hash != token and link.expires_at > timezone.now() + timedelta(days=29)
    anonymous = Client()
    url = reverse("opinions:shared", args=[token])
    page = anonymous.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Chemotherapy first is the better plan for you." in html
    assert "Do I need chemotherapy?" in html  # the opinion's own answers
    assert s.document.title not in html or not s.document.title  # no other case data
    assert "first.doctor" not in html
    assert AuditEvent.objects.filter(action="opinion.share_open", entity_id=str(opinion.pk)).exists()
    assert anonymous.get(reverse("opinions:detail", args=[opinion.pk])).status_code == 302  # login page
    assert anonymous.get(reverse("opinions:detail", args=[s.first.pk])).status_code == 302
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(reverse("opinions:shared", args=["not-a-token"])).status_code == 404


def test_revoked_link_is_not_found() -> None:
    s = Setup()
    opinion = s.signed()
    token = actions.share(s.patient, opinion, "first.doctor@example.test")
    url = reverse("opinions:shared", args=[token])
    assert Client().get(url).status_code == 200
    actions.revoke_share(s.patient, ShareLink.objects.get())
    assert Client().get(url).status_code == 404


def test_drafts_cannot_be_shared() -> None:
    s = Setup()
    draft = s.draft()
    with pytest.raises(actions.OpinionError):
        actions.share(s.patient, draft, "first.doctor@example.test")


def test_notifications_while_signing_carry_no_health_data(django_capture_on_commit_callbacks) -> None:
    s = Setup()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        s.signed()
    assert mail.outbox
    for message in mail.outbox:
        assert "chemotherapy" not in message.body.lower() and "breast" not in message.body.lower()


def test_other_patient_gets_404_everywhere() -> None:
    s = Setup()
    opinion = s.signed()
    c = Client()
    from tests.factories import login

    login(c, make_user("patient"))
    for url in (
        reverse("opinions:detail", args=[opinion.pk]),
        reverse("opinions:pdf", args=[opinion.pk]),
        reverse("opinions:compare", args=[s.case.pk]),
        reverse("opinions:guide", args=[s.case.pk]),
        reverse("opinions:decision", args=[s.case.pk]),
        reverse("opinions:first", args=[s.case.pk]),
    ):
        assert c.get(url).status_code == 404, url
