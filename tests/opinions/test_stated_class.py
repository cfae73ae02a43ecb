"""Issue 11, item 3: the signing clinician's stated class leads; the computed class is the check.

The fixture's second opinion differs from the first only in the treatment (surgery → chemotherapy), so
the computed classes are diagnosis and stage "confirmed", treatment "changed".
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.urls import reverse

from secondopinion.opinions.content import check_sentence, comparison_rows
from secondopinion.opinions.models import Opinion
from tests.opinions.support import Setup

pytestmark = pytest.mark.django_db
API = "/api/v1"
COMPUTED = {"diagnosis": "confirmed", "stage": "confirmed", "treatment": "changed"}


def sign_by_form(s: Setup, **stated: str) -> Any:
    """Save a draft, then sign it on the review page with these stated classes (computed ones elsewhere)."""
    s.draft()
    data = {f"stated_{dim}": stated.get(dim, cls) for dim, cls in COMPUTED.items()}
    return s.client(s.consultant).post(reverse("opinions:review", args=[s.request.pk]), data)


def pdf_text(content: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(io.BytesIO(content))
    return " ".join(
        " ".join(document[i].get_textpage().get_text_range() for i in range(len(document))).split()
    )


# --- pure: the calm sentence and the rows -----------------------------------------------------------


def test_check_sentence_names_both_classes_calmly() -> None:
    assert check_sentence("Dr Helen Park", "changed", "refined") == (
        "Dr Helen Park judged this a change; the structured fields alone would call it a refinement."
    )
    assert check_sentence("Dr Helen Park", "refined", "refined") == ""
    assert check_sentence("Dr Helen Park", "", "changed") == ""
    assert check_sentence("", "confirmed", "not_comparable") == (
        "The doctor judged this a confirmation; the structured fields alone do not hold enough detail to "
        "compare."
    )


def test_rows_lead_with_the_stated_class_and_keep_the_computed_one() -> None:
    result = {d: {"class": c, "because": ["x"]} for d, c in COMPUTED.items()}
    rows = {r["dimension"]: r for r in comparison_rows(result, {}, {}, {"treatment": "refined"}, "Dr A")}
    treatment = rows["treatment"]
    assert (treatment["lead"], treatment["class"], treatment["differs"]) == ("refined", "changed", True)
    assert (
        treatment["plain"]
        == "The second doctor refines the treatment plan: it is more precise, not different."
    )
    assert treatment["check"].startswith("Dr A judged this a refinement;")
    assert (rows["stage"]["lead"], rows["stage"]["check"]) == ("confirmed", "")  # nothing stated: computed


# --- signing: both classes shown, every dimension required -------------------------------------------


def test_sign_page_shows_computed_and_prefills_every_dimension() -> None:
    s = Setup()
    s.draft()
    page = s.client(s.consultant).get(reverse("opinions:review", args=[s.request.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    for dim, cls in COMPUTED.items():
        assert f'<fieldset class="usa-fieldset" data-dimension="{dim}"' in html
        assert f'name="stated_{dim}" value="{cls}" id="id_stated_{dim}_' in html
        bound = page.context["form"][f"stated_{dim}"]
        assert bound.value() == cls
    assert html.count(" checked>") == 3
    assert "Computed from the structured fields: “changed”." in html


def test_sign_page_prefills_the_class_stated_in_the_editor() -> None:
    s = Setup()
    from secondopinion.opinions import actions
    from tests.opinions.support import second_content

    actions.save_draft(s.consultant, s.request, second_content(s.request), {"treatment": "refined"})
    page = s.client(s.consultant).get(reverse("opinions:review", args=[s.request.pk]))
    assert page.context["form"]["stated_treatment"].value() == "refined"
    assert page.context["form"]["stated_stage"].value() == "confirmed"


def test_signing_is_refused_without_a_class_for_every_dimension() -> None:
    s = Setup()
    s.draft()
    c = s.client(s.consultant)
    url = reverse("opinions:review", args=[s.request.pk])
    for data in ({}, {"stated_diagnosis": "confirmed", "stated_stage": "confirmed"}):
        response = c.post(url, data, follow=True)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Choose your class for the diagnosis, the stage and the treatment before you sign." in html
        assert "Choose one: confirmed, refined, changed or cannot be compared." in html
        assert Opinion.objects.get(request=s.request).signed_at is None
    bad = c.post(url, {**{f"stated_{d}": c_ for d, c_ in COMPUTED.items()}, "stated_stage": "worse"})
    assert bad.status_code == 200 and Opinion.objects.get(request=s.request).signed_at is None


def test_signing_stores_the_stated_classes() -> None:
    s = Setup()
    response = sign_by_form(s, treatment="refined")
    opinion = Opinion.objects.get(request=s.request)
    assert response.status_code == 302 and opinion.signed_at is not None
    assert opinion.stated_change == {"diagnosis": "confirmed", "stage": "confirmed", "treatment": "refined"}


def test_sign_page_previews_what_the_patient_will_see() -> None:
    s = Setup()
    s.draft()
    page = s.client(s.consultant).get(reverse("opinions:review", args=[s.request.pk]))
    html = page.content.decode()
    preview = html[html.index('id="preview"') : html.index('id="sign-form"')]
    assert 'class="so-opinion-summary"' in preview  # the patient's own partial (opinion_body.html)
    assert "Chemotherapy first is the better plan for you." in preview
    for q in s.questions():
        assert q.text in preview
    assert "opinions/partials/opinion_body.html" in {t.name for t in page.templates}


# --- the patient's pages: the stated class leads, one calm sentence where they differ ---------------


def test_comparison_leads_with_the_stated_class_and_names_the_difference_calmly() -> None:
    s = Setup()
    sign_by_form(s, treatment="refined")
    page = s.client(s.patient).get(reverse("opinions:compare", args=[s.case.pk]))
    html = page.content.decode()
    assert 'data-dimension="treatment" data-class="refined" data-computed="changed"' in html
    assert "The second doctor refines the treatment plan" in html
    name = s.consultant.full_name
    assert f"{name} judged this a refinement; the structured fields alone would call it a change." in html
    assert 'data-dimension="stage" data-class="confirmed" data-computed="confirmed"' in html
    assert "The structured fields say the same." in html
    section = html[html.index('class="so-comparison"') : html.index('id="next-h"')]
    assert "usa-alert" not in section and 'role="alert"' not in section  # never an alarm


def test_case_page_shows_the_stated_classes() -> None:
    s = Setup()
    sign_by_form(s, treatment="refined")
    html = s.client(s.patient).get(reverse("cases:detail", args=[s.case.pk])).content.decode()
    block = html[html.index('id="case-comparison"') :]
    assert '<li data-dimension="treatment" data-class="refined">' in block
    assert "would call it a change" in block


def test_guide_page_and_pdf_follow_the_stated_class() -> None:
    s = Setup()
    sign_by_form(s, treatment="confirmed", stage="refined")
    c = s.client(s.patient)
    page = c.get(reverse("opinions:guide", args=[s.case.pk]))
    dims = [r["dimension"] for _c, r in page.context["differences"]]
    assert dims == ["stage"]  # the doctor confirmed the treatment; the computed "changed" is the check
    html = page.content.decode()
    assert '<li data-dimension="stage" data-class="refined">' in html
    text = pdf_text(c.get(reverse("opinions:guide_pdf", args=[s.case.pk])).content)
    assert "judged this a refinement; the structured fields alone would call it a confirmation." in text


# --- the API keeps its shape and gains stated_class ---------------------------------------------------


def test_api_comparison_gains_stated_class() -> None:
    s = Setup()
    sign_by_form(s, treatment="refined")
    body = s.client(s.patient).get(f"{API}/cases/{s.case.pk}/comparison").json()
    assert isinstance(body, list) and len(body) == 1
    assert set(body[0]) == {"opinion_id", "diagnosis", "stage", "treatment"}
    assert body[0]["treatment"] == {
        "class": "changed",
        "because": ["primary modality surgery → chemotherapy"],
        "stated_class": "refined",
    }
    assert body[0]["stage"]["stated_class"] == "confirmed"


def test_api_comparison_stated_class_is_null_when_never_stated() -> None:
    s = Setup()
    s.signed()  # signed programmatically, no stated classes
    body = s.client(s.patient).get(f"{API}/cases/{s.case.pk}/comparison").json()
    assert body[0]["diagnosis"]["stated_class"] is None and body[0]["diagnosis"]["class"] == "confirmed"


def test_api_sign_requires_a_stated_class_for_every_dimension() -> None:
    s = Setup()
    s.draft()
    c = s.client(s.consultant)
    url = f"{API}/requests/{s.request.pk}/opinion/sign"
    missing = c.post(url)
    assert missing.status_code == 422 and missing.json()["code"] == "stated_class_missing"
    assert "diagnosis, stage, treatment" in missing.json()["detail"]
    bad = c.post(url, json.dumps({"stated_change": {"treatment": "worse"}}), content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "opinion_invalid"
    assert Opinion.objects.get(request=s.request).signed_at is None
    stated = {"diagnosis": "confirmed", "stage": "not_comparable", "treatment": "changed"}
    ok = c.post(url, json.dumps({"stated_change": stated}), content_type="application/json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["stated_change"] == stated
