"""Case-level opinion pages: the first opinion, the comparison, the disagreement guide, the decision,
and the first doctor's shared link. Thin — parse, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from secondopinion.accounts.types import AuthedRequest
from secondopinion.cases.views.common import case_url, case_view
from secondopinion.core.access import NotFound, Perm
from secondopinion.core.language import initial_from, keep_form_on_switch
from secondopinion.core.pdf import render_pdf
from secondopinion.opinions import actions, queries
from secondopinion.opinions.comparison import compare_opinions
from secondopinion.opinions.content import comparison_rows
from secondopinion.opinions.forms import CodesForm, DecisionForm
from secondopinion.opinions.forms_first import (
    FirstOpinionForm,
    first_opinion_content,
    first_opinion_initial,
    stage_unreadable,
)


def opinion_label(index: int, opinion: Any) -> str:
    """ "Second opinion — Dr X" for the n-th opinion of a case (the first opinion is number 1)."""
    names = {2: _("Second opinion"), 3: _("Third opinion"), 4: _("Fourth opinion")}
    label = names.get(index, _("Opinion %(n)s") % {"n": index})
    return f"{label} — {opinion.author.full_name}" if opinion.author else label


def doctor_name(opinion: Any) -> str:
    """The name of the clinician who signed (else wrote) an opinion, for "Dr X judged this…"."""
    person = opinion.signed_by or opinion.author
    return person.full_name if person is not None else ""


def third_opinion_url(case: Any, previous: Any) -> str:
    """The consults engineer's new-request page, pre-filled from the case; else the case page."""
    try:
        url = reverse("consults:new", args=[case.pk])
    except NoReverseMatch:
        return case_url(case) + "#requests"
    return f"{url}?previous={previous.request_id}" if previous is not None and previous.request_id else url


def comparisons_for(user: Any, case: Any) -> tuple[Any, list[dict[str, Any]]]:
    """The first opinion, and each signed opinion compared with it (rows: see content.comparison_rows)."""
    first = queries.first_opinion(user, case)
    first_content = first.content if first else {}
    result = []
    for index, opinion in enumerate(queries.signed_opinions(user, case), start=2):
        rows = comparison_rows(
            compare_opinions(first_content, opinion.content),
            first_content,
            opinion.content,
            opinion.stated_change,
            doctor_name(opinion),
        )
        result.append({"opinion": opinion, "label": opinion_label(index, opinion), "rows": rows})
    return first, result


def _cancer_type_choices() -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(stored name, name shown in the page's language) pairs, and each name's ICD-O-3 category."""
    from secondopinion.core.reference import cancer_type_choices, cancer_types

    return cancer_type_choices(), {t.name: t.topography for t in cancer_types()}


def _triage_modalities(user: Any, case: Any) -> list[str]:
    """The treatments the patient named in the case's triage answers (to pre-fill a new first opinion)."""
    from secondopinion.triage.queries import latest_assessment

    assessment = latest_assessment(user, case)
    return list((assessment.answers or {}).get("options_considered") or []) if assessment else []


@case_view(Perm.EDIT, audit=False)
def first_opinion(request: AuthedRequest, case: Any) -> HttpResponse:
    """The one form for the first doctor's diagnosis and plan (the case page's section links here)."""
    existing = queries.first_opinion(request.user, case)
    stored = existing.content if existing else None
    choices, topography = _cancer_type_choices()
    modalities = [] if stored else _triage_modalities(request.user, case)
    stage = (stored or {}).get("stage")
    kept = keep_form_on_switch(request, "first-opinion-form")  # the language switch keeps what was typed
    initial = first_opinion_initial(case, stored, modalities)
    initial |= initial_from(FirstOpinionForm, kept, cancer_types=choices, stage=stage)
    form = FirstOpinionForm(request.POST or None, initial=initial, cancer_types=choices, stage=stage)
    if request.method == "POST" and form.is_valid():
        content = first_opinion_content(form.cleaned_data, topography, stored)
        try:
            actions.save_first_opinion(request.user, case, content, doctor=form.doctor_data())
        except actions.OpinionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Saved. Your first doctor's opinion can now be compared with the next ones.")
            )
            if stage_unreadable(content.get("stage")):  # back to the form: the note is under the stage
                return redirect(reverse("opinions:first", args=[case.pk]) + "#id_stage_text")
            return redirect(case_url(case) + "#first-opinion")
    return render(request, "opinions/pages/first.html", {"form": form, "case": case})


@case_view(Perm.VIEW, audit=False)
def add_codes(request: AuthedRequest, case: Any) -> HttpResponse:
    """Clinicians who may see the case (consultant with a consent, coordinator…) add codes."""
    if not request.user.is_clinician:
        raise Http404
    first = queries.first_opinion(request.user, case)
    if first is None:
        raise Http404
    form = CodesForm(request.POST or None, content=first.content)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_codes(
                request.user, first, form.merged(), [k for k, v in form.cleaned_data.items() if v]
            )
        except actions.OpinionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Codes saved."))
            return redirect(case_url(case) + "#opinions")
    return render(request, "opinions/pages/codes.html", {"form": form, "case": case, "first": first})


@case_view(Perm.VIEW)
def compare(request: AuthedRequest, case: Any) -> HttpResponse:
    first, comparisons = comparisons_for(request.user, case)
    return render(
        request,
        "opinions/pages/compare.html",
        {
            "case": case,
            "first": first,
            "comparisons": comparisons,
            "is_owner": case.owner_id == request.user.pk,
        },
    )


NOTE_LINES = 12  # blank lines for the patient's notes at the end of the discussion guide


def _guide_context(user: Any, case: Any) -> dict[str, Any]:
    first, comparisons = comparisons_for(user, case)
    differences = [(c, r) for c in comparisons for r in c["rows"] if r["lead"] != "confirmed"]
    last = comparisons[-1]["opinion"] if comparisons else None
    return {
        "case": case,
        "patient_name": case.subject_name or case.owner.full_name,
        "note_lines": range(NOTE_LINES),
        "first": first,
        "comparisons": comparisons,
        "differences": differences,
        "third_url": third_opinion_url(case, last),
        "generated": timezone.now(),
    }


@case_view(Perm.VIEW)
def guide(request: AuthedRequest, case: Any) -> HttpResponse:
    return render(request, "opinions/pages/guide.html", _guide_context(request.user, case))


@case_view(Perm.VIEW)
def guide_pdf(request: AuthedRequest, case: Any) -> HttpResponse:
    body = render_pdf("opinions/print/guide.html", _guide_context(request.user, case))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="discussion-guide.pdf"'
    return response


@case_view(Perm.EDIT)
def decision(request: AuthedRequest, case: Any) -> HttpResponse:
    signed = queries.signed_opinions(request.user, case)
    latest = signed[-1] if signed else None
    latest_label = opinion_label(len(signed) + 1, latest) if len(signed) > 1 and latest else ""
    form = DecisionForm(request.POST or None, latest_label=latest_label)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in DecisionForm.Meta.fields}
        if data["share_with_first_doctor"] and not case.first_doctor_email:
            form.add_error("share_with_first_doctor", _("Add your first doctor's e-mail to your case first."))
        else:
            chosen = form.followed_opinion(latest=latest, first=queries.first_opinion(request.user, case))
            actions.record_decision(request.user, case, data, chosen, latest)
            messages.success(request, _("Your decision is saved. You can change it at any time."))
            return redirect(case_url(case) + "#opinions")
    return render(
        request,
        "opinions/pages/decision.html",
        {"form": form, "case": case, "decisions": list(queries.decisions_for_case(request.user, case))},
    )


def shared(request: AuthedRequest, token: str) -> HttpResponse:
    """The first doctor's read-only view of one signed opinion: no account, no other case data."""
    try:
        link = queries.open_share_link(token)
    except NotFound:
        raise Http404 from None
    actions.opened_share(link)
    opinion = link.opinion
    response = render(
        request,
        "opinions/pages/shared.html",
        {
            "opinion": opinion,
            "content": opinion.content,
            "addenda": list(queries.addenda(opinion)),
            "link": link,
        },
    )
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response
