from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secondopinion.accounts import queries as account_queries
from secondopinion.accounts.forms import SignupForm
from secondopinion.accounts.types import AuthedRequest
from secondopinion.cases import actions, queries
from secondopinion.cases.forms import CompanionForm, DoctorInviteForm
from secondopinion.cases.rules import acts_as_referrer
from secondopinion.cases.views.common import back_to_case, case_view, owned
from secondopinion.core.access import Perm


@case_view(Perm.MANAGE, audit=False)
def companions(request: AuthedRequest, case: Any) -> HttpResponse:
    """Family and friends, and the patient's own doctor (who may ask for second opinions for them)."""
    posted = request.POST if request.method == "POST" else None
    for_doctor = posted is not None and "doctor-email" in posted
    form = CompanionForm(None if for_doctor else posted)
    doctor_form = DoctorInviteForm(
        posted if for_doctor else None,
        prefix="doctor",
        initial={"email": case.first_doctor_email, "name": case.first_doctor_name},
    )
    bound = doctor_form if for_doctor else form
    if posted is not None and bound.is_valid():
        try:
            companion = actions.invite_companion(request.user, case, bound.instance)
        except actions.InvitationRefused as refused:
            bound.add_error("email", refused.message)
        else:
            messages.success(request, _("We sent an invitation to %(email)s.") % {"email": companion.email})
            return back_to_case(case, "companions")
    return render(
        request,
        "cases/pages/companions.html",
        {
            "case": case,
            "form": form,
            "doctor_form": doctor_form,
            "packet": queries.packet(request.user, case),
        },
    )


@login_required
@require_POST
def revoke_companion(request: AuthedRequest, companion_id: UUID) -> HttpResponse:
    companion = owned(queries.get_companion, request, companion_id)
    actions.revoke_companion(request.user, companion)
    messages.success(request, _("%(email)s can no longer see this case.") % {"email": companion.email})
    return back_to_case(companion.case, "companions")


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation works only for the address it was sent to."""
    companion = actions.invitation_for(token)
    if companion is None or not queries.invitation_works(companion, request.user):
        return render(request, "cases/pages/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        if not queries.invited_account(companion, request.user):
            return render(
                request, "cases/pages/invitation_wrong_account.html", {"email": companion.email}, status=403
            )
        newly = companion.accepted_at is None
        if newly:
            actions.accept_invitation(request.user, companion)
        if companion.can_request and not acts_as_referrer(request.user):
            messages.info(
                request,
                _(
                    "You accepted. Only a verified referring physician's account can see the case and "
                    "ask for second opinions for the patient."
                ),
            )
            return redirect("home")
        if newly:
            messages.success(
                request,
                _("You can now see this case and ask for second opinions for your patient.")
                if companion.can_request
                else _("You can now help with this case."),
            )
        return redirect("cases:detail", companion.case_id)
    if account_queries.account_exists(companion.email):
        messages.info(request, _("Please sign in to accept the invitation."))
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    if companion.can_request:  # a doctor: a clinician account, verified by an admin, is needed first
        messages.info(
            request,
            _("Please create your doctor's account with %(email)s, then open the link in the e-mail again.")
            % {"email": companion.email},
        )
        return redirect("accounts:signup_clinician")
    form = SignupForm(request.POST or None, fixed_email=companion.email)
    if request.method == "POST" and form.is_valid():
        user = actions.join_by_invitation(
            companion, form.cleaned_data["full_name"], form.cleaned_data["password1"]
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome. You can now help with this case."))
        return redirect("cases:detail", companion.case_id)
    return render(request, "accounts/pages/signup.html", {"form": form, "invitation": companion})
