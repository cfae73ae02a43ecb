"""Helpers between the pages and the opinion JSON (docs/opinion-schema.md); no database.

The comparison rules stay in comparison.py; this module only reads stage text as the patient wrote it,
builds the first opinion's content and words the comparison classes for patients.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secondopinion.core.reference import cancer_type_name
from secondopinion.opinions.opinion_format import GROUP_PATTERN, M_PATTERN, N_PATTERN, T_PATTERN
from secondopinion.opinions.treatment_fields import option_words
from secondopinion.opinions.wording import (
    CLASS_LABELS,
    CLASS_NOUNS,
    LATERALITY_LABELS,
    STAGE_TYPE_LABELS,
    label,
    reason_in_words,
)

STATED_CLASSES = ("confirmed", "refined", "changed")
# What a signing clinician may state for a dimension (the sign form, the sign API).
SIGN_CLASSES = (*STATED_CLASSES, "not_comparable")
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
    result: dict[str, Any],
    first: dict[str, Any],
    second: dict[str, Any],
    stated: dict[str, str],
    doctor: str = "",
) -> list[dict[str, Any]]:
    """One row per dimension. `class` is the computed class (the check); `lead` is the class the signing
    clinician stated, which leads on the patient's pages (the computed one when none was stated);
    `check` is the one calm sentence shown where the two differ."""
    rows = []
    for dim in DIMENSIONS:
        cls = result[dim]["class"]
        said = stated.get(dim, "")
        lead = said or cls
        rows.append(
            {
                "dimension": dim,
                "label": {"diagnosis": _("Diagnosis"), "stage": _("Stage"), "treatment": _("Treatment")}[dim],
                "class": cls,
                "class_label": label(CLASS_LABELS, cls),
                "lead": lead,
                "lead_label": label(CLASS_LABELS, lead),
                "plain": plain_class(dim, lead),
                "because": [reason_in_words(reason) for reason in result[dim]["because"]],
                "first_text": describe(dim, first),
                "second_text": describe(dim, second),
                "stated": said,
                "stated_label": label(CLASS_LABELS, said),
                "mismatch": bool(said) and said != cls and cls != "not_comparable",
                "differs": bool(said) and said != cls,
                "check": check_sentence(doctor, said, cls),
            }
        )
    return rows


def check_sentence(doctor: str, stated: str, computed: str) -> str:
    """ "Dr X judged this a change; the structured fields alone would call it a refinement." — or ""
    when the doctor stated nothing or the same class as the computed one."""
    if not stated or stated == computed:
        return ""
    name = doctor or _("The doctor")
    if computed == "not_comparable":
        return _(
            "%(doctor)s judged this %(stated)s; the structured fields alone do not hold enough detail to "
            "compare."
        ) % {"doctor": name, "stated": label(CLASS_NOUNS, stated)}
    return _("%(doctor)s judged this %(stated)s; the structured fields alone would call it %(computed)s.") % {
        "doctor": name,
        "stated": label(CLASS_NOUNS, stated),
        "computed": label(CLASS_NOUNS, computed),
    }


def describe(dimension: str, content: dict[str, Any]) -> str:
    """One line of text for a dimension of an opinion (shown side by side)."""
    if dimension == "diagnosis":
        d = content.get("diagnosis") or {}
        parts = [
            cancer_type_name(d.get("site_text")),
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
            text = option_words(option)
            if option.get("preferred"):
                text = _("%(treatments)s (preferred)") % {"treatments": text}
            parts.append(text)
    return "; ".join(str(p) for p in parts if p) or "—"
