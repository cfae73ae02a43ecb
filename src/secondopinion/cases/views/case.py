"""Case pages: thin — parse, call queries/actions, render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secondopinion.accounts.models import PERSON_ROLES
from secondopinion.accounts.types import AuthedRequest
from secondopinion.cases import actions, queries
from secondopinion.cases.forms import CaseForm, DiagnosisForm, MedicineForm, QuestionForm
from secondopinion.cases.views.common import back_to_case, case_view, owned
from secondopinion.cases.wording import what_words, who_words
from secondopinion.core import contributions
from secondopinion.core.access import Perm
from secondopinion.core.language import initial_from, keep_form_on_switch
from secondopinion.core.paging import paginate

CASE_FORM_ID = "case-form"  # the form of cases/pages/form.html the language switch carries


def _section(request: AuthedRequest, case: Any, name: str, saved: str = "", **forms: Any) -> HttpResponse:
    """One section of the case page for htmx to swap in, with the checklist updated out of band."""
    context = {
        "case": case,
        "packet": queries.packet(request.user, case),
        "is_owner": case.owner_id == request.user.pk,
        "medicine_form": forms.get("medicine_form") or MedicineForm(),
        "question_form": forms.get("question_form") or QuestionForm(),
        "saved": saved,
        "oob": True,
    }
    context |= _contributed(request.user, case, context["packet"])
    section = render_to_string(f"cases/partials/{name}.html", context, request=request)
    checklist = render_to_string("cases/partials/checklist.html", context, request=request)
    journey = render_to_string("cases/partials/journey.html", context, request=request)
    return HttpResponse(section + checklist + journey)


@login_required
def case_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "cases/pages/list.html",
        {
            "cases": queries.cases_for(request.user),
            "can_create": request.user.role in PERSON_ROLES,
        },
    )


@login_required
def case_create(request: AuthedRequest) -> HttpResponse:
    if request.user.role not in PERSON_ROLES:
        raise PermissionDenied
    kept = keep_form_on_switch(request, CASE_FORM_ID)
    form = CaseForm(request.POST or None, initial=initial_from(CaseForm, kept))
    if request.method == "POST" and form.is_valid():
        case = actions.create_case(request.user, form.cleaned_data)
        messages.success(request, _("Your case is started. Next, tell us what your doctor found."))
        return redirect("cases:diagnosis", case.pk)
    return render(
        request,
        "cases/pages/form.html",
        {"form": form, "heading": _("Start a new case"), "submit": _("Start my case")},
    )


@dataclass(frozen=True)
class CasePage:
    """What the apps that add to the case page (core.contributions, page "cases.case") get to read."""

    case: Any
    packet: Any


def _contributed(user: Any, case: Any, packet: Any) -> dict[str, Any]:
    """The journey, the decision and what follows it, from the apps that know requests and opinions."""
    return contributions.context("cases.case", user, CasePage(case, packet))


@case_view()
def case_detail(request: AuthedRequest, case: Any) -> HttpResponse:
    packet = queries.packet(request.user, case)
    return render(
        request,
        "cases/pages/detail.html",
        {
            "case": case,
            "packet": packet,
            **_contributed(request.user, case, packet),
            "is_owner": case.owner_id == request.user.pk,
            "medicine_form": MedicineForm(),
            "question_form": QuestionForm(),
        },
    )


def _edit_section(
    request: HttpRequest, case: Any, form_class: Any, heading: str, anchor: str
) -> HttpResponse:
    kept = keep_form_on_switch(request, CASE_FORM_ID)
    form = form_class(
        request.POST or None, instance=case, initial=initial_from(form_class, kept, instance=case)
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        actions.update_case(
            request.user, queries.get_case(request.user, case.pk, Perm.EDIT, audit=False), data
        )
        messages.success(request, _("Saved."))
        return back_to_case(case, anchor)
    return render(
        request,
        "cases/pages/form.html",
        {"form": form, "heading": heading, "case": case, "submit": _("Save")},
    )


@case_view(Perm.EDIT)
def edit_diagnosis(request: AuthedRequest, case: Any) -> HttpResponse:
    return _edit_section(request, case, DiagnosisForm, _("Your diagnosis, as you know it"), "diagnosis")


@case_view(Perm.EDIT)
def edit_case(request: AuthedRequest, case: Any) -> HttpResponse:
    return _edit_section(request, case, CaseForm, _("About this case"), "")


@case_view(Perm.EDIT, audit=False)
def add_medicine(request: AuthedRequest, case: Any) -> HttpResponse:
    form = MedicineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_medicine(request.user, case, form.cleaned_data)
        if request.htmx:  # type: ignore[attr-defined]
            return _section(request, case, "medicines", _("Medicine added."))
        messages.success(request, _("Medicine added."))
        return back_to_case(case, "medicines")
    if request.method == "POST" and request.htmx:  # type: ignore[attr-defined]
        return _section(request, case, "medicines", medicine_form=form)
    return render(
        request,
        "cases/pages/form.html",
        {"form": form, "case": case, "heading": _("Add a medicine"), "submit": _("Add")},
    )


@login_required
def edit_medicine(request: AuthedRequest, medicine_id: UUID) -> HttpResponse:
    medicine = owned(queries.get_medicine, request, medicine_id)
    form = MedicineForm(request.POST or None, instance=medicine)
    if request.method == "POST" and form.is_valid():
        actions.update_medicine(
            request.user, queries.get_medicine(request.user, medicine_id), form.cleaned_data
        )
        messages.success(request, _("Saved."))
        return back_to_case(medicine.case, "medicines")
    return render(
        request,
        "cases/pages/form.html",
        {"form": form, "case": medicine.case, "heading": _("Change a medicine"), "submit": _("Save")},
    )


@login_required
@require_POST
def delete_medicine(request: AuthedRequest, medicine_id: UUID) -> HttpResponse:
    medicine = owned(queries.get_medicine, request, medicine_id)
    actions.delete_medicine(request.user, medicine)
    messages.success(request, _("Medicine removed."))
    return back_to_case(medicine.case, "medicines")


@case_view(Perm.EDIT, audit=False)
def add_question(request: AuthedRequest, case: Any) -> HttpResponse:
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_question(request.user, case, form.cleaned_data["text"])
        if request.htmx:  # type: ignore[attr-defined]
            return _section(request, case, "questions", _("Question added."))
        messages.success(request, _("Question added."))
        return back_to_case(case, "questions")
    if request.method == "POST" and request.htmx:  # type: ignore[attr-defined]
        return _section(request, case, "questions", question_form=form)
    return render(
        request,
        "cases/pages/form.html",
        {"form": form, "case": case, "heading": _("Add a question"), "submit": _("Add")},
    )


@login_required
def edit_question(request: AuthedRequest, question_id: UUID) -> HttpResponse:
    question = owned(queries.get_question, request, question_id)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        actions.update_question(
            request.user, queries.get_question(request.user, question_id), form.cleaned_data["text"]
        )
        messages.success(request, _("Saved."))
        return back_to_case(question.case, "questions")
    return render(
        request,
        "cases/pages/form.html",
        {"form": form, "case": question.case, "heading": _("Change a question"), "submit": _("Save")},
    )


@login_required
@require_POST
def move_question(request: AuthedRequest, question_id: UUID, direction: str) -> HttpResponse:
    if direction not in ("up", "down"):
        raise Http404
    question = owned(queries.get_question, request, question_id)
    actions.move_question(request.user, question, -1 if direction == "up" else 1)
    return back_to_case(question.case, "questions")


@login_required
@require_POST
def delete_question(request: AuthedRequest, question_id: UUID) -> HttpResponse:
    question = owned(queries.get_question, request, question_id)
    actions.delete_question(request.user, question)
    messages.success(request, _("Question removed."))
    return back_to_case(question.case, "questions")


@case_view(Perm.MANAGE, audit=False)
def access_log(request: AuthedRequest, case: Any) -> HttpResponse:
    paging = paginate(request, queries.access_log(request.user, case))
    documents = queries.logged_documents(request.user, case, paging.rows)
    for row in paging.rows:  # the words are chosen now: audit rows hold ids, never document names
        row.who = who_words(row, request.user.pk)
        row.what = what_words(row.action, row.entity_type, row.detail, documents.get(row.entity_id))
    return render(
        request, "cases/pages/access_log.html", {"case": case, "rows": paging.rows, "paging": paging}
    )
