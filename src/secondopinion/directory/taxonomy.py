"""The shipped code tables: NUCC provider taxonomy (`data/nucc_taxonomy.csv`) and everyday specialty names
(`data/specialty_names.csv`, with Spanish names in `data/specialty_names_es.csv`). Loaded once, on first
use."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
NUCC_SYSTEM = "http://nucc.org/provider-taxonomy"
UNKNOWN_DISPLAY = "Unknown NUCC code"


@dataclass(frozen=True, slots=True)
class TaxonomyCode:
    code: str
    grouping: str
    classification: str
    specialization: str
    display: str
    section: str


@cache
def nucc_table() -> dict[str, TaxonomyCode]:
    with (DATA / "nucc_taxonomy.csv").open(newline="", encoding="utf-8") as f:
        return {row["code"]: TaxonomyCode(**row) for row in csv.DictReader(f)}


def lookup(code: str) -> TaxonomyCode:
    """The NUCC row for a code; a code we do not ship is kept, with display "Unknown NUCC code"."""
    known = nucc_table().get(code)
    return known or TaxonomyCode(code, "", "", "", UNKNOWN_DISPLAY, "")


def display(code: str) -> str:
    return lookup(code).display


@dataclass(frozen=True, slots=True)
class SpecialtyName:
    everyday_name: str
    nucc_codes: tuple[str, ...]
    oncology: bool
    note: str


@cache
def specialty_names() -> dict[str, SpecialtyName]:
    with (DATA / "specialty_names.csv").open(newline="", encoding="utf-8") as f:
        return {
            row["everyday_name"]: SpecialtyName(
                row["everyday_name"],
                tuple(row["nucc_codes"].split(";")),
                row["oncology"] == "true",
                row["note"],
            )
            for row in csv.DictReader(f)
        }


def fold_spanish(text: str) -> str:
    """Lower case, no accents, one space between words, a plural "s" dropped from each word."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return " ".join(word.removesuffix("s") for word in plain.split())


@cache
def spanish_specialty_rows() -> tuple[tuple[str, str], ...]:
    """(Spanish name, English everyday name) in the file's order."""
    with (DATA / "specialty_names_es.csv").open(newline="", encoding="utf-8") as f:
        return tuple((row["nombre"], row["everyday_name"]) for row in csv.DictReader(f))


@cache
def spanish_specialty_names() -> dict[str, str]:
    """Folded Spanish name -> the English everyday name it means."""
    return {fold_spanish(name): english for name, english in spanish_specialty_rows()}


@cache
def everyday_name_of_code() -> dict[str, str]:
    """NUCC code -> the most specific everyday name that covers it (the name with the fewest codes; the
    file's order breaks ties): 207RX0202X -> "medical oncologist", not "oncologist"."""
    result: dict[str, tuple[int, str]] = {}
    for name in specialty_names().values():
        for code in name.nucc_codes:
            if code not in result or len(name.nucc_codes) < result[code][0]:
                result[code] = (len(name.nucc_codes), name.everyday_name)
    return {code: everyday for code, (_, everyday) in result.items()}


@cache
def spanish_everyday_names() -> dict[str, str]:
    """English everyday name -> its first Spanish name in ``specialty_names_es.csv`` ("oncólogo médico")."""
    result: dict[str, str] = {}
    for spanish, english in spanish_specialty_rows():
        result.setdefault(english, spanish)
    return result


def display_name(code: str, language: str | None = None) -> str:
    """How a page names a specialty: on a Spanish page the everyday Spanish name of the kind of doctor
    ("Oncólogo médico"), else the register's NUCC display. A code with no everyday name keeps its NUCC
    display."""
    if language is None:
        from django.utils.translation import get_language

        language = get_language()
    if language and language.lower().startswith("es"):
        spanish = spanish_everyday_names().get(everyday_name_of_code().get(code, ""))
        if spanish:
            return spanish[:1].upper() + spanish[1:]
    return display(code)


def codes_for(specialty: str) -> tuple[str, ...]:
    """NUCC codes for an everyday name ("medical oncologist", any case, a trailing "s" allowed) or a NUCC
    code itself; () when neither."""
    text = " ".join(specialty.strip().lower().split())
    names = specialty_names()
    for candidate in (text, text.removesuffix("s")):
        if candidate in names:
            return names[candidate].nucc_codes
    english = spanish_specialty_names().get(fold_spanish(text))
    if english is not None:
        return names[english].nucc_codes
    code = specialty.strip().upper()
    if len(code) == 10 and code.endswith("X") and code.isalnum():
        return (code,)
    return ()
