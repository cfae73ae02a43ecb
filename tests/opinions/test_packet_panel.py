"""Issue 11, item 4: the consultant sees the packet beside the form (request page and opinion editor)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondopinion.cases import actions as case_actions
from secondopinion.consults import actions as consult_actions
from secondopinion.consults.models import ConsultRequest
from secondopinion.core.models import AuditEvent
from tests.factories import make_document, make_user, unique_pdf
from tests.opinions.support import Setup

pytestmark = pytest.mark.django_db


def setup_with_packet() -> Setup:
    s = Setup()
    case_actions.add_medicine(s.patient, s.case, {"name": "Tamoxifen", "dose": "20 mg"})
    case_actions.add_medicine(s.patient, s.case, {"name": "Turmeric", "is_supplement": True})
    ConsultRequest.objects.filter(pk=s.request.pk).update(
        reason_codes=["several_options"], reasons_text="I want to keep my breast."
    )
    make_document(s.patient, s.case, unique_pdf("not shared"), title="Not shared scan")
    s.request.refresh_from_db()
    return s


def panel(html: str) -> str:
    start = html.index('<aside class="so-packet"')
    return html[start : html.index("</aside>", start)]


@pytest.mark.parametrize("route", ["consults:detail", "opinions:edit"])
def test_the_packet_is_beside_the_consultants_work(route: str) -> None:
    s = setup_with_packet()
    html = s.client(s.consultant).get(reverse(route, args=[s.request.pk])).content.decode()
    assert 'class="grid-row grid-gap so-with-packet"' in html
    assert '<div class="desktop:grid-col-5 so-with-packet__panel">' in html  # side by side from desktop up
    aside = panel(html)
    assert "Breast cancer" in aside  # diagnosis (the case and the first opinion)
    assert 'data-part="stage">stage IIA' in aside
    assert 'data-part="treatment">Surgery (preferred)' in aside  # the first doctor's plan
    assert "Tamoxifen — 20 mg" in aside
    turmeric = aside[aside.index("Turmeric") :]
    assert turmeric.index("so-tag--supplement") < turmeric.index("</li>")  # the supplement is marked
    assert "Tamoxifen — 20 mg</li>" in aside  # … and the medicine is not
    for q in s.questions():
        assert q.text in aside
    assert "There is more than one treatment to choose from" in aside and "keep my breast" in aside
    assert reverse("cases:download", args=[s.document.pk]) in aside  # documents shared under the consent
    assert "Not shared scan" not in aside


def test_reading_the_packet_is_audited() -> None:
    s = setup_with_packet()
    s.client(s.consultant).get(reverse("opinions:edit", args=[s.request.pk]))
    row = AuditEvent.objects.filter(action="case.read", actor=s.consultant).get()
    assert row.detail["via"] == "request_packet" and row.case_id == s.case.pk


def test_after_sharing_stops_only_the_requests_own_parts_remain() -> None:
    s = setup_with_packet()
    consult_actions.revoke_consent(s.patient, s.request)
    html = s.client(s.consultant).get(reverse("consults:detail", args=[s.request.pk])).content.decode()
    aside = panel(html)
    assert 'id="packet-closed"' in aside
    assert "Tamoxifen" not in aside and "stage IIA" not in aside
    assert reverse("cases:download", args=[s.document.pk]) not in aside
    assert s.questions()[0].text in aside


def test_patients_and_other_people_do_not_get_the_panel() -> None:
    s = setup_with_packet()
    html = s.client(s.patient).get(reverse("consults:detail", args=[s.request.pk])).content.decode()
    assert "so-packet" not in html
    other = make_user("consultant")
    assert s.client(other).get(reverse("opinions:edit", args=[s.request.pk])).status_code == 404
