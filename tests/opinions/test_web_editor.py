"""The consultant's editor, review and signing, through HTTP."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondopinion.consults.models import StatusChange
from secondopinion.core.models import AppendOnlyError, AuditEvent
from secondopinion.opinions.models import Opinion
from tests.opinions.support import Setup, editor_post

pytestmark = pytest.mark.django_db
# The sign form: a class for every dimension (the computed ones here).
SIGN = {"stated_diagnosis": "confirmed", "stated_stage": "confirmed", "stated_treatment": "changed"}


def test_editor_saves_a_draft_invisible_to_the_patient() -> None:
    s = Setup()
    c = s.client(s.consultant)
    url = reverse("opinions:edit", args=[s.request.pk])
    assert c.get(url).status_code == 200
    response = c.post(url, editor_post(s, save="1"))
    assert response.status_code == 302
    draft = Opinion.objects.get(request=s.request)
    assert draft.signed_at is None
    assert draft.content["treatment"]["options"][0]["modalities"] == ["chemotherapy"]
    assert AuditEvent.objects.filter(action="opinion.save", entity_id=str(draft.pk)).exists()
    patient = s.client(s.patient)
    assert patient.get(reverse("opinions:detail", args=[draft.pk])).status_code == 404
    assert str(draft.pk) not in patient.get(reverse("cases:detail", args=[s.case.pk])).content.decode()


def test_editor_shows_format_errors_on_the_field() -> None:
    s = Setup()
    c = s.client(s.consultant)
    response = c.post(reverse("opinions:edit", args=[s.request.pk]), editor_post(s, site="C5", t="T9"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "site" in form.errors
    assert "diagnosis.site" in form.errors["site"][0]
    assert not Opinion.objects.filter(request=s.request).exists()


def test_editor_is_hidden_from_others() -> None:
    s = Setup()
    url = reverse("opinions:edit", args=[s.request.pk])
    assert s.client(s.patient).get(url).status_code == 404
    from tests.factories import make_user

    assert s.client(make_user("consultant")).get(url).status_code == 404


def test_signing_refused_with_an_unanswered_question() -> None:
    s = Setup()
    c = s.client(s.consultant)
    first_q = s.questions()[0]
    c.post(reverse("opinions:edit", args=[s.request.pk]), editor_post(s, **{f"answer_{first_q.pk}": ""}))
    review = reverse("opinions:review", args=[s.request.pk])
    page = c.get(review).content.decode()
    assert first_q.text in page
    response = c.post(review, follow=True)
    assert first_q.text in response.content.decode()
    assert Opinion.objects.get(request=s.request).signed_at is None
    s.request.refresh_from_db()
    assert s.request.status == "in-progress"


def test_discuss_in_person_counts_as_an_answer() -> None:
    s = Setup()
    c = s.client(s.consultant)
    q = s.questions()[0]
    c.post(
        reverse("opinions:edit", args=[s.request.pk]),
        editor_post(s, **{f"answer_{q.pk}": "", f"discuss_{q.pk}": "on"}),
    )
    c.post(reverse("opinions:review", args=[s.request.pk]), SIGN)
    assert Opinion.objects.get(request=s.request).signed_at is not None


def test_review_points_out_a_stated_change_mismatch() -> None:
    s = Setup()
    c = s.client(s.consultant)
    c.post(reverse("opinions:edit", args=[s.request.pk]), editor_post(s, stated_treatment="confirmed"))
    response = c.get(reverse("opinions:review", args=[s.request.pk]))
    assert [r["dimension"] for r in response.context["mismatches"]] == ["treatment"]
    assert 'id="mismatches"' in response.content.decode()
    c.post(reverse("opinions:edit", args=[s.request.pk]), editor_post(s, stated_treatment="changed"))
    assert reverse("opinions:review", args=[s.request.pk])
    assert c.get(reverse("opinions:review", args=[s.request.pk])).context["mismatches"] == []


def test_signing_completes_the_request_and_freezes_the_opinion() -> None:
    s = Setup()
    c = s.client(s.consultant)
    c.post(reverse("opinions:edit", args=[s.request.pk]), editor_post(s))
    response = c.post(reverse("opinions:review", args=[s.request.pk]), SIGN)
    opinion = Opinion.objects.get(request=s.request)
    assert response.status_code == 302 and opinion.signed_at and opinion.signed_by == s.consultant
    s.request.refresh_from_db()
    assert s.request.status == "completed"
    change = StatusChange.objects.filter(request=s.request).last()
    assert (change.target, change.actor_kind) == ("completed", "system")
    assert AuditEvent.objects.filter(action="opinion.sign", entity_id=str(opinion.pk)).exists()
    # editing again is refused: the editor now redirects to the signed opinion, and the model refuses
    edit = c.post(reverse("opinions:edit", args=[s.request.pk]), editor_post(s, summary_plain="changed"))
    assert edit.status_code == 302 and edit["Location"] == reverse("opinions:detail", args=[opinion.pk])
    opinion.content = {}
    with pytest.raises(AppendOnlyError):
        opinion.save()
    # an addendum works
    c.post(reverse("opinions:addendum", args=[opinion.pk]), {"text": "Also check vitamin D."})
    assert opinion.addenda.get().text == "Also check vitamin D."
    assert AuditEvent.objects.filter(action="opinion.addendum").exists()
    page = s.client(s.patient).get(reverse("opinions:detail", args=[opinion.pk])).content.decode()
    assert "Also check vitamin D." in page and "Chemotherapy first" in page


def test_pathology_review_has_concordance_fields() -> None:
    s = Setup(kind="pathology_review")
    c = s.client(s.consultant)
    response = c.post(
        reverse("opinions:edit", args=[s.request.pk]),
        editor_post(
            s, concordance="minor_discrepancy", revised_diagnosis="Lobular", further_tests="E-cadherin"
        ),
    )
    assert response.status_code == 302
    pathology = Opinion.objects.get(request=s.request).content["pathology"]
    assert pathology == {
        "concordance": "minor_discrepancy",
        "revised_diagnosis": "Lobular",
        "further_tests": "E-cadherin",
    }
