"""Dates that cannot be true are refused with a plain sentence, on the pages and in the JSON API."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from secondopinion.cases.models import Case, Document, Medicine
from tests.factories import MINIMAL_PDF, make_case

pytestmark = pytest.mark.django_db

API = "/api/v1"
DAY = dt.timedelta(days=1)
FUTURE_BIRTH = "A date of birth cannot be in the future."
TOO_OLD_BIRTH = "Please check the year: this date of birth is more than 120 years ago."
FUTURE_DIAGNOSIS = "The date of diagnosis cannot be in the future."
BEFORE_BIRTH = "The date of diagnosis cannot be before the date of birth."
FUTURE_SINCE = "The date you started taking it cannot be in the future."
FUTURE_DOCUMENT = "The date on the document cannot be in the future."


def tomorrow() -> str:
    return (timezone.localdate() + DAY).isoformat()


def text(response: Any) -> str:
    from html import unescape

    return unescape(response.content.decode())


def send_json(client: Client, method: str, url: str, data: Any) -> Any:
    return client.generic(method, url, json.dumps(data), content_type="application/json")


def problem_error(response: Any) -> dict[str, Any]:
    """The one field error of a 422 validation problem."""
    assert response.status_code == 422, response.content[:400]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "validation_error"
    (error,) = body["errors"]
    return error


# --- pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "message"),
    [
        (lambda: tomorrow(), FUTURE_BIRTH),
        (
            lambda: (timezone.localdate().replace(year=timezone.localdate().year - 121)).isoformat(),
            TOO_OLD_BIRTH,
        ),
    ],
    ids=["future", "over-120-years"],
)
def test_new_case_with_an_impossible_birth_date_is_refused(patient_client, born, message) -> None:
    response = patient_client.post(
        reverse("cases:create"),
        {
            "title": "For my father",
            "subject": "dependent",
            "subject_name": "Pedro",
            "subject_birth_date": born(),
        },
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not Case.objects.filter(title="For my father").exists()


def test_new_case_with_a_real_birth_date_is_kept(patient_client) -> None:
    response = patient_client.post(
        reverse("cases:create"),
        {"title": "Mine", "subject": "self", "subject_birth_date": "1961-07-04"},
    )
    assert response.status_code == 302
    assert Case.objects.get(title="Mine").subject_birth_date == dt.date(1961, 7, 4)


def test_diagnosis_date_before_the_birth_date_is_refused(patient_client, patient) -> None:
    case = make_case(patient, subject_birth_date=dt.date(1980, 5, 1))
    response = patient_client.post(
        reverse("cases:diagnosis", args=[case.pk]),
        {"cancer_type": "Breast cancer", "diagnosis_date": "1979-12-31"},
    )
    assert response.status_code == 200
    assert BEFORE_BIRTH in text(response)
    case.refresh_from_db()
    assert case.diagnosis_date is None


def test_diagnosis_date_on_the_birth_date_is_kept(patient_client, patient) -> None:
    case = make_case(patient, subject_birth_date=dt.date(1980, 5, 1))
    response = patient_client.post(
        reverse("cases:diagnosis", args=[case.pk]),
        {"cancer_type": "Breast cancer", "diagnosis_date": "1980-05-01"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.diagnosis_date == dt.date(1980, 5, 1)


def test_birth_date_moved_after_the_diagnosis_date_is_refused(patient_client, patient) -> None:
    case = make_case(patient, diagnosis_date=dt.date(2025, 1, 10))
    response = patient_client.post(
        reverse("cases:edit", args=[case.pk]),
        {"title": case.title, "subject": "self", "subject_birth_date": "2025-02-01"},
    )
    assert response.status_code == 200
    assert "The date of birth cannot be after the date of diagnosis (2025-01-10)." in text(response)
    case.refresh_from_db()
    assert case.subject_birth_date is None


def test_future_diagnosis_date_is_refused_in_spanish_too(patient_client, patient) -> None:
    case = make_case(patient)
    patient_client.cookies["django_language"] = "es"
    response = patient_client.post(
        reverse("cases:diagnosis", args=[case.pk]),
        {"cancer_type": "Breast cancer", "diagnosis_date": tomorrow()},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 200
    assert "La fecha del diagnóstico no puede ser en el futuro." in text(response)
    assert FUTURE_DIAGNOSIS not in text(response)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_medicine_started_in_the_future_is_refused(patient_client, case, htmx) -> None:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = patient_client.post(
        reverse("cases:add_medicine", args=[case.pk]), {"name": "Tamoxifen", "since": tomorrow()}, **headers
    )
    assert response.status_code == 200
    assert FUTURE_SINCE in text(response)
    assert not Medicine.objects.filter(case=case).exists()


def test_changing_a_medicine_to_a_future_start_is_refused(patient_client, case) -> None:
    patient_client.post(
        reverse("cases:add_medicine", args=[case.pk]), {"name": "Tamoxifen", "since": "2025-06-01"}
    )
    medicine = Medicine.objects.get(case=case)
    response = patient_client.post(
        reverse("cases:edit_medicine", args=[medicine.pk]), {"name": "Tamoxifen", "since": tomorrow()}
    )
    assert response.status_code == 200
    assert FUTURE_SINCE in text(response)
    medicine.refresh_from_db()
    assert medicine.since == dt.date(2025, 6, 1)


def _upload(client: Client, url: str, document_date: str) -> Any:
    body = {
        "kind": "pathology_report",
        "title": "",
        "document_date": document_date,
        "file": SimpleUploadedFile("report.pdf", MINIMAL_PDF, "application/pdf"),
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, body)


def test_document_dated_in_the_future_is_refused_and_not_stored(patient_client, case) -> None:
    response = _upload(patient_client, reverse("cases:upload", args=[case.pk]), tomorrow())
    assert response.status_code == 400
    assert FUTURE_DOCUMENT in text(response)
    assert not Document.objects.exists()


def test_document_dated_today_is_stored(patient_client, case) -> None:
    response = _upload(
        patient_client, reverse("cases:upload", args=[case.pk]), timezone.localdate().isoformat()
    )
    assert response.status_code == 302
    assert Document.objects.get().document_date == timezone.localdate()


# --- JSON API -------------------------------------------------------------------------------------


def test_api_refuses_a_future_birth_date(patient_client) -> None:
    response = send_json(
        patient_client, "POST", f"{API}/cases", {"title": "x", "subject_birth_date": tomorrow()}
    )
    error = problem_error(response)
    assert error["type"] == "date_in_future"
    assert error["message"] == FUTURE_BIRTH
    assert error["loc"][-1] == "subject_birth_date"
    assert not Case.objects.exists()


def test_api_refuses_a_birth_date_over_120_years_ago(patient_client) -> None:
    response = send_json(
        patient_client, "POST", f"{API}/cases", {"title": "x", "subject_birth_date": "1890-01-01"}
    )
    error = problem_error(response)
    assert (error["type"], error["message"]) == ("date_too_old", TOO_OLD_BIRTH)


def test_api_refuses_a_diagnosis_date_before_the_stored_birth_date(patient_client, patient) -> None:
    case = make_case(patient, subject_birth_date=dt.date(1980, 5, 1))
    response = send_json(patient_client, "PATCH", f"{API}/cases/{case.pk}", {"diagnosis_date": "1970-01-01"})
    error = problem_error(response)
    assert (error["type"], error["message"]) == ("date_before_birth", BEFORE_BIRTH)
    assert error["loc"] == ["body", "payload", "diagnosis_date"]
    case.refresh_from_db()
    assert case.diagnosis_date is None
    ok = send_json(patient_client, "PATCH", f"{API}/cases/{case.pk}", {"diagnosis_date": "2020-01-01"})
    assert ok.status_code == 200 and ok.json()["diagnosis_date"] == "2020-01-01"


def test_api_refuses_a_future_diagnosis_date_with_its_code(patient_client, case) -> None:
    response = send_json(patient_client, "PATCH", f"{API}/cases/{case.pk}", {"diagnosis_date": tomorrow()})
    error = problem_error(response)
    assert (error["type"], error["message"]) == ("date_in_future", FUTURE_DIAGNOSIS)


def test_api_refuses_a_medicine_started_in_the_future(patient_client, case) -> None:
    url = f"{API}/cases/{case.pk}/medicines"
    error = problem_error(send_json(patient_client, "POST", url, {"name": "Tamoxifen", "since": tomorrow()}))
    assert (error["type"], error["message"]) == ("date_in_future", FUTURE_SINCE)
    created = send_json(patient_client, "POST", url, {"name": "Tamoxifen", "since": "2025-06-01"})
    assert created.status_code == 201
    patch = send_json(
        patient_client, "PATCH", f"{API}/medicines/{created.json()['id']}", {"since": tomorrow()}
    )
    assert problem_error(patch)["type"] == "date_in_future"
    assert Medicine.objects.get().since == dt.date(2025, 6, 1)


def test_api_lists_a_medicine_stored_with_a_future_date_before_the_rule(patient_client, case) -> None:
    """Data saved before the rules existed is still shown: the rule guards input, not output."""
    Medicine.objects.create(case=case, name="Old entry", since=timezone.localdate() + 30 * DAY)
    response = patient_client.get(f"{API}/cases/{case.pk}/medicines")
    assert response.status_code == 200
    assert [m["name"] for m in response.json()] == ["Old entry"]


def test_api_refuses_a_document_dated_in_the_future(patient_client, case) -> None:
    response = _upload(patient_client, f"{API}/cases/{case.pk}/documents", tomorrow())
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert {"loc": ["document_date"], "message": FUTURE_DOCUMENT, "type": "date_in_future"} in body["errors"]
    assert not Document.objects.exists()
