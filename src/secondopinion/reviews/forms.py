"""Forms of the review pages: write a review, report one, moderate one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from secondopinion.core.forms import PlainMessages

from .models import ReportReason
from .rules import (
    REPORT_REASON_LABELS,
    SCORE_FIELDS,
    SCORE_LABELS,
    SCORE_MAX,
    SCORE_MIN,
    SCORE_WORDS,
    TEXT_MAX,
)

SCORE_CHOICES = [(n, format_lazy("{} – {}", n, SCORE_WORDS[n])) for n in range(SCORE_MIN, SCORE_MAX + 1)]
SCORE_ERROR = _("Choose a score from 1 (very poor) to 5 (very good).")


def _score_field(name: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=SCORE_LABELS[name],
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": SCORE_ERROR, "invalid_choice": SCORE_ERROR},
    )


class ReviewForm(PlainMessages, forms.Form):
    overall = _score_field("overall")
    communication = _score_field("communication")
    explaining_options = _score_field("explaining_options")
    time_given = _score_field("time_given")
    text = forms.CharField(
        label=_("In your own words"),
        help_text=_(
            "What went well, and what could have been better? Please do not write your name or details "
            "about your health that you want to keep private."
        ),
        widget=forms.Textarea(attrs={"rows": 6, "class": "usa-textarea", "maxlength": TEXT_MAX}),
        max_length=TEXT_MAX,
        required=False,
    )

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in SCORE_FIELDS}

    def score_fields(self) -> list[Any]:
        return [self[name] for name in SCORE_FIELDS]


class ReportForm(PlainMessages, forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this review?"),
        choices=[(value, REPORT_REASON_LABELS[value]) for value in ReportReason.values],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what is wrong with this review."),
            "invalid_choice": _("Choose what is wrong with this review."),
        },
    )
    detail = forms.CharField(
        label=_("Tell us more"),
        help_text=_("Needed if you chose “Something else”. A moderator reads it; the public does not."),
        widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea", "maxlength": 2000}),
        max_length=2000,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == ReportReason.OTHER and not (data.get("detail") or "").strip():
            self.add_error("detail", _("Please say what is wrong with this review."))
        return data


class ModerationForm(PlainMessages, forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            ("keep", _("Keep it: it follows the rules. It is published again and the reports are closed.")),
            ("remove", _("Remove it: nobody sees it any more. The reports are closed.")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether to keep or remove the review."),
            "invalid_choice": _("Choose whether to keep or remove the review."),
        },
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("Needed to remove a review: say which rule it breaks. Only administrators see it."),
        widget=forms.Textarea(attrs={"rows": 3, "class": "usa-textarea"}),
        max_length=2000,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "remove" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the review is removed."))
        return data
