"""The packet export: a streamed ZIP with a printable summary and every document, byte for byte."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from django.test import Client, TestCase
from django.urls import reverse
from pydicom.data import get_testdata_file

from secondopinion.cases import actions
from secondopinion.core.audit import AuditAction
from secondopinion.core.models import AuditEvent
from secondopinion.core.zipstream import stream_zip
from secondopinion.opinions import actions as opinion_actions
from tests.factories import login, make_companion, make_user, unique_pdf
from tests.factories import make_document as _make_document

pytestmark = pytest.mark.django_db

DICOM = Path(str(get_testdata_file("CT_small.dcm"))).read_bytes()


def make_document(*args: Any, **kwargs: Any) -> Any:
    """The factory, with the commit the test transaction never makes (the file moves into place)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return _make_document(*args, **kwargs)


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def export(client: Client, case: Any) -> tuple[Any, zipfile.ZipFile]:
    response = client.get(reverse("cases:export", args=[case.pk]))
    assert response.status_code == 200
    assert response.streaming  # streamed, not built in memory first
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    return response, archive


@pytest.fixture
def full_case(patient, case):
    actions.update_case(
        patient,
        case,
        {
            "title": "My breast cancer",
            "first_doctor_name": "Dr. Ada Lee",
        },
    )
    first = {
        "diagnosis": {"site_text": "Breast cancer (female)", "site": "C50"},
        "stage": {"as_written": "T2 N0 M0", "t": "T2", "n": "N0", "m": "M0"},
        "treatment": {
            "options": [
                {
                    "modalities": ["surgery", "radiation"],
                    "procedures": {"surgery": "lumpectomy"},
                    "details": {"radiation": "hypofractionated"},
                    "preferred": True,
                }
            ]
        },
        "narrative": "Invasive ductal carcinoma",
    }
    opinion_actions.save_first_opinion(patient, case, first)
    for data in (
        {"name": "Tamoxifen", "dose": "20 mg"},
        {"name": "Metformin"},
        {"name": "Turmeric", "is_supplement": True},
    ):
        actions.add_medicine(patient, case, data)
    for text in ("What are all my treatment options?", "Should I join a clinical trial?"):
        actions.add_question(patient, case, text)
    return case


def test_export_contains_summary_and_exact_documents(patient, patient_client, full_case):
    pathology = unique_pdf("pathology") + b"% biopsy left breast\n"
    pdf_doc = make_document(
        patient, full_case, pathology, name="Pathology: report 1/2.pdf", title="Pathology report"
    )
    dicom_doc = make_document(patient, full_case, DICOM, kind="imaging_study", name="CT_small.dcm")

    response, archive = export(patient_client, full_case)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "secondopinion-My-breast-cancer.zip" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]

    names = archive.namelist()
    assert names[0] == "summary.pdf"
    assert len(names) == 3
    for name in names:
        assert not name.startswith("/") and ".." not in name.split("/")
    summary = archive.read("summary.pdf")
    assert summary.startswith(b"%PDF")
    text = pdf_text(summary)
    for expected in (
        "Tamoxifen",
        "Metformin",
        "Turmeric",
        "What are all my treatment options?",
        "Should I join a clinical trial?",
        "Dr. Ada Lee",
        "Invasive ductal carcinoma",
        "Breast cancer (female) (C50)",
        "T2 N0 M0",
        "Surgery: Breast-conserving surgery (lumpectomy)",
        "hypofractionated",
    ):
        assert expected in text, expected

    contents = {name: archive.read(name) for name in names[1:]}
    assert sorted(contents.values()) == sorted([pathology, DICOM])
    by_content = {data: name for name, data in contents.items()}
    assert by_content[DICOM].endswith(".dcm")
    assert by_content[pathology].endswith(".pdf") and by_content[pathology].startswith("documents/")
    for document in (pdf_doc, dicom_doc):  # the summary lists each file with the start of its checksum
        assert document.sha256[:16] in text

    [row] = AuditEvent.objects.filter(action=str(AuditAction.PACKET_EXPORT))
    assert (row.actor_id, row.case_id, row.outcome) == (patient.pk, full_case.pk, "success")


def test_export_of_an_empty_case(patient_client, case):
    _, archive = export(patient_client, case)
    assert archive.namelist() == ["summary.pdf"]
    assert archive.read("summary.pdf").startswith(b"%PDF")


def test_companion_may_export_other_patient_may_not(patient, full_case):
    make_document(patient, full_case, unique_pdf("x"))
    helper = make_user("companion")
    make_companion(full_case, helper, can_view=True)
    _, archive = export(login(Client(), helper), full_case)
    assert len(archive.namelist()) == 2
    row = AuditEvent.objects.filter(action=str(AuditAction.PACKET_EXPORT)).get()
    assert row.actor_id == helper.pk

    stranger = login(Client(), make_user("patient"))
    assert stranger.get(reverse("cases:export", args=[full_case.pk])).status_code == 404
    assert AuditEvent.objects.filter(action=str(AuditAction.PACKET_EXPORT)).count() == 1
    assert AuditEvent.objects.filter(
        action=str(AuditAction.ACCESS_DENIED), entity_id=str(full_case.pk)
    ).exists()


def test_stream_zip_round_trips_large_entries():
    big = bytes(range(256)) * 20_000  # 5 MB, many chunks
    chunks = [big[i : i + 65536] for i in range(0, len(big), 65536)]
    pieces = list(stream_zip([("a.bin", chunks), ("b/c.txt", [b"hello"]), ("empty", [])]))
    assert len(pieces) > 3  # yielded as it went, not in one piece
    archive = zipfile.ZipFile(io.BytesIO(b"".join(pieces)))
    assert archive.read("a.bin") == big
    assert archive.read("b/c.txt") == b"hello"
    assert archive.read("empty") == b""
