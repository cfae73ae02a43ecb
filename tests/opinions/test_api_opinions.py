"""The opinions API: drafts, signing, comparison, decision; problem+json codes."""

from __future__ import annotations

import json

import pytest

from secondopinion.core.models import AuditEvent
from secondopinion.opinions.models import Decision, Opinion
from tests.factories import make_user
from tests.opinions.support import Setup, second_content

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _put(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json")


def test_draft_put_get_sign_and_compare() -> None:
    s = Setup()
    c = s.client(s.consultant)
    url = f"{API}/requests/{s.request.pk}/opinion"
    assert c.get(url).status_code == 404
    created = _put(c, url, {"content": second_content(s.request), "stated_change": {"treatment": "changed"}})
    assert created.status_code == 201, created.content
    assert _put(c, url, {"content": second_content(s.request)}).status_code == 200
    assert c.get(url).json()["content"]["summary_plain"].startswith("Chemotherapy")
    patient = s.client(s.patient)
    assert [o["source"] for o in patient.get(f"{API}/cases/{s.case.pk}/opinions").json()] == ["first"]
    stated = {"stated_change": {"diagnosis": "confirmed", "stage": "confirmed", "treatment": "changed"}}
    signed = c.post(f"{API}/requests/{s.request.pk}/opinion/sign", json.dumps(stated), "application/json")
    assert signed.status_code == 200 and signed.json()["signed_at"]
    again = c.post(f"{API}/requests/{s.request.pk}/opinion/sign")
    assert again.status_code == 409 and again.json()["code"] == "already_signed"
    comparison = patient.get(f"{API}/cases/{s.case.pk}/comparison").json()
    assert comparison[0]["treatment"]["class"] == "changed"
    assert comparison[0]["diagnosis"] == {
        "class": "confirmed",
        "because": ["site C50.4 matches", "histology 8500/3 matches"],
        "stated_class": "confirmed",
    }
    assert len(patient.get(f"{API}/cases/{s.case.pk}/opinions").json()) == 2


def test_invalid_opinion_names_the_field() -> None:
    s = Setup()
    content = second_content(s.request)
    content["treatment"]["options"][0]["intent"] = "cure"
    response = _put(s.client(s.consultant), f"{API}/requests/{s.request.pk}/opinion", {"content": content})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "opinion_invalid" and body["field"] == "treatment.options[0].intent"
    assert response["Content-Type"] == "application/problem+json"


def test_unanswered_questions_block_signing() -> None:
    s = Setup()
    c = s.client(s.consultant)
    _put(c, f"{API}/requests/{s.request.pk}/opinion", {"content": second_content(s.request, answered=False)})
    response = c.post(f"{API}/requests/{s.request.pk}/opinion/sign")
    assert response.status_code == 409 and response.json()["code"] == "unanswered_questions"
    assert response.json()["questions"] == ["Do I need chemotherapy?", "Can I keep my breast?"]
    assert Opinion.objects.get(request=s.request).signed_at is None


def test_others_get_not_found() -> None:
    s = Setup()
    s.draft()
    for user in (s.patient, make_user("consultant"), make_user("patient")):
        c = s.client(user)
        response = c.get(f"{API}/requests/{s.request.pk}/opinion")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert c.post(f"{API}/requests/{s.request.pk}/opinion/sign").status_code == 404
    stranger = s.client(make_user("patient"))
    assert stranger.get(f"{API}/cases/{s.case.pk}/comparison").status_code == 404


def test_decision_by_api() -> None:
    s = Setup()
    opinion = s.signed()
    c = s.client(s.patient)
    body = {"treating_doctor": "Dr First", "opinion_id": str(opinion.pk), "follows_advice": "partly"}
    response = c.post(f"{API}/cases/{s.case.pk}/decisions", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    decision = Decision.objects.get(pk=response.json()["id"])
    assert decision.follows_advice == "partly" and decision.opinion == opinion
    assert AuditEvent.objects.filter(action="decision.record").exists()
    consultant = s.client(s.consultant)
    denied = consultant.post(
        f"{API}/cases/{s.case.pk}/decisions", json.dumps(body), content_type="application/json"
    )
    assert denied.status_code == 404


def test_decision_by_api_names_the_doctor_unless_undecided() -> None:
    s = Setup()
    s.signed()
    c = s.client(s.patient)
    url = f"{API}/cases/{s.case.pk}/decisions"
    undecided = c.post(url, json.dumps({"follows_advice": "undecided"}), content_type="application/json")
    assert undecided.status_code == 201, undecided.content
    assert Decision.objects.get(pk=undecided.json()["id"]).treating_doctor == ""
    missing = c.post(url, json.dumps({"follows_advice": "yes"}), content_type="application/json")
    assert missing.status_code == 422
    assert missing.json()["code"] == "treating_doctor_required"
    assert Decision.objects.filter(case=s.case).count() == 1
