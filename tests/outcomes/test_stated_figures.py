"""Issue 11, item 3: outcome figures count the signing clinician's stated class and say how often it
differs from the computed one (pure figures, and the page and CSV from real signed opinions)."""

from __future__ import annotations

import csv
import io
import re

import pytest

from secondopinion.consults.models import ConsultRequest, Program
from secondopinion.opinions import actions
from secondopinion.outcomes.figures import build_figures, csv_rows
from tests.factories import make_user
from tests.opinions.support import Setup

ALL = {"diagnosis": "confirmed", "stage": "confirmed"}


def test_agreement_counts_only_opinions_with_both_classes() -> None:
    comparisons = [
        ("Lung cancer", {**ALL, "treatment": "refined"}, {**ALL, "treatment": "changed"}),
        ("Lung cancer", {**ALL, "treatment": "changed"}, {**ALL, "treatment": "changed"}),
        ("Lung cancer", {**ALL, "treatment": "changed"}),  # nothing to check against
    ]
    f = build_figures([], [], comparisons, [])
    assert f.by_dimension["treatment"].counts["changed"] == 2  # the class counted is the stated one
    assert f.by_dimension["treatment"].counts["refined"] == 1
    check = f.agreement["treatment"]
    assert (check.stated, check.differ, check.share) == (2, 1, 50.0)
    assert (f.agreement["stage"].stated, f.agreement["stage"].differ) == (2, 0)
    rows = csv_rows(f)
    assert ["stated_vs_computed", "all", "treatment", "differ", "1", "50.0"] in rows
    assert ["stated_vs_computed", "all", "treatment", "stated", "2", ""] in rows
    assert build_figures([], [], [], []).agreement["diagnosis"].share is None


@pytest.mark.django_db
def test_page_counts_the_stated_class_and_shows_how_often_it_differs() -> None:
    program = Program.objects.create(name="Center program")
    coordinator = make_user("coordinator")
    program.coordinators.add(coordinator)
    agree, differ = Setup(), Setup()
    for s in (agree, differ):
        ConsultRequest.objects.filter(pk=s.request.pk).update(program=program)
        s.request.refresh_from_db()
    stated = {"diagnosis": "confirmed", "stage": "confirmed"}
    actions.sign(agree.consultant, agree.draft(), {**stated, "treatment": "changed"})
    actions.sign(differ.consultant, differ.draft(), {**stated, "treatment": "refined"})  # computed: changed
    response = agree.client(coordinator).get("/outcomes/")
    figures = response.context["figures"]
    assert figures.by_dimension["treatment"].counts["changed"] == 1
    assert figures.by_dimension["treatment"].counts["refined"] == 1
    assert (figures.agreement["treatment"].stated, figures.agreement["treatment"].differ) == (2, 1)
    html = response.content.decode()
    assert 'id="agreement-chart"' in html
    row = html[html.index('<tr data-dimension="treatment">') :]
    assert re.match(
        r'<tr data-dimension="treatment"><td>Treatment</td><td>2</td><td>1</td><td>50(\.0)?</td>', row
    )
    exported = agree.client(coordinator).get("/outcomes/outcomes.csv").content.decode()
    assert ["stated_vs_computed", "all", "treatment", "differ", "1", "50.0"] in list(
        csv.reader(io.StringIO(exported))
    )
