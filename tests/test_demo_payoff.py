"""`make demo` shows the payoff (issue 11, item 7): María's case holds a signed second opinion that compares
on every dimension, and the outcome figures have generated requests of other, generated patients."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from secondopinion.accounts.models import User
from secondopinion.cases.demo import CONSULTANT, PATIENT
from secondopinion.cases.models import Case
from secondopinion.consults.demo import COORDINATOR, PROGRAM
from secondopinion.consults.models import ConsultRequest, StatusChange
from secondopinion.consults.transitions import Status
from secondopinion.core.models import AuditEvent
from secondopinion.opinions.comparison import compare_opinions
from secondopinion.opinions.demo import STATED, TRIAL
from secondopinion.opinions.models import Decision, Opinion
from secondopinion.outcomes.demo import COUNT, PROFILES, WAITING, plans
from tests.factories import login

pytestmark = pytest.mark.django_db

API = "/api/v1"
GENERATED = re.compile(r"generated-patient-\d{2}@demo\.secondopinion\.test")


def load_maria() -> None:
    from secondopinion.cases.demo import load
    from secondopinion.consults.demo import load_demo_program
    from secondopinion.opinions.demo import load_demo_opinions

    load()
    load_demo_program()
    assert load_demo_opinions() is True


def load_command(monkeypatch: Any) -> str:
    """`secondopinion demo load` as `make demo` runs it, without the register (the directory's own tests
    load that): it is slow and adds no opinion."""
    import secondopinion.directory.demo

    monkeypatch.setattr(secondopinion.directory.demo, "load_demo_directory", lambda: None)
    out = io.StringIO()
    call_command("demo", "load", stdout=out)
    return out.getvalue()


def maria_cases() -> list[Case]:
    return list(Case.objects.filter(owner__email=PATIENT))


def test_every_signed_opinion_of_maria_compares_on_all_three_dimensions() -> None:
    load_maria()
    cases = maria_cases()
    signed = Opinion.objects.filter(case__in=cases, source="consult", signed_at__isnull=False)
    assert signed.count() == 1
    for opinion in signed:
        first = Opinion.objects.get(case=opinion.case, source="first")
        result = compare_opinions(first.content, opinion.content)
        assert {d: r["class"] for d, r in result.items()} == {
            "diagnosis": "confirmed",
            "stage": "confirmed",
            "treatment": "changed",
        }, result
        assert opinion.stated_change == STATED


def test_the_demo_second_opinion_is_complete_and_signed_through_the_workflow() -> None:
    load_maria()
    opinion = Opinion.objects.get(case__owner__email=PATIENT, source="consult")
    request = opinion.request
    assert request is not None and request.status == Status.COMPLETED
    assert request.program is not None and request.program.name == PROGRAM
    assert opinion.signed_by == User.objects.get(email=CONSULTANT)
    first = Opinion.objects.get(case=opinion.case, source="first")
    surgery = {o["procedures"]["surgery"] for o in first.content["treatment"]["options"]}
    preferred = next(o for o in opinion.content["treatment"]["options"] if o["preferred"])
    assert surgery == {"mastectomy"}
    assert preferred["procedures"]["surgery"] == "lumpectomy" and "radiation" in preferred["modalities"]
    # each of her questions has an answer; a plain summary and a trial to consider
    asked = list(request.questions.values_list("text", flat=True))
    answers = {a["question"]: a["answer"] for a in opinion.content["answers"]}
    assert len(asked) == 3 and all(answers[q].strip() for q in asked)
    assert opinion.content["summary_plain"].strip()
    assert [t["nct"] for t in opinion.content["clinical_trials"]] == [TRIAL]
    # the steps are in the request's history and the audit chain, in the past and in order
    targets = list(StatusChange.objects.filter(request=request).values_list("target", flat=True))
    assert targets == ["requested", "received", "accepted", "in-progress", "completed"]
    times = list(StatusChange.objects.filter(request=request).values_list("at", flat=True))
    assert times == sorted(times) and request.completed_at == times[-1] == opinion.signed_at
    assert request.submitted_at is not None and request.completed_at is not None
    assert (request.completed_at - request.submitted_at).days >= 5
    actions = set(AuditEvent.objects.filter(case_id=opinion.case_id).values_list("action", flat=True))
    assert {"opinion.sign", "request.assign", "consent.grant"} <= actions
    call_command("audit", "verify", stdout=io.StringIO())


def test_maria_sees_the_payoff_on_her_pages() -> None:
    load_maria()
    maria = User.objects.get(email=PATIENT)
    case = maria_cases()[0]
    client = login(Client(), maria)
    compare = client.get(reverse("opinions:compare", args=[case.pk]))
    assert compare.status_code == 200
    page = compare.content.decode()
    assert "The second doctor changes the treatment plan." in page
    assert "The second doctor agrees with the diagnosis." in page
    assert "The second doctor agrees with the stage." in page
    assert "We cannot compare" not in page
    guide = client.get(reverse("opinions:guide", args=[case.pk]))
    assert guide.status_code == 200
    assert "keep your breast" in guide.content.decode()  # an answer of Dr. Chen's
    opinion = Opinion.objects.get(case=case, source="consult")
    detail = client.get(reverse("opinions:detail", args=[opinion.pk]))
    assert detail.status_code == 200 and TRIAL in detail.content.decode()
    rows = client.get(f"{API}/cases/{case.pk}/comparison").json()
    assert len(rows) == 1
    for key in ("class", "stated_class"):  # computed, and the signing doctor's
        assert {d: rows[0][d][key] for d in ("diagnosis", "stage", "treatment")} == STATED


def test_the_demo_discussion_guide_pdf_carries_the_answers() -> None:
    import pypdfium2

    load_maria()
    case = maria_cases()[0]
    response = login(Client(), User.objects.get(email=PATIENT)).get(
        reverse("opinions:guide_pdf", args=[case.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.content)
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)
    assert "María López" in text
    assert "genomic test such as Oncotype DX" in text  # one of Dr. Chen's answers


def test_demo_load_twice_adds_nothing_and_feeds_the_outcome_figures(monkeypatch: Any) -> None:
    printed = load_command(monkeypatch)
    assert f"{COUNT} generated requests" in printed
    models = (User, Case, ConsultRequest, StatusChange, Opinion, Decision, AuditEvent)
    counts = {m.__name__: m.objects.count() for m in models}
    again = load_command(monkeypatch)
    assert "Demo data already present." in again and "generated requests" not in again
    assert {m.__name__: m.objects.count() for m in models} == counts

    # the generated requests belong to generated patients, not María, in the demo program
    requests = ConsultRequest.objects.exclude(case__owner__email=PATIENT).select_related("case__owner")
    assert requests.count() == COUNT + WAITING
    for request in requests:
        owner = request.case.owner
        assert GENERATED.fullmatch(owner.email) and owner.full_name.startswith("Generated demo patient")
        assert not owner.has_usable_password()
        assert request.program is not None and request.program.name == PROGRAM
    assert len({r.case.owner_id for r in requests}) == COUNT + WAITING
    completed = requests.filter(status=Status.COMPLETED)
    assert completed.count() == COUNT and requests.filter(status=Status.REQUESTED).count() == WAITING

    # each generated opinion compares as its plan says (the generator is honest about its classes)
    wanted = {f"generated-patient-{p.number:02d}@demo.secondopinion.test": p for p in plans(COUNT)}
    for opinion in Opinion.objects.filter(source="consult", request__in=completed).select_related(
        "case__owner"
    ):
        plan = wanted[opinion.case.owner.email]
        first = Opinion.objects.get(case=opinion.case, source="first")
        result = compare_opinions(first.content, opinion.content)
        assert {d: r["class"] for d, r in result.items()} == plan.classes
        assert opinion.stated_change == plan.stated
    classes = [cls for p in plans(COUNT) for cls in p.classes.values()]
    assert {"confirmed", "refined", "changed"} == set(classes)

    # the coordinator's outcomes page counts them with María's request
    coordinator = User.objects.get(email=COORDINATOR)
    client = login(Client(), coordinator)
    page = client.get(reverse("outcomes:page"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"({COUNT + 1} completed requests)" in html
    assert html.count(f"n = {COUNT + 1}") == 3  # every opinion compares on all three dimensions
    for profile in PROFILES:
        assert f"<td>{profile.cancer_type}</td>" in html
    rows = list(csv.reader(io.StringIO(client.get(reverse("outcomes:csv")).content.decode())))
    header = rows[0]
    by_key = {tuple(r[:4]): dict(zip(header, r, strict=False)) for r in rows[1:]}
    assert by_key[("turnaround", "median_business_days", "", "")]["count"] == str(COUNT + 1)
    decided = sum(
        int(by_key[("decisions", "all", "follows_advice", a)]["count"]) for a in ("yes", "partly", "no")
    )
    assert decided == sum(1 for p in plans(COUNT) if p.follows)


def test_the_demo_pages_open_at_first_sign_in_for_each_role() -> None:
    from secondopinion.outcomes.demo import load_demo_outcomes

    load_maria()
    assert load_demo_outcomes(count=3) == 3
    case = maria_cases()[0]
    opinion = Opinion.objects.get(case=case, source="consult")
    program = opinion.request.program  # type: ignore[union-attr]
    pages = {
        PATIENT: [
            reverse("cases:detail", args=[case.pk]),
            reverse("opinions:compare", args=[case.pk]),
            reverse("opinions:guide", args=[case.pk]),
            reverse("opinions:detail", args=[opinion.pk]),
            reverse("consults:detail", args=[opinion.request_id]),
        ],
        CONSULTANT: [
            reverse("consults:inbox"),
            reverse("consults:detail", args=[opinion.request_id]),
            reverse("opinions:detail", args=[opinion.pk]),
        ],
        COORDINATOR: [
            reverse("consults:program", args=[program.pk]),  # type: ignore[union-attr]
            reverse("outcomes:page"),
        ],
    }
    for email, urls in pages.items():
        client = login(Client(), User.objects.get(email=email))
        for url in urls:
            assert client.get(url).status_code == 200, (email, url)
    queue = login(Client(), User.objects.get(email=COORDINATOR)).get(
        reverse("consults:program", args=[program.pk])  # type: ignore[union-attr]
    )
    assert "Generated demo patient" in queue.content.decode()  # the requests waiting to be assigned


@pytest.mark.django_db(transaction=True)  # e-mails go out when a transaction commits
def test_setting_up_the_requests_sends_no_mail() -> None:
    from secondopinion.cases.demo import load
    from secondopinion.consults.demo import load_demo_program
    from secondopinion.opinions.demo import load_demo_opinions
    from secondopinion.outcomes.demo import load_demo_outcomes

    load()
    load_demo_program()
    sent = len(mail.outbox)
    assert sent > 0  # the accounts' own mails (verified clinician, the companion's invitation) do go out
    assert load_demo_opinions() is True and load_demo_outcomes(count=2) == 2
    assert ConsultRequest.objects.count() == 1 + 2 + WAITING
    assert len(mail.outbox) == sent  # nobody is told that something is waiting: it is set-up, not news


def test_tokens_create_prints_the_token_alone_on_its_last_line_for_the_demo_patient() -> None:
    load_maria()
    out = io.StringIO()
    call_command("tokens", "create", "--user", PATIENT, stdout=out)
    last = out.getvalue().rstrip("\n").split("\n")[-1]
    assert re.fullmatch(r"so_[A-Za-z0-9_-]{40,}", last), out.getvalue()
    response = Client().get(f"{API}/cases", HTTP_AUTHORIZATION=f"Bearer {last}")
    assert response.status_code == 200
    assert [c["id"] for c in response.json()] == [str(c.pk) for c in maria_cases()]
