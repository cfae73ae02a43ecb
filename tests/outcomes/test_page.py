"""The outcomes page and CSV for a program coordinator, from real signed opinions (both databases)."""

from __future__ import annotations

import csv
import io

import pytest

from secondopinion.consults.models import ConsultRequest, Program
from secondopinion.core.models import AuditEvent
from secondopinion.opinions import actions
from secondopinion.opinions.models import Decision
from tests.factories import make_user
from tests.opinions.support import Setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def program_with_two_opinions():
    program = Program.objects.create(name="Center program")
    coordinator = make_user("coordinator")
    program.coordinators.add(coordinator)
    changed, refined = Setup(), Setup()
    for setup in (changed, refined):
        ConsultRequest.objects.filter(pk=setup.request.pk).update(program=program)
        setup.request.refresh_from_db()
    changed.signed(modality="chemotherapy")  # first opinion preferred surgery: treatment changed
    opinion = refined.signed(modality="surgery")  # same primary modality, intent added: refined
    data = {
        "treating_doctor": "Dr. Lee",
        "follows_advice": Decision.Follows.YES,
        "note": "",
        "share_with_first_doctor": False,
    }
    actions.record_decision(refined.patient, refined.case, data, opinion)
    return program, coordinator, changed


def test_coordinator_sees_the_figures(program_with_two_opinions) -> None:
    program, coordinator, _ = program_with_two_opinions
    response = program_with_two_opinions[2].client(coordinator).get("/outcomes/")
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.by_dimension["treatment"].counts["changed"] == 1
    assert figures.by_dimension["treatment"].counts["refined"] == 1
    assert figures.by_dimension["diagnosis"].counts["confirmed"] == 2
    assert figures.completed == 2 and figures.median_turnaround_days is not None
    assert figures.follows["yes"] == 1
    html = response.content.decode()
    assert 'id="outcomes-chart"' in html and "Median turnaround: " in html
    assert "Breast cancer (female)" in html  # grouped by the reference cancer type
    assert AuditEvent.objects.filter(action="outcomes.read", entity_id=str(program.pk)).exists()


def test_csv_export(program_with_two_opinions) -> None:
    _, coordinator, setup = program_with_two_opinions
    response = setup.client(coordinator).get("/outcomes/outcomes.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["opinions", "all", "treatment", "changed", "1", "50.0"] in rows
    assert ["decisions", "all", "follows_advice", "yes", "1", "100.0"] in rows


def test_only_coordinators_of_a_program_see_it(program_with_two_opinions) -> None:
    _, _, setup = program_with_two_opinions
    for user in (setup.patient, setup.consultant, make_user("coordinator"), make_user("admin")):
        assert setup.client(user).get("/outcomes/").status_code == 404
