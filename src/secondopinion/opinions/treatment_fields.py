"""The fields of one treatment option, shared by the consultant's editor and the patient's first-opinion
form: the modalities as checkboxes, the procedure where it matters (surgery, radiation) and a details text
for every modality. `add_option_fields` adds them to a form under a prefix; `option_content` and
`option_initial` turn them into the option JSON (docs/opinion-schema.md) and back; `option_rows` gives the
template (opinions/partials/treatment_option.html) one row per modality."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondopinion.core.codes import PROCEDURE_LABELS, Modality
from secondopinion.opinions.opinion_format import MODALITIES, PROCEDURES
from secondopinion.opinions.wording import PROCEDURE_QUESTIONS

DETAILS_MAX = 1000


def add_option_fields(form: forms.Form, prefix: str, modalities_label: Any) -> None:
    """`{prefix}modalities`, `{prefix}procedure_<modality>` and `{prefix}details_<modality>`."""
    form.fields[f"{prefix}modalities"] = forms.MultipleChoiceField(
        label=modalities_label,
        choices=Modality.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    for modality, procedures in PROCEDURES.items():
        form.fields[f"{prefix}procedure_{modality}"] = forms.ChoiceField(
            label=PROCEDURE_QUESTIONS[modality],
            choices=[("", _("Not said, or another kind"))] + [(p, PROCEDURE_LABELS[p]) for p in procedures],
            required=False,
            widget=forms.RadioSelect,
        )
    labels = dict(Modality.choices)
    for modality in MODALITIES:
        form.fields[f"{prefix}details_{modality}"] = forms.CharField(
            label=_("Details of %(treatment)s") % {"treatment": str(labels[modality]).lower()},
            required=False,
            max_length=DETAILS_MAX,
        )


def option_content(data: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The option's modalities, procedures and details from cleaned data (procedures and details only for
    the modalities ticked; nothing given is left out)."""
    modalities = list(data.get(f"{prefix}modalities") or [])
    option: dict[str, Any] = {"modalities": modalities}
    procedures = {m: data[f"{prefix}procedure_{m}"] for m in PROCEDURES if data.get(f"{prefix}procedure_{m}")}
    details = {
        m: data[f"{prefix}details_{m}"].strip() for m in MODALITIES if data.get(f"{prefix}details_{m}")
    }
    if chosen := {m: p for m, p in procedures.items() if m in modalities}:
        option["procedures"] = chosen
    if written := {m: text for m, text in details.items() if text and m in modalities}:
        option["details"] = written
    return option


def option_initial(option: dict[str, Any], prefix: str) -> dict[str, Any]:
    initial: dict[str, Any] = {f"{prefix}modalities": list(option.get("modalities") or [])}
    for modality, procedure in (option.get("procedures") or {}).items():
        initial[f"{prefix}procedure_{modality}"] = procedure
    for modality, text in (option.get("details") or {}).items():
        initial[f"{prefix}details_{modality}"] = text
    return initial


def has_input(data: dict[str, Any], prefix: str) -> bool:
    """Whether any of the option's fields holds something."""
    names = [f"{prefix}modalities", *(f"{prefix}procedure_{m}" for m in PROCEDURES)]
    names += [f"{prefix}details_{m}" for m in MODALITIES]
    return any(data.get(name) for name in names)


def option_rows(form: forms.Form, prefix: str) -> dict[str, Any]:
    """For the template: the modalities field and, per modality, its checkbox, procedure and details."""
    field = form[f"{prefix}modalities"]
    boxes = {box.data["value"]: box for box in field}
    return {
        "field": field,
        "rows": [
            {
                "modality": modality,
                "box": boxes[modality],
                "procedure": form[f"{prefix}procedure_{modality}"] if modality in PROCEDURES else None,
                "details": form[f"{prefix}details_{modality}"],
            }
            for modality in MODALITIES
        ],
    }


def field_for_option_path(prefix: str, rest: str) -> str:
    """The field of an error path inside an option: "procedures.surgery" -> "<prefix>procedure_surgery"."""
    head, _dot, tail = rest.partition(".")
    if head == "procedures" and tail:
        return f"{prefix}procedure_{tail}"
    if head == "details" and tail:
        return f"{prefix}details_{tail}"
    return f"{prefix}{head}"


def option_parts(option: dict[str, Any]) -> list[dict[str, str]]:
    """Each treatment of an option in words, in order: its name, its procedure and its details."""
    labels = dict(Modality.choices)
    procedures, details = option.get("procedures") or {}, option.get("details") or {}
    return [
        {
            "modality": str(labels.get(m, m)),
            "procedure": str(PROCEDURE_LABELS.get(procedures.get(m) or "", procedures.get(m) or "")),
            "details": str(details.get(m) or ""),
        }
        for m in option.get("modalities") or []
    ]


def option_words(option: dict[str, Any]) -> str:
    """One line: "Surgery: Mastectomy (the whole breast is removed) + Hormone therapy"."""
    return " + ".join(
        f"{part['modality']}: {part['procedure']}" if part["procedure"] else part["modality"]
        for part in option_parts(option)
    )
