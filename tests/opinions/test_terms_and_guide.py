"""Issue 11, item 14 (part): clinical terms explained on tap/keyboard, the glossary page, NCT numbers linked
to the public registry, and the discussion guide's content (page and PDF)."""

from __future__ import annotations

import io

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from secondopinion.opinions import actions
from secondopinion.opinions.glossary import TERMS, registry_url
from tests.opinions.support import Setup, second_content

pytestmark = pytest.mark.django_db
NCT = "NCT04567890"


def rich_opinion(s: Setup) -> object:
    content = second_content(s.request)
    content["diagnosis"] |= {"grade": "2", "site_text": "Breast", "histology_text": "Ductal carcinoma"}
    content["stage"] = {"type": "clinical", "system": "AJCC 8th", "t": "cT2", "n": "cN0", "m": "cM0"}
    content["clinical_trials"] = [{"nct": NCT.lower(), "note": "A trial of shorter radiation"}]
    content["answers"][0]["answer"] = f"Yes, and see {NCT} <b>too</b>."
    draft = actions.save_draft(s.consultant, s.request, content, {})
    return actions.sign(s.consultant, draft)


def pdf_text(content: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(io.BytesIO(content))
    return " ".join(
        " ".join(document[i].get_textpage().get_text_range() for i in range(len(document))).split()
    )


def test_glossary_is_public_and_lists_every_term() -> None:
    response = Client().get(reverse("glossary"))
    assert response.status_code == 200 and reverse("glossary") == "/help/glossary/"
    html = response.content.decode()
    for t in TERMS:
        assert f'id="term-{t.key}"' in html
    assert "T is the main tumor" in html


def test_glossary_switches_language_with_the_page() -> None:
    with translation.override("es"):
        html = Client(HTTP_ACCEPT_LANGUAGE="es").get(reverse("glossary")).content.decode()
    assert '<html lang="es"' in html


def test_terms_in_the_opinion_open_an_explanation_and_link_the_glossary() -> None:
    s = Setup()
    opinion = rich_opinion(s)
    html = s.client(s.patient).get(reverse("opinions:detail", args=[opinion.pk])).content.decode()
    for key in ("grade", "icdo", "t", "n", "m", "ajcc", "intent", "nct"):
        assert f'<details class="so-term" data-term="{key}">' in html, key
        assert f'href="/help/glossary/#term-{key}"' in html
    assert '<span class="so-term__label">cT2</span>' in html  # the value itself opens its explanation
    assert '<span class="so-term__label">Curative</span>' in html
    assert "How different the cancer cells look from normal cells" in html


def test_nct_numbers_link_to_the_public_registry_and_text_stays_escaped() -> None:
    s = Setup()
    opinion = rich_opinion(s)
    html = s.client(s.patient).get(reverse("opinions:detail", args=[opinion.pk])).content.decode()
    assert f'<a class="so-trial-link" href="https://clinicaltrials.gov/study/{NCT}">{NCT}</a>' in html
    assert (
        f'<a href="https://clinicaltrials.gov/study/{NCT}" class="so-trial-link">{NCT}</a> &lt;b&gt;too'
        in html
    )
    assert "<b>too</b>" not in html


def test_trial_links_filter_escapes_and_links() -> None:
    rendered = Template("{% load terms %}{{ t|trial_links }}").render(
        Context({"t": 'See nct01234567 & "<script>"'})
    )
    assert rendered == (
        'See <a href="https://clinicaltrials.gov/study/NCT01234567" class="so-trial-link">NCT01234567</a> '
        "&amp; &quot;&lt;script&gt;&quot;"
    )
    assert registry_url(" nct01234567") == "https://clinicaltrials.gov/study/NCT01234567"


def test_opinion_pdf_prints_terms_as_plain_words() -> None:
    s = Setup()
    opinion = rich_opinion(s)
    text = pdf_text(s.client(s.patient).get(reverse("opinions:pdf", args=[opinion.pk])).content)
    assert "cT2" in text and "More in the glossary" not in text


def test_discussion_guide_holds_name_summary_answers_and_room_for_notes() -> None:
    s = Setup()
    s.case.subject_name = ""
    rich_opinion(s)
    c = s.client(s.patient)
    html = c.get(reverse("opinions:guide", args=[s.case.pk])).content.decode()
    assert f"For {s.patient.full_name}" in html
    assert "Chemotherapy first is the better plan for you." in html
    for q in s.questions():
        assert q.text in html
    assert "Yes, and see" in html and html.count('class="so-notes__line"') == 12
    text = pdf_text(c.get(reverse("opinions:guide_pdf", args=[s.case.pk])).content)
    assert f"For {s.patient.full_name}" in text
    assert "Chemotherapy first is the better plan for you." in text
    questions = s.questions()
    assert questions[0].text in text and f"Yes, and see {NCT}" in text  # each question with its answer
    assert questions[1].text in text and "Yes." in text
    assert "Your notes" in text
