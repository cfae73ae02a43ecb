"""Second-opinion triage: who should think about a second opinion, of what kind, and from whom.

``run_triage`` is pure: no database, no settings; thresholds come in as parameters (the CLI and the web layer
read them from the settings with ``thresholds_from_settings``). The rules, and the seed sentence behind each,
are in docs/triage.md. A key that is missing (or null) asserts nothing: it triggers no reason.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Any

from secondopinion.core.geo import great_circle_miles, zip_centroid
from secondopinion.core.reference import (
    CancerType,
    comprehensive_centers,
    find_cancer_type,
    suggest_cancer_types,
)
from secondopinion.core.thresholds import (
    DEFAULT_RARE_THRESHOLD,
    DEFAULT_RURAL_MILES,
    configured_number,
    is_valid_threshold,
)
from secondopinion.triage import wording
from secondopinion.triage.wording import gettext_noop, text

ADULT_AGE = 18
NEAREST_COUNT = 3

REASONS = (
    "rare_cancer",
    "inexperienced_doctor",
    "several_options",
    "unclear_results",
    "not_comfortable",
    "pathology_not_definite",
    "metastatic",
)
CHANNELS = ("pathology_review", "independent_specialist", "tumor_board", "renowned_expert")
OPTIONS = (
    "surgery",
    "radiation",
    "chemotherapy",
    "hormone_therapy",
    "immunotherapy",
    "targeted_therapy",
    "active_surveillance",
)
DOCTOR_EXPERIENCE = ("many", "few", "none", "unknown")
BOOLEAN_KEYS = (
    "metastatic",
    "pathology_definite",
    "results_unclear",
    "unsure_about_options",
    "comfortable",
    "already_treated",
)
INPUT_KEYS = ("cancer_type", "age", "options_considered", "doctor_experience", "zip", *BOOLEAN_KEYS)

OPTION_SPECIALTY = {
    "surgery": "surgical_oncology",
    "radiation": "radiation_oncology",
    "chemotherapy": "medical_oncology",
    "hormone_therapy": "medical_oncology",
    "immunotherapy": "medical_oncology",
    "targeted_therapy": "medical_oncology",
}
_ZIP = re.compile(r"^(\d{5})(?:-?\d{4})?$")


class TriageInputError(ValueError):
    """Input the triage cannot use; ``as_dict()`` gives the body ``{"error": {"code", "message", ...}}``."""

    def __init__(
        self, code: str, message: str, suggestions: list[str] | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.suggestions = suggestions
        self.field = field

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        if self.suggestions is not None:
            body["suggestions"] = self.suggestions
        return {"error": body}


def check_threshold(value: Any, name: str) -> float:
    """A threshold must be a finite number above zero."""
    if not is_valid_threshold(value):
        raise TriageInputError(
            "invalid_threshold",
            text(
                gettext_noop("%(name)s must be a number greater than 0, not %(value)r."),
                name=name,
                value=value,
            ),
            field=name,
        )
    return float(value)


def thresholds_from_settings() -> tuple[float, float]:
    """(rare threshold, rural miles) from SECONDOPINION_RARE_THRESHOLD and SECONDOPINION_RURAL_MILES."""
    rare = configured_number("SECONDOPINION_RARE_THRESHOLD", DEFAULT_RARE_THRESHOLD)
    rural = configured_number("SECONDOPINION_RURAL_MILES", DEFAULT_RURAL_MILES)
    return check_threshold(rare, "SECONDOPINION_RARE_THRESHOLD"), check_threshold(
        rural, "SECONDOPINION_RURAL_MILES"
    )


def _present(data: dict[str, Any], key: str) -> bool:
    return data.get(key) is not None


def _bool(data: dict[str, Any], key: str) -> bool | None:
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise TriageInputError(
        "invalid_value",
        text(gettext_noop("'%(key)s' must be true or false, not %(value)r."), key=key, value=value),
        field=key,
    )


def _choice(value: Any, allowed: tuple[str, ...], key: str) -> str:
    if not isinstance(value, str):
        raise TriageInputError(
            "invalid_value",
            text(gettext_noop("'%(key)s' must be text, not %(value)r."), key=key, value=value),
            field=key,
        )
    normalized = re.sub(r"[\s-]+", "_", value.strip().lower())
    if normalized not in allowed:
        raise TriageInputError(
            "invalid_option",
            text(
                gettext_noop("%(value)r is not a known value for '%(key)s'. Known values: %(known)s."),
                value=value,
                key=key,
                known=", ".join(allowed),
            ),
            suggestions=difflib.get_close_matches(normalized, allowed, n=3, cutoff=0.5),
            field=key,
        )
    return normalized


def _validate(data: Any) -> dict[str, Any]:
    """Check types and vocabularies; return the cleaned values (absent or null keys stay absent)."""
    if not isinstance(data, dict):
        raise TriageInputError(
            "invalid_input", text(gettext_noop("The input must be a JSON object with named answers."))
        )
    for key in data:
        if key not in INPUT_KEYS:
            raise TriageInputError(
                "unknown_field",
                text(
                    gettext_noop("%(key)r is not a triage question. Known keys: %(known)s."),
                    key=key,
                    known=", ".join(INPUT_KEYS),
                ),
                suggestions=difflib.get_close_matches(str(key), INPUT_KEYS, n=3, cutoff=0.5),
                field=str(key),
            )
    clean: dict[str, Any] = {key: _bool(data, key) for key in BOOLEAN_KEYS if _present(data, key)}

    cancer_type = data.get("cancer_type")
    if cancer_type is None or (isinstance(cancer_type, str) and not cancer_type.strip()):
        raise TriageInputError(
            "missing_cancer_type", text(gettext_noop("Say which type of cancer it is.")), field="cancer_type"
        )
    if not isinstance(cancer_type, str):
        raise TriageInputError(
            "invalid_value", text(gettext_noop("'cancer_type' must be text.")), field="cancer_type"
        )
    clean["cancer_type"] = cancer_type.strip()

    if _present(data, "age"):
        age = data["age"]
        if (
            isinstance(age, bool)
            or not isinstance(age, int | float)
            or not math.isfinite(age)
            or not 0 <= age <= 130
        ):
            raise TriageInputError(
                "invalid_value",
                text(
                    gettext_noop("'age' must be a number of years from 0 to 130, not %(value)r."), value=age
                ),
                field="age",
            )
        clean["age"] = age

    if _present(data, "options_considered"):
        options = data["options_considered"]
        if not isinstance(options, list):
            raise TriageInputError(
                "invalid_value",
                text(gettext_noop("'options_considered' must be a list of treatment options.")),
                field="options_considered",
            )
        clean["options_considered"] = list(
            dict.fromkeys(_choice(o, OPTIONS, "options_considered") for o in options)
        )

    if _present(data, "doctor_experience"):
        clean["doctor_experience"] = _choice(
            data["doctor_experience"], DOCTOR_EXPERIENCE, "doctor_experience"
        )

    zip_value = data.get("zip")
    if isinstance(zip_value, str) and not zip_value.strip():
        zip_value = None
    if zip_value is not None:
        match = _ZIP.match(zip_value.strip()) if isinstance(zip_value, str) else None
        if match is None:
            raise TriageInputError(
                "invalid_zip",
                text(gettext_noop("Write the ZIP code as 5 digits, for example 02215.")),
                field="zip",
            )
        clean["zip"] = match.group(1)
    return clean


def _resolve_cancer_type(name: str) -> CancerType:
    found = find_cancer_type(name)
    if found is None:
        raise TriageInputError(
            "unknown_cancer_type",
            text(
                gettext_noop(
                    "We do not know the cancer type %(name)r. "
                    "Try an everyday name, such as 'lung cancer', or an OncoTree code."
                ),
                name=name,
            ),
            suggestions=suggest_cancer_types(name),
            field="cancer_type",
        )
    return found


def _nearest_centers(zip5: str) -> list[dict[str, Any]]:
    centroid = zip_centroid(zip5)
    if centroid is None:
        raise TriageInputError(
            "unknown_zip", text(gettext_noop("We cannot find the ZIP code %(zip)s."), zip=zip5), field="zip"
        )
    lat, lon = centroid
    ranked = sorted(
        (round(great_circle_miles(lat, lon, c.latitude, c.longitude), 1), c.name, c.designation)
        for c in comprehensive_centers()
    )
    return [
        {"name": name, "type": kind, "distance_miles": miles} for miles, name, kind in ranked[:NEAREST_COUNT]
    ]


def run_triage(
    data: dict[str, Any],
    *,
    rare_threshold: float = DEFAULT_RARE_THRESHOLD,
    rural_miles: float = DEFAULT_RURAL_MILES,
) -> dict[str, Any]:
    """Apply the triage rules to one set of answers. Raises ``TriageInputError`` on input it cannot use."""
    rare_threshold = check_threshold(rare_threshold, "rare_threshold")
    rural_miles = check_threshold(rural_miles, "rural_miles")
    answers = _validate(data)
    cancer = _resolve_cancer_type(answers["cancer_type"])
    nearest = _nearest_centers(answers["zip"]) if "zip" in answers else []

    rate = cancer.rarity_rate
    rare_basis = None
    if rate is not None and rate < rare_threshold:
        rare_basis = "incidence"
    elif "age" in answers and answers["age"] < ADULT_AGE:
        rare_basis = "age"
    options = answers.get("options_considered", [])

    applies = {
        "rare_cancer": rare_basis is not None,
        "inexperienced_doctor": answers.get("doctor_experience") in ("few", "none"),
        "several_options": len(options) >= 2 or answers.get("unsure_about_options") is True,
        "unclear_results": answers.get("results_unclear") is True,
        "not_comfortable": answers.get("comfortable") is False,
        "pathology_not_definite": answers.get("pathology_definite") is False,
        "metastatic": answers.get("metastatic") is True,
    }
    reasons = [code for code in REASONS if applies[code]]
    has = set(reasons)
    channel_applies = {
        "pathology_review": bool(
            has & {"pathology_not_definite", "rare_cancer", "metastatic", "unclear_results"}
        ),
        "independent_specialist": True,
        "tumor_board": bool(has & {"several_options", "metastatic", "unclear_results"}),
        "renowned_expert": "rare_cancer" in has,
    }
    channels = [code for code in CHANNELS if channel_applies[code]]

    specialties = {OPTION_SPECIALTY[o] for o in options if o in OPTION_SPECIALTY}
    if "pathology_review" in channels:
        specialties.add("pathology")
    if "unclear_results" in has:
        specialties.add("radiology")

    rare = None
    if rare_basis is not None:
        rare = {
            "incidence_per_100k": rate,
            "threshold": rare_threshold,
            "basis": rare_basis,
            "source": cancer.citation,
        }
    rural = None if "zip" not in answers else nearest[0]["distance_miles"] > rural_miles
    recommendation = "strongly_suggested" if reasons else "optional"

    return {
        "recommendation": recommendation,
        "reasons": reasons,
        "channels": channels,
        "specialties": sorted(specialties),
        "rare": rare,
        "rural": rural,
        "nearest_centers": nearest,
        "explanations": _explain(
            recommendation, reasons, channels, sorted(specialties), rare, rural, rural_miles, answers
        ),
    }


def _explain(
    recommendation: str,
    reasons: list[str],
    channels: list[str],
    specialties: list[str],
    rare: dict[str, Any] | None,
    rural: bool | None,
    rural_miles: float,
    answers: dict[str, Any],
) -> dict[str, str]:
    texts = {recommendation: f"{text(wording.RECOMMENDATIONS[recommendation])} {text(wording.YOUR_RIGHT)}"}
    for code in reasons:
        if code != "rare_cancer":
            texts[code] = text(wording.REASONS[code])
        elif rare is not None and rare["basis"] == "age":
            texts[code] = text(wording.RARE_BY_AGE)
        elif rare is not None:
            threshold = wording.format_number(rare["threshold"])
            rate = rare["incidence_per_100k"]
            texts[code] = (
                text(wording.RARE_BY_INCIDENCE_UNDER_ONE, threshold=threshold)
                if rate < 1
                else text(wording.RARE_BY_INCIDENCE, rate=wording.format_number(rate), threshold=threshold)
            )
    texts.update({code: text(wording.CHANNELS[code]) for code in channels})
    texts.update({code: text(wording.SPECIALTIES[code]) for code in specialties})
    if answers.get("already_treated") is True:
        texts["already_treated"] = text(wording.ALREADY_TREATED)
    if rural is not None:
        texts["nearest_centers"] = text(wording.NEAREST_CENTERS)
    if rural:
        texts["rural"] = text(wording.RURAL, miles=wording.format_number(rural_miles))
    return texts
