"""The requests JSON API: problem+json with stable codes; 404 for hidden."""

from __future__ import annotations

import pytest

from secondopinion.consults.transitions import Status
from tests.consults.helpers import make_request, make_world


@pytest.fixture
def world(db):
    return make_world()


def test_create_submit_transition_messages_consent(world):
    patient = world.client(world.patient)
    base = f"/api/v1/cases/{world.case.pk}/requests"
    created = patient.post(
        base,
        {"kind": "pathology_review", "program_id": str(world.program.pk)},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert [r["id"] for r in patient.get(base).json()] == [rid]
    assert patient.post(f"/api/v1/requests/{rid}/submit").json()["status"] == "requested"
    problem = patient.post(
        f"/api/v1/requests/{rid}/transition", {"target": "received"}, content_type="application/json"
    )
    assert problem.status_code == 403 and problem["Content-Type"] == "application/problem+json"
    assert problem.json()["code"] == "not_allowed"
    assert (
        patient.post(f"/api/v1/requests/{rid}/transition", {}, content_type="application/json").json()["code"]
        == "target_required"
    )
    consultant = world.client(world.other_consultant)
    assert consultant.get(f"/api/v1/requests/{rid}").status_code == 404
    coord = world.client(world.coordinator)
    assert coord.get(f"/api/v1/requests/{rid}").json()["status"] == "received"
    reject = coord.post(
        f"/api/v1/requests/{rid}/transition", {"target": "rejected"}, content_type="application/json"
    )
    assert reject.status_code == 422 and reject.json()["code"] == "reason_required"
    back = coord.post(
        f"/api/v1/requests/{rid}/transition", {"target": "draft"}, content_type="application/json"
    )
    assert back.status_code == 409 and back.json()["code"] == "illegal_transition"
    assert (
        coord.post(
            f"/api/v1/requests/{rid}/transition", {"target": "accepted"}, content_type="application/json"
        ).json()["status"]
        == "accepted"
    )
    posted = patient.post(
        f"/api/v1/requests/{rid}/messages", {"body": "hello"}, content_type="application/json"
    )
    assert posted.status_code == 201
    assert [m["body"] for m in coord.get(f"/api/v1/requests/{rid}/messages").json()] == ["hello"]
    consent = patient.get(f"/api/v1/requests/{rid}/consent").json()
    assert consent["version"] == 1 and len(consent["document_ids"]) == 2 and consent["active"]
    new = patient.post(
        f"/api/v1/requests/{rid}/consent",
        {"document_ids": [str(world.docs[0].pk)], "days": 10},
        content_type="application/json",
    )
    assert new.status_code == 201 and new.json()["version"] == 2
    assert coord.post(f"/api/v1/requests/{rid}/consent/revoke").status_code == 404
    assert patient.post(f"/api/v1/requests/{rid}/consent/revoke").status_code == 204
    assert patient.get(f"/api/v1/requests/{rid}/consent").json()["active"] is False


def test_api_hidden_and_validation(world):
    cr = make_request(world, status=Status.IN_PROGRESS)
    other = world.client(world.other_consultant)
    for url in (
        f"/api/v1/requests/{cr.pk}",
        f"/api/v1/requests/{cr.pk}/messages",
        f"/api/v1/requests/{cr.pk}/consent",
    ):
        response = other.get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    patient = world.client(world.patient)
    bad = patient.post(
        f"/api/v1/cases/{world.case.pk}/requests",
        {"kind": "independent_specialist"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["code"] == "target_required"
    bad = patient.post(
        f"/api/v1/cases/{world.case.pk}/requests",
        {"kind": "nope", "program_id": str(world.program.pk)},
        content_type="application/json",
    )
    assert bad.json()["code"] == "validation_error"
    done = patient.post(
        f"/api/v1/requests/{cr.pk}/transition", {"target": "completed"}, content_type="application/json"
    )
    assert done.status_code == 409 and done.json()["code"] == "illegal_transition"
    assert (
        world.client(world.consultant)
        .post(
            f"/api/v1/cases/{world.case.pk}/requests",
            {"kind": "independent_specialist", "program_id": str(world.program.pk)},
            content_type="application/json",
        )
        .status_code
        == 404
    )
