"""Review pages: write a review of a practitioner or a center, report a review, the moderation queue and a
moderator's decision. Thin: parse, call `queries`/`actions`, render. Rules: docs/directory-reviews.md."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from secondopinion.accounts.permissions import admin_required
from secondopinion.accounts.types import AuthedRequest

from . import actions, queries
from .forms import ModerationForm, ReportForm, ReviewForm
from .rules import CAVEAT, ReviewRefused, card


def _posted(request: AuthedRequest) -> Any:
    """The form data of a POST (an empty one too: its errors are shown), else None."""
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def review_practitioner(request: AuthedRequest, npi: str) -> HttpResponse:
    practitioner = queries.reviewable_practitioner(npi)
    if practitioner is None:
        raise Http404
    subject_page = reverse("directory:practitioner", args=[practitioner.npi])
    return _review_page(
        request, {"practitioner": practitioner}, practitioner.display_name, subject_page, is_center=False
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_center(request: AuthedRequest, org_id: int) -> HttpResponse:
    organization = queries.reviewable_center(org_id)
    if organization is None:
        raise Http404
    subject_page = reverse("directory:center", args=[organization.pk])
    return _review_page(
        request, {"organization": organization}, organization.name, subject_page, is_center=True
    )


def _review_page(
    request: AuthedRequest, subject: dict[str, Any], name: str, subject_page: str, *, is_center: bool
) -> HttpResponse:
    """The form for an eligible author; otherwise a page that says why not (403 to a refused POST)."""
    eligibility = queries.review_eligibility(request.user, **subject)
    context: dict[str, Any] = {
        "name": name,
        "subject_page": subject_page,
        "is_center": is_center,
        "caveat": CAVEAT,
        "existing": eligibility.existing,
    }
    template = "reviews/pages/review_write.html"
    if eligibility.existing is not None:
        return render(request, template, {**context, "state": "already"})
    if eligibility.request is None:
        status = 403 if request.method == "POST" else 200
        return render(request, template, {**context, "state": "not_eligible"}, status=status)
    form = ReviewForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_review(
                request.user, **subject, scores=form.scores(), text=form.cleaned_data["text"]
            )
        except ReviewRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you. Your review is published, without your name."))
            return redirect(f"{subject_page}#reviews")
    return render(request, template, {**context, "state": "form", "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def report_review(request: AuthedRequest, review_id: UUID) -> HttpResponse:
    review = queries.reportable_review(review_id)
    if review is None:
        raise Http404
    shown = card(review)
    context: dict[str, Any] = {"review": shown, "existing": queries.own_report(request.user, review)}
    if context["existing"] is not None:
        return render(request, "reviews/pages/review_report.html", context)
    form = ReportForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.report_review(
                request.user, review, form.cleaned_data["reason"], form.cleaned_data["detail"]
            )
        except ReviewRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you. A moderator will read the review and decide."))
            return redirect(f"{shown['subject']['url']}#reviews")
    return render(request, "reviews/pages/review_report.html", {**context, "form": form})


@admin_required
@require_GET
def moderation(request: AuthedRequest) -> HttpResponse:
    return render(request, "reviews/pages/moderation.html", {"queue": queries.moderation_queue()})


@admin_required
@require_http_methods(["GET", "POST"])
def moderate_review(request: AuthedRequest, review_id: UUID) -> HttpResponse:
    found = queries.review_for_moderation(review_id)
    if found is None:
        raise Http404
    review, shown = found
    form = ModerationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            actions.moderate_review(request.user, review, decision, form.cleaned_data["note"])
        except ReviewRefused as exc:
            form.add_error(None, exc.message)
        else:
            done = _("The review is published again.") if decision == "keep" else _("The review is removed.")
            messages.success(request, done)
            return redirect("reviews:moderation")
    return render(request, "reviews/pages/moderation_decision.html", {"review": shown, "form": form})
