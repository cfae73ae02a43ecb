"""Helpers between the pages and the opinion JSON (docs/opinion-schema.md); no database.

The comparison rules stay in comparison.py; this module only reads stage text as the patient wrote it,
builds the first opinion's content and words the comparison classes for patients.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secondopinion.core.codes import Modality
from secondopinion.opinions.labels import CLASS_LABELS, LATERALITY_LABELS, STAGE_TYPE_LABELS, label
from secondopinion.opinions.opinion_format import GROUP_PATTERN, M_PATTERN, N_PATTERN, T_PATTERN

STATED_CLASSES = ("confirmed", "refined", "changed")
DIMENSIONS = ("diagnosis", "stage", "treatment")


def parse_stage_text(text: str) -> dict[str, str]:
    """Stage "as written in the report" → group, or t/n/m, when it reads cleanly; else nothing.

    "IIA", "Stage IIA" → {"group": "IIA"}; "T2 N0 M0", "pT2N0M0" → {"t": "pT2", "n": "N0", "m": "M0"}.
    """
    text = (text or "").strip()
    if not text:
        return {}
    if re.fullmatch(GROUP_PATTERN, text):
        return {"group": re.sub(r"(?i)^stage ?", "", text).upper().replace("0IS", "0is")}
    parts = re.findall(r"[a-zA-Z]*?[TNMtnm](?:is|[0-4xXa])[a-dA-D]?[1-3]?(?:mi)?", text.replace(",", " "))
    found: dict[str, str] = {}
    for part in parts:
        for key, pattern in (("t", T_PATTERN), ("n", N_PATTERN), ("m", M_PATTERN)):
            letter = key.upper()
            if letter in part.upper() and re.fullmatch(pattern, part) and key not in found:
                found[key] = part
                break
    return found if set(found) == {"t", "n", "m"} else {}


def first_opinion_content(
    cancer_type: str,
    stage_text: str,
    modalities: list[str],
    preferred: str,
    existing: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The patient's words as opinion content; codes a clinician added are kept."""
    content: dict[str, Any] = dict(existing or {})
    diagnosis = dict(content.get("diagnosis") or {})
    diagnosis["site_text"] = cancer_type
    content["diagnosis"] = diagnosis
    stage = dict(content.get("stage") or {})
    if stage.get("as_written") != stage_text:  # the patient changed it: read it again
        stage = {"as_written": stage_text, **parse_stage_text(stage_text)}
    content["stage"] = stage
    ordered = ([preferred] if preferred in modalities else []) + [m for m in modalities if m != preferred]
    content["treatment"] = (
        {"options": [{"modalities": ordered, "preferred": bool(preferred in modalities)}]} if ordered else {}
    )
    return content


def first_opinion_initial(case: Any, content: dict[str, Any] | None) -> dict[str, Any]:
    """Pre-fill the patient's form from the first opinion, else from the packet's text."""
    if content:
        options = (content.get("treatment") or {}).get("options") or []
        option = options[0] if options else {}
        modalities = option.get("modalities") or []
        return {
            "cancer_type": (content.get("diagnosis") or {}).get("site_text") or case.cancer_type,
            "stage_text": (content.get("stage") or {}).get("as_written", ""),
            "modalities": modalities,
            "preferred": modalities[0] if modalities and option.get("preferred") else "",
        }
    return {"cancer_type": case.cancer_type, "modalities": list(case.first_plan_modalities or [])}


def plain_class(dimension: str, cls: str) -> str:
    """The class in plain words, for patients: one whole sentence per dimension and class."""
    return str(PLAIN_CLASS[dimension].get(cls, PLAIN_CLASS[dimension]["not_comparable"]))


PLAIN_CLASS = {
    "diagnosis": {
        "confirmed": gettext_lazy("The second doctor agrees with the diagnosis."),
        "refined": gettext_lazy(
            "The second doctor refines the diagnosis: it is more precise, not different."
        ),
        "changed": gettext_lazy("The second doctor changes the diagnosis."),
        "not_comparable": gettext_lazy(
            "We cannot compare the diagnosis: one of the opinions does not give enough detail."
        ),
    },
    "stage": {
        "confirmed": gettext_lazy("The second doctor agrees with the stage."),
        "refined": gettext_lazy("The second doctor refines the stage: it is more precise, not different."),
        "changed": gettext_lazy("The second doctor changes the stage."),
        "not_comparable": gettext_lazy(
            "We cannot compare the stage: one of the opinions does not give enough detail."
        ),
    },
    "treatment": {
        "confirmed": gettext_lazy("The second doctor agrees with the treatment plan."),
        "refined": gettext_lazy(
            "The second doctor refines the treatment plan: it is more precise, not different."
        ),
        "changed": gettext_lazy("The second doctor changes the treatment plan."),
        "not_comparable": gettext_lazy(
            "We cannot compare the treatment plan: one of the opinions does not give enough detail."
        ),
    },
}


def comparison_rows(
    result: dict[str, Any], first: dict[str, Any], second: dict[str, Any], stated: dict[str, str]
) -> list[dict[str, Any]]:
    """One row per dimension: class, plain words, reasons, both texts, the consultant's stated view."""
    rows = []
    for dim in DIMENSIONS:
        cls = result[dim]["class"]
        rows.append(
            {
                "dimension": dim,
                "label": {"diagnosis": _("Diagnosis"), "stage": _("Stage"), "treatment": _("Treatment")}[dim],
                "class": cls,
                "class_label": label(CLASS_LABELS, cls),
                "plain": plain_class(dim, cls),
                "because": result[dim]["because"],
                "first_text": describe(dim, first),
                "second_text": describe(dim, second),
                "stated": stated.get(dim, ""),
                "stated_label": label(CLASS_LABELS, stated.get(dim, "")),
                "mismatch": bool(stated.get(dim)) and stated.get(dim) != cls and cls != "not_comparable",
            }
        )
    return rows


def describe(dimension: str, content: dict[str, Any]) -> str:
    """One line of text for a dimension of an opinion (shown side by side)."""
    if dimension == "diagnosis":
        d = content.get("diagnosis") or {}
        parts = [
            d.get("site_text"),
            d.get("site"),
            d.get("histology_text"),
            d.get("histology"),
            d.get("grade"),
            label(LATERALITY_LABELS, d.get("laterality")),
        ]
    elif dimension == "stage":
        s = content.get("stage") or {}
        parts = [
            s.get("as_written"),
            label(STAGE_TYPE_LABELS, s.get("type")),
            s.get("t"),
            s.get("n"),
            s.get("m"),
            s.get("group") and _("stage %(group)s") % {"group": s["group"]},
        ]
    else:
        options = (content.get("treatment") or {}).get("options") or []
        parts = []
        for option in options:
            labels = dict(Modality.choices)
            text = " + ".join(str(labels.get(m, m)) for m in option.get("modalities") or [])
            if option.get("preferred"):
                text = _("%(treatments)s (preferred)") % {"treatments": text}
            parts.append(text)
    return "; ".join(str(p) for p in parts if p) or "—"
