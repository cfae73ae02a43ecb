"""Uploading and downloading documents through HTTP: every refusal is a clear page and stores nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client, TestCase
from django.urls import reverse
from pydicom.data import get_testdata_file

from secondopinion.cases.models import Document
from secondopinion.core.audit import AuditAction
from secondopinion.core.models import AuditEvent
from tests.factories import MINIMAL_PDF, login, make_user

pytestmark = pytest.mark.django_db

MARKER = b"ZEBRA-PLAINTEXT-MARKER-7731 Jane Roe invasive ductal carcinoma"
DICOM = Path(str(get_testdata_file("CT_small.dcm"))).read_bytes()
DICOM_2 = Path(str(get_testdata_file("MR_small.dcm"))).read_bytes()


def pdf_with_marker(extra: bytes = b"") -> bytes:
    return MINIMAL_PDF + b"% " + MARKER + b"\n" + extra


def stored_files() -> list[Path]:
    root = Path(settings.FILE_STORE_DIR)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def upload(
    client: Client, case: Any, data: bytes, name: str, kind: str = "pathology_report", **extra: Any
) -> Any:
    # The file goes last, as the page's form sends it, so the other fields are parsed before it.
    body = {
        "kind": kind,
        "title": extra.pop("title", ""),
        "file": SimpleUploadedFile(name, data, "application/pdf"),
    }
    # The test's transaction never commits: run the on-commit work (the file moves into place).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("cases:upload", args=[case.pk]), body, **extra)


def make_zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def rejections() -> list[str]:
    rows = AuditEvent.objects.filter(action=str(AuditAction.DOCUMENT_UPLOAD_REJECTED)).order_by("seq")
    return [row.detail["code"] for row in rows]


def assert_refused(response: Any, message: str, code: str) -> None:
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files() == []
    assert rejections() == [code]


def test_upload_page_renders(patient_client, case):
    response = patient_client.get(reverse("cases:upload", args=[case.pk]))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_pdf_is_accepted_encrypted_and_audited(patient, patient_client, case):
    data = pdf_with_marker()
    response = upload(patient_client, case, data, "../../etc/passwd report.pdf", title="Biopsy report")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{case.pk}/#documents")
    document = Document.objects.get(case=case)
    assert (document.kind, document.detected_type, document.size) == ("pathology_report", "pdf", len(data))
    assert (
        document.original_filename == "passwd report.pdf"
    )  # the name is metadata only, stripped of any path
    assert document.uploaded_by == patient
    [row] = AuditEvent.objects.filter(action=str(AuditAction.DOCUMENT_UPLOAD))
    assert (row.entity_id, row.case_id, row.actor_id) == (str(document.pk), case.pk, patient.pk)
    assert row.detail == {"kind": "pathology_report", "type": "pdf", "size": len(data)}

    files = stored_files()
    assert [f.name for f in files] == [f"{document.storage_key}.enc"]
    assert files[0].relative_to(settings.FILE_STORE_DIR).parts[:2] == (
        document.storage_key[:2],
        document.storage_key[2:4],
    )
    for path in files:
        stored = path.read_bytes()
        assert MARKER not in stored
        assert b"ZEBRA" not in stored
        assert b"%PDF" not in stored
    assert "Biopsy report" in patient_client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_download_returns_the_exact_plaintext_safely(patient, patient_client, case):
    data = pdf_with_marker(b"x" * 200_000)  # several encryption frames
    upload(patient_client, case, data, "biopsy.pdf")
    document = Document.objects.get(case=case)
    response = patient_client.get(reverse("cases:download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "biopsy.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Length"] == str(len(data))
    [row] = AuditEvent.objects.filter(action=str(AuditAction.DOCUMENT_DOWNLOAD))
    assert (row.entity_id, row.case_id, row.actor_id) == (str(document.pk), case.pk, patient.pk)
    assert row.purpose == "PATRQT"


def test_download_by_another_patient_is_not_found(patient, patient_client, case):
    upload(patient_client, case, pdf_with_marker(), "biopsy.pdf")
    document = Document.objects.get(case=case)
    other = login(Client(), make_user("patient"))
    response = other.get(reverse("cases:download", args=[document.pk]))
    assert response.status_code == 404
    assert MARKER not in response.content
    assert not AuditEvent.objects.filter(action=str(AuditAction.DOCUMENT_DOWNLOAD)).exists()
    assert AuditEvent.objects.filter(
        action=str(AuditAction.ACCESS_DENIED), entity_id=str(document.pk)
    ).exists()


def test_html_named_pdf_is_refused_by_content(patient_client, case):
    html = (
        b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script>" + b"<p>x</p>" * 100 + b"</html>"
    )
    response = upload(patient_client, case, html, "report.pdf")
    assert_refused(response, "We cannot accept this type of file.", "unsupported_type")
    # The other fields of the form survive the refusal, so the patient need not fill them in again.
    assert response.context["form"].data["kind"] == "pathology_report"


def test_short_unknown_file_is_refused(patient_client, case):
    response = upload(patient_client, case, b"<html>hi</html>", "tiny.pdf")
    assert_refused(response, "We cannot accept this type of file.", "unsupported_type")


def test_over_the_limit_names_the_limit(settings, patient_client, case):
    settings.UPLOAD_MAX_BYTES = 4096
    response = upload(patient_client, case, MINIMAL_PDF + b"0" * 10_000, "big.pdf")
    assert_refused(response, f"Files of this type can be up to {filesizeformat(4096)}.", "too_large")


def test_just_under_the_limit_is_accepted(settings, patient_client, case):
    data = MINIMAL_PDF + b"0" * (4096 - len(MINIMAL_PDF))
    settings.UPLOAD_MAX_BYTES = len(data)
    assert upload(patient_client, case, data, "exact.pdf").status_code == 302
    assert Document.objects.get(case=case).size == 4096


def test_zip_bomb_is_refused(patient_client, case):
    # One DICOM-looking entry of 3 MB of zeros compresses to a few KB: far above the 100:1 limit.
    bomb = make_zip({"study/IM0001.dcm": DICOM[:132] + bytes(3 * 1024 * 1024)})
    assert len(bomb) < 30_000
    response = upload(patient_client, case, bomb, "study.zip", kind="imaging_study")
    assert_refused(response, "packed in an unusual way", "zip_ratio")


def test_zip_over_the_unpacked_limit_is_refused(settings, patient_client, case):
    settings.ZIP_MAX_UNCOMPRESSED = 10_000
    archive = make_zip({"a.dcm": DICOM, "b.dcm": DICOM_2}, compression=zipfile.ZIP_STORED)
    response = upload(patient_client, case, archive, "study.zip", kind="imaging_study")
    assert_refused(response, "would be too large once unpacked", "zip_too_large")


@pytest.mark.parametrize("name", ["../evil.dcm", "study/../../evil.dcm", "/etc/evil.dcm"])
def test_zip_with_unsafe_path_is_refused(patient_client, case, name):
    archive = make_zip({"study/IM0001.dcm": DICOM, name: DICOM})
    response = upload(patient_client, case, archive, "study.zip", kind="imaging_study")
    assert_refused(response, "Some file names in this zip file are not safe.", "zip_path_traversal")


def test_zip_of_pdfs_is_refused(patient_client, case):
    response = upload(patient_client, case, make_zip({"a.pdf": pdf_with_marker()}), "docs.zip")
    assert_refused(response, "We cannot accept this type of file.", "unsupported_type")


def test_empty_file_is_refused(patient_client, case):
    response = upload(patient_client, case, b"", "empty.pdf")
    assert_refused(response, "This file is empty. Please choose the file again.", "empty_file")


def test_same_pdf_twice_names_the_existing_document(patient_client, case):
    data = pdf_with_marker()
    assert upload(patient_client, case, data, "biopsy.pdf", title="Biopsy, March").status_code == 302
    [first] = Document.objects.all()
    files_before = stored_files()

    response = upload(patient_client, case, data, "copy-of-biopsy.pdf")
    assert response.status_code == 400
    body = response.content.decode()
    assert "This file is already in your case as “Biopsy, March”" in body
    assert first.created_at.date().isoformat() in body
    assert list(Document.objects.all()) == [first]
    assert stored_files() == files_before  # the second copy left nothing behind
    assert rejections() == ["duplicate_document"]


def test_same_pdf_in_two_cases_is_allowed(patient, patient_client, case):
    from tests.factories import make_case

    other_case = make_case(patient, title="Second case")
    data = pdf_with_marker()
    assert upload(patient_client, case, data, "a.pdf").status_code == 302
    assert upload(patient_client, other_case, data, "a.pdf").status_code == 302
    assert Document.objects.count() == 2
    assert len(stored_files()) == 2


def test_dicom_file_is_accepted(patient_client, case):
    response = upload(patient_client, case, DICOM, "CT_small.dcm", kind="imaging_study")
    assert response.status_code == 302
    document = Document.objects.get(case=case)
    assert (document.detected_type, document.size) == ("dicom", len(DICOM))
    download = patient_client.get(reverse("cases:download", args=[document.pk]))
    assert download["Content-Type"] == "application/dicom"
    assert b"".join(download.streaming_content) == DICOM


def test_zip_of_two_dicoms_is_accepted(patient_client, case):
    archive = make_zip(
        {
            "study/": b"",
            "study/IM0001.dcm": DICOM,
            "study/IM0002.dcm": DICOM_2,
            "__MACOSX/._IM0001.dcm": b"junk",
        }
    )
    response = upload(patient_client, case, archive, "study.zip", kind="imaging_study")
    assert response.status_code == 302
    document = Document.objects.get(case=case)
    assert (document.detected_type, document.size) == ("dicom_zip", len(archive))
    assert [f.name for f in stored_files()] == [f"{document.storage_key}.enc"]
    download = patient_client.get(reverse("cases:download", args=[document.pk]))
    assert b"".join(download.streaming_content) == archive


def test_companion_cannot_upload(case):
    from tests.factories import make_companion

    helper = make_user("companion")
    make_companion(case, helper, can_view=True, can_ask=True)
    client = login(Client(), helper)
    assert upload(client, case, pdf_with_marker(), "x.pdf").status_code == 404
    assert not Document.objects.exists()
    assert stored_files() == []


def test_accepted_file_with_an_invalid_form_is_not_kept(patient_client, case):
    response = upload(patient_client, case, pdf_with_marker(), "biopsy.pdf", kind="love_letter")
    assert response.status_code == 400
    assert "kind" in response.context["form"].errors
    assert not Document.objects.exists()
    assert stored_files() == []
    assert rejections() == ["validation_error"]
