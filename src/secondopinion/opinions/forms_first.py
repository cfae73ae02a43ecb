"""The first opinion: the one form for "your first doctor's diagnosis and treatment plan" (the case page's
section), and the content it becomes (the `Opinion` with source "first", docs/opinions.md).

In plain words: the first doctor (kept on the case), the type of cancer from the list (stored with its
ICD-O-3 topography category as the site code, so that it compares with a coded diagnosis), the stage as
written (read into group or T/N/M when it reads cleanly), the treatments as checkboxes with the procedure
and details under each, the one suggested first, and the rest in the patient's words (`narrative`).
Codes a clinician added (opinions:codes) are kept until the patient changes what they stand for.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from secondopinion.cases.models import Case
from secondopinion.core.codes import Modality
from secondopinion.core.forms import PlainMessages
from secondopinion.opinions.content import parse_stage_text
from secondopinion.opinions.treatment_fields import (
    add_option_fields,
    option_content,
    option_initial,
    option_rows,
)

DOCTOR_FIELDS = (
    "first_doctor_name",
    "first_doctor_specialty",
    "first_doctor_institution",
    "first_doctor_email",
)
STAGE_NOTE = _(
    "We keep the stage as you wrote it. We could not read it as a stage group (like “IIA”) or as T, N and M "
    "(like “T2 N0 M0”), so the comparison will say the stage “cannot be compared” until a doctor adds it. "
    "That is all right: nothing else changes."
)


def stage_unreadable(stage: dict[str, Any] | None) -> bool:
    """A stage written by the patient that could not be read into group or T/N/M (and no codes added)."""
    stage = stage or {}
    return bool((stage.get("as_written") or "").strip()) and not any(
        stage.get(k) for k in ("group", "t", "n", "m")
    )


def first_opinion_content(
    data: dict[str, Any], topography: dict[str, str], existing: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The form's cleaned data as the first opinion's content; `topography` maps a cancer type's name to
    its ICD-O-3 category. Codes a clinician added stay while what they describe is unchanged."""
    content: dict[str, Any] = dict(existing or {})
    cancer_type = data.get("cancer_type") or ""
    diagnosis = dict(content.get("diagnosis") or {})
    if diagnosis.get("site_text") != cancer_type or not cancer_type:  # a new type: its own category
        diagnosis = {k: v for k, v in diagnosis.items() if k not in ("site", "site_text")}
        if cancer_type:
            diagnosis["site_text"] = cancer_type
            if topography.get(cancer_type):
                diagnosis["site"] = topography[cancer_type]
    content["diagnosis"] = diagnosis
    stage_text = (data.get("stage_text") or "").strip()
    stage = dict(content.get("stage") or {})
    if (stage.get("as_written") or "") != stage_text:  # the patient changed it: read it again
        stage = {"as_written": stage_text, **parse_stage_text(stage_text)} if stage_text else {}
    content["stage"] = stage
    option = option_content(data, "")
    modalities, preferred = option["modalities"], data.get("preferred") or ""
    if modalities:
        option["modalities"] = ([preferred] if preferred in modalities else []) + [
            m for m in modalities if m != preferred
        ]
        option["preferred"] = preferred in modalities
        content["treatment"] = {"options": [option]}
    else:
        content["treatment"] = {}
    narrative = (data.get("narrative") or "").strip()
    if narrative:
        content["narrative"] = narrative
    else:
        content.pop("narrative", None)
    return content


def first_opinion_initial(
    case: Case, content: dict[str, Any] | None, modalities: list[str]
) -> dict[str, Any]:
    """Pre-fill the form from the first opinion; without one, from the packet (`modalities`: the
    treatments named in the case's triage answers)."""
    initial: dict[str, Any] = {name: getattr(case, name) for name in DOCTOR_FIELDS}
    if not content:
        return initial | {"cancer_type": case.cancer_type, "modalities": modalities}
    options = (content.get("treatment") or {}).get("options") or []
    option = options[0] if options else {}
    chosen = option.get("modalities") or []
    return (
        initial
        | option_initial(option, "")
        | {
            "cancer_type": (content.get("diagnosis") or {}).get("site_text") or case.cancer_type,
            "stage_text": (content.get("stage") or {}).get("as_written", ""),
            "preferred": chosen[0] if chosen and option.get("preferred") else "",
            "narrative": content.get("narrative") or "",
        }
    )


class FirstOpinionForm(PlainMessages, forms.Form):
    cancer_type = forms.ChoiceField(
        label=_("Type of cancer"),
        required=False,
        help_text=_("Choose the type your first doctor named. A doctor can add the exact codes later."),
    )
    stage_text = forms.CharField(
        label=_("Stage, as written in the report"),
        required=False,
        max_length=200,
        help_text=_(
            "Copy it as it is written, for example “IIA” or “T2 N0 M0”. Leave it empty if you do not know."
        ),
    )
    preferred = forms.ChoiceField(
        label=_("Which treatment did your doctor suggest first?"),
        choices=[("", "—"), *Modality.choices],
        required=False,
    )
    narrative = forms.CharField(
        label=_("Anything else your first doctor said about the diagnosis or the plan"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In your own words. For example what the report says about the cancer cells."),
    )

    def __init__(
        self,
        *args: Any,
        cancer_types: list[tuple[str, str]],
        stage: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """`cancer_types`: (stored name, name shown) pairs from the cancer-type list; `stage`: the stored
        first opinion's stage (the note under the field is shown from it until the form is sent)."""
        super().__init__(*args, **kwargs)
        self.stored_stage = stage or {}
        for name in DOCTOR_FIELDS:
            model_field = Case._meta.get_field(name)
            assert isinstance(model_field, models.Field)
            form_field = model_field.formfield(required=False)
            assert form_field is not None
            self.fields[name] = form_field
        add_option_fields(self, "", _("Treatments in the plan"))
        current = self.initial.get("cancer_type") or ""
        known = dict(cancer_types)
        choices = sorted(cancer_types, key=lambda pair: pair[1].lower())
        if current and current not in known:  # a type typed before the list existed stays choosable
            choices.append((current, current))
        field = self.fields["cancer_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose one")), *choices]

    def doctor_fields(self) -> list[Any]:
        return [self[name] for name in DOCTOR_FIELDS]

    def treatment(self) -> dict[str, Any]:
        return option_rows(self, "")

    def doctor_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in DOCTOR_FIELDS}

    @property
    def stage_note(self) -> Any:
        """The calm note under the stage when what was written cannot be read (bound or initial value)."""
        if not self.is_bound:
            return STAGE_NOTE if stage_unreadable(self.stored_stage) else ""
        text = self["stage_text"].value() or ""
        return STAGE_NOTE if text.strip() and not parse_stage_text(text) else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        preferred = cleaned.get("preferred")
        if preferred and preferred not in (cleaned.get("modalities") or []):
            cleaned["modalities"] = [*(cleaned.get("modalities") or []), preferred]
        return cleaned
