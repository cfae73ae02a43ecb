"""Words for the codes the opinion JSON and the comparison use, so that pages never show a code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LATERALITY_LABELS = {"left": _("Left"), "right": _("Right"), "bilateral": _("Both sides")}
STAGE_TYPE_LABELS = {"clinical": _("Clinical"), "pathologic": _("Pathologic")}
INTENT_LABELS = {
    "curative": _("Curative"),
    "life_prolonging": _("Life-prolonging"),
    "symptom_relief": _("Symptom relief"),
}
# The procedures people decide between (opinion_format.PROCEDURES), and the question each group answers.
PROCEDURE_QUESTIONS = {
    "surgery": _("Which surgery?"),
    "radiation": _("Which radiation?"),
}
# The consultant's own view of the change (form choices).
CHANGE_LABELS = {"confirmed": _("Confirmed"), "refined": _("Refined"), "changed": _("Changed")}
CONCORDANCE_LABELS = {
    "agree": _("Agree with the original report"),
    "minor_discrepancy": _("Minor discrepancy"),
    "major_discrepancy": _("Major discrepancy"),
}
# A comparison class, as read inside a sentence or a table cell ("the comparison finds “changed”").
CLASS_LABELS = {
    "confirmed": pgettext_lazy("comparison class", "confirmed"),
    "refined": pgettext_lazy("comparison class", "refined"),
    "changed": pgettext_lazy("comparison class", "changed"),
    "not_comparable": pgettext_lazy("comparison class", "cannot be compared"),
}


# A class as the object of "judged this …" / "would call it …" (the calm sentence under a difference).
CLASS_NOUNS = {
    "confirmed": pgettext_lazy("comparison class, as a noun", "a confirmation"),
    "refined": pgettext_lazy("comparison class, as a noun", "a refinement"),
    "changed": pgettext_lazy("comparison class, as a noun", "a change"),
    "not_comparable": pgettext_lazy("comparison class, as a noun", "not comparable"),
}


def label(labels: dict, code: object) -> str:
    """The words for a code; an unknown code is shown as it is (it came from a person)."""
    if code in (None, ""):
        return ""
    return str(labels.get(str(code), code))
