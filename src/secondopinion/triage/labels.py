"""Short titles for the triage codes, and how to find each kind of opinion, for the pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

RECOMMENDATION_TITLES = {
    "strongly_suggested": _("A second opinion is strongly suggested"),
    "optional": _("A second opinion is up to you"),
}
REASON_TITLES = {
    "rare_cancer": _("The cancer is rare"),
    "inexperienced_doctor": _("Your doctor has treated few people with this cancer"),
    "several_options": _("There is more than one treatment to choose from"),
    "unclear_results": _("Test results are unclear"),
    "not_comfortable": _("You are not comfortable with the diagnosis or plan"),
    "pathology_not_definite": _("The pathology report has no definite diagnosis"),
    "metastatic": _("The cancer has spread"),
}
CHANNEL_TITLES = {
    "pathology_review": _("A pathologist's second opinion"),
    "independent_specialist": _("An independent cancer specialist"),
    "tumor_board": _("A tumor board"),
    "renowned_expert": _("An expert in this cancer"),
}
HOW_TO_FIND = {
    "pathology_review": _(
        "Ask your doctor or the hospital's pathology department to send your slides and "
        "report to a pathologist at a large or comprehensive cancer center."
    ),
    "independent_specialist": _(
        "Ask your doctor for a name, ask friends, call a comprehensive cancer center, "
        "or search by name, place and specialty."
    ),
    "tumor_board": _(
        "Ask your doctor whether your case can be presented at a tumor board, or ask a cancer "
        "center that runs one."
    ),
    "renowned_expert": _(
        "Look for doctors who write about this cancer in medical journals and work at large "
        "cancer centers; patient groups for rare cancers often know them."
    ),
}
SPECIALTY_TITLES = {
    "medical_oncology": _("Medical oncology"),
    "pathology": _("Pathology"),
    "radiation_oncology": _("Radiation oncology"),
    "radiology": _("Radiology"),
    "surgical_oncology": _("Surgical oncology"),
}


# A triage specialty -> the everyday name the directory search knows (directory/data/specialty_names.csv).
SPECIALTY_SEARCH_NAMES = {
    "surgical_oncology": "surgical oncologist",
    "medical_oncology": "medical oncologist",
    "radiation_oncology": "radiation oncologist",
    "pathology": "pathologist",
    "radiology": "radiologist",
}


def presented(result: dict[str, Any]) -> dict[str, Any]:
    """The result with the titles and texts a page shows, in the active language."""
    texts = result.get("explanations", {})

    def items(
        codes: list[str], titles: dict[str, Any], extra: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        return [
            {"code": c, "title": titles.get(c, c), "text": texts.get(c, ""), "how": (extra or {}).get(c, "")}
            for c in codes
        ]

    recommendation = result.get("recommendation", "optional")
    return {
        "recommendation": recommendation,
        "recommendation_title": RECOMMENDATION_TITLES.get(recommendation, recommendation),
        "recommendation_text": texts.get(recommendation, ""),
        "reasons": items(result.get("reasons", []), REASON_TITLES),
        "channels": items(result.get("channels", []), CHANNEL_TITLES, HOW_TO_FIND),
        "specialties": [
            {**item, "search": SPECIALTY_SEARCH_NAMES.get(item["code"], "")}
            for item in items(result.get("specialties", []), SPECIALTY_TITLES)
        ],
        "already_treated": texts.get("already_treated", ""),
        "rural": result.get("rural"),
        "rural_text": texts.get("rural", ""),
        "centers_text": texts.get("nearest_centers", ""),
        "nearest_centers": result.get("nearest_centers", []),
    }
