"""The patient's pages: ask for a second opinion, and change or stop what is shared."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from secondopinion.accounts.types import AuthedRequest
from secondopinion.cases.views.common import case_view
from secondopinion.consults import actions, queries
from secondopinion.consults.forms import KIND_HELP, ConsentForm, NewRequestForm
from secondopinion.consults.models import ConsultRequest, Kind
from secondopinion.consults.transitions import Actor, IllegalTransition
from secondopinion.consults.views.request import back, refuse, render_detail, request_view
from secondopinion.core.access import NotFound, Perm
from secondopinion.triage.wording import REASON_TITLES


def _targets() -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Programs and verified consultants, with what a patient should know before choosing."""
    options: list[dict[str, Any]] = []
    for program in queries.programs():
        options.append(
            {
                "value": f"program:{program.pk}",
                "name": program.name,
                "what": _program_what(program),
                "kinds": program.kinds,
                "fee": program.fee_notes,
                "insurance": program.insurance_notes,
                "days": program.turnaround_days,
                "object": program,
            }
        )
    for user in queries.verified_consultants():
        profile = getattr(user, "consult_profile", None)
        clinician = user.clinician_profile
        options.append(
            {
                "value": f"consultant:{user.pk}",
                "name": user.full_name,
                "what": ", ".join(x for x in (clinician.specialty, clinician.institution) if x),
                "kinds": [],
                "fee": profile.fee_notes if profile else "",
                "insurance": profile.insurance_notes if profile else "",
                "days": profile.turnaround_days if profile else 5,
                "object": user,
            }
        )
    return options, [(o["value"], o["name"]) for o in options]


def _program_what(program: Any) -> str:
    """What the program is, unless its name already says it (no "X Center Program — X Center")."""
    institution = program.institution.strip()
    if institution and institution.casefold() in program.name.casefold():
        return ""
    return institution or _("Second-opinion program")


def _previous_request(request: AuthedRequest, case: Any) -> ConsultRequest | None:
    """The request a third opinion follows (`?previous=<id>`), if it is one of this case's and visible."""
    wanted = request.GET.get("previous")
    if not wanted:
        return None
    try:
        previous = queries.get_request(request.user, wanted, audit=False)
    except NotFound:
        return None
    return previous if previous.case_id == case.pk else None


@case_view(Perm.REQUEST, audit=False)
def new_request(request: AuthedRequest, case: Any) -> HttpResponse:
    """One page: the kind, who, why, what to share and for how long; then a review before sending.
    The patient uses it, or their referring doctor with the patient's consent (Perm.REQUEST)."""
    options, choices = _targets()
    documents = queries.case_documents(request.user, case)
    assessment = _latest_assessment(request.user, case)
    previous = _previous_request(request, case)
    initial = {
        "documents": list(documents),
        "consent_days": 90,
        "reason_codes": [c for c in (assessment.reason_codes if assessment else []) if c in REASON_TITLES],
        "kind": Kind.INDEPENDENT_SPECIALIST,
    }
    if request.GET.get("target") in {value for value, _ in choices}:  # chosen in the directory
        initial["target"] = request.GET["target"]
    if previous is not None:  # a third opinion: start from what the earlier request said
        initial |= {
            "kind": previous.kind,
            "reasons_text": previous.reasons_text,
            "reason_codes": [c for c in previous.reason_codes if c in REASON_TITLES]
            or initial["reason_codes"],
        }
    form = NewRequestForm(request.POST or None, initial=initial, documents=documents, targets=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = next(o for o in options if o["value"] == data["target"])
        is_program = chosen["value"].startswith("program:")
        try:
            cr = actions.create_request(
                request.user,
                case,
                kind=data["kind"],
                program=chosen["object"] if is_program else None,
                consultant=None if is_program else chosen["object"],
                reasons_text=data["reasons_text"],
                reason_codes=data["reason_codes"],
                documents=data["documents"],
                consent_days=data["consent_days"],
                previous=previous,
            )
        except IllegalTransition as exc:
            form.add_error(None, exc.message)
        else:
            messages.info(request, _("Please check your request, then send it."))
            return redirect("consults:detail", cr.pk)
    return render(
        request,
        "consults/pages/new.html",
        {
            "case": case,
            "form": form,
            "options": options,
            "kinds": [(value, label, KIND_HELP[Kind(value)]) for value, label in Kind.choices],
            "reason_titles": REASON_TITLES,
            "from_triage": bool(assessment and assessment.reason_codes),
            "on_behalf": case.owner_id != request.user.pk,
        },
    )


def _latest_assessment(user: Any, case: Any) -> Any:
    from secondopinion.triage.queries import latest_assessment

    return latest_assessment(user, case)


@request_view(Perm.MANAGE, needs=frozenset({Actor.PATIENT}), post=True)
def change_consent(request: AuthedRequest, cr: ConsultRequest, actors: set[Actor]) -> HttpResponse:
    """A new consent version: exactly the ticked records, for the given days from today."""
    form = ConsentForm(request.POST, documents=queries.case_documents(request.user, cr.case))
    if not form.is_valid():
        messages.error(request, _("Please tick the records to share and give a number of days (1 to 365)."))
        return render_detail(request, cr, actors, consent_form=form, status=400)
    expires = timezone.now() + timedelta(days=form.cleaned_data["consent_days"])
    try:
        actions.grant_consent(request.user, cr, form.cleaned_data["documents"], expires)
    except IllegalTransition as exc:
        refuse(request, exc)
        return back(cr, "consent")
    messages.success(request, _("Saved. The doctor now sees exactly the records you ticked."))
    return back(cr, "consent")


@request_view(Perm.MANAGE, needs=frozenset({Actor.PATIENT}), post=True)
def revoke_consent(request: AuthedRequest, cr: ConsultRequest, actors: set[Actor]) -> HttpResponse:
    actions.revoke_consent(request.user, cr)
    messages.success(request, _("Sharing stopped. The doctor can no longer open your records."))
    return back(cr, "consent")
