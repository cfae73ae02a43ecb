"""Appointments (.ics) and pathology material through HTTP."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondopinion.consults.models import AppointmentSlot, Shipment
from secondopinion.consults.transitions import Status
from tests.consults.helpers import audit_actions, make_request, make_world


@pytest.fixture
def world(db, settings):
    settings.TIME_ZONE = "America/New_York"
    return make_world()


def _slots(rows):
    data = {
        "slots-TOTAL_FORMS": "5",
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "1",
        "slots-MAX_NUM_FORMS": "5",
    }
    for i, row in enumerate(rows):
        data.update({f"slots-{i}-{k}": v for k, v in row.items()})
    return data


def test_propose_choose_and_ics(world):
    cr = make_request(world, status=Status.IN_PROGRESS)
    consultant = world.client(world.consultant)
    response = consultant.post(
        reverse("consults:propose_slots", args=[cr.pk]),
        _slots(
            [
                {
                    "starts_at": "2026-03-10T09:30",
                    "minutes": "45",
                    "mode": "visit",
                    "place": "Clinic 4, Main St; floor 2",
                },
                {
                    "starts_at": "2026-03-11T14:00",
                    "minutes": "30",
                    "mode": "video",
                    "video_link": "https://video.example.test/room/1",
                },
            ]
        ),
    )
    assert response.status_code == 302
    assert AppointmentSlot.objects.filter(request=cr).count() == 2
    visit = AppointmentSlot.objects.get(request=cr, mode="visit")
    patient = world.client(world.patient)
    ics_url = reverse("consults:slot_ics", args=[cr.pk, visit.pk])
    assert patient.get(ics_url).status_code == 404  # not chosen yet
    patient.post(reverse("consults:choose_slot", args=[cr.pk, visit.pk]))
    visit.refresh_from_db()
    assert visit.chosen_at is not None
    for client in (patient, consultant):
        ics = client.get(ics_url)
        assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
        text = ics.content.decode()
        assert "DTSTART:20260310T133000Z\r\n" in text  # 09:30 New York (EDT, after 8 March) = 13:30 UTC
        assert "DTEND:20260310T141500Z\r\n" in text
        assert f"UID:{visit.pk}@" in text
        assert "SUMMARY:Second-opinion appointment\r\n" in text
        assert "LOCATION:Clinic 4\\, Main St\\; floor 2" in text
        assert "angiosarcoma" not in text.lower()
    other = AppointmentSlot.objects.get(request=cr, mode="video")
    assert patient.post(reverse("consults:choose_slot", args=[cr.pk, other.pk])).status_code == 302
    other.refresh_from_db()
    assert other.chosen_at is None  # one choice only
    acts = audit_actions(case_id=world.case.pk)
    assert "appointment.propose" in acts and "appointment.choose" in acts
    assert world.client(world.other_consultant).get(ics_url).status_code == 404


def test_video_ics_has_url(world):
    from secondopinion.consults import actions
    from secondopinion.consults.ics import appointment_ics

    cr = make_request(world, status=Status.IN_PROGRESS)
    from datetime import UTC, datetime

    (slot,) = actions.propose_slots(
        world.consultant,
        cr,
        [
            {
                "starts_at": datetime(2026, 1, 5, 15, 0, tzinfo=UTC),
                "minutes": 60,
                "mode": "video",
                "video_link": "https://v.example.test/x",
            }
        ],
    )
    text = appointment_ics(slot)
    assert "DTSTART:20260105T150000Z" in text and "DTEND:20260105T160000Z" in text
    assert "URL:https://v.example.test/x" in text


def test_slot_validation(world):
    cr = make_request(world, status=Status.IN_PROGRESS)
    consultant = world.client(world.consultant)
    consultant.post(
        reverse("consults:propose_slots", args=[cr.pk]),
        _slots(
            [
                {
                    "starts_at": "2026-03-10T09:30",
                    "minutes": "45",
                    "mode": "video",
                    "video_link": "http://insecure.test",
                }
            ]
        ),
    )
    assert not AppointmentSlot.objects.filter(request=cr).exists()
    assert (
        world.client(world.patient)
        .post(reverse("consults:propose_slots", args=[cr.pk]), _slots([]))
        .status_code
        == 404
    )


def test_pathology_material_steps(world):
    cr = make_request(world, status=Status.IN_PROGRESS, kind="pathology_review")
    consultant, patient = world.client(world.consultant), world.client(world.patient)
    consultant.post(reverse("consults:request_material", args=[cr.pk]), {"material": "slides"})
    shipment = Shipment.objects.get(request=cr)
    url = reverse("consults:advance_shipment", args=[cr.pk, shipment.pk])
    patient.post(url, {"state": "shipped"})  # carrier and tracking number are required
    shipment.refresh_from_db()
    assert shipment.state == "requested"
    patient.post(url, {"state": "received"})  # skipping a step, and not the patient's step
    shipment.refresh_from_db()
    assert shipment.state == "requested"
    patient.post(url, {"state": "shipped", "carrier": "UPS", "tracking": "1Z999"})
    shipment.refresh_from_db()
    assert (shipment.state, shipment.carrier, shipment.tracking_number) == ("shipped", "UPS", "1Z999")
    patient.post(url, {"state": "received"})
    shipment.refresh_from_db()
    assert shipment.state == "shipped"  # only the consultant records receipt
    consultant.post(url, {"state": "received"})
    consultant.post(url, {"state": "returned"})
    shipment.refresh_from_db()
    assert shipment.state == "returned" and [e["state"] for e in shipment.events] == [
        "requested",
        "shipped",
        "received",
        "returned",
    ]
    assert "1Z999" in patient.get(reverse("consults:detail", args=[cr.pk])).content.decode()
    assert audit_actions(case_id=world.case.pk).count("shipment.update") == 4


def test_material_only_in_pathology_review(world):
    cr = make_request(world, status=Status.IN_PROGRESS)
    world.client(world.consultant).post(
        reverse("consults:request_material", args=[cr.pk]), {"material": "slides"}
    )
    assert not Shipment.objects.filter(request=cr).exists()
