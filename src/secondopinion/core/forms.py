"""Our own plain sentences for form errors, in one place, instead of Django's defaults.

Every form of the product mixes in `PlainMessages` (a test walks them all): before a form validates, each
field's framework-default message ("This field is required.", "Enter a valid date.", "Ensure this value is
greater than or equal to 1.") is swapped for ours. A message a form sets itself is kept. Formsets use
`PlainFormSet`. The rules for impossible dates are in `core.dates`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

CHOOSE_FROM_LIST = _("Please choose from the options shown.")

# Field class -> code -> our message. The most specific class that a field is an instance of wins per code.
MESSAGES: list[tuple[type[forms.Field], dict[str, Any]]] = [
    (
        forms.FileField,
        {
            "required": _("Please choose a file."),
            "missing": _("Please choose a file."),
            "invalid": _("No file arrived. Please choose the file again."),
            "empty": _("This file is empty. Please choose another one."),
            "max_length": ngettext_lazy(
                "Please give the file a shorter name (at most %(max)d character).",
                "Please give the file a shorter name (at most %(max)d characters).",
                "max",
            ),
        },
    ),
    (
        forms.MultipleChoiceField,
        {
            "required": _("Please choose at least one."),
            "invalid_choice": CHOOSE_FROM_LIST,
            "invalid_list": CHOOSE_FROM_LIST,
        },
    ),
    (
        forms.ModelMultipleChoiceField,
        {
            "required": _("Please choose at least one."),
            "invalid_choice": CHOOSE_FROM_LIST,
            "invalid_list": CHOOSE_FROM_LIST,
            "invalid_pk_value": CHOOSE_FROM_LIST,
        },
    ),
    (
        forms.ChoiceField,
        {
            "required": _("Please choose one."),
            "invalid_choice": _("Please choose one of the options shown."),
        },
    ),
    (
        forms.ModelChoiceField,
        {
            "required": _("Please choose one."),
            "invalid_choice": _("Please choose one of the options shown."),
        },
    ),
    (forms.BooleanField, {"required": _("Please tick this box to go on.")}),
    (
        forms.DateTimeField,
        {
            "required": _("Please give a date and time."),
            "invalid": _(
                "This is not a date and time we can read. Please give the day, month, year and time."
            ),
        },
    ),
    (
        forms.DateField,
        {
            "required": _("Please give a date."),
            "invalid": _("This is not a date we can read. Please give the day, month and year."),
        },
    ),
    (forms.TimeField, {"invalid": _("This is not a time we can read. Please give the hour and minutes.")}),
    (forms.IntegerField, {"invalid": _("Please give a whole number, such as 30.")}),
    (forms.FloatField, {"invalid": _("Please give a number, such as 2.5.")}),
    (forms.DecimalField, {"invalid": _("Please give a number, such as 2.5.")}),
    (forms.EmailField, {"invalid": _("Please give an e-mail address, such as name@example.com.")}),
    (forms.URLField, {"invalid": _("Please give a full web address that starts with https://.")}),
    (forms.UUIDField, {"invalid": _("This value is not one we can read. Please reload the page.")}),
    (
        forms.Field,
        {
            "required": _("Please fill this in."),
            "min_value": _("Please give a number of %(limit_value)s or more."),
            "max_value": _("Please give a number of %(limit_value)s or less."),
            "step_size": _("Please give a multiple of %(limit_value)s."),
            "max_length": ngettext_lazy(
                "Please keep this to %(limit_value)d character or fewer (it has %(show_value)d).",
                "Please keep this to %(limit_value)d characters or fewer (it has %(show_value)d).",
                "limit_value",
            ),
            "min_length": ngettext_lazy(
                "Please write at least %(limit_value)d character (it has %(show_value)d).",
                "Please write at least %(limit_value)d characters (it has %(show_value)d).",
                "limit_value",
            ),
            "null_characters_not_allowed": _("Please remove the unusual characters from this text."),
        },
    ),
]


def _framework_defaults(field: forms.Field) -> dict[str, Any]:
    """The messages Django itself gives this kind of field (the ones we replace)."""
    defaults: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        if cls.__module__.startswith("django."):
            defaults.update(getattr(cls, "default_error_messages", {}) or {})
    return defaults


def plain_messages_for(field: forms.Field) -> dict[str, Any]:
    """Our message for each error code this field can raise (most specific field class first)."""
    ours: dict[str, Any] = {}
    for cls, messages in MESSAGES:
        if isinstance(field, cls):
            for code, message in messages.items():
                ours.setdefault(code, message)
    return ours


def use_plain_messages(fields: dict[str, forms.Field]) -> None:
    """Swap each framework-default message of these (per-form) fields for ours; keep the form's own."""
    for field in fields.values():
        defaults = _framework_defaults(field)
        for code, message in plain_messages_for(field).items():
            current = field.error_messages.get(code)
            if current is None or current is defaults.get(code):
                field.error_messages[code] = message


PASSWORD_MESSAGES: dict[str, Any] = {
    "password_too_short": ngettext_lazy(
        "Please use a longer password: at least %(min_length)d character.",
        "Please use a longer password: at least %(min_length)d characters.",
        "min_length",
    ),
    "password_too_common": _("Many people use this password, so it is easy to guess. Please choose another."),
    "password_entirely_numeric": _("Please use letters as well as numbers."),
    "password_too_similar": _(
        "This password is too close to your name or e-mail address. Please choose another."
    ),
}


def plain_password_errors(error: ValidationError) -> ValidationError:
    """Django's password-validator messages ("This password is too common.") in our words, code kept."""
    return ValidationError(
        [
            ValidationError(PASSWORD_MESSAGES.get(e.code or "", e.message), code=e.code, params=e.params)
            for e in error.error_list
        ]
    )


class PlainMessages(forms.BaseForm):
    """Mix into every form (before Form / ModelForm): its errors are our own plain sentences."""

    def full_clean(self) -> None:
        use_plain_messages(self.fields)
        super().full_clean()


class PlainFormSet(forms.BaseFormSet):
    """A formset whose own errors (too few, too many, an outdated page) are plain sentences."""

    default_error_messages = {
        "missing_management_form": _("This page was out of date. Please reload it and try again."),
        "too_many_forms": ngettext_lazy(
            "Please give no more than %(num)d.", "Please give no more than %(num)d.", "num"
        ),
        "too_few_forms": ngettext_lazy(
            "Please give at least %(num)d.", "Please give at least %(num)d.", "num"
        ),
    }
