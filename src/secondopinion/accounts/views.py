from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from secondopinion.accounts import actions, lockout, queries
from secondopinion.accounts.forms import (
    AccessTokenForm,
    ClinicianSignupForm,
    EmailLoginForm,
    ReviewForm,
    SignupForm,
    TokenForm,
)
from secondopinion.accounts.models import Role
from secondopinion.accounts.permissions import admin_required
from secondopinion.accounts.types import AuthedRequest
from secondopinion.core.audit import AuditAction, Outcome, Purpose, record
from secondopinion.core.mail import PlainPasswordResetForm
from secondopinion.core.middleware import client_ip


def _safe_next(request: HttpRequest, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    from django.urls import reverse

    return reverse(default)


class LoginView(auth_views.LoginView):
    template_name = "accounts/pages/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        tried = lockout.normalise(request.POST.get("username", ""))
        if lockout.address_throttled(request):
            _audit_refused(AuditAction.LOGIN_THROTTLED, tried)
            return locked_out(request)
        if not lockout.reserve_attempt(tried, client_ip(request)):
            _audit_refused(AuditAction.LOGIN_WHILE_LOCKED, tried)
            return locked_out(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        lockout.clear(user.email)
        if user.email_verified_at is None:
            actions.send_verification(user)
            messages.warning(
                self.request, _("Please confirm your e-mail address first. We sent you a new link.")
            )
            return redirect("accounts:login")
        response = super().form_valid(form)
        record(user, AuditAction.LOGIN, user, Purpose.SECURITY)
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        tried = lockout.normalise(self.request.POST.get("username", ""))
        record(
            None, AuditAction.LOGIN_FAILED, None, Purpose.SECURITY, Outcome.FAILED, detail={"username": tried}
        )
        lockout.count_address_failure(self.request)
        if lockout.settle_failure(tried):
            record(
                None, AuditAction.LOGIN_LOCKED, None, Purpose.SECURITY, Outcome.DENIED, {"username": tried}
            )
            return locked_out(self.request)
        return super().form_invalid(form)


def _audit_refused(action: AuditAction, tried: str) -> None:
    """A sign-in refused: the address locked now, or refused before its password was checked (a locked
    address, a throttled client)."""
    record(None, action, None, Purpose.SECURITY, Outcome.DENIED, detail={"username": tried})


def locked_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/pages/locked_out.html", status=429)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(request.user, AuditAction.LOGOUT, request.user, Purpose.SECURITY)
    from django.contrib.auth import logout as auth_logout

    auth_logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("home")


def signup(request: HttpRequest) -> HttpResponse:
    return _signup(request, SignupForm, "accounts/pages/signup.html", Role.PATIENT)


def signup_clinician(request: HttpRequest) -> HttpResponse:
    return _signup(request, ClinicianSignupForm, "accounts/pages/signup_clinician.html", None)


def _signup(
    request: HttpRequest, form_class: type[SignupForm], template: str, role: str | None
) -> HttpResponse:
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        clinician = None
        if role is None:
            role = data["role"]
            clinician = {k: data[k] for k in ("npi", "licence_state", "specialty", "institution")}
        actions.sign_up(
            email=data["email"],
            password=data["password1"],
            full_name=data["full_name"],
            role=role,
            clinician=clinician,
        )
        return render(request, "accounts/pages/check_email.html", {"email": data["email"]})
    return render(request, template, {"form": form})


def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    user = actions.confirm_email(token)
    if user is None:
        return render(request, "accounts/pages/verify_failed.html", status=400)
    messages.success(request, _("Thank you. Your e-mail address is confirmed. Please sign in."))
    return redirect("accounts:login")


@login_required
def mfa_setup(request: AuthedRequest) -> HttpResponse:
    device = queries.unconfirmed_device(request.user)
    if device is None:
        if queries.has_mfa(request.user) and not request.user.is_verified():
            return redirect("accounts:mfa_verify")
        device = actions.start_mfa(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"].strip()):
            actions.confirm_mfa(request.user, device)
            otp_login(request, device)
            messages.success(request, _("Two-step sign-in is now on."))
            return redirect(_safe_next(request))
        form.add_error("otp_token", _("That code did not match. Check the time on your phone and try again."))
    import base64

    import segno

    secret = base64.b32encode(device.bin_key).decode()
    qr_svg = segno.make(device.config_url).svg_inline(scale=4)
    return render(
        request, "accounts/pages/mfa_setup.html", {"form": form, "secret": secret, "qr_svg": qr_svg}
    )


@login_required
def mfa_verify(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in queries.confirmed_devices(request.user):
            if device.verify_token(form.cleaned_data["otp_token"].strip()):
                otp_login(request, device)
                return redirect(_safe_next(request))
        record(request.user, AuditAction.MFA_FAILED, request.user, Purpose.SECURITY, Outcome.FAILED)
        form.add_error("otp_token", _("That code did not match. Please try again."))
    return render(request, "accounts/pages/mfa_verify.html", {"form": form})


@login_required
def account(request: AuthedRequest) -> HttpResponse:
    new_token = None
    form = AccessTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_token = actions.create_access_token(request.user, form.cleaned_data["name"])
        form = AccessTokenForm()
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": queries.active_tokens(request.user),
        "token_days": actions.token_days(),
        "now": timezone.now(),
        "has_mfa": queries.has_mfa(request.user),
        "profile": getattr(request.user, "clinician_profile", None),
    }
    return render(request, "accounts/pages/account.html", context)


@login_required
@require_POST
def revoke_token(request: AuthedRequest, token_id: int) -> HttpResponse:
    token = queries.own_token(request.user, token_id)
    if token is None:
        raise Http404
    actions.revoke_access_token(request.user, token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:account")


@admin_required
def clinician_reviews(request: AuthedRequest) -> HttpResponse:
    pending = queries.pending_reviews()
    return render(
        request, "accounts/pages/clinician_reviews.html", {"pending": pending, "form": ReviewForm()}
    )


@admin_required
@require_POST
def review_clinician(request: AuthedRequest, profile_id: int) -> HttpResponse:
    profile = queries.pending_clinician(profile_id)
    if profile is None:
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        actions.review_clinician(request.user, profile, approve, form.cleaned_data["note"])
        messages.success(
            request,
            _("Saved: %(name)s is %(status)s.")
            % {"name": profile.user.full_name, "status": profile.get_status_display()},
        )
    else:
        messages.error(request, _("Choose approve or reject."))
    return redirect("accounts:clinician_reviews")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PlainPasswordResetForm  # the e-mail's link stays whole (core.mail)
    template_name = "accounts/pages/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = "/accounts/password-reset/sent/"

    def form_valid(self, form: Any) -> HttpResponse:
        # Links in mail start with SITE_URL, never with the request's Host header (which a sender controls).
        from django.conf import settings

        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)
