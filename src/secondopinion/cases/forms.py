from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondopinion.cases.models import Case, Companion, DocumentKind, Medicine, Question
from secondopinion.core.codes import Modality
from secondopinion.core.dates import (
    validate_birth_before_diagnosis,
    validate_birth_date,
    validate_diagnosis_date,
    validate_document_date,
    validate_medicine_since,
)
from secondopinion.core.forms import PlainMessages

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RECEIVED_MODALITIES = [(m.value, m.label) for m in Modality if m != Modality.ACTIVE_SURVEILLANCE]


class CaseForm(PlainMessages, forms.ModelForm):
    class Meta:
        model = Case
        fields = ["title", "subject", "subject_name", "subject_birth_date"]
        widgets = {"subject_birth_date": DATE_WIDGET}
        help_texts = {
            "title": _(
                "For example: “My breast cancer, 2026”. Only you and the people you share with see it."
            )
        }

    def clean_subject_birth_date(self) -> Any:
        value = self.cleaned_data.get("subject_birth_date")
        validate_birth_date(value)
        validate_birth_before_diagnosis(value, self.instance.diagnosis_date)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("subject") != "self" and not data.get("subject_name"):
            self.add_error("subject_name", _("Please give the name of the person this case is for."))
        return data


class DiagnosisForm(PlainMessages, forms.ModelForm):
    treatment_received = forms.MultipleChoiceField(
        label=_("Treatment you have already had (a second opinion is still possible)"),
        choices=RECEIVED_MODALITIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Case
        fields = [
            "cancer_type",
            "cancer_type_code",
            "body_site",
            "body_site_code",
            "diagnosis_date",
            "treatment_received",
            "treatment_received_notes",
        ]
        widgets = {
            "diagnosis_date": DATE_WIDGET,
            "treatment_received_notes": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "cancer_type_code": _("Code, if your report gives one (e.g. ICD-O-3 8500/3)"),
            "body_site_code": _("Code for the site, if given (e.g. C50.4)"),
        }

    def clean_diagnosis_date(self) -> Any:
        value = self.cleaned_data.get("diagnosis_date")
        validate_diagnosis_date(value, birth_date=self.instance.subject_birth_date)
        return value


class MedicineForm(PlainMessages, forms.ModelForm):
    class Meta:
        model = Medicine
        fields = ["name", "dose", "frequency", "since", "is_supplement"]
        widgets = {"since": DATE_WIDGET}
        help_texts = {"name": _("Include vitamins, herbs and supplements too.")}

    def clean_since(self) -> Any:
        value = self.cleaned_data.get("since")
        validate_medicine_since(value)
        return value


class QuestionForm(PlainMessages, forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        labels = {"text": _("Your question")}


class DocumentUploadForm(PlainMessages, forms.Form):
    # The file comes last so that the other fields are parsed even when the file is refused mid-way.
    kind = forms.ChoiceField(label=_("What is it?"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    document_date = forms.DateField(
        label=_("Date on the document"),
        required=False,
        widget=DATE_WIDGET,
        validators=[validate_document_date],
    )
    file = forms.FileField(
        label=_("File (PDF, JPEG, PNG, DICOM, a ZIP of a DICOM study, or a TIFF/SVS slide)")
    )


class CompanionForm(PlainMessages, forms.ModelForm):
    days = forms.IntegerField(label=_("For how many days?"), min_value=1, max_value=730, initial=90)

    class Meta:
        model = Companion
        fields = ["name", "email", "can_view", "can_ask"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("can_view") and not data.get("can_ask"):
            raise forms.ValidationError(_("Choose at least one thing they may do."))
        if data.get("days"):
            self.instance.expires_at = timezone.now() + timedelta(days=data["days"])
        return data


class DoctorInviteForm(PlainMessages, forms.ModelForm):
    """The patient's consent for their own doctor to ask for second opinions for them."""

    days = forms.IntegerField(label=_("For how many days?"), min_value=1, max_value=730, initial=365)

    class Meta:
        model = Companion
        fields = ["name", "email"]
        labels = {"name": _("Your doctor's name"), "email": _("Your doctor's e-mail address")}
        help_texts = {
            "email": _(
                "Your doctor must use this address for their verified doctor's account on secondopinion."
            )
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.instance.can_view, self.instance.can_ask, self.instance.can_request = False, False, True
        if data.get("days"):
            self.instance.expires_at = timezone.now() + timedelta(days=data["days"])
        return data
