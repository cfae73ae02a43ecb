"""A third opinion starts from the earlier request (`?previous=`) and records which request it follows."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from secondopinion.consults.models import ConsultRequest
from secondopinion.consults.transitions import Status
from tests.consults.helpers import make_request, make_world
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_third_opinion_is_prefilled_and_linked_to_the_previous_request():
    world = make_world()
    first = make_request(world, status=Status.IN_PROGRESS, kind="pathology_review")
    ConsultRequest.objects.filter(pk=first.pk).update(
        reasons_text="Unclear margins", reason_codes=["unclear_results"]
    )
    client = world.client(world.patient)
    url = reverse("consults:new", args=[world.case.pk]) + f"?previous={first.pk}"
    page = client.get(url).content.decode()
    assert "Unclear margins" in page
    checked = re.findall(r'<input[^>]*name="kind"[^>]*value="([a-z_]+)" checked>', page)
    assert checked == ["pathology_review"]  # the earlier request's kind
    response = client.post(
        url,
        {
            "kind": "independent_specialist",
            "target": f"program:{world.program.pk}",
            "reasons_text": "A third view",
            "documents": [str(world.docs[0].pk)],
            "consent_days": "30",
        },
    )
    assert response.status_code == 302
    third = ConsultRequest.objects.exclude(pk=first.pk).get(case=world.case)
    assert third.previous_request_id == first.pk


def test_previous_from_another_case_or_garbage_is_ignored():
    world = make_world()
    other_case = make_case(world.patient, title="Another case")
    elsewhere = ConsultRequest.objects.create(
        case=other_case, kind="tumor_board", created_by=world.patient, program=world.program
    )
    client = world.client(world.patient)
    for previous in (str(elsewhere.pk), "not-a-uuid"):
        url = reverse("consults:new", args=[world.case.pk]) + f"?previous={previous}"
        assert client.get(url).status_code == 200
        client.post(
            url,
            {
                "kind": "independent_specialist",
                "target": f"program:{world.program.pk}",
                "reasons_text": "x",
                "documents": [str(world.docs[0].pk)],
                "consent_days": "30",
            },
        )
    assert list(
        ConsultRequest.objects.filter(case=world.case).values_list("previous_request", flat=True)
    ) == [None, None]
