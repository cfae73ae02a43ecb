from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondopinion.cases.models import Case, Companion, DocumentKind, Medicine, Question
from secondopinion.core.codes import Modality

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PLAN_MODALITIES = [(m.value, m.label) for m in Modality]
RECEIVED_MODALITIES = [(m.value, m.label) for m in Modality if m != Modality.ACTIVE_SURVEILLANCE]


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = ["title", "subject", "subject_name", "subject_birth_date"]
        widgets = {"subject_birth_date": DATE_WIDGET}
        help_texts = {
            "title": _(
                "For example: “My breast cancer, 2026”. Only you and the people you share with see it."
            )
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("subject") != "self" and not data.get("subject_name"):
            self.add_error("subject_name", _("Please give the name of the person this case is for."))
        return data


class DiagnosisForm(forms.ModelForm):
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
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of diagnosis cannot be in the future."))
        return value


class FirstOpinionForm(forms.ModelForm):
    first_plan_modalities = forms.MultipleChoiceField(
        label=_("Treatments in the plan"),
        choices=PLAN_MODALITIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Case
        fields = [
            "first_doctor_name",
            "first_doctor_specialty",
            "first_doctor_institution",
            "first_doctor_email",
            "first_diagnosis",
            "first_plan",
            "first_plan_modalities",
        ]
        widgets = {
            "first_diagnosis": forms.Textarea(attrs={"rows": 3}),
            "first_plan": forms.Textarea(attrs={"rows": 4}),
        }


class MedicineForm(forms.ModelForm):
    class Meta:
        model = Medicine
        fields = ["name", "dose", "frequency", "since", "is_supplement"]
        widgets = {"since": DATE_WIDGET}
        help_texts = {"name": _("Include vitamins, herbs and supplements too.")}


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        labels = {"text": _("Your question")}


class DocumentUploadForm(forms.Form):
    # The file comes last so that the other fields are parsed even when the file is refused mid-way.
    kind = forms.ChoiceField(label=_("What is it?"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    document_date = forms.DateField(label=_("Date on the document"), required=False, widget=DATE_WIDGET)
    file = forms.FileField(
        label=_("File (PDF, JPEG, PNG, DICOM, a ZIP of a DICOM study, or a TIFF/SVS slide)")
    )


class CompanionForm(forms.ModelForm):
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


class DoctorInviteForm(forms.ModelForm):
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
