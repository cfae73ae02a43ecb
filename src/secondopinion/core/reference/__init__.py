"""The reference tables shipped with the triage app, loaded once and cached.

- ``data/us_cancer_incidence.csv``: US incidence by cancer type; everyday names, synonyms, OncoTree codes.
- ``data/cancer_names_es.csv``: the Spanish everyday name and synonyms of every row of the incidence table.
- ``data/cancer_topography.csv``: the ICD-O-3 topography category of every row of the incidence table.
- ``data/nci_cancer_centers.csv``: every NCI-designated cancer center: designation, address, coordinates.

Each table has a ``.SOURCE.md`` beside it that says where every figure comes from and what was checked. The
loaders validate the tables and fail loudly (``ReferenceDataError``) rather than triage on broken data.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
INCIDENCE_CSV = DATA_DIR / "us_cancer_incidence.csv"
CENTERS_CSV = DATA_DIR / "nci_cancer_centers.csv"
SPANISH_NAMES_CSV = DATA_DIR / "cancer_names_es.csv"
TOPOGRAPHY_CSV = DATA_DIR / "cancer_topography.csv"

DESIGNATIONS = ("Comprehensive", "Clinical", "Basic Laboratory")
RATE_KINDS = {
    "crude": "crude rate",
    "published_rate": "published rate (kind as stated in the table's notes)",
    "age_adjusted_proxy": "age-adjusted rate, used because no crude rate is known",
}


class ReferenceDataError(RuntimeError):
    """A shipped reference table is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class CancerType:
    name: str
    synonyms: tuple[str, ...]
    oncotree_code: str
    crude_rate_per_100k: float | None
    age_adjusted_rate_per_100k: float | None
    rate_basis: str
    pediatric: bool
    source: str
    source_url: str
    year: str
    name_es: str = ""
    synonyms_es: tuple[str, ...] = ()
    topography: str = ""  # ICD-O-3 topography category ("C50"), from cancer_topography.csv; "" if several

    @property
    def rarity_rate(self) -> float | None:
        """The rate the rare rule compares: the crude rate, else (6 rows) the age-adjusted one instead."""
        if self.crude_rate_per_100k is not None:
            return self.crude_rate_per_100k
        return self.age_adjusted_rate_per_100k

    @property
    def citation(self) -> str:
        """Where the rate comes from: the table row, the kind of rate and the row's own source column."""
        kind = RATE_KINDS.get(self.rate_basis, self.rate_basis)
        year = f", {self.year}" if self.year else ""
        return f"us_cancer_incidence.csv, row '{self.name}' ({kind}); source: {self.source}{year}"


@dataclass(frozen=True)
class CancerCenter:
    name: str
    designation: str
    parent_institution: str
    city: str
    state: str
    zip: str
    latitude: float
    longitude: float
    source_url: str


def normalize_term(text: str) -> str:
    """Lower case, accents and punctuation dropped, spaces collapsed: "Wilms' Tumour" -> "wilms tumour"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split())


def _optional_float(value: str, column: str, row: int) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ReferenceDataError(
            f"{INCIDENCE_CSV.name} line {row}: {column} is not a number: {value!r}"
        ) from None
    if not math.isfinite(number) or number < 0:
        raise ReferenceDataError(f"{INCIDENCE_CSV.name} line {row}: {column} out of range: {value!r}")
    return number


def _read_rows(path: Path, required: set[str]) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = required - set(reader.fieldnames or ())
            if missing:
                raise ReferenceDataError(f"{path.name}: missing columns {sorted(missing)}")
            return list(reader)
    except OSError as exc:
        raise ReferenceDataError(f"cannot read {path}: {exc}") from exc


@cache
def cancer_types() -> tuple[CancerType, ...]:
    required = {
        "everyday_name",
        "synonyms",
        "oncotree_code",
        "crude_rate_per_100k",
        "age_adjusted_rate_per_100k",
        "rare_flag_basis",
        "pediatric",
        "source",
        "source_url",
        "year",
    }
    result: list[CancerType] = []
    seen: set[str] = set()
    for line, row in enumerate(_read_rows(INCIDENCE_CSV, required), start=2):
        name = row["everyday_name"].strip()
        if not name or name in seen:
            raise ReferenceDataError(f"{INCIDENCE_CSV.name} line {line}: empty or duplicate name {name!r}")
        seen.add(name)
        entry = CancerType(
            name=name,
            synonyms=tuple(s.strip() for s in row["synonyms"].split(";") if s.strip()),
            oncotree_code=row["oncotree_code"].strip(),
            crude_rate_per_100k=_optional_float(row["crude_rate_per_100k"], "crude_rate_per_100k", line),
            age_adjusted_rate_per_100k=_optional_float(
                row["age_adjusted_rate_per_100k"], "age_adjusted_rate_per_100k", line
            ),
            rate_basis=row["rare_flag_basis"].strip(),
            pediatric=row["pediatric"].strip().lower() == "true",
            source=row["source"].strip(),
            source_url=row["source_url"].strip(),
            year=row["year"].strip(),
        )
        if entry.rarity_rate is None or not entry.source:
            raise ReferenceDataError(f"{INCIDENCE_CSV.name} line {line}: {name!r} has no rate or no source")
        result.append(entry)
    spanish = _spanish_names({entry.name for entry in result})
    topography = _topographies({entry.name for entry in result})
    result = [replace(entry, topography=topography[entry.name]) for entry in result]
    return tuple(
        replace(entry, name_es=spanish[entry.name][0], synonyms_es=spanish[entry.name][1]) for entry in result
    )


def _topographies(known: set[str]) -> dict[str, str]:
    """everyday_name -> ICD-O-3 topography category ("C50", or "" where the type spans several), from
    ``cancer_topography.csv``: one row for every known type, nothing else."""
    result: dict[str, str] = {}
    for line, row in enumerate(_read_rows(TOPOGRAPHY_CSV, {"everyday_name", "icdo3_topography"}), start=2):
        everyday, code = row["everyday_name"].strip(), row["icdo3_topography"].strip().upper()
        if everyday not in known or everyday in result:
            raise ReferenceDataError(f"{TOPOGRAPHY_CSV.name} line {line}: unknown or duplicate {everyday!r}")
        if code and not re.fullmatch(r"C[0-9]{2}", code):
            raise ReferenceDataError(
                f"{TOPOGRAPHY_CSV.name} line {line}: {code!r} is not a category like C50"
            )
        result[everyday] = code
    if missing := sorted(known - result.keys()):
        raise ReferenceDataError(f"{TOPOGRAPHY_CSV.name}: no row for {missing}")
    return result


def _spanish_names(known: set[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """everyday_name -> (Spanish name, Spanish synonyms), from ``cancer_names_es.csv``. Every row must name a
    known type, every known type must have a row, and no Spanish term may be listed for two types."""
    name = SPANISH_NAMES_CSV.name
    result: dict[str, tuple[str, tuple[str, ...]]] = {}
    owner: dict[str, str] = {}
    for line, row in enumerate(
        _read_rows(SPANISH_NAMES_CSV, {"everyday_name", "nombre", "sinonimos"}), start=2
    ):
        everyday, nombre = row["everyday_name"].strip(), row["nombre"].strip()
        if everyday not in known:
            raise ReferenceDataError(f"{name} line {line}: unknown everyday_name {everyday!r}")
        if everyday in result or not normalize_term(nombre):
            raise ReferenceDataError(f"{name} line {line}: duplicate row or empty nombre for {everyday!r}")
        synonyms = tuple(s.strip() for s in row["sinonimos"].split(";") if s.strip())
        for term in (nombre, *synonyms):
            key = normalize_term(term)
            if owner.setdefault(key, everyday) != everyday:
                raise ReferenceDataError(
                    f"{name} line {line}: {term!r} is also listed for {owner[key]!r} (one term, one type)"
                )
        result[everyday] = (nombre, synonyms)
    missing = sorted(known - result.keys())
    if missing:
        raise ReferenceDataError(f"{name}: no Spanish name for {missing}")
    return result


def display_name(cancer_type: CancerType, language: str | None) -> str:
    """The everyday name to show: Spanish for a language code starting with "es", else English."""
    if language and language.lower().startswith("es"):
        return cancer_type.name_es or cancer_type.name
    return cancer_type.name


def _active_language() -> str | None:
    try:
        from django.utils.translation import get_language

        return get_language()
    except Exception:
        return None


@cache
def _everyday_names() -> dict[str, CancerType]:
    """Normalized everyday name (English or Spanish) -> its cancer type; English names win."""
    index: dict[str, CancerType] = {}
    for entry in cancer_types():
        index.setdefault(normalize_term(entry.name), entry)
    for entry in cancer_types():
        index.setdefault(normalize_term(entry.name_es), entry)
    return index


def cancer_type_name(text: str | None, language: str | None = None) -> str:
    """The one way to show a cancer type's name: a name from our list (its English or Spanish everyday name,
    any case, accents optional) is shown in ``language`` (default: the active language); any other text
    (the patient's own words, a code) is shown as it was written."""
    found = _everyday_names().get(normalize_term(text or ""))
    if found is None:
        return text or ""
    return display_name(found, language if language is not None else _active_language())


def cancer_type_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(stored value, label) for a list of cancer types: the value is the English everyday name (what the
    records store), the label its name in ``language`` (default: the active language); in label order."""
    language = language if language is not None else _active_language()
    pairs = [(entry.name, display_name(entry, language)) for entry in cancer_types()]
    return sorted(pairs, key=lambda pair: normalize_term(pair[1]))


@cache
def _indexed_terms() -> dict[str, tuple[CancerType, str]]:
    """Normalized term -> (cancer type, language of the term). Everyday names win over OncoTree codes, codes
    over synonyms; within one kind the first row of the table wins (BRCA -> female breast, "brain tumor" ->
    malignant brain). Spanish names rank just after English names, Spanish synonyms just after English
    synonyms, so no English term resolves differently because of the Spanish table."""
    index: dict[str, tuple[CancerType, str]] = {}
    rows = cancer_types()
    tiers = (
        ("en", lambda c: [c.name]),
        ("es", lambda c: [c.name_es]),
        ("en", lambda c: [c.oncotree_code]),
        ("en", lambda c: list(c.synonyms)),
        ("es", lambda c: list(c.synonyms_es)),
    )
    for language, terms_of in tiers:
        for entry in rows:
            for term in terms_of(entry):
                key = normalize_term(term)
                if key:
                    index.setdefault(key, (entry, language))
    return index


@cache
def _term_index() -> dict[str, CancerType]:
    """Normalized term -> cancer type (see ``_indexed_terms`` for the precedence)."""
    return {key: entry for key, (entry, _) in _indexed_terms().items()}


# The organ alone names the cancer too: "mama" -> "cáncer de mama", "breast" -> "breast cancer".
ORGAN_FORMS = ("{} cancer", "cancer de {}", "cancer del {}", "cancer de la {}", "cancer de los {}")


def find_cancer_type(text: str) -> CancerType | None:
    """The cancer type named by an everyday name, synonym or OncoTree code, English or Spanish (any case,
    accents optional), or by its organ alone ("mama", "pulmón", "breast"), or None."""
    index, key = _term_index(), normalize_term(text)
    if key in index or not key:
        return index.get(key)
    for form in ORGAN_FORMS:
        found = index.get(form.format(key))
        if found is not None:
            return found
    return None


def suggest_cancer_types(text: str, limit: int = 5) -> list[str]:
    """Everyday names of the known types closest to ``text``: close spellings, then names containing it.

    One language per answer, that of the best match: a misspelt Spanish name ("leucemya") gets Spanish
    names found through Spanish terms, anything else English names found through English terms."""
    key = normalize_term(text)
    if not key:
        return []
    index = _indexed_terms()
    scored = [(difflib.SequenceMatcher(None, key, term).ratio(), term) for term in index]
    best = max((score for score, _ in scored), default=0.0)
    close = sorted(
        (item for item in scored if item[0] >= max(0.75, best - 0.08)), key=lambda i: (-i[0], i[1])
    )
    terms = [term for _, term in close]
    if len(key) >= 3:
        terms.extend(sorted((term for term in index if f" {key} " in f" {term} "), key=lambda t: (len(t), t)))
    if not terms:
        return []
    language = index[terms[0]][1]
    names = (display_name(index[t][0], language) for t in terms if index[t][1] == language)
    return list(dict.fromkeys(names))[:limit]


@cache
def cancer_centers() -> tuple[CancerCenter, ...]:
    required = {"name", "designation", "parent_institution", "city", "state", "zip", "latitude", "longitude"}
    result: list[CancerCenter] = []
    for line, row in enumerate(_read_rows(CENTERS_CSV, required), start=2):
        try:
            lat, lon = float(row["latitude"]), float(row["longitude"])
        except ValueError:
            raise ReferenceDataError(f"{CENTERS_CSV.name} line {line}: bad coordinates") from None
        if row["designation"] not in DESIGNATIONS or not re.fullmatch(r"\d{5}", row["zip"]):
            raise ReferenceDataError(f"{CENTERS_CSV.name} line {line}: bad designation or ZIP")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ReferenceDataError(f"{CENTERS_CSV.name} line {line}: coordinates out of range")
        result.append(
            CancerCenter(
                name=row["name"].strip(),
                designation=row["designation"],
                parent_institution=row["parent_institution"].strip(),
                city=row["city"].strip(),
                state=row["state"].strip(),
                zip=row["zip"],
                latitude=lat,
                longitude=lon,
                source_url=row.get("source_url", "").strip(),
            )
        )
    return tuple(result)


def comprehensive_centers() -> tuple[CancerCenter, ...]:
    return tuple(c for c in cancer_centers() if c.designation == "Comprehensive")
