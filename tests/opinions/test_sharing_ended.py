"""Once the patient stops sharing, the consultant can no longer change or sign the opinion (page and API)."""

from __future__ import annotations

import json

import pytest

from secondopinion.consults import actions as consult_actions
from secondopinion.opinions import actions
from secondopinion.opinions.models import Opinion
from tests.opinions.support import Setup, editor_post, second_content

pytestmark = pytest.mark.django_db


def test_revoked_sharing_stops_writing_and_signing() -> None:
    setup = Setup()
    draft = setup.draft()
    consult_actions.revoke_consent(setup.patient, setup.request)
    with pytest.raises(actions.OpinionError) as refused:
        actions.save_draft(setup.consultant, setup.request, second_content(setup.request), {})
    assert refused.value.code == "sharing_ended"
    with pytest.raises(actions.OpinionError, match="not sharing"):
        actions.sign(setup.consultant, draft)
    assert Opinion.objects.get(pk=draft.pk).signed_at is None

    client = setup.client(setup.consultant)
    page = client.post(f"/opinions/requests/{setup.request.pk}/edit/", editor_post(setup))
    assert page.status_code == 200 and "not sharing their records" in page.content.decode()
    api = client.post(f"/api/v1/requests/{setup.request.pk}/opinion/sign")
    assert api.status_code == 409 and api.json()["code"] == "sharing_ended"


def test_sharing_again_lets_the_work_go_on() -> None:
    setup = Setup()
    setup.draft()
    consult_actions.revoke_consent(setup.patient, setup.request)
    from datetime import timedelta

    from django.utils import timezone

    consult_actions.grant_consent(
        setup.patient, setup.request, [setup.document], timezone.now() + timedelta(days=30)
    )
    signed = setup.signed()
    assert signed.signed_at is not None
    body = json.loads(setup.client(setup.patient).get(f"/api/v1/cases/{setup.case.pk}/opinions").content)
    assert [o["id"] for o in body if o.get("signed_at")] == [str(signed.pk)]
