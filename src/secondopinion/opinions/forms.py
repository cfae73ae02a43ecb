"""Opinion forms. The consultant's form turns its fields into the opinion JSON and validates it with
`opinion_format.parse_opinion`; each error is shown on the field it names."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondopinion.consults.models import Kind
from secondopinion.core.forms import PlainMessages
from secondopinion.opinions.actions import OpinionError, validate
from secondopinion.opinions.models import Decision
from secondopinion.opinions.opinion_format import INTENTS
from secondopinion.opinions.treatment_fields import (
    add_option_fields,
    field_for_option_path,
    has_input,
    option_content,
    option_initial,
    option_rows,
)
from secondopinion.opinions.wording import (
    CHANGE_LABELS,
    CONCORDANCE_LABELS,
    INTENT_LABELS,
    LATERALITY_LABELS,
    STAGE_TYPE_LABELS,
)

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


class ConsultOpinionForm(PlainMessages, forms.Form):
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
            add_option_fields(self, f"opt{i}_", _("Option %(n)s: treatments") % {"n": i + 1})
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

    def option_rows(self) -> list[dict[str, Any]]:
        """Per option: the treatments with their procedures and details, then intent, preferred, rationale."""
        return [
            {
                "treatment": option_rows(self, f"opt{i}_"),
                "fields": [self[f"opt{i}_{k}"] for k in ("intent", "preferred", "rationale")],
            }
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
            if has_input(d, f"opt{i}_") or d[f"opt{i}_rationale"] or d[f"opt{i}_intent"]:
                self._option_fields.append(i)
                content["treatment"]["options"].append(
                    {
                        **option_content(d, f"opt{i}_"),
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
        if match := re.match(r"treatment\.options\[(\d+)\]\.([\w.]+)", path):
            row = self._option_fields[int(match[1])]
            name = field_for_option_path(f"opt{row}_", match[2])
            return name if name in self.fields else f"opt{row}_modalities"
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
            initial |= option_initial(option, f"opt{i}_")
            initial |= {f"opt{i}_{k}": option.get(k) for k in ("intent", "preferred", "rationale")}
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


class CodesForm(PlainMessages, forms.Form):
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


class AddendumForm(PlainMessages, forms.Form):
    text = forms.CharField(label=_("Addendum"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)


class DecisionForm(PlainMessages, forms.ModelForm):
    """The decision asks one question about the advice (`follows_advice`); the opinion followed comes from
    the answer (`followed_opinion`). "Who will treat you" may stay empty while the answer is "not decided"."""

    class Meta:
        model = Decision
        fields = ["follows_advice", "treating_doctor", "note", "share_with_first_doctor"]
        labels = {
            "follows_advice": _("Will you follow the second doctor's advice?"),
            "treating_doctor": _("Who will treat you?"),
            "note": _("Anything you want to remember about this decision"),
            "share_with_first_doctor": _(
                "Send my first doctor a link to the second opinion (it works for 30 days)"
            ),
        }
        help_texts = {
            "treating_doctor": _(
                "A doctor's name or a hospital. You can leave it empty if you have not decided."
            )
        }
        widgets = {"follows_advice": forms.RadioSelect}
        error_messages = {
            "follows_advice": {
                "required": _("Choose one answer."),
                "invalid_choice": _("Choose one of the answers shown."),
            },
            "treating_doctor": {"max_length": _("Keep it under 200 characters.")},
        }

    def __init__(self, *args: Any, latest_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["treating_doctor"].required = False
        self.fields["note"].required = False
        if latest_label:  # several signed opinions: the question names the one it is about
            self.fields["follows_advice"].label = _(
                "Will you follow the advice of the latest opinion (%(opinion)s)?"
            ) % {"opinion": latest_label}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["treating_doctor"] = (cleaned.get("treating_doctor") or "").strip()
        follows = cleaned.get("follows_advice")
        if follows and follows != Decision.Follows.UNDECIDED and not cleaned["treating_doctor"]:
            self.add_error(
                "treating_doctor",
                _("Write who will treat you, or answer “Not decided yet” to the question above."),
            )
        return cleaned

    def followed_opinion(self, *, latest: Any, first: Any) -> Any:
        """The opinion whose advice the patient follows: the latest signed one (yes, partly), the first
        opinion (no), or none (not decided yet)."""
        follows = self.cleaned_data.get("follows_advice")
        if follows in (Decision.Follows.YES, Decision.Follows.PARTLY):
            return latest
        if follows == Decision.Follows.NO:
            return first
        return None
