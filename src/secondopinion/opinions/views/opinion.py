"""The consultant's opinion pages and the signed opinion (page, PDF, addenda): thin — parse, call, render."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secondopinion.accounts.types import AuthedRequest
from secondopinion.core.access import NotFound
from secondopinion.core.pdf import render_pdf
from secondopinion.opinions import actions, queries
from secondopinion.opinions.comparison import compare_opinions
from secondopinion.opinions.content import comparison_rows
from secondopinion.opinions.forms import AddendumForm, ConsultOpinionForm
from secondopinion.opinions.signing import REFUSED, SignForm


def _consultant_request(request: AuthedRequest, request_id: UUID) -> Any:
    """The request when the user is its assigned consultant; 404 otherwise."""
    try:
        return queries.assigned_request(request.user, request_id)
    except NotFound:
        raise Http404 from None


def _opinion(request: AuthedRequest, opinion_id: UUID, **kwargs: Any) -> Any:
    try:
        return queries.get_opinion(request.user, opinion_id, **kwargs)
    except NotFound:
        raise Http404 from None


@login_required
def edit(request: AuthedRequest, request_id: UUID) -> HttpResponse:
    req = _consultant_request(request, request_id)
    draft = queries.draft_for_request(request.user, req)
    if draft is not None and draft.signed_at is not None:
        return redirect("opinions:detail", draft.pk)
    if req.status not in actions.EDITABLE_STATUSES:
        raise Http404
    questions = actions.request_questions(req)
    initial = ConsultOpinionForm.initial_from(draft.content, draft.stated_change) if draft else {}
    form = ConsultOpinionForm(request.POST or None, initial=initial, questions=questions, kind=req.kind)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_draft(request.user, req, form.content(), form.stated_change())
        except actions.OpinionError as error:
            form.add_error(None, error.message)
        else:
            if "review" in request.POST:
                return redirect("opinions:review", req.pk)
            messages.success(request, _("Draft saved. The patient cannot see it until you sign."))
            return redirect("opinions:edit", req.pk)
    return render(
        request,
        "opinions/pages/edit.html",
        {
            "form": form,
            "req": req,
            "case": req.case,
            "draft": draft,
            "pathology": req.kind == "pathology_review",
        },
    )


@login_required
def review(request: AuthedRequest, request_id: UUID) -> HttpResponse:
    """Before signing: the computed comparison beside the consultant's stated class, which they confirm or
    correct for every dimension; and a preview of exactly what the patient will read."""
    req = _consultant_request(request, request_id)
    draft = queries.draft_for_request(request.user, req)
    if draft is None:
        messages.info(request, _("Save a draft first."))
        return redirect("opinions:edit", req.pk)
    if draft.signed_at is not None:
        return redirect("opinions:detail", draft.pk)
    first = queries.first_opinion(request.user, req.case)
    first_content = first.content if first else {}
    rows = comparison_rows(
        compare_opinions(first_content, draft.content), first_content, draft.content, draft.stated_change
    )
    missing = actions.unanswered(req, draft.content)
    form = SignForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, str(REFUSED))
        else:
            try:
                actions.sign(request.user, draft, form.stated())
            except actions.OpinionError as error:
                messages.error(
                    request, error.message + (" " + "; ".join(error.questions) if error.questions else "")
                )
            else:
                messages.success(request, _("Signed. The patient can now read your opinion."))
                return redirect("opinions:detail", draft.pk)
    return render(
        request,
        "opinions/pages/review.html",
        {
            "req": req,
            "case": req.case,
            "draft": draft,
            "first": first,
            "rows": rows,
            "mismatches": [r for r in rows if r["mismatch"]],
            "missing": missing,
            "form": form,
            "preview": draft.content,
        },
    )


def _detail_context(opinion: Any) -> dict[str, Any]:
    return {"opinion": opinion, "content": opinion.content, "addenda": list(queries.addenda(opinion))}


@login_required
def detail(request: AuthedRequest, opinion_id: UUID) -> HttpResponse:
    opinion = _opinion(request, opinion_id)
    context = _detail_context(opinion)
    context["can_add"] = opinion.signed_at is not None and opinion.author_id == request.user.pk
    context["addendum_form"] = AddendumForm()
    context["is_owner"] = opinion.case.owner_id == request.user.pk
    return render(request, "opinions/pages/detail.html", context)


@login_required
def pdf(request: AuthedRequest, opinion_id: UUID) -> HttpResponse:
    opinion = _opinion(request, opinion_id, detail={"format": "pdf"})
    if opinion.signed_at is None:
        raise Http404
    body = render_pdf("opinions/print/opinion.html", _detail_context(opinion))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="opinion-{opinion.pk}.pdf"'
    return response


@login_required
@require_POST
def addendum(request: AuthedRequest, opinion_id: UUID) -> HttpResponse:
    opinion = _opinion(request, opinion_id, audit=False)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            actions.add_addendum(request.user, opinion, form.cleaned_data["text"])
        except actions.OpinionError:
            raise Http404 from None
        messages.success(request, _("Addendum added."))
    else:
        messages.error(request, _("Write the addendum first."))
    return redirect("opinions:detail", opinion.pk)


def glossary(request: HttpRequest) -> HttpResponse:
    """Public: the clinical terms of an opinion in plain words (linked from the terms on opinion pages)."""
    from secondopinion.opinions.glossary import TERMS

    return render(request, "opinions/pages/glossary.html", {"terms": TERMS})
