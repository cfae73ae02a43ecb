"""The structured-opinion JSON format: validation and normalisation (pure, no database).

`parse_opinion(data)` checks one opinion (a decoded JSON value) and returns an `Opinion` whose codes are
normalised for comparison. Anything malformed raises `OpinionFormatError("invalid_opinion", ...)` naming
the field path, e.g. ``treatment.options[0].intent``. The format is documented in docs/opinion-schema.md
and published as schema/opinion.schema.json; tests keep the two in step with the constants below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Kept equal to secondopinion.core.codes.MODALITY_CODES (a test checks it); this module stays free of Django.
MODALITIES: tuple[str, ...] = (
    "surgery",
    "radiation",
    "chemotherapy",
    "hormone_therapy",
    "immunotherapy",
    "targeted_therapy",
    "active_surveillance",
    "clinical_trial",
    "other",
)
INTENTS: tuple[str, ...] = ("curative", "life_prolonging", "symptom_relief")
# The procedures people decide between, for the modalities where the choice matters (docs/opinion-schema.md).
PROCEDURES: dict[str, tuple[str, ...]] = {
    "surgery": ("lumpectomy", "mastectomy", "mastectomy_reconstruction"),
    "radiation": ("whole_organ", "partial"),
}
LATERALITIES: tuple[str, ...] = ("left", "right", "bilateral")
STAGE_TYPES: tuple[str, ...] = ("clinical", "pathologic")

# Regular expressions shared with the JSON Schema (a test checks they are the same strings). They are
# written without flags so that they mean the same in Python and in ECMA-262; the tool strips surrounding
# whitespace before matching.
TOPOGRAPHY_PATTERN = r"^[Cc][0-9]{2}(\.?[0-9])?$"
MORPHOLOGY_PATTERN = r"^[0-9]{4}/[012369]$"
_TNM_PREFIX = r"(?:[yYrR]?[cCpP]|[yYrRaA])?"
_TNM_SUFFIX = r"(?:[a-dA-D][1-3]?|[mM][iI])?(?: ?\([^()]{1,20}\))?"
T_PATTERN = rf"^(?:{_TNM_PREFIX}[Tt])?(?:[Xx]|0|[iI][sS]|[aA]|[1-4]){_TNM_SUFFIX}$"
N_PATTERN = rf"^(?:{_TNM_PREFIX}[Nn])?(?:[Xx]|[0-3]){_TNM_SUFFIX}$"
M_PATTERN = rf"^(?:{_TNM_PREFIX}[Mm])?(?:[Xx]|[01]){_TNM_SUFFIX}$"
GROUP_PATTERN = (
    r"^(?:[Ss][Tt][Aa][Gg][Ee] ?)?(?:0(?:[iI][sS]|[aA])?|(?:[iI]{1,3}|[iI][vV])(?:[a-dA-D][1-3]?)?)$"
)
NCT_PATTERN = r"^[Nn][Cc][Tt][0-9]{8}$"

# The properties each object of the format has, by path ("" is the top level; "[]" marks list items).
FIELDS: dict[str, tuple[str, ...]] = {
    "": (
        "diagnosis",
        "stage",
        "treatment",
        "clinical_trials",
        "answers",
        "summary_plain",
        "clinical_note",
        "narrative",
    ),
    "diagnosis": ("site", "site_text", "histology", "histology_text", "grade", "laterality"),
    "stage": ("type", "system", "t", "n", "m", "group"),
    "treatment": ("options",),
    "treatment.options[]": ("modalities", "procedures", "details", "intent", "preferred", "rationale"),
    "treatment.options[].procedures": tuple(PROCEDURES),
    "treatment.options[].details": MODALITIES,
    "clinical_trials[]": ("nct", "note"),
    "answers[]": ("question", "answer"),
}

_JSON_TYPE_NAMES = {dict: "an object", list: "an array", str: "a string", type(None): "null"}


class OpinionFormatError(ValueError):
    """An opinion (or the file holding it) cannot be read. `code` is stable: invalid_json, invalid_opinion.

    `field` is the path of the offending field, `side` the opinion ("A" or "B") once known, and `detail`
    the message without the side.
    """

    def __init__(self, code: str, message: str, *, field: str | None = None, side: str | None = None) -> None:
        self.code = code
        self.detail = message
        self.field = field
        self.side = side
        self.message = f"opinion {side}: {message}" if side else message
        super().__init__(self.message)

    def for_side(self, side: str) -> OpinionFormatError:
        return OpinionFormatError(self.code, self.detail, field=self.field, side=side)


@dataclass(frozen=True)
class Topography:
    code: str  # "C50.4", or "C50" when no subsite was given
    category: str  # "C50"
    subsite: str | None  # "4"


@dataclass(frozen=True)
class Morphology:
    code: str  # "8500/3"
    morphology: str  # "8500"
    behaviour: str  # "3"


@dataclass(frozen=True)
class Grade:
    text: str  # as written (stripped)
    key: str  # compared: upper case, single spaces, without a leading "GRADE"/"G" before a digit or X


@dataclass(frozen=True)
class Category:
    """A T, N or M category."""

    text: str  # normalised for display: "ypT2a", "N1mi", "Tis(DCIS)"
    key: str  # compared for refinement: text in lower case, without spaces
    main: str  # compared for change: "T2", "N1", "M1", "Tis", "TX", "T0", "Ta"


@dataclass(frozen=True)
class StageGroup:
    text: str  # "IIA", "0is"
    roman: str  # "0", "I", "II", "III", "IV"


@dataclass(frozen=True)
class Diagnosis:
    site: Topography | None = None
    histology: Morphology | None = None
    grade: Grade | None = None
    laterality: str | None = None


@dataclass(frozen=True)
class Stage:
    type: str | None = None
    system: str | None = None
    t: Category | None = None
    n: Category | None = None
    m: Category | None = None
    group: StageGroup | None = None


@dataclass(frozen=True)
class TreatmentOption:
    modalities: tuple[str, ...]
    intent: str | None = None
    preferred: bool = False
    # (modality, procedure) for the option's own modalities, in the order of PROCEDURES.
    procedures: tuple[tuple[str, str], ...] = ()

    def procedure(self, modality: str) -> str | None:
        return dict(self.procedures).get(modality)


@dataclass(frozen=True)
class Opinion:
    diagnosis: Diagnosis
    stage: Stage
    options: tuple[TreatmentOption, ...]


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


def _fail(field: str, problem: str) -> OpinionFormatError:
    """An invalid_opinion error; `field` is the path ("" for the top level)."""
    return OpinionFormatError("invalid_opinion", f"{field}: {problem}" if field else problem, field=field)


def _object(data: dict[str, Any], key: str, path: str) -> dict[str, Any] | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _fail(path, f"must be an object, got {_type_name(value)}")
    return value


def _list(data: dict[str, Any], key: str, path: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(path, f"must be an array, got {_type_name(value)}")
    return value


def _text(data: dict[str, Any], key: str, path: str) -> str | None:
    """A string field; blank counts as missing."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(path, f"must be a string, got {_type_name(value)}")
    return value.strip() or None


def _code(data: dict[str, Any], key: str, path: str, pattern: str, example: str) -> str | None:
    value = _text(data, key, path)
    if value is not None and not re.fullmatch(pattern, value):
        raise _fail(path, f"{value!r} is not a valid code (expected a code like {example})")
    return value


def _choice(data: dict[str, Any], key: str, path: str, choices: tuple[str, ...]) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(path, f"must be a string, got {_type_name(value)}")
    if value not in choices:
        raise _fail(path, f"{value!r} is not one of {', '.join(choices)}")
    return value


def _topography(data: dict[str, Any]) -> Topography | None:
    code = _code(data, "site", "diagnosis.site", TOPOGRAPHY_PATTERN, "C50.4")
    if code is None:
        return None
    digits = code[1:].replace(".", "")
    category = "C" + digits[:2]
    subsite = digits[2:] or None
    return Topography(f"{category}.{subsite}" if subsite else category, category, subsite)


def _morphology(data: dict[str, Any]) -> Morphology | None:
    code = _code(data, "histology", "diagnosis.histology", MORPHOLOGY_PATTERN, "8500/3")
    if code is None:
        return None
    morphology, behaviour = code.split("/")
    return Morphology(code, morphology, behaviour)


def _grade(data: dict[str, Any]) -> Grade | None:
    value = data.get("grade")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    elif value is not None and not isinstance(value, str):
        raise _fail("diagnosis.grade", f"must be a string or an integer, got {_type_name(value)}")
    if value is None or not value.strip():
        return None
    text = value.strip()
    key = re.sub(r"^(?:GRADE ?|G)(?=[0-9X])", "", " ".join(text.upper().split()))
    return Grade(text, key)


def _category(data: dict[str, Any], letter: str, pattern: str) -> Category | None:
    key = letter.lower()
    value = _code(data, key, f"stage.{key}", pattern, f"{letter}1, c{letter}1 or p{letter}1")
    if value is None:
        return None
    match = re.fullmatch(rf"(?P<prefix>[a-z]*?){key}?(?P<cat>x|0|is|a|[1-4])(?P<rest>.*)", value.lower())
    assert match is not None  # guaranteed by the pattern
    cat = match["cat"].upper() if match["cat"] == "x" else match["cat"]
    # The suffix keeps a parenthesis as written ("Tis(DCIS)"); the rest is lower case ("T2a", "N1mi").
    rest = value[match.start("rest") :]
    bracket = rest.find("(")
    rest = rest.lower() if bracket < 0 else rest[:bracket].lower() + rest[bracket:]
    text = f"{match['prefix']}{letter}{cat}{rest}"
    return Category(text=text, key=text.lower().replace(" ", ""), main=f"{letter}{cat}")


def _group(data: dict[str, Any]) -> StageGroup | None:
    value = _code(data, "group", "stage.group", GROUP_PATTERN, "IIA")
    if value is None:
        return None
    text = re.sub(r"^STAGE ?", "", value.upper())
    text = text.replace("0IS", "0is")
    roman = re.match(r"0|IV|I{1,3}", text)
    assert roman is not None  # guaranteed by the pattern
    return StageGroup(text, roman.group())


def _options(opinion: dict[str, Any]) -> tuple[TreatmentOption, ...]:
    treatment = opinion.get("treatment")
    if treatment is None:
        return ()
    if isinstance(treatment, list):  # documented leniency: a bare list of options
        items, path = treatment, "treatment"
    elif isinstance(treatment, dict):
        items, path = _list(treatment, "options", "treatment.options"), "treatment.options"
    else:
        raise _fail("treatment", f"must be an object, got {_type_name(treatment)}")
    options = []
    for index, item in enumerate(items):
        where = f"{path}[{index}]"
        if not isinstance(item, dict):
            raise _fail(where, f"must be an object, got {_type_name(item)}")
        modalities = _list(item, "modalities", f"{where}.modalities")
        if not modalities:
            raise _fail(f"{where}.modalities", "must list at least one modality")
        for position, modality in enumerate(modalities):
            if not isinstance(modality, str) or modality not in MODALITIES:
                shown = repr(modality) if isinstance(modality, str) else _type_name(modality)
                choices = ", ".join(MODALITIES)
                raise _fail(f"{where}.modalities[{position}]", f"{shown} is not one of {choices}")
        preferred = item.get("preferred")
        if preferred is not None and not isinstance(preferred, bool):
            raise _fail(f"{where}.preferred", f"must be a boolean, got {_type_name(preferred)}")
        _text(item, "rationale", f"{where}.rationale")
        intent = _choice(item, "intent", f"{where}.intent", INTENTS)
        details = _object(item, "details", f"{where}.details") or {}
        for modality in MODALITIES:
            _text(details, modality, f"{where}.details.{modality}")
        given = _object(item, "procedures", f"{where}.procedures") or {}
        procedures = []
        for modality, allowed in PROCEDURES.items():
            procedure = _choice(given, modality, f"{where}.procedures.{modality}", allowed)
            if procedure is not None and modality in modalities:  # one for a modality not listed is ignored
                procedures.append((modality, procedure))
        options.append(TreatmentOption(tuple(modalities), intent, bool(preferred), tuple(procedures)))
    return tuple(options)


def _check_records(opinion: dict[str, Any], key: str, fields: tuple[str, ...]) -> None:
    """The parts the comparison ignores are still checked for shape: arrays of objects of strings."""
    for index, item in enumerate(_list(opinion, key, key)):
        if not isinstance(item, dict):
            raise _fail(f"{key}[{index}]", f"must be an object, got {_type_name(item)}")
        for field in fields:
            _text(item, field, f"{key}[{index}].{field}")
        if key == "clinical_trials":
            _code(item, "nct", f"{key}[{index}].nct", NCT_PATTERN, "NCT01234567")


def parse_opinion(data: Any) -> Opinion:
    """Validate one decoded opinion and return its comparable parts. Extra fields are ignored."""
    if not isinstance(data, dict):
        raise _fail("", f"the top level must be an object, got {_type_name(data)}")
    diagnosis = _object(data, "diagnosis", "diagnosis") or {}
    for field in ("site_text", "histology_text"):
        _text(diagnosis, field, f"diagnosis.{field}")
    stage = _object(data, "stage", "stage") or {}
    _check_records(data, "clinical_trials", FIELDS["clinical_trials[]"])
    _check_records(data, "answers", FIELDS["answers[]"])
    for field in ("summary_plain", "clinical_note", "narrative"):
        _text(data, field, field)
    return Opinion(
        diagnosis=Diagnosis(
            site=_topography(diagnosis),
            histology=_morphology(diagnosis),
            grade=_grade(diagnosis),
            laterality=_choice(diagnosis, "laterality", "diagnosis.laterality", LATERALITIES),
        ),
        stage=Stage(
            type=_choice(stage, "type", "stage.type", STAGE_TYPES),
            system=_text(stage, "system", "stage.system"),
            t=_category(stage, "T", T_PATTERN),
            n=_category(stage, "N", N_PATTERN),
            m=_category(stage, "M", M_PATTERN),
            group=_group(stage),
        ),
        options=_options(data),
    )
