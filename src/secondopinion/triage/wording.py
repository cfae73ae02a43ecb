"""What triage says to people: a plain-language text for every triage code, written at the reading level of
patient leaflets, and the short titles and "how to find one" lines the pages show.

The result's texts are marked with ``gettext_noop`` so ``makemessages`` collects them; ``text()`` translates
them at call time into the active language. Without configured Django settings (a bare script) they stay in
English. The titles are lazy, translated when a page shows them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def gettext_noop(message: str) -> str:
    """Marks a text for ``makemessages`` (same keyword as Django's); unlike Django's, needs no settings."""
    return message


def text(message: str, **values: object) -> str:
    """Translate ``message`` into the active language and fill in its ``%(name)s`` values."""
    try:
        from django.utils.translation import gettext

        translated = gettext(message)
    except ImproperlyConfigured:
        translated = message
    return translated % values if values else translated


YOUR_RIGHT = gettext_noop(
    "Getting a second opinion is your right. Most doctors welcome it and can help you send your records. "
    "You can get a second opinion even after your treatment has started."
)

RECOMMENDATIONS = {
    "strongly_suggested": gettext_noop(
        "You should seriously think about getting a second opinion. The reasons are listed below."
    ),
    "optional": gettext_noop(
        "Nothing in your answers points to a special need for a second opinion. "
        "You can still ask for one at any time, for any reason."
    ),
}

RARE_BY_INCIDENCE = gettext_noop(
    "Your type of cancer is rare. In the US there are about %(rate)s new cases a year for every 100,000 "
    "people. We call a cancer rare when there are fewer than %(threshold)s. Few doctors see many people "
    "with a rare cancer, so it helps to hear from a doctor who does."
)
RARE_BY_INCIDENCE_UNDER_ONE = gettext_noop(
    "Your type of cancer is rare. In the US there is less than 1 new case a year for every 100,000 people. "
    "We call a cancer rare when there are fewer than %(threshold)s. Few doctors see many people with a rare "
    "cancer, so it helps to hear from a doctor who does."
)
RARE_BY_AGE = gettext_noop(
    "Cancer is rare in children and teenagers under 18. A second opinion from a team that treats many young "
    "people with cancer can help."
)

REASONS = {
    "inexperienced_doctor": gettext_noop(
        "Your doctor has treated few or no people with your type of cancer. A doctor who sees it often may "
        "know more about the choices you have."
    ),
    "several_options": gettext_noop(
        "There is more than one way to treat your cancer, or you feel unsure about the choices. Before you "
        "decide, it can help to hear from each kind of cancer doctor: a surgeon, a medical oncologist and a "
        "radiation oncologist."
    ),
    "unclear_results": gettext_noop(
        "Your test results are not clear about the type of cancer or where it is. Another doctor can look "
        "again at your scans, slides and test results."
    ),
    "not_comfortable": gettext_noop(
        "You do not feel comfortable with your diagnosis or your treatment plan. That is a good reason on "
        "its own to ask another doctor."
    ),
    "pathology_not_definite": gettext_noop(
        "Your pathology report does not give a definite diagnosis. Another pathologist can look at your "
        "tissue samples (slides) again."
    ),
    "metastatic": gettext_noop(
        "Your cancer has spread to other parts of the body. Hearing from more experts can help you "
        "understand all of your choices."
    ),
}

CHANNELS = {
    "pathology_review": gettext_noop(
        "Ask a second pathologist to look at your slides. A pathologist is the doctor who looks at your "
        "tissue under a microscope and names the cancer. This matters most when the diagnosis is not "
        "definite, the cancer is rare, it has spread, or test results are unclear."
    ),
    "independent_specialist": gettext_noop(
        "Ask a cancer specialist who is not part of your current care team, for example at a comprehensive "
        "cancer center. They look at your records, may see you, and tell you what they think."
    ),
    "tumor_board": gettext_noop(
        "Ask for a tumor board. This is a group of doctors of different kinds who meet to talk about a "
        "person's cancer and agree on a plan together."
    ),
    "renowned_expert": gettext_noop(
        "For a rare cancer, ask a doctor who is known for treating that type of cancer. They often work at a "
        "large cancer center and know about the newest treatments and clinical trials."
    ),
}

SPECIALTIES = {
    "medical_oncology": gettext_noop(
        "A medical oncologist treats cancer with medicine, such as chemotherapy, hormone therapy, "
        "immunotherapy or targeted therapy."
    ),
    "pathology": gettext_noop("A pathologist looks at tissue samples under a microscope to name the cancer."),
    "radiation_oncology": gettext_noop("A radiation oncologist treats cancer with radiation."),
    "radiology": gettext_noop(
        "A radiologist reads scans such as CT, MRI and PET and can say where the cancer is and how big it is."
    ),
    "surgical_oncology": gettext_noop("A surgical oncologist is a surgeon who treats cancer with surgery."),
}

ALREADY_TREATED = gettext_noop(
    "You have already started treatment. A second opinion is still possible. It can confirm your plan or "
    "show you other choices."
)
RURAL = gettext_noop(
    "The nearest comprehensive cancer center is more than %(miles)s miles away. People who live far from a "
    "large hospital may need to look to a larger cancer center, or to an NCI-designated comprehensive cancer "
    "center, for a second opinion."
)
NEAREST_CENTERS = gettext_noop(
    "These are the NCI-designated comprehensive cancer centers nearest to you. Distances are in a straight "
    "line, not by road."
)


def format_number(value: float) -> str:
    """15.0 -> "15", 6.5 -> "6.5", 66.64 -> "66.6", 0.35 -> "0.35", in the active language's format."""
    from secondopinion.core.numbers import format_number as localized

    return localized(value)


# Short titles for the codes, and how to find each kind of opinion, for the pages.
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
