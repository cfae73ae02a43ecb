"""Small defects on the case pages: the case can be renamed from its page; stopping sharing with a
companion asks first (a <details> step, no JavaScript needed)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from secondopinion.cases.models import Case, Companion
from tests.factories import login, make_companion, make_user

pytestmark = pytest.mark.django_db


def test_case_can_be_renamed_from_its_page(patient, patient_client, case):
    page = patient_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    edit_url = reverse("cases:edit", args=[case.pk])
    assert re.search(rf'<p id="rename-case"><a href="{edit_url}">Rename this case</a>', page)
    form = patient_client.get(edit_url)
    assert form.status_code == 200 and 'name="title"' in form.content.decode()
    saved = patient_client.post(edit_url, {"title": "Lung, second look", "subject": "self"})
    assert saved.status_code == 302
    assert Case.objects.get(pk=case.pk).title == "Lung, second look"
    assert "Lung, second look" in patient_client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_companion_does_not_see_the_rename_link(case):
    helper = make_user("patient")
    make_companion(case, helper, can_view=True)
    page = login(Client(), helper).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="rename-case"' not in page


def test_stop_sharing_with_a_companion_asks_for_confirmation_first(patient, patient_client, case):
    helper = make_user("patient", name="Rosa Helper")
    companion = make_companion(case, helper, can_view=True)
    html = patient_client.get(reverse("cases:companions", args=[case.pk])).content.decode()
    revoke_url = reverse("cases:revoke_companion", args=[companion.pk])
    confirm = re.search(rf'<details class="so-confirm" id="stop-{companion.pk}">(.*?)</details>', html, re.S)
    assert confirm, "the stop-sharing form sits inside a <details> confirm step"
    step = confirm.group(1)
    assert "<summary" in step and "Stop sharing</summary>" in step
    assert f"Are you sure? {helper.email} will no longer see this case." in step
    assert f'action="{revoke_url}"' in step and "Yes, stop sharing" in step
    assert html.count(f'action="{revoke_url}"') == 1  # no second, unconfirmed button

    assert patient_client.post(revoke_url).status_code == 302
    assert Companion.objects.get(pk=companion.pk).revoked_at is not None
