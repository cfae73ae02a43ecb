"""The guided triage form, in plain words. "Not sure" leaves a key out: it asserts nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondopinion.core.forms import PlainMessages
from secondopinion.core.reference import find_cancer_type
from secondopinion.triage.engine import OPTIONS

YES_NO_UNSURE = [("yes", _("Yes")), ("no", _("No")), ("unsure", _("I am not sure"))]
OPTION_LABELS = {
    "surgery": _("Surgery"),
    "radiation": _("Radiation therapy"),
    "chemotherapy": _("Chemotherapy"),
    "hormone_therapy": _("Hormone therapy"),
    "immunotherapy": _("Immunotherapy"),
    "targeted_therapy": _("Targeted therapy"),
    "active_surveillance": _("Active surveillance (watching closely)"),
}
EXPERIENCE = [("many", _("Many")), ("few", _("A few")), ("none", _("None")), ("unknown", _("I do not know"))]


def _tri(label: Any, help_text: Any = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=YES_NO_UNSURE,
        initial="unsure",
        widget=forms.RadioSelect,
        required=False,
        help_text=help_text,
    )


class TriageForm(PlainMessages, forms.Form):
    cancer_type = forms.CharField(
        label=_("What kind of cancer is it?"),
        max_length=120,
        help_text=_("For example: breast cancer, lung cancer, sarcoma. Use the words your doctor used."),
        widget=forms.TextInput(attrs={"list": "cancer-types", "autocomplete": "off"}),
    )
    age = forms.IntegerField(
        label=_("Age of the person with cancer"), min_value=0, max_value=130, required=False
    )
    pathology_definite = _tri(
        _("Does the pathology report give a definite diagnosis?"),
        _("The pathology report is written by the doctor who looked at the tissue."),
    )
    metastatic = _tri(_("Has the cancer spread to other parts of the body?"))
    results_unclear = _tri(_("Are your test results unclear about the type or where the cancer is?"))
    options_considered = forms.MultipleChoiceField(
        label=_("Which treatments have been mentioned to you?"),
        required=False,
        choices=[(o, OPTION_LABELS[o]) for o in OPTIONS],
        widget=forms.CheckboxSelectMultiple,
    )
    unsure_about_options = _tri(_("Do you feel unsure about which treatment to choose?"))
    doctor_experience = forms.ChoiceField(
        label=_("How many people with this cancer has your doctor treated?"),
        choices=EXPERIENCE,
        initial="unknown",
        widget=forms.RadioSelect,
        required=False,
    )
    comfortable = _tri(_("Are you comfortable with your diagnosis and treatment plan?"))
    already_treated = _tri(_("Have you already started treatment?"))
    zip = forms.CharField(
        label=_("Your ZIP code (to find cancer centers near you)"), max_length=10, required=False
    )

    TRI_STATE = (
        "pathology_definite",
        "metastatic",
        "results_unclear",
        "unsure_about_options",
        "comfortable",
        "already_treated",
    )

    def clean_cancer_type(self) -> str:
        """A name from the list, typed in English or Spanish ("cáncer de mama", "mama"), is kept as the list's
        own name, so every page can show it in its language; anything else as typed (the engine explains)."""
        text = self.cleaned_data["cancer_type"].strip()
        found = find_cancer_type(text)
        return found.name if found is not None else text

    def answers(self) -> dict[str, Any]:
        """The engine's input: only what the person actually said."""
        data = self.cleaned_data
        answers: dict[str, Any] = {"cancer_type": data["cancer_type"].strip()}
        if data.get("age") is not None:
            answers["age"] = data["age"]
        for key in self.TRI_STATE:
            if data.get(key) in ("yes", "no"):
                answers[key] = data[key] == "yes"
        if data.get("options_considered"):
            answers["options_considered"] = list(data["options_considered"])
        if data.get("doctor_experience"):
            answers["doctor_experience"] = data["doctor_experience"]
        if data.get("zip", "").strip():
            answers["zip"] = data["zip"].strip()
        return answers

    @classmethod
    def initial_from(cls, answers: dict[str, Any]) -> dict[str, Any]:
        initial = {k: v for k, v in answers.items() if k not in cls.TRI_STATE}
        for key in cls.TRI_STATE:
            if key in answers:
                initial[key] = "yes" if answers[key] else "no"
        return initial
