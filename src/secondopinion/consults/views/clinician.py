"""Consultants' and coordinators' pages and actions: inbox, queue, assignment, appointments,
pathology material, urgent findings. Dense work lists; every write through actions."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from secondopinion.accounts.types import AuthedRequest
from secondopinion.consults import actions, queries
from secondopinion.consults.forms import (
    AssignForm,
    InboxFilterForm,
    MaterialForm,
    ShipmentStepForm,
    SlotFormSet,
    UrgentForm,
)
from secondopinion.consults.ics import appointment_ics
from secondopinion.consults.models import ConsultRequest
from secondopinion.consults.transitions import Actor, IllegalTransition
from secondopinion.consults.views.request import back, refuse, request_view
from secondopinion.core.access import NotFound
from secondopinion.core.audit import AuditAction, Purpose, record
from secondopinion.core.paging import paginate

CONSULTANT = frozenset({Actor.CONSULTANT})
COORDINATOR = frozenset({Actor.COORDINATOR})


def _rows(request: AuthedRequest, program: Any = None) -> tuple[InboxFilterForm, list[dict[str, Any]]]:
    form = InboxFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = []
    for cr in queries.inbox(
        request.user, status=data.get("status", ""), kind=data.get("kind", ""), program=program
    ):
        days = queries.turnaround_days(cr)
        late = queries.overdue(cr)
        if data.get("overdue") and not late:
            continue
        rows.append({"cr": cr, "days": days, "overdue": late})
    record(
        request.user, AuditAction.CASE_LIST, None, Purpose.TREATMENT, entity_type="consults.consultrequest"
    )
    return form, rows


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    if not request.user.is_clinician:
        raise Http404
    form, rows = _rows(request)
    paging = paginate(request, rows)
    return render(
        request,
        "consults/pages/inbox.html",
        {
            "form": form,
            "rows": paging.rows,
            "paging": paging,
            "programs": queries.coordinated_programs(request.user),
        },
    )


@login_required
def program_queue(request: AuthedRequest, program_id: UUID) -> HttpResponse:
    try:
        program = queries.get_coordinated_program(request.user, program_id)
    except NotFound:
        raise Http404 from None
    form, rows = _rows(request, program)
    paging = paginate(request, rows)
    return render(
        request,
        "consults/pages/program.html",
        {
            "program": program,
            "form": form,
            "rows": paging.rows,
            "paging": paging,
            "consultants": program.consultants.order_by("full_name"),
        },
    )


@request_view(needs=COORDINATOR, post=True)
def assign(request: AuthedRequest, cr: ConsultRequest, actors: set[Actor]) -> HttpResponse:
    form = AssignForm(request.POST, consultants=cr.program.consultants.all())  # type: ignore[union-attr]
    if not form.is_valid():
        messages.error(request, _("Choose a consultant of this program."))
        return back(cr)
    try:
        actions.assign(request.user, cr, form.cleaned_data["consultant"])
    except IllegalTransition as exc:
        refuse(request, exc)
        return back(cr)
    messages.success(
        request, _("Assigned to %(name)s.") % {"name": form.cleaned_data["consultant"].full_name}
    )
    return back(cr)


@request_view(needs=CONSULTANT, post=True)
def propose_slots(request: AuthedRequest, cr: ConsultRequest, actors: set[Actor]) -> HttpResponse:
    formset = SlotFormSet(request.POST, prefix="slots")
    if not formset.is_valid():
        for form in formset.forms:
            for field, errors in form.errors.items():
                for error in errors:
                    messages.error(
                        request, f"{form[field].label}: {error}" if field != "__all__" else str(error)
                    )
        for error in formset.non_form_errors():
            messages.error(request, str(error))
        return back(cr, "appointments")
    slots = [f.cleaned_data for f in formset.forms if f.cleaned_data]
    try:
        actions.propose_slots(request.user, cr, slots)
    except IllegalTransition as exc:
        refuse(request, exc)
        return back(cr, "appointments")
    messages.success(request, _("The times were sent to the patient."))
    return back(cr, "appointments")


@request_view(needs=frozenset({Actor.PATIENT}), post=True)
def choose_slot(
    request: AuthedRequest, cr: ConsultRequest, actors: set[Actor], slot_id: UUID
) -> HttpResponse:
    try:
        slot = queries.get_slot(cr, slot_id)
    except NotFound:
        raise Http404 from None
    try:
        actions.choose_slot(request.user, slot)
    except IllegalTransition as exc:
        refuse(request, exc)
        return back(cr, "appointments")
    messages.success(request, _("Your appointment is booked. You can add it to your calendar."))
    return back(cr, "appointments")


@request_view()
def slot_ics(request: AuthedRequest, cr: ConsultRequest, actors: set[Actor], slot_id: UUID) -> HttpResponse:
    try:
        slot = queries.get_slot(cr, slot_id)
    except NotFound:
        raise Http404 from None
    if slot.chosen_at is None:
        raise Http404
    response = HttpResponse(
        appointment_ics(slot, request.get_host().split(":")[0]), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="second-opinion-appointment.ics"'
    response["Cache-Control"] = "no-store"
    return response


@request_view(needs=CONSULTANT, post=True)
def request_material(request: AuthedRequest, cr: ConsultRequest, actors: set[Actor]) -> HttpResponse:
    form = MaterialForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to send."))
        return back(cr, "material")
    try:
        actions.request_material(request.user, cr, form.cleaned_data["material"])
    except IllegalTransition as exc:
        refuse(request, exc)
        return back(cr, "material")
    messages.success(request, _("The patient was asked to have the material sent."))
    return back(cr, "material")


@request_view(needs=frozenset({Actor.PATIENT, Actor.CONSULTANT}), post=True)
def advance_shipment(
    request: AuthedRequest, cr: ConsultRequest, actors: set[Actor], shipment_id: UUID
) -> HttpResponse:
    try:
        shipment = queries.get_shipment(cr, shipment_id)
    except NotFound:
        raise Http404 from None
    form = ShipmentStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the next step."))
        return back(cr, "material")
    data = form.cleaned_data
    try:
        actions.advance_shipment(
            request.user, shipment, data["state"], data["carrier"], data["tracking"], actors=actors
        )
    except IllegalTransition as exc:
        refuse(request, exc)
        return back(cr, "material")
    messages.success(request, _("Saved."))
    return back(cr, "material")


@request_view(needs=CONSULTANT, post=True)
def flag_urgent(request: AuthedRequest, cr: ConsultRequest, actors: set[Actor]) -> HttpResponse:
    form = UrgentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what is urgent."))
        return back(cr, "urgent")
    actions.flag_urgent(request.user, cr, form.cleaned_data["note"])
    messages.success(request, _("The patient and their first doctor were told to call at once."))
    return back(cr)
