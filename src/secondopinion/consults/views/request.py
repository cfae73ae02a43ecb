"""The request page, moves and messages: thin — parse, call queries/actions, render."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secondopinion.accounts.types import AuthedRequest
from secondopinion.consults import actions, queries
from secondopinion.consults.forms import (
    AssignForm,
    ConsentForm,
    MaterialForm,
    MessageForm,
    MoveForm,
    SlotFormSet,
    UrgentForm,
)
from secondopinion.consults.models import ConsultRequest, Kind
from secondopinion.consults.transitions import (
    FINAL,
    Actor,
    IllegalTransition,
    Status,
    allowed_targets,
    find_move,
)
from secondopinion.consults.wording import MOVE_LABELS, NEXT_FOR_CLINICIAN, NEXT_FOR_PATIENT
from secondopinion.core import storage
from secondopinion.core.access import NotFound, Perm
from secondopinion.core.audit import AuditAction, Outcome, Purpose, record
from secondopinion.core.downloads import stored_file
from secondopinion.core.sniff import UploadRejected
from secondopinion.core.uploads import discard_request_files
from secondopinion.triage.wording import REASON_TITLES

CLINICIANS = frozenset({Actor.CONSULTANT, Actor.COORDINATOR})
# Moves never offered as buttons: automatic ones, and "completed", which only signing the opinion makes.
NOT_BUTTONS = frozenset({Status.RECEIVED, Status.COMPLETED, Status.REQUESTED})


def request_view(
    perm: Perm = Perm.VIEW, *, audit: bool = False, needs: frozenset[Actor] | None = None, post: bool = False
) -> Any:
    """Decorator: sign-in, then (for `post`) POST only, then resolve `request_id` through the gateway
    (404 when hidden) and pass the request and the user's actor kinds on; `needs`: the actor kinds
    that may use the view (else 404)."""

    def decorate(view: Any) -> Any:
        @login_required
        @(require_POST if post else (lambda f: f))
        def wrapper(request: AuthedRequest, request_id: UUID, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                cr = queries.get_request(request.user, request_id, perm, audit=audit)
            except NotFound:
                raise Http404 from None
            actors = queries.actor_kinds(request.user, cr)
            if needs is not None and not (actors & needs):
                raise Http404
            return view(request, cr, actors, *args, **kwargs)

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return wrapper

    return decorate


def back(cr: ConsultRequest, anchor: str = "") -> HttpResponse:
    return redirect(reverse("consults:detail", args=[cr.pk]) + (f"#{anchor}" if anchor else ""))


def refuse(request: HttpRequest, exc: IllegalTransition) -> None:
    messages.error(request, exc.message)


def moves_for(cr: ConsultRequest, actors: set[Actor]) -> list[dict[str, Any]]:
    targets = [t for t in allowed_targets(cr.status, actors) if t not in NOT_BUTTONS]
    return [
        {
            "target": str(t),
            "label": MOVE_LABELS.get(t, t),
            "reason": bool((move := find_move(Status(cr.status), t)) and move.needs_reason),
        }
        for t in targets
    ]


@request_view(audit=True)
def request_detail(request: AuthedRequest, cr: ConsultRequest, actors: set[Actor]) -> HttpResponse:
    if actors & CLINICIANS and cr.status == Status.REQUESTED:
        actions.mark_received(request.user, cr)
    return render_detail(request, cr, actors)


def render_detail(
    request: AuthedRequest,
    cr: ConsultRequest,
    actors: set[Actor],
    *,
    consent_form: ConsentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The request page; `consent_form`: the patient's sharing form as they sent it, shown with its errors."""
    is_patient = Actor.PATIENT in actors
    is_clinician = bool(actors & CLINICIANS)
    is_referrer = Actor.REFERRER in actors
    consent = queries.latest_consent(cr)
    context: dict[str, Any] = {
        "cr": cr,
        "case": cr.case,
        "is_patient": is_patient,
        "is_consultant": Actor.CONSULTANT in actors,
        "is_coordinator": Actor.COORDINATOR in actors,
        "is_clinician": is_clinician,
        "is_referrer": is_referrer,
        "may_send": bool(actors & {Actor.PATIENT, Actor.REFERRER}),
        "started_for": cr.created_by if cr.created_by_id and cr.created_by_id != cr.case.owner_id else None,
        "show_thread": queries.reads_thread(actors),
        "may_write": bool(actors & {Actor.PATIENT, Actor.COMPANION, Actor.CONSULTANT, Actor.COORDINATOR}),
        "next": (NEXT_FOR_CLINICIAN if is_clinician and not is_patient else NEXT_FOR_PATIENT).get(
            Status(cr.status), ""
        ),
        "history": queries.status_history(cr),
        "thread": queries.messages(cr) if queries.reads_thread(actors) else [],
        "slots": list(queries.slots(cr)),
        "shipments": queries.shipments(cr),
        "urgent": list(queries.urgent_findings(cr)),
        "questions": queries.sent_questions(cr),
        "reasons": [REASON_TITLES.get(code, code) for code in cr.reason_codes],
        "terms": queries.target_terms(cr),
        "expected_by": queries.expected_by(cr),
        "consent": consent,
        "consent_active": bool(consent and consent.is_active),
        "moves": moves_for(cr, actors),
        "message_form": MessageForm(),
        "is_pathology": cr.kind == Kind.PATHOLOGY_REVIEW,
        "open": cr.status not in FINAL,
    }
    context["chosen_slot"] = next((s for s in context["slots"] if s.chosen_at), None)
    if is_clinician:
        context["documents"] = queries.shared_documents(request.user, cr)
    elif consent is not None:
        context["documents"] = queries.consent_documents(request.user, consent)
    if (is_patient or is_referrer) and cr.status == Status.DRAFT:
        context["case_questions"] = queries.case_questions(request.user, cr.case)
    if is_patient:
        initial = {
            "documents": list(queries.consent_documents(request.user, consent)) if consent else [],
            "consent_days": queries.sharing_days(consent),
        }
        if consent_form is None:
            consent_form = ConsentForm(
                initial=initial, documents=queries.case_documents(request.user, cr.case)
            )
        context["consent_form"] = consent_form
    if Actor.CONSULTANT in actors:
        context["slot_formset"] = SlotFormSet(prefix="slots")
        context["material_form"] = MaterialForm()
        context["urgent_form"] = UrgentForm()
    if Actor.COORDINATOR in actors and cr.program_id:
        context["assign_form"] = AssignForm(
            initial={"consultant": cr.consultant_id},
            consultants=cr.program.consultants.order_by("full_name"),  # type: ignore[union-attr]
        )
    return render(request, "consults/pages/detail.html", context, status=status)


@request_view(post=True)
def request_move(request: AuthedRequest, cr: ConsultRequest, actors: set[Actor]) -> HttpResponse:
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do."))
        return back(cr)
    target, reason = form.cleaned_data["target"], form.cleaned_data["reason"]
    if target not in Status.__members__.values() or Status(target) in NOT_BUTTONS - {Status.REQUESTED}:
        messages.error(request, _("This change cannot be made here."))
        return back(cr)
    try:
        if target == Status.REQUESTED:
            actions.submit(request.user, cr, actors, queries.case_questions(request.user, cr.case))
        elif target == Status.ON_HOLD and reason.strip():
            actions.put_on_hold(request.user, cr, actors, reason.strip())
        else:
            actions.move(request.user, cr, Status(target), actors, reason.strip())
    except IllegalTransition as exc:
        refuse(request, exc)
        return back(cr)
    messages.success(request, _("Done. The request is now: %(status)s.") % {"status": _status_label(target)})
    return back(cr)


def _status_label(target: str) -> str:
    from secondopinion.consults.models import STATUS_CHOICES

    return str(dict(STATUS_CHOICES).get(Status(target), target))


@request_view(Perm.ASK, post=True)
def post_message(request: AuthedRequest, cr: ConsultRequest, actors: set[Actor]) -> HttpResponse:
    if not actors & {Actor.PATIENT, Actor.COMPANION, Actor.CONSULTANT, Actor.COORDINATOR}:
        raise Http404
    try:
        form = MessageForm(request.POST, request.FILES)
    except MultiPartParserError:
        messages.error(request, _("The message did not arrive complete. Please try again."))
        return back(cr, "messages")
    rejection: UploadRejected | None = getattr(request, "upload_error", None)
    valid = form.is_valid()
    if rejection is not None:
        form.errors["attachment"] = form.error_class([str(rejection.message)])
        valid = False
    if not valid:
        discard_request_files(request)
        record(
            request.user,
            AuditAction.DOCUMENT_UPLOAD_REJECTED,
            cr,
            Purpose.PATIENT_REQUEST,
            outcome=Outcome.FAILED,
            case_id=cr.case_id,
            detail={"code": rejection.code if rejection else "invalid_form"},
        )
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return back(cr, "messages")
    upload = form.cleaned_data["attachment"]
    try:
        actions.post_message(request.user, cr, form.cleaned_data["body"], actors, upload or None)
    except Exception:
        if upload:
            storage.discard(upload)
        raise
    messages.success(request, _("Your message was sent."))
    return back(cr, "messages")


@request_view()
def message_attachment(
    request: AuthedRequest, cr: ConsultRequest, actors: set[Actor], message_id: UUID
) -> HttpResponseBase:
    try:
        if not queries.reads_thread(actors):
            raise NotFound
        message = queries.get_attachment(request.user, cr, message_id, actors)
    except NotFound:
        raise Http404 from None
    return stored_file(
        message.attachment_key, message.attachment_name, message.attachment_type, message.attachment_size
    )
