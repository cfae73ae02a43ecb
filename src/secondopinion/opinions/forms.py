"""Opinion forms. The consultant's form turns its fields into the opinion JSON and validates it with
`opinion_format.parse_opinion`; each error is shown on the field it names."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondopinion.consults.models import Kind
from secondopinion.core.codes import Modality
from secondopinion.opinions.actions import OpinionError, validate
from secondopinion.opinions.labels import (
    CHANGE_LABELS,
    CONCORDANCE_LABELS,
    INTENT_LABELS,
    LATERALITY_LABELS,
    STAGE_TYPE_LABELS,
)
from secondopinion.opinions.models import Decision
from secondopinion.opinions.opinion_format import INTENTS

OPTION_ROWS = 3
BLANK = [("", "—")]
LATERALITY = [*BLANK, *LATERALITY_LABELS.items()]
STAGE_TYPES = [*BLANK, *STAGE_TYPE_LABELS.items()]
INTENT_CHOICES = [*BLANK, *INTENT_LABELS.items()]
CHANGE_CHOICES = [*BLANK, *CHANGE_LABELS.items()]
CONCORDANCE = [*BLANK, *CONCORDANCE_LABELS.items()]
assert tuple(c for c, _label in INTENT_CHOICES[1:]) == INTENTS

DIAGNOSIS = ("site", "site_text", "histology", "histology_text", "grade", "laterality")
STAGE = {"stage_type": "type", "stage_system": "system", "t": "t", "n": "n", "m": "m", "group": "group"}


def _text(**kw: Any) -> forms.CharField:
    return forms.CharField(required=False, **kw)


class ConsultOpinionForm(forms.Form):
    site = _text(label=_("Primary site code (ICD-O-3 topography)"), help_text=_("For example C50.4"))
    site_text = _text(label=_("Primary site in words"))
    histology = _text(label=_("Histology code (ICD-O-3 morphology)"), help_text=_("For example 8500/3"))
    histology_text = _text(label=_("Histology in words"))
    grade = _text(label=_("Grade"))
    laterality = forms.ChoiceField(label=_("Laterality"), choices=LATERALITY, required=False)
    stage_type = forms.ChoiceField(label=_("Stage type"), choices=STAGE_TYPES, required=False)
    stage_system = _text(label=_("Staging system"), help_text=_("For example AJCC 8th"))
    t = _text(label=_("T category"))
    n = _text(label=_("N category"))
    m = _text(label=_("M category"))
    group = _text(label=_("Stage group"), help_text=_("For example IIA"))
    trials = _text(
        label=_("Clinical trials to consider"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the NCT number, then a note"),
    )
    summary_plain = _text(
        label=_("Summary for the patient, in plain words"), widget=forms.Textarea(attrs={"rows": 4})
    )
    clinical_note = _text(label=_("Clinical note for the doctors"), widget=forms.Textarea(attrs={"rows": 4}))
    stated_diagnosis = forms.ChoiceField(
        label=_("Your view of the diagnosis"), choices=CHANGE_CHOICES, required=False
    )
    stated_stage = forms.ChoiceField(
        label=_("Your view of the stage"), choices=CHANGE_CHOICES, required=False
    )
    stated_treatment = forms.ChoiceField(
        label=_("Your view of the treatment plan"), choices=CHANGE_CHOICES, required=False
    )

    def __init__(self, *args: Any, questions: list[Any], kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions, self.kind = questions, kind
        for i in range(OPTION_ROWS):
            self.fields[f"opt{i}_modalities"] = forms.MultipleChoiceField(
                label=_("Option %(n)s: treatments") % {"n": i + 1},
                choices=Modality.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"opt{i}_intent"] = forms.ChoiceField(
                label=_("Option %(n)s: intent") % {"n": i + 1}, choices=INTENT_CHOICES, required=False
            )
            self.fields[f"opt{i}_preferred"] = forms.BooleanField(
                label=_("Option %(n)s is the preferred option") % {"n": i + 1}, required=False
            )
            self.fields[f"opt{i}_rationale"] = _text(label=_("Option %(n)s: rationale") % {"n": i + 1})
        for q in questions:
            self.fields[f"answer_{q.pk}"] = _text(label=q.text, widget=forms.Textarea(attrs={"rows": 3}))
            self.fields[f"discuss_{q.pk}"] = forms.BooleanField(
                label=_("Let us discuss this in person"), required=False
            )
        if kind == Kind.PATHOLOGY_REVIEW:
            self.fields["concordance"] = forms.ChoiceField(
                label=_("Concordance with the original report"), choices=CONCORDANCE, required=False
            )
            self.fields["revised_diagnosis"] = _text(label=_("Revised diagnosis"))
            self.fields["further_tests"] = _text(label=_("Further stains or tests recommended"))

    def diagnosis_fields(self) -> list[Any]:
        return [self[name] for name in DIAGNOSIS]

    def stage_fields(self) -> list[Any]:
        return [self[name] for name in STAGE]

    def option_rows(self) -> list[list[Any]]:
        return [
            [self[f"opt{i}_{k}"] for k in ("modalities", "intent", "preferred", "rationale")]
            for i in range(OPTION_ROWS)
        ]

    def question_rows(self) -> list[tuple[Any, Any, Any]]:
        return [(q, self[f"answer_{q.pk}"], self[f"discuss_{q.pk}"]) for q in self.questions]

    def content(self) -> dict[str, Any]:
        d = self.cleaned_data
        content: dict[str, Any] = {
            "diagnosis": {k: d[k] or None for k in DIAGNOSIS},
            "stage": {target: d[field] or None for field, target in STAGE.items()},
            "treatment": {"options": []},
            "clinical_trials": [],
            "answers": [],
            "summary_plain": d["summary_plain"],
            "clinical_note": d["clinical_note"],
        }
        self._option_fields: list[int] = []
        for i in range(OPTION_ROWS):
            if d[f"opt{i}_modalities"] or d[f"opt{i}_rationale"] or d[f"opt{i}_intent"]:
                self._option_fields.append(i)
                content["treatment"]["options"].append(
                    {
                        "modalities": d[f"opt{i}_modalities"],
                        "intent": d[f"opt{i}_intent"] or None,
                        "preferred": d[f"opt{i}_preferred"],
                        "rationale": d[f"opt{i}_rationale"],
                    }
                )
        for line in d["trials"].splitlines():
            if line.strip():
                nct, _sep, note = line.strip().partition(" ")
                content["clinical_trials"].append({"nct": nct, "note": note.strip()})
        for q in self.questions:
            content["answers"].append(
                {
                    "question_id": str(q.pk),
                    "question": q.text,
                    "answer": d[f"answer_{q.pk}"],
                    "discuss_in_person": d[f"discuss_{q.pk}"],
                }
            )
        if self.kind == Kind.PATHOLOGY_REVIEW:
            content["pathology"] = {
                k: d.get(k) or None for k in ("concordance", "revised_diagnosis", "further_tests")
            }
        return content

    def stated_change(self) -> dict[str, str]:
        return {
            dim: self.cleaned_data[f"stated_{dim}"]
            for dim in ("diagnosis", "stage", "treatment")
            if self.cleaned_data[f"stated_{dim}"]
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            validate(self.content())
        except OpinionError as error:
            self.add_error(self.field_for(error.field or ""), f"{error.message}")
        return cleaned

    def field_for(self, path: str) -> str | None:
        """The form field an error path (diagnosis.site, treatment.options[0].intent…) belongs to."""
        if match := re.match(r"treatment\.options\[(\d+)\]\.(\w+)", path):
            row = self._option_fields[int(match[1])]
            return f"opt{row}_{match[2]}"
        if path.startswith("clinical_trials"):
            return "trials"
        head, _dot, tail = path.partition(".")
        if head == "diagnosis" and tail in DIAGNOSIS:
            return tail
        if head == "stage":
            return next((f for f, t in STAGE.items() if t == tail), None)
        return path if path in self.fields else None

    @staticmethod
    def initial_from(content: dict[str, Any], stated: dict[str, str]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            k: v for k, v in (content.get("diagnosis") or {}).items() if k in DIAGNOSIS
        }
        stage = content.get("stage") or {}
        initial |= {field: stage.get(target) for field, target in STAGE.items()}
        for i, option in enumerate(((content.get("treatment") or {}).get("options") or [])[:OPTION_ROWS]):
            initial |= {
                f"opt{i}_{k}": option.get(k) for k in ("modalities", "intent", "preferred", "rationale")
            }
        initial["trials"] = "\n".join(
            f"{t.get('nct', '')} {t.get('note', '')}".strip() for t in content.get("clinical_trials") or []
        )
        for answer in content.get("answers") or []:
            initial[f"answer_{answer.get('question_id')}"] = answer.get("answer")
            initial[f"discuss_{answer.get('question_id')}"] = answer.get("discuss_in_person")
        initial |= {k: content.get(k) for k in ("summary_plain", "clinical_note")}
        initial |= content.get("pathology") or {}
        initial |= {f"stated_{dim}": cls for dim, cls in stated.items()}
        return initial


class FirstOpinionForm(forms.Form):
    cancer_type = forms.ChoiceField(label=_("Type of cancer"))
    stage_text = _text(
        label=_("Stage, as written in the report"),
        help_text=_(
            "Copy it as it is written, for example “IIA” or “T2 N0 M0”. Leave it empty if you do not know."
        ),
    )
    modalities = forms.MultipleChoiceField(
        label=_("Treatments in the plan"),
        choices=Modality.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    preferred = forms.ChoiceField(
        label=_("Which treatment did your doctor suggest first?"),
        choices=BLANK + list(Modality.choices),
        required=False,
    )

    def __init__(self, *args: Any, cancer_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.initial.get("cancer_type") or ""
        names = sorted(set(cancer_types) | ({current} if current else set()))
        field = self.fields["cancer_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose one"))] + [(n, n) for n in names]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        preferred = cleaned.get("preferred")
        if preferred and preferred not in (cleaned.get("modalities") or []):
            cleaned["modalities"] = [*(cleaned.get("modalities") or []), preferred]
        return cleaned


class CodesForm(forms.Form):
    site = _text(label=_("Primary site code (ICD-O-3 topography)"))
    histology = _text(label=_("Histology code (ICD-O-3 morphology)"))
    grade = _text(label=_("Grade"))
    laterality = forms.ChoiceField(label=_("Laterality"), choices=LATERALITY, required=False)
    stage_type = forms.ChoiceField(label=_("Stage type"), choices=STAGE_TYPES, required=False)
    t = _text(label=_("T category"))
    n = _text(label=_("N category"))
    m = _text(label=_("M category"))
    group = _text(label=_("Stage group"))

    def __init__(self, *args: Any, content: dict[str, Any], **kwargs: Any) -> None:
        diagnosis, stage = content.get("diagnosis") or {}, content.get("stage") or {}
        initial = {k: diagnosis.get(k) for k in ("site", "histology", "grade", "laterality")}
        initial |= {f: stage.get(t) for f, t in STAGE.items() if f != "stage_system"}
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.base = content

    def merged(self) -> dict[str, Any]:
        d = self.cleaned_data
        content = dict(self.base)
        content["diagnosis"] = {
            **(self.base.get("diagnosis") or {}),
            **{k: d[k] or None for k in ("site", "histology", "grade", "laterality")},
        }
        stage = {t: d[f] or None for f, t in STAGE.items() if f != "stage_system"}
        content["stage"] = {**(self.base.get("stage") or {}), **stage}
        return content

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            try:
                validate(self.merged())
            except OpinionError as error:
                head, _dot, tail = (error.field or "").partition(".")
                name = next((f for f, t in STAGE.items() if t == tail), tail) if head == "stage" else tail
                self.add_error(name if name in self.fields else None, error.message)
        return cleaned


class AddendumForm(forms.Form):
    text = forms.CharField(label=_("Addendum"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)


class DecisionForm(forms.ModelForm):
    opinion_choice = forms.ChoiceField(label=_("Which opinion will you follow?"), required=False)

    class Meta:
        model = Decision
        fields = ["treating_doctor", "follows_advice", "note", "share_with_first_doctor"]
        labels = {
            "follows_advice": _("Will you follow the second doctor's advice?"),
            "note": _("Anything you want to remember about this decision"),
            "share_with_first_doctor": _(
                "Send my first doctor a link to the second opinion (it works for 30 days)"
            ),
        }

    def __init__(self, *args: Any, opinions: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opinions = {str(o.pk): o for o, _label in opinions}
        field = self.fields["opinion_choice"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Not decided yet"))] + [(str(o.pk), label) for o, label in opinions]

    def chosen_opinion(self) -> Any:
        return self.opinions.get(self.cleaned_data.get("opinion_choice") or "")
