"""The case packet pages, through HTTP: each write changes the case and leaves its audit row."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secondopinion.cases.checklist import build_checklist, is_complete
from secondopinion.cases.models import Case, Medicine, Question
from secondopinion.core.audit import AuditAction
from secondopinion.core.models import AuditEvent
from secondopinion.opinions.models import Opinion
from tests.factories import login, make_companion, make_document, make_user, unique_pdf

pytestmark = pytest.mark.django_db


def audit_rows(action: AuditAction, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=str(action), **filters).order_by("seq"))


def checklist_state(html: str) -> dict[str, bool]:
    """The checklist as the case page shows it: item code -> present."""
    return {
        code: present == "yes"
        for code, present in re.findall(r'data-item="(\w+)" data-present="(yes|no)"', html)
    }


def page(client: Client, case: Case) -> str:
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


# -- creating a case --------------------------------------------------------------------------------


def test_create_case_for_self(patient, patient_client):
    response = patient_client.post(reverse("cases:create"), {"title": "My breast cancer", "subject": "self"})
    case = Case.objects.get(owner=patient)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:diagnosis", args=[case.pk])
    assert case.title == "My breast cancer"
    assert case.subject == "self"
    [row] = audit_rows(AuditAction.CASE_CREATE)
    assert (row.actor_id, row.entity_id, row.case_id) == (patient.pk, str(case.pk), case.pk)


def test_case_for_a_child_needs_the_childs_name(patient, patient_client):
    response = patient_client.post(reverse("cases:create"), {"title": "Sam's case", "subject": "child"})
    assert response.status_code == 200
    assert "subject_name" in response.context["form"].errors
    assert "Please give the name of the person this case is for." in response.content.decode()
    assert not Case.objects.filter(owner=patient).exists()
    assert audit_rows(AuditAction.CASE_CREATE) == []

    response = patient_client.post(
        reverse("cases:create"), {"title": "Sam's case", "subject": "child", "subject_name": "Sam Roe"}
    )
    assert response.status_code == 302
    case = Case.objects.get(owner=patient)
    assert (case.subject, case.subject_name) == ("child", "Sam Roe")
    assert "For Sam Roe" in page(patient_client, case)


def test_clinicians_cannot_start_a_case(db):
    consultant = make_user("consultant")
    client = login(Client(), consultant)
    assert client.post(reverse("cases:create"), {"title": "x", "subject": "self"}).status_code == 403
    assert not Case.objects.exists()


# -- diagnosis and first opinion --------------------------------------------------------------------


def test_edit_diagnosis_and_future_date_is_a_field_error(patient_client, case):
    url = reverse("cases:diagnosis", args=[case.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = patient_client.post(
        url, {"cancer_type": "Lung cancer", "diagnosis_date": tomorrow.isoformat()}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["diagnosis_date"] == [
        "The date of diagnosis cannot be in the future."
    ]
    case.refresh_from_db()
    assert case.cancer_type == "Breast cancer"
    updates_before = len(audit_rows(AuditAction.CASE_UPDATE))

    response = patient_client.post(
        url,
        {
            "cancer_type": "Invasive ductal carcinoma",
            "cancer_type_code": "8500/3",
            "body_site": "Left breast",
            "body_site_code": "C50.4",
            "diagnosis_date": "2026-01-15",
            "treatment_received": ["surgery"],
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.cancer_type, case.body_site_code, str(case.diagnosis_date)) == (
        "Invasive ductal carcinoma",
        "C50.4",
        "2026-01-15",
    )
    assert case.treatment_received == ["surgery"]
    rows = audit_rows(AuditAction.CASE_UPDATE)
    assert len(rows) == updates_before + 1
    assert {"cancer_type", "diagnosis_date", "treatment_received"} <= set(rows[-1].detail["fields"])
    html = page(patient_client, case)
    assert "Invasive ductal carcinoma" in html and "C50.4" in html


def test_first_opinion_is_entered_once_on_the_case_page(patient_client, case):
    """The case page's "first doctor's diagnosis and plan" is the first opinion: one form, one record."""
    html = page(patient_client, case)
    form_url = reverse("opinions:first", args=[case.pk])
    assert f'href="{form_url}"' in html  # the section links to the one form
    response = patient_client.post(
        form_url,
        {
            "first_doctor_name": "Dr. Ada Lee",
            "first_doctor_specialty": "Medical oncology",
            "cancer_type": "Breast cancer (female)",
            "stage_text": "Stage IIA",
            "modalities": ["surgery", "radiation", "hormone_therapy"],
            "procedure_surgery": "lumpectomy",
            "details_radiation": "Three weeks, after surgery",
            "narrative": "Lumpectomy, then radiation",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#first-opinion")
    case.refresh_from_db()
    assert case.first_doctor_name == "Dr. Ada Lee"
    row = audit_rows(AuditAction.CASE_UPDATE)[-1]
    assert {"first_doctor_name", "first_doctor_specialty"} <= set(row.detail["fields"])
    assert "Dr. Ada Lee" not in str(row.detail)  # field names only, never the content
    [first] = Opinion.objects.filter(case=case, source="first")
    assert first.content["diagnosis"] == {"site_text": "Breast cancer (female)", "site": "C50"}
    assert first.content["treatment"]["options"] == [
        {
            "modalities": ["surgery", "radiation", "hormone_therapy"],
            "procedures": {"surgery": "lumpectomy"},
            "details": {"radiation": "Three weeks, after surgery"},
            "preferred": False,
        }
    ]
    html = page(patient_client, case)
    assert "Dr. Ada Lee" in html and "Lumpectomy, then radiation" in html
    assert "Breast-conserving surgery (lumpectomy)" in html and "Three weeks, after surgery" in html

    bad = patient_client.post(form_url, {"modalities": ["homeopathy"], "procedure_surgery": "amputation"})
    assert bad.status_code == 200
    assert {"modalities", "procedure_surgery"} <= set(bad.context["form"].errors)
    assert Opinion.objects.filter(case=case, source="first").count() == 1


# -- medicines ------------------------------------------------------------------------------------


def test_medicines_add_edit_delete(patient_client, case):
    add = reverse("cases:add_medicine", args=[case.pk])
    for data in (
        {"name": "Tamoxifen", "dose": "20 mg", "frequency": "daily"},
        {"name": "Metformin", "dose": "500 mg"},
        {"name": "Turmeric", "is_supplement": "on"},
    ):
        assert patient_client.post(add, data).status_code == 302
    medicines = {m.name: m for m in Medicine.objects.filter(case=case)}
    assert set(medicines) == {"Tamoxifen", "Metformin", "Turmeric"}
    assert medicines["Turmeric"].is_supplement and not medicines["Tamoxifen"].is_supplement
    created = audit_rows(AuditAction.MEDICINE_CREATE)
    assert {r.entity_id for r in created} == {str(m.pk) for m in medicines.values()}
    assert all(r.case_id == case.pk for r in created)
    html = page(patient_client, case)
    assert "Turmeric" in html and "supplement</span>" in html

    metformin = medicines["Metformin"]
    edit = reverse("cases:edit_medicine", args=[metformin.pk])
    assert patient_client.get(edit).status_code == 200
    assert (
        patient_client.post(
            edit, {"name": "Metformin", "dose": "1000 mg", "frequency": "twice a day"}
        ).status_code
        == 302
    )
    metformin.refresh_from_db()
    assert (metformin.dose, metformin.frequency) == ("1000 mg", "twice a day")
    [updated] = audit_rows(AuditAction.MEDICINE_UPDATE)
    assert updated.entity_id == str(metformin.pk)
    assert updated.detail == {"fields": ["dose", "frequency"]}

    assert patient_client.get(reverse("cases:delete_medicine", args=[metformin.pk])).status_code == 405
    assert patient_client.post(reverse("cases:delete_medicine", args=[metformin.pk])).status_code == 302
    assert not Medicine.objects.filter(pk=metformin.pk).exists()
    [deleted] = audit_rows(AuditAction.MEDICINE_DELETE)
    assert deleted.entity_id == str(metformin.pk)
    assert "Metformin" not in page(patient_client, case)


def test_medicine_of_another_patient_is_not_found(case):
    other = login(Client(), make_user("patient"))
    medicine = Medicine.objects.create(case=case, name="Tamoxifen")
    assert other.get(reverse("cases:edit_medicine", args=[medicine.pk])).status_code == 404
    assert other.post(reverse("cases:edit_medicine", args=[medicine.pk]), {"name": "x"}).status_code == 404
    assert other.post(reverse("cases:delete_medicine", args=[medicine.pk])).status_code == 404
    assert Medicine.objects.get(pk=medicine.pk).name == "Tamoxifen"
    assert len(audit_rows(AuditAction.ACCESS_DENIED)) == 3


# -- questions ------------------------------------------------------------------------------------


def question_texts(case: Case) -> list[str]:
    return list(Question.objects.filter(case=case).order_by("position", "id").values_list("text", flat=True))


def test_questions_add_edit_move_delete(patient_client, case):
    for text in ("What are all my options?", "Is surgery needed?", "Can I keep working?"):
        assert (
            patient_client.post(reverse("cases:add_question", args=[case.pk]), {"text": text}).status_code
            == 302
        )
    assert question_texts(case) == ["What are all my options?", "Is surgery needed?", "Can I keep working?"]
    assert len(audit_rows(AuditAction.QUESTION_CREATE)) == 3

    third = Question.objects.get(case=case, text="Can I keep working?")
    assert patient_client.post(reverse("cases:move_question", args=[third.pk, "up"])).status_code == 302
    assert question_texts(case) == ["What are all my options?", "Can I keep working?", "Is surgery needed?"]
    first = Question.objects.get(case=case, text="What are all my options?")
    assert patient_client.post(reverse("cases:move_question", args=[first.pk, "down"])).status_code == 302
    assert question_texts(case) == ["Can I keep working?", "What are all my options?", "Is surgery needed?"]
    # Moving past either end changes nothing; an unknown direction is not found.
    top = Question.objects.get(case=case, text="Can I keep working?")
    assert patient_client.post(reverse("cases:move_question", args=[top.pk, "up"])).status_code == 302
    assert patient_client.post(reverse("cases:move_question", args=[top.pk, "sideways"])).status_code == 404
    assert question_texts(case) == ["Can I keep working?", "What are all my options?", "Is surgery needed?"]
    moves = [r for r in audit_rows(AuditAction.QUESTION_UPDATE) if r.detail == {"fields": ["position"]}]
    assert len(moves) == 3

    # The order persists: the page lists the questions in the stored order.
    html = page(patient_client, case)
    positions = [
        html.index(t) for t in ("Can I keep working?", "What are all my options?", "Is surgery needed?")
    ]
    assert positions == sorted(positions)

    url = reverse("cases:edit_question", args=[top.pk])
    assert patient_client.post(url, {"text": "Can I keep working during treatment?"}).status_code == 302
    assert question_texts(case)[0] == "Can I keep working during treatment?"
    assert audit_rows(AuditAction.QUESTION_UPDATE)[-1].detail == {"fields": ["text"]}

    assert patient_client.post(reverse("cases:delete_question", args=[top.pk])).status_code == 302
    assert question_texts(case) == ["What are all my options?", "Is surgery needed?"]
    [deleted] = audit_rows(AuditAction.QUESTION_DELETE)
    assert deleted.entity_id == str(top.pk)


def test_blank_question_is_a_field_error(patient_client, case):
    response = patient_client.post(reverse("cases:add_question", args=[case.pk]), {"text": ""})
    assert response.status_code == 200
    assert "text" in response.context["form"].errors
    assert question_texts(case) == []


def test_companion_sees_the_packet_but_cannot_change_it(case):
    helper = make_user("companion")
    make_companion(case, helper, can_view=True)
    client = login(Client(), helper)
    html = page(client, case)
    assert "shares this case with you" in html
    assert reverse("cases:diagnosis", args=[case.pk]) not in html
    assert client.post(reverse("cases:add_question", args=[case.pk]), {"text": "Hi?"}).status_code == 404
    assert client.post(reverse("cases:diagnosis", args=[case.pk]), {"cancer_type": "x"}).status_code == 404
    assert question_texts(case) == []


# -- the "what to bring" checklist ----------------------------------------------------------------


def test_checklist_function():
    empty = build_checklist(
        document_kinds=[],
        medicine_count=0,
        has_first_diagnosis=False,
        has_first_plan=False,
        question_count=0,
        companion_count=0,
    )
    assert [i.code for i in empty if not i.present] == [
        "pathology_report",
        "test_results",
        "medicines",
        "first_opinion",
        "questions",
        "companion",
    ]
    assert not is_complete(empty)
    full = build_checklist(
        document_kinds=["pathology_report", "lab_result"],
        medicine_count=1,
        has_first_diagnosis=True,
        has_first_plan=True,
        question_count=1,
        companion_count=0,
    )
    assert is_complete(full)
    assert [i.code for i in full if not i.present] == ["companion"]
    no_plan = build_checklist(
        document_kinds=["pathology_report", "imaging_study"],
        medicine_count=1,
        has_first_diagnosis=True,
        has_first_plan=False,
        question_count=1,
        companion_count=0,
    )
    assert not is_complete(no_plan)


def test_checklist_on_the_case_page_becomes_complete(patient, patient_client, case):
    html = page(patient_client, case)
    assert checklist_state(html) == {
        "pathology_report": False,
        "test_results": False,
        "medicines": False,
        "first_opinion": False,
        "questions": False,
        "companion": False,
    }
    assert "Here is what is still missing." in html and 'id="checklist-complete"' not in html

    make_document(patient, case, unique_pdf("pathology"), kind="pathology_report")
    patient_client.post(
        reverse("cases:add_medicine", args=[case.pk]), {"name": "Vitamin D", "is_supplement": "on"}
    )
    patient_client.post(reverse("cases:add_question", args=[case.pk]), {"text": "What are all my options?"})
    first_url = reverse("opinions:first", args=[case.pk])
    patient_client.post(first_url, {"cancer_type": "Breast cancer (female)", "stage_text": "IIA"})
    state = checklist_state(page(patient_client, case))
    assert state["pathology_report"] and state["medicines"] and state["questions"]
    assert not state["test_results"]
    assert not state["first_opinion"]  # a diagnosis without a plan is not enough

    patient_client.post(
        first_url, {"cancer_type": "Breast cancer (female)", "stage_text": "IIA", "modalities": ["surgery"]}
    )
    assert checklist_state(page(patient_client, case))["first_opinion"]
    assert 'id="checklist-complete"' not in page(patient_client, case)

    make_document(patient, case, unique_pdf("lab"), kind="lab_result", name="labs.pdf")
    html = page(patient_client, case)
    assert 'id="checklist-complete"' in html  # complete without a companion: it is optional
    assert checklist_state(html)["companion"] is False

    make_companion(case, None, email="friend@example.test")
    assert checklist_state(page(patient_client, case))["companion"] is True
