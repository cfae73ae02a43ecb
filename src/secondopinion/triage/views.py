"""The triage pages: anonymous (nothing stored unless the person signs up) and inside a case."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from secondopinion.accounts import actions as account_actions
from secondopinion.accounts.forms import SignupForm
from secondopinion.accounts.models import PERSON_ROLES, Role
from secondopinion.accounts.types import AuthedRequest
from secondopinion.cases import queries as case_queries
from secondopinion.cases.checklist import build_checklist
from secondopinion.core.access import NotFound, Perm
from secondopinion.core.language import initial_from, keep_form_on_switch, mark_form
from secondopinion.core.ratelimit import over_limit
from secondopinion.core.reference import cancer_type_name
from secondopinion.triage import actions
from secondopinion.triage.engine import TriageInputError, run_triage, thresholds_from_settings
from secondopinion.triage.forms import TriageForm
from secondopinion.triage.queries import latest_assessment
from secondopinion.triage.wording import presented

TOKEN_SALT = "secondopinion.triage.answers"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 24 * 3600
RATE_LIMIT = (30, 600)  # answers per client address per 10 minutes
FORM_ID = "triage-form"  # the form the language switch carries (core.language)


def answers_token(answers: dict[str, Any]) -> str:
    return signing.dumps(answers, salt=TOKEN_SALT, compress=True)


def answers_from_token(token: str) -> dict[str, Any] | None:
    try:
        return signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None


def evaluate(answers: dict[str, Any]) -> dict[str, Any]:
    rare_threshold, rural_miles = thresholds_from_settings()
    return run_triage(answers, rare_threshold=rare_threshold, rural_miles=rural_miles)


def _what_to_bring() -> list[Any]:
    return build_checklist(
        document_kinds=[],
        medicine_count=0,
        has_first_diagnosis=False,
        has_first_plan=False,
        question_count=0,
        companion_count=0,
    )


def _run_form(request: HttpRequest, form: TriageForm) -> tuple[dict[str, Any], dict[str, Any]] | None:
    if not form.is_valid():
        return None
    answers = form.answers()
    try:
        return answers, evaluate(answers)
    except TriageInputError as exc:
        field = exc.field if exc.field in form.fields else ("cancer_type" if "cancer" in exc.code else None)
        message = exc.message
        if exc.suggestions:
            message = _("%(message)s Did you mean: %(names)s?") % {
                "message": message,
                "names": ", ".join(exc.suggestions),
            }
        form.add_error(field, message)
        return None


def _form_page(request: HttpRequest, form: TriageForm, case: Any = None, status: int = 200) -> HttpResponse:
    from django.utils.translation import get_language

    from secondopinion.core.reference import cancer_type_choices

    mark_form(request, FORM_ID)
    names = [label for _, label in cancer_type_choices(get_language())]
    return render(
        request, "triage/pages/start.html", {"form": form, "cancer_names": names, "case": case}, status=status
    )


def start(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        kept = keep_form_on_switch(request, FORM_ID)
        return _form_page(request, TriageForm(initial=initial_from(TriageForm, kept)))
    if over_limit(request, "triage", *RATE_LIMIT):
        return render(request, "triage/pages/slow_down.html", status=429)
    form = TriageForm(request.POST)
    outcome = _run_form(request, form)
    if outcome is None:
        return _form_page(request, form, status=400)
    answers, result = outcome
    return render(
        request,
        "triage/pages/result.html",
        {
            "result": presented(result),
            "answers": answers,
            "token": answers_token(answers),
            "what_to_bring": _what_to_bring(),
        },
    )


def save(request: HttpRequest) -> HttpResponse:
    """Keep the answer: a signed-in person gets a new case with it; anyone else signs up first."""
    if request.method != "POST":
        return redirect("triage:start")
    answers = answers_from_token(request.POST.get("token", ""))
    if answers is None:
        messages.error(request, _("Your answers were too old to save. Please answer the questions again."))
        return redirect("triage:start")
    if not request.user.is_authenticated:
        return redirect(f"{reverse('triage:signup')}?t={request.POST['token']}")
    if request.user.role not in PERSON_ROLES:
        messages.error(request, _("Only patients and their companions can keep a case."))
        return redirect("triage:start")
    case = actions.start_case_from_triage(request.user, answers, evaluate(answers))
    messages.success(request, _("Your answer is saved to a new case. Next, add what your doctor told you."))
    return redirect("cases:detail", case.pk)


def signup(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("t", "")
    answers = answers_from_token(token)
    if answers is None:
        messages.error(request, _("Your answers were too old to save. Please answer the questions again."))
        return redirect("triage:start")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = account_actions.sign_up(
            email=data["email"], password=data["password1"], full_name=data["full_name"], role=Role.PATIENT
        )
        actions.start_case_from_triage(user, answers, evaluate(answers))
        return render(
            request, "accounts/pages/check_email.html", {"email": data["email"], "triage_saved": True}
        )
    return render(request, "triage/pages/signup.html", {"form": form, "answers": answers})


def _first_plan_modalities(case: Any) -> list[str]:
    """The treatments of the first doctor's plan (the case's first opinion, its first option)."""
    options = (case_queries.case_first_opinion(case).get("treatment") or {}).get("options") or []
    return list(options[0].get("modalities") or []) if options else []


@login_required
def case_triage(request: AuthedRequest, case_id: UUID) -> HttpResponse:
    """The same questions inside a case, pre-filled from the packet, and saved with it."""
    try:
        case = case_queries.get_case(request.user, case_id, Perm.EDIT)
    except NotFound:
        raise Http404 from None
    if request.method == "POST":
        form = TriageForm(request.POST)
        outcome = _run_form(request, form)
        if outcome is not None:
            answers, result = outcome
            actions.save_assessment(request.user, case, answers, result)
            messages.success(request, _("Your answer is saved with this case."))
            return redirect("triage:case", case.pk)
        return _form_page(request, form, case, status=400)
    previous = latest_assessment(request.user, case)
    initial: dict[str, Any] = (
        TriageForm.initial_from(previous.answers)
        if previous
        else {
            "cancer_type": case.cancer_type,
            "options_considered": _first_plan_modalities(case),
            "already_treated": "yes" if case.treatment_received else "unsure",
        }
    )
    initial["cancer_type"] = cancer_type_name(initial.get("cancer_type") or "")
    if previous is None:
        initial |= initial_from(TriageForm, keep_form_on_switch(request, FORM_ID))
    if previous is not None:
        return render(
            request,
            "triage/pages/result.html",
            {
                "result": presented(previous.result),
                "answers": previous.answers,
                "case": case,
                "saved": previous,
                "what_to_bring": _what_to_bring(),
                "form": TriageForm(initial=initial),
            },
        )
    return _form_page(request, TriageForm(initial=initial), case)
