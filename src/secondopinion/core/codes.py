"""Code lists shared by every app."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Modality(models.TextChoices):
    """Treatment modalities: the one list used everywhere in the product."""

    SURGERY = "surgery", _("Surgery")
    RADIATION = "radiation", _("Radiation therapy")
    CHEMOTHERAPY = "chemotherapy", _("Chemotherapy")
    HORMONE_THERAPY = "hormone_therapy", _("Hormone therapy")
    IMMUNOTHERAPY = "immunotherapy", _("Immunotherapy")
    TARGETED_THERAPY = "targeted_therapy", _("Targeted therapy")
    ACTIVE_SURVEILLANCE = "active_surveillance", _("Active surveillance (watching closely)")
    CLINICAL_TRIAL = "clinical_trial", _("Clinical trial")
    OTHER = "other", _("Other")


MODALITY_CODES: tuple[str, ...] = tuple(Modality.values)

# The procedures people decide between, for the modalities where the choice matters (kept equal to
# opinions.opinion_format.PROCEDURES, which a test checks).
PROCEDURE_LABELS = {
    "lumpectomy": _("Breast-conserving surgery (lumpectomy)"),
    "mastectomy": _("Mastectomy (the whole breast is removed)"),
    "mastectomy_reconstruction": _("Mastectomy with breast reconstruction"),
    "whole_organ": _("Whole-organ radiation (for example whole-breast)"),
    "partial": _("Partial radiation (for example partial-breast)"),
}


def treatment_words(option: dict[str, Any]) -> list[str]:
    """Each treatment of an option (opinion JSON) in words: "Surgery: Mastectomy (…) — details"."""
    labels = dict(Modality.choices)
    procedures, details = option.get("procedures") or {}, option.get("details") or {}
    words = []
    for modality in option.get("modalities") or []:
        text = str(labels.get(modality, modality))
        if procedure := procedures.get(modality):
            text += f": {PROCEDURE_LABELS.get(procedure, procedure)}"
        if detail := details.get(modality):
            text += f" — {detail}"
        words.append(text)
    return words
