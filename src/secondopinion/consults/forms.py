"""Forms of the consult-request pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondopinion.cases.models import Document
from secondopinion.consults.models import AppointmentSlot, Kind, Shipment
from secondopinion.core.forms import PlainFormSet, PlainMessages
from secondopinion.triage.wording import REASON_TITLES

KIND_HELP = {
    Kind.INDEPENDENT_SPECIALIST: _(
        "A cancer doctor at another hospital reads your records and tells you what they think."
    ),
    Kind.PATHOLOGY_REVIEW: _(
        "A pathologist (a doctor who looks at your tissue under a microscope) checks your slides "
        "and report, to be sure of the exact kind of cancer."
    ),
    Kind.TUMOR_BOARD: _("A group of cancer doctors of different kinds talks about your case together."),
    Kind.RENOWNED_EXPERT: _("A doctor well known for treating and studying your kind of cancer."),
}

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class NewRequestForm(PlainMessages, forms.Form):
    kind = forms.ChoiceField(label=_("What kind of second opinion?"), choices=Kind.choices)
    target = forms.ChoiceField(label=_("Who should give it?"))
    reason_codes = forms.MultipleChoiceField(
        label=_("Why you are asking"),
        choices=list(REASON_TITLES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reasons_text = forms.CharField(
        label=_("Anything else they should know about why you are asking"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"}),
        max_length=4000,
        required=False,
    )
    documents: forms.ModelMultipleChoiceField[Document] = forms.ModelMultipleChoiceField(
        label=_("Which records to share"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_days = forms.IntegerField(
        label=_("Share them for how many days?"),
        min_value=1,
        max_value=365,
        initial=90,
        help_text=_("After this, the doctor can no longer open your records. You can stop sharing sooner."),
    )

    def __init__(self, *args: Any, documents: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = documents  # type: ignore[attr-defined]
        self.fields["target"].choices = targets  # type: ignore[attr-defined]


class ConsentForm(PlainMessages, forms.Form):
    documents: forms.ModelMultipleChoiceField[Document] = forms.ModelMultipleChoiceField(
        label=_("Which records to share"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    consent_days = forms.IntegerField(label=_("For how many days from today?"), min_value=1, max_value=365)

    def __init__(self, *args: Any, documents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = documents  # type: ignore[attr-defined]


class MoveForm(PlainMessages, forms.Form):
    target = forms.CharField(max_length=20)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"class": "usa-textarea"}),
    )


class MessageForm(PlainMessages, forms.Form):
    # The file comes last so that the text is parsed even when the file is refused mid-way.
    body = forms.CharField(
        label=_("Your message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"}),
    )
    attachment = forms.FileField(label=_("Attach a file"), required=False)


class SlotForm(PlainMessages, forms.ModelForm):
    class Meta:
        model = AppointmentSlot
        fields = ["starts_at", "minutes", "mode", "place", "video_link"]
        widgets = {"starts_at": DATETIME_WIDGET}
        labels = {
            "starts_at": _("Starts at"),
            "minutes": _("Minutes"),
            "mode": _("How"),
            "place": _("Place (for a visit)"),
            "video_link": _("Video link (for a video call)"),
        }

    def has_changed(self) -> bool:
        """A row counts once it has a start time (the other fields have defaults in the page)."""
        return bool(self.data.get(self.add_prefix("starts_at")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == AppointmentSlot.Mode.VISIT and not data.get("place"):
            self.add_error("place", _("Give the place of the visit."))
        if data.get("mode") == AppointmentSlot.Mode.VIDEO:
            link = data.get("video_link") or ""
            if not link.startswith("https://"):
                self.add_error("video_link", _("Give the https:// link of the video call."))
        return data


class SlotBaseFormSet(PlainFormSet):
    default_error_messages = {
        "too_few_forms": _("Please propose at least one time."),
        "too_many_forms": _("Please propose no more than five times."),
    }


SlotFormSet = forms.formset_factory(
    SlotForm, formset=SlotBaseFormSet, extra=4, max_num=5, min_num=1, validate_min=True, validate_max=True
)


class MaterialForm(PlainMessages, forms.Form):
    material = forms.ChoiceField(label=_("What to send"), choices=Shipment.Material.choices)


class ShipmentStepForm(PlainMessages, forms.Form):
    state = forms.ChoiceField(choices=Shipment.State.choices)
    carrier = forms.CharField(label=_("Carrier"), max_length=100, required=False)
    tracking = forms.CharField(label=_("Tracking number"), max_length=100, required=False)


class UrgentForm(PlainMessages, forms.Form):
    note = forms.CharField(
        label=_("What is urgent (the patient sees this)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "usa-textarea"}),
    )


class AssignForm(PlainMessages, forms.Form):
    consultant: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Consultant"), queryset=None)

    def __init__(self, *args: Any, consultants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = consultants  # type: ignore[attr-defined]


class InboxFilterForm(PlainMessages, forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any")), *Kind.choices], required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from secondopinion.consults.models import STATUS_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any")), *[(str(s), label) for s, label in STATUS_CHOICES]]  # type: ignore[attr-defined]
