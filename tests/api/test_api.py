"""The JSON API through HTTP: OpenAPI, problem details, CRUD, uploads and bearer tokens."""

from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Q
from django.test import Client

from secondopinion.accounts.models import AccessToken
from secondopinion.cases.models import Document
from secondopinion.core.models import AuditEvent
from tests.factories import MINIMAL_PDF, login, make_user, unique_pdf
from tests.test_route_matrix import enumerate_routes

pytestmark = pytest.mark.django_db

API = "/api/v1"
PROBLEM_KEYS = {"type", "title", "status", "detail", "code"}


# --- helpers --------------------------------------------------------------------------------------


def send_json(client: Client, method: str, url: str, data: Any, **extra: Any) -> Any:
    return client.generic(method, url, json.dumps(data), content_type="application/json", **extra)


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    """An RFC 9457 problem with a stable code, and nothing that looks like a traceback."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS, body
    assert body["status"] == status and body["code"] == code, body
    assert body["type"].endswith("/" + code)
    assert (
        isinstance(body["title"], str)
        and body["title"]
        and isinstance(body["detail"], str)
        and body["detail"]
    )
    assert b"Traceback" not in response.content and b'File "' not in response.content
    return body


def upload(
    client: Client,
    case_id: Any,
    data: bytes,
    *,
    name: str = "report.pdf",
    kind: str = "pathology_report",
    **fields: Any,
) -> Any:
    return client.post(
        f"{API}/cases/{case_id}/documents",
        {"kind": kind, **fields, "file": SimpleUploadedFile(name, data, "application/octet-stream")},
    )


def is_uuid4(value: str) -> bool:
    return uuid.UUID(value).version == 4 and str(uuid.UUID(value)) == value


def create_token(email: str) -> str:
    out = io.StringIO()
    call_command("tokens", "create", "--user", email, stdout=out)
    return out.getvalue()


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw.strip()}"}


# --- OpenAPI --------------------------------------------------------------------------------------


def test_openapi_lists_every_endpoint() -> None:
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    documented = {(path, method.upper()) for path, ops in schema["paths"].items() for method in ops}
    served = {
        ("/" + re.sub(r"<(\w+)>", r"{\1}", route.pattern), method)
        for route in enumerate_routes().values()
        if route.methods
        for method in route.methods
    }
    assert len(served) >= 20
    assert documented == served
    assert {"BearerAuth", "SessionAuth"} <= schema["components"]["securitySchemes"].keys()
    upload_op = schema["paths"]["/api/v1/cases/{case_id}/documents"]["post"]
    assert "multipart/form-data" in upload_op["requestBody"]["content"]


# --- problem details --------------------------------------------------------------------------------


def test_anonymous_gets_401_not_authenticated(case: Any) -> None:
    client = Client()
    assert_problem(client.get(f"{API}/cases"), 401, "not_authenticated")
    assert_problem(client.get(f"{API}/cases/{case.pk}"), 401, "not_authenticated")
    assert_problem(send_json(client, "POST", f"{API}/cases", {"title": "x"}), 401, "not_authenticated")


def test_another_patients_case_answers_exactly_like_a_missing_one(case: Any) -> None:
    stranger = login(Client(), make_user("patient"))
    document = upload(login(Client(), case.owner), case.pk, unique_pdf("mine")).json()
    pairs = [
        ("GET", f"{API}/cases/{case.pk}", f"{API}/cases/{uuid.uuid4()}"),
        ("GET", f"{API}/cases/{case.pk}/medicines", f"{API}/cases/{uuid.uuid4()}/medicines"),
        ("GET", f"{API}/documents/{document['id']}", f"{API}/documents/{uuid.uuid4()}"),
        ("GET", f"{API}/documents/{document['id']}/content", f"{API}/documents/{uuid.uuid4()}/content"),
        ("DELETE", f"{API}/documents/{document['id']}", f"{API}/documents/{uuid.uuid4()}"),
    ]
    for method, theirs, missing in pairs:
        hidden, absent = stranger.generic(method, theirs), stranger.generic(method, missing)
        assert_problem(hidden, 404, "not_found")
        assert hidden.content == absent.content and hidden.headers == absent.headers
    patched = send_json(stranger, "PATCH", f"{API}/cases/{case.pk}", {"title": "mine now"})
    assert_problem(patched, 404, "not_found")
    case.refresh_from_db()
    assert case.title != "mine now"
    assert Document.objects.filter(pk=document["id"]).exists()


def test_unknown_api_address_is_a_problem_too(patient_client: Client) -> None:
    assert_problem(patient_client.get(f"{API}/no-such-thing"), 404, "not_found")
    assert_problem(patient_client.get(f"{API}/"), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path", "payload", "field"),
    [
        ("POST", "/cases", {}, "title"),
        ("POST", "/cases", {"title": ""}, "title"),
        ("POST", "/cases", {"title": "x", "subject": "neighbour"}, "subject"),
        (
            "PATCH",
            "/cases/{case}",
            {"first_plan_modalities": ["surgery"]},  # moved into the first opinion: refused, not ignored
            "first_plan_modalities",
        ),
        ("PATCH", "/cases/{case}", {"treatment_received": ["not-a-modality"]}, "treatment_received"),
        ("PATCH", "/cases/{case}", {"diagnosis_date": "2999-01-01"}, "diagnosis_date"),
        ("PATCH", "/cases/{case}", {"first_doctor_email": "not an address"}, "first_doctor_email"),
        ("POST", "/cases/{case}/medicines", {"name": ""}, "name"),
        ("POST", "/cases/{case}/questions", {"text": "x" * 2001}, "text"),
    ],
)
def test_bad_payloads_are_422_with_an_errors_list(
    patient_client: Client, case: Any, method: str, path: str, payload: dict[str, Any], field: str
) -> None:
    before = case.updated_at
    response = send_json(patient_client, method, API + path.format(case=case.pk), payload)
    body = assert_problem(response, 422, "validation_error")
    assert body["errors"] and all({"loc", "message"} <= e.keys() for e in body["errors"])
    assert any(field in e["loc"] for e in body["errors"]), body["errors"]
    case.refresh_from_db()
    assert case.updated_at == before


def test_future_diagnosis_date_says_why(patient_client: Client, case: Any) -> None:
    response = send_json(patient_client, "PATCH", f"{API}/cases/{case.pk}", {"diagnosis_date": "2999-01-01"})
    body = assert_problem(response, 422, "validation_error")
    assert "future" in body["errors"][0]["message"]


def test_null_title_is_refused(patient_client: Client, case: Any) -> None:
    assert_problem(
        send_json(patient_client, "PATCH", f"{API}/cases/{case.pk}", {"title": None}), 422, "validation_error"
    )


def test_unparseable_body_is_400(patient_client: Client) -> None:
    response = patient_client.post(f"{API}/cases", "{not json", content_type="application/json")
    assert_problem(response, 400, "bad_request")


def test_session_post_without_csrf_token_is_403_csrf_failed(patient: Any) -> None:
    client = login(Client(enforce_csrf_checks=True), patient)
    assert_problem(send_json(client, "POST", f"{API}/cases", {"title": "No token"}), 403, "csrf_failed")
    # The same request with the token passes: the 403 came from the missing token alone.
    client.get("/accounts/me/")
    token = client.cookies["csrftoken"].value
    created = send_json(client, "POST", f"{API}/cases", {"title": "With token"}, HTTP_X_CSRFTOKEN=token)
    assert created.status_code == 201
    assert [c["title"] for c in client.get(f"{API}/cases").json()] == ["With token"]


def test_clinician_cannot_start_a_case(db: Any) -> None:
    client = login(Client(), make_user("consultant"))
    assert_problem(send_json(client, "POST", f"{API}/cases", {"title": "x"}), 403, "forbidden")


def test_unexpected_error_is_a_problem_without_traceback(
    patient_client: Client, monkeypatch: Any, settings: Any
) -> None:
    settings.DEBUG = True  # even then

    def broken(user: Any) -> Any:
        raise RuntimeError("secret internal detail /srv/app/x.py")

    monkeypatch.setattr("secondopinion.cases.queries.cases_for", broken)
    response = patient_client.get(f"{API}/cases")
    assert_problem(response, 500, "internal_error")
    assert b"secret internal detail" not in response.content and b"RuntimeError" not in response.content


def test_wrong_method_is_405_problem(patient_client: Client) -> None:
    response = patient_client.put(f"{API}/cases")
    assert_problem(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"] and "POST" in response["Allow"]


def test_oversized_json_body_is_413(patient_client: Client) -> None:
    response = send_json(patient_client, "POST", f"{API}/cases", {"title": "x", "notes": "a" * 3_000_000})
    assert_problem(response, 413, "too_large")


# --- CRUD ---------------------------------------------------------------------------------------------


def test_case_crud(patient_client: Client) -> None:
    created = send_json(
        patient_client,
        "POST",
        f"{API}/cases",
        {"title": "My mother's case", "subject": "dependent", "subject_name": "Ana"},
    )
    assert created.status_code == 201
    case = created.json()
    assert is_uuid4(case["id"]) and case["subject_name"] == "Ana"
    assert_problem(
        send_json(patient_client, "POST", f"{API}/cases", {"title": "x", "subject": "child"}),
        422,
        "validation_error",
    )
    url = f"{API}/cases/{case['id']}"
    assert patient_client.get(url).json()["title"] == "My mother's case"
    patch = {
        "cancer_type": "Breast cancer",
        "body_site": "Left breast",
        "diagnosis_date": "2025-03-01",
        "treatment_received": ["chemotherapy"],
        "first_doctor_email": "dr@example.test",
    }
    patched = send_json(patient_client, "PATCH", url, patch)
    assert patched.status_code == 200
    assert {k: patched.json()[k] for k in patch} == patch
    assert patient_client.get(url).json()["treatment_received"] == ["chemotherapy"]
    cleared = send_json(patient_client, "PATCH", url, {"diagnosis_date": None, "treatment_received": None})
    assert cleared.json()["diagnosis_date"] is None and cleared.json()["treatment_received"] == []
    assert cleared.json()["cancer_type"] == "Breast cancer"  # fields not sent are kept
    assert [c["id"] for c in patient_client.get(f"{API}/cases").json()] == [case["id"]]
    checklist = patient_client.get(f"{url}/checklist").json()
    assert checklist and all({"code", "label", "present", "optional", "why"} <= i.keys() for i in checklist)


def test_medicine_crud(patient_client: Client, case: Any) -> None:
    url = f"{API}/cases/{case.pk}/medicines"
    created = send_json(
        patient_client, "POST", url, {"name": "Vitamin D", "dose": "1000 IU", "is_supplement": True}
    )
    assert created.status_code == 201
    medicine = created.json()
    assert is_uuid4(medicine["id"]) and medicine["is_supplement"] is True
    item = f"{API}/medicines/{medicine['id']}"
    patched = send_json(patient_client, "PATCH", item, {"dose": "2000 IU", "since": "2025-01-02"})
    assert patched.status_code == 200 and patched.json()["dose"] == "2000 IU"
    assert patched.json()["name"] == "Vitamin D" and patched.json()["since"] == "2025-01-02"
    assert_problem(send_json(patient_client, "PATCH", item, {"name": None}), 422, "validation_error")
    assert [m["dose"] for m in patient_client.get(url).json()] == ["2000 IU"]
    assert patient_client.delete(item).status_code == 204
    assert patient_client.get(url).json() == []
    assert_problem(patient_client.delete(item), 404, "not_found")


def test_question_crud(patient_client: Client, case: Any) -> None:
    url = f"{API}/cases/{case.pk}/questions"
    first = send_json(patient_client, "POST", url, {"text": "Is surgery needed?"}).json()
    second = send_json(patient_client, "POST", url, {"text": "How long is recovery?"})
    assert second.status_code == 201 and is_uuid4(second.json()["id"])
    assert second.json()["position"] > first["position"]
    item = f"{API}/questions/{first['id']}"
    patched = send_json(patient_client, "PATCH", item, {"text": "Is surgery really needed?"})
    assert patched.status_code == 200 and patched.json()["text"] == "Is surgery really needed?"
    assert [q["text"] for q in patient_client.get(url).json()] == [
        "Is surgery really needed?",
        "How long is recovery?",
    ]
    assert patient_client.delete(item).status_code == 204
    assert [q["id"] for q in patient_client.get(url).json()] == [second.json()["id"]]


def test_document_upload_read_download_delete(
    patient_client: Client, case: Any, django_capture_on_commit_callbacks: Any
) -> None:
    data = unique_pdf("crud")
    with django_capture_on_commit_callbacks(execute=True):  # the file moves into place on commit
        created = upload(
            patient_client,
            case.pk,
            data,
            name="biopsy report.pdf",
            kind="pathology_report",
            title="Biopsy",
            document_date="2025-02-03",
        )
    assert created.status_code == 201, created.content
    document = created.json()
    assert is_uuid4(document["id"])
    assert document["detected_type"] == "pdf" and document["size"] == len(data)
    assert document["sha256"] == hashlib.sha256(data).hexdigest()
    assert document["original_filename"] == "biopsy report.pdf" and document["document_date"] == "2025-02-03"
    item = f"{API}/documents/{document['id']}"
    assert patient_client.get(item).json() == document
    assert [d["id"] for d in patient_client.get(f"{API}/cases/{case.pk}/documents").json()] == [
        document["id"]
    ]
    content = patient_client.get(f"{item}/content")
    assert content.status_code == 200 and b"".join(content.streaming_content) == data
    assert content["Content-Type"] == "application/pdf" and content["X-Content-Type-Options"] == "nosniff"
    assert content["Content-Disposition"].startswith("attachment")
    with django_capture_on_commit_callbacks(execute=True):
        assert patient_client.delete(item).status_code == 204
    assert_problem(patient_client.get(item), 404, "not_found")


def test_duplicate_document_is_409_with_the_existing_id(patient_client: Client, case: Any) -> None:
    data = unique_pdf("dup")
    first = upload(patient_client, case.pk, data)
    assert first.status_code == 201
    again = upload(patient_client, case.pk, data, name="same-bytes-other-name.pdf", kind="other")
    body = assert_problem(again, 409, "duplicate_document")
    assert body["existing_document_id"] == first.json()["id"]
    assert Document.objects.filter(case=case).count() == 1


@pytest.mark.parametrize(
    ("data", "fields", "status", "code"),
    [
        (b"just some plain text, not a medical file", {}, 422, "unsupported_type"),
        (b"MZ\x90\x00" + b"\x00" * 200, {}, 422, "unsupported_type"),  # a program
        (b"", {}, 422, "empty_file"),
        (MINIMAL_PDF + b"%" + b"x" * 4096 + b"\n", {}, 413, "too_large"),
        (MINIMAL_PDF, {"kind": "not_a_kind"}, 422, "validation_error"),
    ],
)
def test_upload_refusals_have_their_codes(
    patient_client: Client,
    case: Any,
    settings: Any,
    data: bytes,
    fields: dict[str, Any],
    status: int,
    code: str,
) -> None:
    settings.UPLOAD_MAX_BYTES = 4096
    response = upload(patient_client, case.pk, data, **fields)
    body = assert_problem(response, status, code)
    if code == "validation_error":
        assert ["kind"] in [e["loc"] for e in body["errors"]]
    assert not Document.objects.filter(case=case).exists()


def test_upload_without_a_file_is_a_validation_error(patient_client: Client, case: Any) -> None:
    body = assert_problem(
        patient_client.post(f"{API}/cases/{case.pk}/documents", {"kind": "lab_result"}),
        422,
        "validation_error",
    )
    assert ["file"] in [e["loc"] for e in body["errors"]]


# --- bearer tokens ------------------------------------------------------------------------------------


def test_tokens_create_prints_only_the_token_which_authenticates(patient: Any, case: Any) -> None:
    printed = create_token(patient.email.upper())
    assert re.fullmatch(r"so_[A-Za-z0-9_-]{40,}\n?", printed), printed
    response = Client().get(f"{API}/cases", **bearer(printed))
    assert response.status_code == 200
    assert [c["id"] for c in response.json()] == [str(case.pk)]


def test_token_is_stored_hashed(patient: Any) -> None:
    raw = create_token(patient.email).strip()
    token = AccessToken.objects.get(user=patient)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in (token.token_hash, token.hint, token.name) and raw[-4:] == token.hint
    assert not AccessToken.objects.filter(Q(token_hash__contains=raw) | Q(name__contains=raw)).exists()
    assert not any(raw in json.dumps(e.detail) for e in AuditEvent.objects.all())


def test_bearer_request_needs_no_csrf_and_no_session(patient: Any) -> None:
    raw = create_token(patient.email)
    client = Client(enforce_csrf_checks=True)
    created = send_json(client, "POST", f"{API}/cases", {"title": "From a script"}, **bearer(raw))
    assert created.status_code == 201
    assert "sessionid" not in client.cookies or not client.cookies["sessionid"].value


def test_revoked_or_unknown_token_is_401(patient: Any) -> None:
    raw = create_token(patient.email)
    token = AccessToken.objects.get(user=patient)
    out = io.StringIO()
    call_command("tokens", "revoke", "--user", patient.email, "--id", str(token.pk), stdout=out)
    assert_problem(Client().get(f"{API}/cases", **bearer(raw)), 401, "not_authenticated")
    assert_problem(Client().get(f"{API}/cases", **bearer("so_" + "x" * 43)), 401, "not_authenticated")
    assert_problem(
        Client().get(f"{API}/cases", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz"), 401, "not_authenticated"
    )


def test_token_does_not_open_web_pages(patient: Any, case: Any) -> None:
    raw = create_token(patient.email)
    response = Client().get(f"/cases/{case.pk}/", **bearer(raw))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_password_only_session_needs_the_second_factor(db: Any) -> None:
    clinician = make_user("consultant")
    client = Client()
    client.force_login(clinician, backend="django.contrib.auth.backends.ModelBackend")
    assert_problem(client.get(f"{API}/cases"), 401, "second_factor_required")


def test_an_invalid_bearer_token_never_falls_back_to_the_session(db: Any) -> None:
    clinician = make_user("consultant")
    client = Client()
    client.force_login(
        clinician, backend="django.contrib.auth.backends.ModelBackend"
    )  # second factor pending
    assert_problem(client.get(f"{API}/cases", **bearer("so_not-a-token")), 401, "not_authenticated")


def test_an_invalid_bearer_token_does_not_skip_csrf(patient: Any) -> None:
    client = login(Client(enforce_csrf_checks=True), patient)
    response = send_json(client, "POST", f"{API}/cases", {"title": "forged"}, **bearer("so_not-a-token"))
    assert response.status_code in (401, 403)
    assert not patient.cases.filter(title="forged").exists()


@pytest.mark.parametrize("body", ["just a string", 7, True, None])
def test_a_json_body_that_is_not_an_object_is_422_and_creates_nothing(
    patient_client: Client, body: Any
) -> None:
    before = patient_client.get(f"{API}/cases").json()
    found = assert_problem(send_json(patient_client, "POST", f"{API}/cases", body), 422, "validation_error")
    assert found["errors"][0]["loc"] == ["body"]
    assert patient_client.get(f"{API}/cases").json() == before


def test_a_thousand_character_file_name_is_a_problem_not_a_500(patient_client: Client, case: Any) -> None:
    response = upload(patient_client, case.pk, MINIMAL_PDF, name="a" * 1000 + ".pdf")
    assert response.status_code == 201, response.content[:300]  # the name is metadata: kept, shortened
    assert len(Document.objects.get(pk=response.json()["id"]).original_filename) == 255


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"junk", "multipart/form-data"),
        (b"--x\r\nContent-Disposition: form-data", "multipart/form-data; boundary="),
    ],
)
def test_an_unreadable_multipart_upload_is_a_400_problem(
    patient_client: Client, case: Any, body: bytes, content_type: str
) -> None:
    response = patient_client.post(f"{API}/cases/{case.pk}/documents", data=body, content_type=content_type)
    assert_problem(response, 400, "upload_incomplete")
    assert not Document.objects.filter(case=case).exists()
