from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from secondopinion.accounts.models import Role, User
from secondopinion.accounts.queries import account_exists
from secondopinion.accounts.validators import US_STATES, validate_npi
from secondopinion.core.forms import PlainMessages, plain_password_errors


class SignupForm(PlainMessages, forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput,
        strip=False,
        help_text=_("At least 10 characters. Avoid common words."),
    )
    password2 = forms.CharField(label=_("Type the password again"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, fixed_email: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_email = fixed_email
        if fixed_email:
            self.fields["email"].initial = fixed_email
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("Your invitation is for this address.")

    def clean_email(self) -> str:
        email = (self.fixed_email or self.cleaned_data["email"]).strip().lower()
        if account_exists(email):
            raise forms.ValidationError(
                _("An account with this address already exists. Sign in, or reset your password."),
                code="email_taken",
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            probe = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", plain_password_errors(exc))
        return data


class PlainSetPasswordForm(PlainMessages, SetPasswordForm):
    """Django's set-password form (password reset) with our labels, hint and messages."""

    error_messages = {"password_mismatch": _("The two passwords are not the same.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _("At least 10 characters. Avoid common words.")
        self.fields["new_password2"].label = _("Type the new password again")
        self.fields["new_password2"].help_text = ""

    def validate_password_for_user(self, user: Any, password_field_name: str = "password2") -> None:  # noqa: S107
        password = self.cleaned_data.get(password_field_name)
        if password:
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error(password_field_name, plain_password_errors(error))


CLINICIAN_ROLE_CHOICES = [
    (r.value, r.label)
    for r in (
        Role.CONSULTANT,
        Role.PATHOLOGIST,
        Role.REFERRING_PHYSICIAN,
        Role.BOARD_MEMBER,
        Role.COORDINATOR,
    )
]


class ClinicianSignupForm(SignupForm):
    role = forms.ChoiceField(label=_("I am a"), choices=CLINICIAN_ROLE_CHOICES)
    npi = forms.CharField(
        label=_("NPI (National Provider Identifier)"), max_length=10, validators=[validate_npi]
    )
    licence_state = forms.ChoiceField(
        label=_("State of your medical license"), choices=[("", "—")] + [(s, s) for s in US_STATES]
    )
    specialty = forms.CharField(label=_("Specialty"), max_length=200, required=False)
    institution = forms.CharField(label=_("Hospital or practice"), max_length=200, required=False)


class EmailLoginForm(PlainMessages, AuthenticationForm):
    username = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True}))

    error_messages = {
        "invalid_login": _("That e-mail address and password do not match. Please try again."),
        "inactive": _("This account is switched off."),
    }

    def clean_username(self) -> str:
        # Addresses are stored in lower case (sign-up lowercases them); match however they are typed.
        return self.cleaned_data["username"].strip().lower()


class TokenForm(PlainMessages, forms.Form):
    otp_token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AccessTokenForm(PlainMessages, forms.Form):
    name = forms.CharField(label=_("What is this token for?"), max_length=100)


class ReviewForm(PlainMessages, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
