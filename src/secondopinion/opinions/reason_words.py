"""The computed comparison's reasons (opinions.comparison, in English: they are also the API's `because`)
in the page's language. Only the page shows them translated; English pages and the API keep the rule's
own words. A reason no pattern knows is shown as it is."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from secondopinion.core.codes import PROCEDURE_LABELS, Modality
from secondopinion.opinions.labels import INTENT_LABELS, LATERALITY_LABELS, STAGE_TYPE_LABELS
from secondopinion.opinions.opinion_format import PROCEDURES

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


def _name(text: str) -> str:
    if text in PROCEDURE_NAMES:  # "kind of surgery": the treatment in words too
        return _("kind of %(treatment)s") % {"treatment": _value(text.removesuffix(" procedure")).lower()}
    return str(NAMES[text])


PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
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
