"""Case pages: thin — parse, call queries/actions, render."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secondopinion.accounts.models import PERSON_ROLES
from secondopinion.accounts.types import AuthedRequest
from secondopinion.cases import actions, queries
from secondopinion.cases.forms import CaseForm, DiagnosisForm, FirstOpinionForm, MedicineForm, QuestionForm
from secondopinion.core.access import NotFound, Perm


def case_view(perm: Perm = Perm.VIEW, *, audit: bool = True) -> Any:
    """Decorator: resolve `case_id` through the gateway (404 when hidden) and pass the case on."""

    def decorate(view: Any) -> Any:
        @login_required
        def wrapper(request: AuthedRequest, case_id: UUID, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                case = queries.get_case(request.user, case_id, perm, audit=audit)
            except NotFound:
                raise Http404 from None
            return view(request, case, *args, **kwargs)

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return wrapper

    return decorate


def _back(case: Any, anchor: str = "") -> HttpResponse:
    return redirect(case_url(case) + (f"#{anchor}" if anchor else ""))


def case_url(case: Any) -> str:
    from django.urls import reverse

    return reverse("cases:detail", args=[case.pk])


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
    section = render_to_string(f"cases/partials/{name}.html", context, request=request)
    checklist = render_to_string("cases/partials/checklist.html", context, request=request)
    return HttpResponse(section + checklist)


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
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = actions.create_case(request.user, form.cleaned_data)
        messages.success(request, _("Your case is started. Next, tell us what your doctor found."))
        return redirect("cases:diagnosis", case.pk)
    return render(
        request,
        "cases/pages/form.html",
        {"form": form, "heading": _("Start a new case"), "submit": _("Start my case")},
    )


@case_view()
def case_detail(request: AuthedRequest, case: Any) -> HttpResponse:
    packet = queries.packet(request.user, case)
    return render(
        request,
        "cases/pages/detail.html",
        {
            "case": case,
            "packet": packet,
            "is_owner": case.owner_id == request.user.pk,
            "medicine_form": MedicineForm(),
            "question_form": QuestionForm(),
        },
    )


def _edit_section(
    request: HttpRequest, case: Any, form_class: Any, heading: str, anchor: str
) -> HttpResponse:
    form = form_class(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        actions.update_case(
            request.user, queries.get_case(request.user, case.pk, Perm.EDIT, audit=False), data
        )
        messages.success(request, _("Saved."))
        return _back(case, anchor)
    return render(
        request,
        "cases/pages/form.html",
        {"form": form, "heading": heading, "case": case, "submit": _("Save")},
    )


@case_view(Perm.EDIT)
def edit_diagnosis(request: AuthedRequest, case: Any) -> HttpResponse:
    return _edit_section(request, case, DiagnosisForm, _("Your diagnosis, as you know it"), "diagnosis")


@case_view(Perm.EDIT)
def edit_first_opinion(request: AuthedRequest, case: Any) -> HttpResponse:
    return _edit_section(
        request, case, FirstOpinionForm, _("Your first doctor's diagnosis and plan"), "first-opinion"
    )


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
        return _back(case, "medicines")
    if request.method == "POST" and request.htmx:  # type: ignore[attr-defined]
        return _section(request, case, "medicines", medicine_form=form)
    return render(
        request,
        "cases/pages/form.html",
        {"form": form, "case": case, "heading": _("Add a medicine"), "submit": _("Add")},
    )


def _owned(getter: Any, request: HttpRequest, object_id: UUID) -> Any:
    try:
        return getter(request.user, object_id)
    except NotFound:
        raise Http404 from None


@login_required
def edit_medicine(request: AuthedRequest, medicine_id: UUID) -> HttpResponse:
    medicine = _owned(queries.get_medicine, request, medicine_id)
    form = MedicineForm(request.POST or None, instance=medicine)
    if request.method == "POST" and form.is_valid():
        actions.update_medicine(
            request.user, queries.get_medicine(request.user, medicine_id), form.cleaned_data
        )
        messages.success(request, _("Saved."))
        return _back(medicine.case, "medicines")
    return render(
        request,
        "cases/pages/form.html",
        {"form": form, "case": medicine.case, "heading": _("Change a medicine"), "submit": _("Save")},
    )


@login_required
@require_POST
def delete_medicine(request: AuthedRequest, medicine_id: UUID) -> HttpResponse:
    medicine = _owned(queries.get_medicine, request, medicine_id)
    actions.delete_medicine(request.user, medicine)
    messages.success(request, _("Medicine removed."))
    return _back(medicine.case, "medicines")


@case_view(Perm.EDIT, audit=False)
def add_question(request: AuthedRequest, case: Any) -> HttpResponse:
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.add_question(request.user, case, form.cleaned_data["text"])
        if request.htmx:  # type: ignore[attr-defined]
            return _section(request, case, "questions", _("Question added."))
        messages.success(request, _("Question added."))
        return _back(case, "questions")
    if request.method == "POST" and request.htmx:  # type: ignore[attr-defined]
        return _section(request, case, "questions", question_form=form)
    return render(
        request,
        "cases/pages/form.html",
        {"form": form, "case": case, "heading": _("Add a question"), "submit": _("Add")},
    )


@login_required
def edit_question(request: AuthedRequest, question_id: UUID) -> HttpResponse:
    question = _owned(queries.get_question, request, question_id)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        actions.update_question(
            request.user, queries.get_question(request.user, question_id), form.cleaned_data["text"]
        )
        messages.success(request, _("Saved."))
        return _back(question.case, "questions")
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
    question = _owned(queries.get_question, request, question_id)
    actions.move_question(request.user, question, -1 if direction == "up" else 1)
    return _back(question.case, "questions")


@login_required
@require_POST
def delete_question(request: AuthedRequest, question_id: UUID) -> HttpResponse:
    question = _owned(queries.get_question, request, question_id)
    actions.delete_question(request.user, question)
    messages.success(request, _("Question removed."))
    return _back(question.case, "questions")


@case_view(Perm.MANAGE, audit=False)
def access_log(request: AuthedRequest, case: Any) -> HttpResponse:
    rows = queries.access_log(request.user, case)[:500]
    return render(request, "cases/pages/access_log.html", {"case": case, "rows": rows})
