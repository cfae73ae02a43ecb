"""The directory's forms: the search a patient fills in, and the profile a verified consultant keeps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondopinion.core.forms import PlainMessages
from secondopinion.core.reference import cancer_type_choices

from .search import SearchParams

RADIUS_CHOICES = [
    ("", _("Any distance")),
    ("25", _("25 miles")),
    ("50", _("50 miles")),
    ("100", _("100 miles")),
    ("200", _("200 miles")),
    ("500", _("500 miles")),
]
CENTER_CHOICES = [
    ("", _("Any")),
    ("comprehensive", _("NCI-designated Comprehensive Cancer Center")),
    ("clinical", _("NCI-designated Clinical Cancer Center")),
    ("community", _("Community cancer program")),
]
# The languages offered in the search and the profile form (ISO 639-1); the register holds any code.
LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("zh", _("Chinese")),
    ("vi", _("Vietnamese")),
    ("tl", _("Tagalog")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("ko", _("Korean")),
    ("ru", _("Russian")),
    ("de", _("German")),
    ("hi", _("Hindi")),
    ("pt", _("Portuguese")),
]
PAGE_SIZE = 20
MAX_PAGE = 500  # a search reads offset + limit rows: deeper pages are not read


class SearchForm(PlainMessages, forms.Form):
    """GET form: every field optional; an empty form shows the search without results."""

    specialty = forms.CharField(
        label=_("Kind of doctor"),
        required=False,
        max_length=100,
        help_text=_('For example "medical oncologist", "surgical oncologist" or "pathologist".'),
        widget=forms.TextInput(attrs={"list": "specialty-names", "autocomplete": "off"}),
    )
    near = forms.CharField(
        label=_("Near (ZIP code or City, ST)"),
        required=False,
        max_length=100,
        help_text=_('For example 59301 or "Rochester, MN".'),
    )
    radius_miles = forms.TypedChoiceField(
        label=_("Within"), choices=RADIUS_CHOICES, required=False, coerce=float, empty_value=None
    )
    cancer_type = forms.CharField(label=_("Type of cancer they treat"), required=False, max_length=100)
    name = forms.CharField(label=_("Doctor's name"), required=False, max_length=100)
    video = forms.BooleanField(label=_("Offers video visits"), required=False)
    language = forms.ChoiceField(
        label=_("Speaks"), choices=[("", _("Any language")), *LANGUAGE_CHOICES], required=False
    )
    center_type = forms.ChoiceField(label=_("Works at"), choices=CENTER_CHOICES, required=False)
    page = forms.CharField(required=False, max_length=12, widget=forms.HiddenInput)

    def clean_page(self) -> int:
        """The page asked for: 1 unless a positive whole number (a page past the end shows "no more")."""
        text = (self.cleaned_data.get("page") or "").strip()
        return int(text) if text.isdigit() and int(text) > 0 else 1

    def beyond_reach(self) -> bool:
        """A page past the last one a search may read (MAX_PAGE): answered "no more results", unsearched."""
        return (self.cleaned_data.get("page") or 1) > MAX_PAGE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("radius_miles") and not (data.get("near") or "").strip():
            self.add_error("near", _("Say near which ZIP code or town, or choose “Any distance”."))
        return data

    def has_query(self) -> bool:
        data = self.cleaned_data
        return any((data.get(k) or "") != "" for k in ("name", "specialty", "cancer_type", "near")) or bool(
            data.get("video") or data.get("language") or data.get("center_type")
        )

    def params(self) -> SearchParams:
        data = self.cleaned_data
        page = data.get("page") or 1
        return SearchParams(
            name=data.get("name") or "",
            specialty=data.get("specialty") or "",
            cancer_type=data.get("cancer_type") or "",
            near=data.get("near") or "",
            radius_miles=data.get("radius_miles"),
            video=True if data.get("video") else None,
            language=data.get("language") or "",
            center_type=data.get("center_type") or "",
            limit=PAGE_SIZE + 1,  # one more than shown: is there a next page?
            offset=(page - 1) * PAGE_SIZE,
        )


class CenterFinderForm(PlainMessages, forms.Form):
    near = forms.CharField(label=_("Near (ZIP code or City, ST)"), max_length=100)
    center_type = forms.ChoiceField(
        label=_("Kind of center"),
        required=False,
        choices=[
            ("", _("Every NCI-designated center")),
            ("comprehensive", _("Comprehensive")),
            ("clinical", _("Clinical")),
            ("basic", _("Basic laboratory (research only)")),
        ],
    )


def _cancer_choices() -> list[tuple[str, str]]:
    return cancer_type_choices("en")  # the profile form names cancer types as the register stores them


class PractitionerProfileForm(PlainMessages, forms.Form):
    """What NPPES does not hold, kept by the verified consultant themselves."""

    accepts_second_opinions = forms.BooleanField(
        label=_("I accept second-opinion requests through secondopinion"), required=False
    )
    offers_video = forms.BooleanField(label=_("I offer video visits"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages I speak with patients"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cancer_focus = forms.MultipleChoiceField(
        label=_("Types of cancer I treat"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cancer_focus"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = _cancer_choices()
