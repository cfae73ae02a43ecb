"""What the opinion pages say in words: the codes the opinion JSON and the comparison use (so that pages
never show a code), and the computed comparison's reasons in the page's language.

The comparison's reasons (opinions.comparison) are in English: they are also the API's `because`. Only the
page shows them translated; English pages and the API keep the rule's own words. A reason no pattern knows
is shown as it is."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import get_language, gettext_lazy, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from secondopinion.core.codes import PROCEDURE_LABELS, Modality
from secondopinion.opinions.opinion_format import PROCEDURES

LATERALITY_LABELS = {
    "left": gettext_lazy("Left"),
    "right": gettext_lazy("Right"),
    "bilateral": gettext_lazy("Both sides"),
}
STAGE_TYPE_LABELS = {"clinical": gettext_lazy("Clinical"), "pathologic": gettext_lazy("Pathologic")}
INTENT_LABELS = {
    "curative": gettext_lazy("Curative"),
    "life_prolonging": gettext_lazy("Life-prolonging"),
    "symptom_relief": gettext_lazy("Symptom relief"),
}
# The procedures people decide between (opinion_format.PROCEDURES), and the question each group answers.
PROCEDURE_QUESTIONS = {
    "surgery": gettext_lazy("Which surgery?"),
    "radiation": gettext_lazy("Which radiation?"),
}
# The consultant's own view of the change (form choices).
CHANGE_LABELS = {
    "confirmed": gettext_lazy("Confirmed"),
    "refined": gettext_lazy("Refined"),
    "changed": gettext_lazy("Changed"),
}
CONCORDANCE_LABELS = {
    "agree": gettext_lazy("Agree with the original report"),
    "minor_discrepancy": gettext_lazy("Minor discrepancy"),
    "major_discrepancy": gettext_lazy("Major discrepancy"),
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


# The comparison's reasons, in words.
NAMES = {
    "site": gettext_lazy("site"),
    "site code": gettext_lazy("site code"),
    "histology": gettext_lazy("histology"),
    "histology code": gettext_lazy("histology code"),
    "grade": gettext_lazy("grade"),
    "laterality": gettext_lazy("laterality"),
    "subsite": gettext_lazy("subsite"),
    "topography category": gettext_lazy("topography category"),
    "morphology": gettext_lazy("morphology"),
    "behaviour": gettext_lazy("behaviour"),
    "stage group": gettext_lazy("stage group"),
    "stage type": gettext_lazy("stage type"),
    "T category": gettext_lazy("T category"),
    "N category": gettext_lazy("N category"),
    "M category": gettext_lazy("M category"),
    "main T category": gettext_lazy("main T category"),
    "main N category": gettext_lazy("main N category"),
    "main M category": gettext_lazy("main M category"),
    "intent": gettext_lazy("intent"),
    "primary modality": gettext_lazy("main treatment"),
    "modalities of the primary option": gettext_lazy("treatments of the main option"),
}
# "surgery procedure": named by _name ("kind of surgery"), the treatment in words.
PROCEDURE_NAMES = tuple(f"{m} procedure" for m in PROCEDURES)
FIXED = {
    "needs a site code or a histology code on both sides": gettext_lazy(
        "both opinions need a site code or a histology code"
    ),
    "needs a stage group, or all of T, N and M, on both sides": gettext_lazy(
        "both opinions need a stage group, or all of T, N and M"
    ),
    "needs a treatment option on both sides": gettext_lazy("both opinions need a treatment option"),
    "no treatment option in the first opinion": gettext_lazy("no treatment option in the first opinion"),
    "no treatment option in the second opinion": gettext_lazy("no treatment option in the second opinion"),
}
_NAME = "|".join(re.escape(n) for n in sorted((*NAMES, *PROCEDURE_NAMES), key=len, reverse=True))
_SIDES = {"first": gettext_lazy("the first opinion"), "second": gettext_lazy("the second opinion")}
# A histology code's behaviour digit in words, as in the reason "/3 (malignant)" (comparison.BEHAVIOURS).
BEHAVIOURS = {
    "0": pgettext_lazy("tumour behaviour", "benign"),
    "1": pgettext_lazy("tumour behaviour", "uncertain whether benign or malignant"),
    "2": pgettext_lazy("tumour behaviour", "in situ"),
    "3": pgettext_lazy("tumour behaviour", "malignant"),
    "6": pgettext_lazy("tumour behaviour", "metastatic"),
    "9": pgettext_lazy("tumour behaviour", "malignant, primary or metastatic uncertain"),
}


def _value(text: str) -> str:
    """Codes in a reason ("surgery", "lumpectomy", "curative", "left"), each in words; others as they are."""
    words: dict[str, object] = {
        **{str(v): label for v, label in Modality.choices},
        **PROCEDURE_LABELS,
        **INTENT_LABELS,
        **LATERALITY_LABELS,
        **STAGE_TYPE_LABELS,
    }
    return ", ".join(str(words.get(part, part)) for part in text.split(", "))


def _behaviour(code: str, words: str) -> str:
    return f"/{code} ({BEHAVIOURS.get(code, words)})"


def _name(text: str) -> str:
    if text in PROCEDURE_NAMES:  # "kind of surgery": the treatment in words too
        return _("kind of %(treatment)s") % {"treatment": _value(text.removesuffix(" procedure")).lower()}
    return str(NAMES[text])


PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (  # before the general "→": the behaviour's words are not codes that _value knows
        re.compile(r"behaviour /(?P<a>\d) \((?P<a_words>[^)]*)\) → /(?P<b>\d) \((?P<b_words>[^)]*)\)"),
        lambda m: (
            _("%(name)s: %(first)s → %(second)s")
            % {
                "name": _name("behaviour"),
                "first": _behaviour(m["a"], m["a_words"]),
                "second": _behaviour(m["b"], m["b_words"]),
            }
        ),
    ),
    (
        re.compile(rf"(?P<name>{_NAME}) only in the (?P<side>first|second) opinion \((?P<value>.*)\)"),
        lambda m: (
            _("%(name)s only in %(side)s (%(value)s)")
            % {"name": _name(m["name"]), "side": _SIDES[m["side"]], "value": _value(m["value"])}
        ),
    ),
    (
        re.compile(rf"(?P<name>{_NAME}) missing from both opinions"),
        lambda m: _("%(name)s missing from both opinions") % {"name": _name(m["name"])},
    ),
    (
        re.compile(rf"(?P<name>{_NAME}) missing from the (?P<side>first|second) opinion"),
        lambda m: _("%(name)s missing from %(side)s") % {"name": _name(m["name"]), "side": _SIDES[m["side"]]},
    ),
    (
        re.compile(r"the (?P<side>first|second) opinion has no stage group and no (?P<letters>.+) category"),
        lambda m: (
            _("%(side)s has no stage group and no %(letters)s category")
            % {
                "side": _SIDES[m["side"]],
                "letters": m["letters"].replace(
                    " or ", pgettext("no stage group and no T or N category", " or ")
                ),
            }
        ),
    ),
    (
        re.compile(rf"(?P<name>{_NAME}) (?P<a>.+?) → (?P<b>.+)"),
        lambda m: (
            _("%(name)s: %(first)s → %(second)s")
            % {"name": _name(m["name"]), "first": _value(m["a"]), "second": _value(m["b"])}
        ),
    ),
    (
        re.compile(rf"(?P<name>{_NAME}) (?P<a>.+?) match(?:es)?(?: (?P<b>.+))?"),
        lambda m: (
            _("%(name)s %(value)s: the same") % {"name": _name(m["name"]), "value": _value(m["a"])}
            if m["b"] is None
            else _("%(name)s %(first)s and %(second)s: the same")
            % {"name": _name(m["name"]), "first": _value(m["a"]), "second": _value(m["b"])}
        ),
    ),
]


def reason_in_words(reason: str) -> str:
    """One reason in the active language (unchanged on an English page, or when no pattern knows it)."""
    if (get_language() or "en").lower().startswith("en"):
        return reason
    if reason in FIXED:
        return str(FIXED[reason])
    for pattern, words in PATTERNS:
        match = pattern.fullmatch(reason)
        if match:
            return words(match)
    return reason
