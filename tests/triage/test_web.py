"""The triage page, its API and saving to a case, through HTTP on both databases."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from secondopinion.core.models import AuditEvent
from secondopinion.opinions import actions as opinion_actions
from secondopinion.triage.models import TriageAssessment
from tests.factories import login, make_case, make_user

pytestmark = pytest.mark.django_db

FULL = {
    "cancer_type": "sarcoma",
    "age": "45",
    "pathology_definite": "no",
    "metastatic": "unsure",
    "results_unclear": "unsure",
    "unsure_about_options": "yes",
    "doctor_experience": "few",
    "comfortable": "unsure",
    "already_treated": "no",
    "zip": "10001",
    "options_considered": ["surgery", "radiation"],
}


def codes(html: str, section: str) -> list[str]:
    block = re.search(rf'id="{section}">(.*?)</(?:ul|ol)>', html, re.S)
    return re.findall(r'data-code="([a-z_]+)"', block.group(1)) if block else []


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_anonymous_answer_lists_reasons_channels_specialties_and_centers() -> None:
    response = Client().post("/triage/", FULL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="recommendation" data-code="strongly_suggested"' in html
    assert codes(html, "reasons") == [
        "rare_cancer",
        "inexperienced_doctor",
        "several_options",
        "pathology_not_definite",
    ]
    assert codes(html, "channels") == [
        "pathology_review",
        "independent_specialist",
        "tumor_board",
        "renowned_expert",
    ]
    assert codes(html, "specialties") == ["pathology", "radiation_oncology", "surgical_oncology"]
    assert "Perlmutter" in html  # NYU's comprehensive center is nearest to 10001
    assert "your right" in html and "after your treatment has started" in html


def test_not_sure_asserts_nothing() -> None:
    answer = Client().post(
        "/triage/",
        {
            "cancer_type": "breast cancer",
            "pathology_definite": "unsure",
            "metastatic": "unsure",
            "comfortable": "unsure",
        },
    )
    html = answer.content.decode()
    assert 'data-code="optional"' in html
    assert codes(html, "channels") == ["independent_specialist"]
    assert TriageAssessment.objects.count() == 0  # nothing stored without an account


def test_unknown_cancer_type_is_a_field_error_with_suggestions() -> None:
    response = Client().post("/triage/", {"cancer_type": "brest cancr"})
    assert response.status_code == 400
    assert "Breast cancer" in response.content.decode()
    assert "usa-error-message" in response.content.decode()


def test_spanish_page_and_answer() -> None:
    client = Client(headers={"accept-language": "es"})
    page = client.get("/triage/")
    assert '<html lang="es">' in page.content.decode()


def test_signup_from_the_answer_saves_it_to_a_new_case() -> None:
    client = Client()
    html = client.post("/triage/", FULL).content.decode()
    to_signup = client.post("/triage/save/", {"token": token_of(html)})
    assert to_signup.status_code == 302 and to_signup["Location"].startswith("/triage/signup/")
    done = client.post(
        to_signup["Location"],
        {
            "full_name": "Pat Q",
            "email": "pat.q@example.test",
            "password1": "correct horse battery 9",
            "password2": "correct horse battery 9",
        },
    )
    assert done.status_code == 200
    assessment = TriageAssessment.objects.get()
    assert assessment.case.owner.email == "pat.q@example.test"
    assert assessment.case.cancer_type == "Soft tissue sarcoma"  # the list's own name for "sarcoma"
    assert assessment.reason_codes == [
        "rare_cancer",
        "inexperienced_doctor",
        "several_options",
        "pathology_not_definite",
    ]
    assert AuditEvent.objects.filter(action="triage.save", case_id=assessment.case_id).exists()
    assert "sarcoma" not in "".join(m.body + m.subject for m in mail.outbox)  # no health data in mail


def test_tampered_token_is_refused() -> None:
    client = Client()
    html = client.post("/triage/", FULL).content.decode()
    response = client.post("/triage/save/", {"token": token_of(html)[:-2] + "xx"})
    assert response.status_code == 302 and response["Location"] == "/triage/"
    assert TriageAssessment.objects.count() == 0


def test_signed_in_patient_saves_to_a_new_case() -> None:
    client = login(Client(), make_user("patient"))
    html = client.post("/triage/", FULL).content.decode()
    response = client.post("/triage/save/", {"token": token_of(html)})
    assert response.status_code == 302 and response["Location"].startswith("/cases/")
    case = TriageAssessment.objects.get().case
    first_form = client.get(reverse("opinions:first", args=[case.pk])).context["form"]
    assert first_form.initial["modalities"] == ["surgery", "radiation"]  # the first-opinion form starts there


def test_case_triage_is_prefilled_and_saved_and_hidden_from_others() -> None:
    owner = make_user("patient")
    case = make_case(owner, cancer_type="Ewing sarcoma")
    plan = {"treatment": {"options": [{"modalities": ["chemotherapy", "surgery"], "preferred": True}]}}
    opinion_actions.save_first_opinion(owner, case, plan)
    client = login(Client(), owner)
    page = client.get(f"/triage/case/{case.pk}/")
    assert page.status_code == 200 and 'value="Ewing sarcoma"' in page.content.decode()
    assert page.context["form"].initial["options_considered"] == ["chemotherapy", "surgery"]
    saved = client.post(f"/triage/case/{case.pk}/", {"cancer_type": "Ewing sarcoma", "comfortable": "no"})
    assert saved.status_code == 302
    assert TriageAssessment.objects.get(case=case).reason_codes[-1] == "not_comfortable"
    other = login(Client(), make_user("patient"))
    assert other.get(f"/triage/case/{case.pk}/").status_code == 404
    assert other.get(f"/api/v1/cases/{case.pk}/triage").status_code == 404


def test_api_runs_without_account_and_answers_problem_json() -> None:
    client = Client()
    ok = client.post(
        "/api/v1/triage",
        json.dumps({"cancer_type": "lung cancer", "metastatic": True}),
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["channels"] == ["pathology_review", "independent_specialist", "tumor_board"]
    bad = client.post("/api/v1/triage", json.dumps({"cancer_type": "xyzzy"}), content_type="application/json")
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    assert bad.json()["code"] == "unknown_cancer_type"
    wrong = client.post(
        "/api/v1/triage",
        json.dumps({"cancer_type": "lung cancer", "metastasis": True}),
        content_type="application/json",
    )
    assert wrong.json()["code"] == "unknown_field"


def test_api_saves_to_a_case(settings) -> None:
    owner = make_user("patient")
    case = make_case(owner)
    client = login(Client(), owner)
    created = client.post(
        f"/api/v1/cases/{case.pk}/triage",
        json.dumps({"cancer_type": "mesothelioma"}),
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["result"]["reasons"] == ["rare_cancer"]
    latest = client.get(f"/api/v1/cases/{case.pk}/triage").json()
    assert latest["id"] == created.json()["id"]


def test_rate_limit(settings) -> None:
    from django.core.cache import cache

    cache.clear()
    client = Client()
    statuses = [client.post("/triage/", {"cancer_type": "lung cancer"}).status_code for _ in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
    cache.clear()
