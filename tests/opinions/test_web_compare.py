"""First opinion, codes, comparison page, guide and PDFs, and access after the consent ends."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from secondopinion.consults import actions as consult_actions
from secondopinion.consults.transitions import Actor
from secondopinion.core.models import AuditEvent
from secondopinion.opinions import actions
from secondopinion.opinions.models import Opinion
from tests.factories import make_companion, make_user
from tests.opinions.support import Setup, second_content

pytestmark = pytest.mark.django_db


def test_patient_enters_the_first_opinion_in_plain_words() -> None:
    s = Setup(first=False)
    c = s.client(s.patient)
    url = reverse("opinions:first", args=[s.case.pk])
    page = c.get(url)
    assert page.status_code == 200 and page.context["form"].initial["cancer_type"] == "Breast cancer"
    response = c.post(
        url,
        {
            "cancer_type": "Breast cancer (female)",
            "stage_text": "T2 N0 M0",
            "modalities": ["surgery", "radiation"],
            "procedure_surgery": "mastectomy",
            "details_surgery": "Left breast, with sentinel nodes",
            "details_chemotherapy": "not ticked, so not kept",
            "preferred": "surgery",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#first-opinion")
    first = Opinion.objects.get(case=s.case, source="first")
    assert first.content["diagnosis"] == {"site_text": "Breast cancer (female)", "site": "C50"}
    assert first.content["stage"] == {"as_written": "T2 N0 M0", "t": "T2", "n": "N0", "m": "M0"}
    assert first.content["treatment"]["options"][0] == {
        "modalities": ["surgery", "radiation"],
        "procedures": {"surgery": "mastectomy"},
        "details": {"surgery": "Left breast, with sentinel nodes"},
        "preferred": True,
    }
    c.post(
        url, {"cancer_type": "Breast cancer (female)", "stage_text": "Stage IIA", "modalities": ["surgery"]}
    )
    first.refresh_from_db()
    assert first.content["stage"]["group"] == "IIA"
    assert "procedures" not in first.content["treatment"]["options"][0]
    assert Opinion.objects.filter(case=s.case, source="first").count() == 1  # one record, changed in place
    assert s.client(make_user("patient")).get(url).status_code == 404


def test_a_stage_that_cannot_be_read_is_kept_and_flagged_calmly() -> None:
    s = Setup(first=False)
    c = s.client(s.patient)
    url = reverse("opinions:first", args=[s.case.pk])
    note = "We keep the stage as you wrote it."
    assert note not in c.get(url).content.decode()
    response = c.post(url, {"cancer_type": "Breast cancer (female)", "stage_text": "early, small"})
    assert response.status_code == 302 and response["Location"].startswith(url)  # back to the form
    first = Opinion.objects.get(case=s.case, source="first")
    assert first.content["stage"] == {"as_written": "early, small"}
    form_page = c.get(url).content.decode()
    assert note in form_page and "cannot be compared" in form_page
    assert note in c.get(reverse("cases:detail", args=[s.case.pk])).content.decode()
    invalid = c.post(url, {"cancer_type": "not a type", "stage_text": "stage 2-ish"})
    assert invalid.status_code == 200 and note in invalid.content.decode()  # flagged while typing it, too
    c.post(url, {"cancer_type": "Breast cancer (female)", "stage_text": "IIA"})
    assert note not in c.get(url).content.decode()


def test_first_opinion_in_plain_words_compares_on_every_dimension() -> None:
    """Entered in plain words only, the first opinion compares with a consultant's coded opinion."""
    s = Setup(first=False)
    s.client(s.patient).post(
        reverse("opinions:first", args=[s.case.pk]),
        {
            "cancer_type": "Breast cancer (female)",
            "stage_text": "IIA",
            "modalities": ["surgery"],
            "procedure_surgery": "mastectomy",
        },
    )
    content = second_content(s.request, modality="surgery")
    content["treatment"]["options"][0] |= {
        "modalities": ["surgery", "radiation"],
        "procedures": {"surgery": "lumpectomy"},
    }
    actions.save_draft(s.consultant, s.request, content, {})
    actions.sign(s.consultant, Opinion.objects.get(request=s.request))
    page = s.client(s.patient).get(reverse("opinions:compare", args=[s.case.pk]))
    rows = {r["dimension"]: r["class"] for r in page.context["comparisons"][0]["rows"]}
    # C50 (from the list) vs C50.4: the consultant's subsite and histology refine it; mastectomy → lumpectomy
    assert rows == {"diagnosis": "refined", "stage": "confirmed", "treatment": "changed"}
    assert "surgery procedure mastectomy → lumpectomy" in page.content.decode()


def test_consultant_adds_codes_to_the_first_opinion() -> None:
    s = Setup(first=False)
    s.client(s.patient).post(
        reverse("opinions:first", args=[s.case.pk]), {"cancer_type": "Breast cancer", "stage_text": "2A"}
    )
    c = s.client(s.consultant)
    url = reverse("opinions:codes", args=[s.case.pk])
    bad = c.post(url, {"site": "C5"})
    assert bad.status_code == 200 and "site" in bad.context["form"].errors
    assert c.post(url, {"site": "C50.4", "histology": "8500/3", "group": "IIA"}).status_code == 302
    first = Opinion.objects.get(case=s.case, source="first")
    assert (
        first.content["diagnosis"]["site"] == "C50.4"
        and first.content["diagnosis"]["site_text"] == "Breast cancer"
    )
    assert AuditEvent.objects.filter(action="opinion.save", actor=s.consultant).exists()
    assert s.client(s.patient).get(url).status_code == 404  # patients use the plain-words form


def test_comparison_page_shows_a_changed_treatment() -> None:
    s = Setup()
    s.signed()
    c = s.client(s.patient)
    page = c.get(reverse("opinions:compare", args=[s.case.pk]))
    rows = {r["dimension"]: r["class"] for r in page.context["comparisons"][0]["rows"]}
    assert rows == {"diagnosis": "confirmed", "stage": "confirmed", "treatment": "changed"}
    html = page.content.decode()
    assert 'data-dimension="treatment" data-class="changed"' in html
    assert "The second doctor changes the treatment plan." in html
    assert "primary modality surgery → chemotherapy" in html
    case_page = c.get(reverse("cases:detail", args=[s.case.pk])).content.decode()
    assert reverse("opinions:compare", args=[s.case.pk]) in case_page


def test_guide_lists_differences_and_links_a_third_opinion() -> None:
    s = Setup()
    s.signed()
    c = s.client(s.patient)
    page = c.get(reverse("opinions:guide", args=[s.case.pk]))
    html = page.content.decode()
    assert "You do not have to switch doctors." in html and 'data-dimension="treatment"' in html
    assert f"previous={s.request.pk}" in page.context["third_url"]
    pdf = c.get(reverse("opinions:guide_pdf", args=[s.case.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_opinion_pdf_contains_the_summary() -> None:
    import pypdfium2

    s = Setup()
    opinion = s.signed()
    response = s.client(s.patient).get(reverse("opinions:pdf", args=[opinion.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    document = pypdfium2.PdfDocument(io.BytesIO(response.content))
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Chemotherapy first is the better plan for you." in " ".join(text.split())


def test_after_the_consent_ends_the_consultant_keeps_their_signed_opinion_only() -> None:
    s = Setup()
    opinion = s.signed()
    c = s.client(s.consultant)
    download = reverse("cases:download", args=[s.document.pk])
    assert c.get(download).status_code == 200
    consult_actions.revoke_consent(s.patient, s.request)
    assert c.get(reverse("opinions:detail", args=[opinion.pk])).status_code == 200
    assert c.get(download).status_code == 404
    assert c.get(reverse("cases:detail", args=[s.case.pk])).status_code == 404
    assert c.get(reverse("opinions:detail", args=[s.first.pk])).status_code == 404
    assert c.get(reverse("opinions:compare", args=[s.case.pk])).status_code == 404


def test_other_consultants_opinions_are_hidden_from_a_consultant() -> None:
    s = Setup()
    mine = s.signed()
    other = make_user("consultant")
    request = consult_actions.create_request(
        s.patient, s.case, kind="independent_specialist", consultant=other
    )
    consult_actions.submit(s.patient, request, {Actor.PATIENT}, [])
    # with an active consent of their own, another consultant sees the first opinion, not the second
    c = s.client(other)
    assert c.get(reverse("opinions:detail", args=[mine.pk])).status_code == 404
    assert c.get(reverse("opinions:detail", args=[s.first.pk])).status_code == 200


def test_companion_reads_signed_but_not_drafts() -> None:
    s = Setup()
    draft = s.draft()
    friend = make_user("companion")
    make_companion(s.case, friend, can_view=True)
    c = s.client(friend)
    assert c.get(reverse("opinions:detail", args=[draft.pk])).status_code == 404
    sign = {"stated_diagnosis": "confirmed", "stated_stage": "confirmed", "stated_treatment": "changed"}
    s.client(s.consultant).post(reverse("opinions:review", args=[s.request.pk]), sign)
    assert c.get(reverse("opinions:detail", args=[draft.pk])).status_code == 200
