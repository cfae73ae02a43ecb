"""The packet PDF: page one carries the diagnosis and the first doctor's plan; the checklist comes after."""

from __future__ import annotations

import io
import zipfile

import pypdfium2
import pytest
from django.urls import reverse

from secondopinion.cases import actions

pytestmark = pytest.mark.django_db


def pdf_pages(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_first_page_has_diagnosis_and_plan_and_the_checklist_follows(patient, patient_client, case):
    actions.update_case(patient, case, {"title": "My breast cancer", "first_doctor_name": "Dr. Ada Lee"})
    response = patient_client.get(reverse("cases:export", args=[case.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    pages = pdf_pages(archive.read("summary.pdf"))
    assert len(pages) >= 2
    first = " ".join(pages[0].split())
    assert "My breast cancer" in first
    assert "Diagnosis" in first and "Breast cancer" in first
    assert "First doctor's diagnosis and plan" in first and "Dr. Ada Lee" in first
    assert "What is in this packet" not in first
    rest = " ".join(" ".join(pages[1:]).split())
    assert "What is in this packet" in rest
    assert rest.index("What is in this packet") < rest.index("Medicines, vitamins and supplements")
