"""The Spanish catalogue is complete: no untranslated and no fuzzy entry (run `make messages` first)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PO = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "secondopinion"
    / "locale"
    / "es"
    / "LC_MESSAGES"
    / "django.po"
)


def entries(text: str) -> list[dict[str, object]]:
    """The .po file's entries: flags, msgid, msgid_plural and msgstr/msgstr[n] (joined), obsolete ones left
    out. A small reader of the gettext format, enough for what makemessages writes."""
    found: list[dict[str, object]] = []
    for block in text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not lines:
            continue
        entry: dict[str, object] = {"flags": set(), "strings": {}}
        key = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"] = {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry["strings"][key] += ast.literal_eval(line)  # type: ignore[index]
            else:
                key, _, rest = line.partition(" ")
                entry["strings"][key] = ast.literal_eval(rest)  # type: ignore[index]
        if "msgid" in entry["strings"]:  # type: ignore[operator]
            found.append(entry)
    return found


def test_reader_sees_untranslated_fuzzy_and_plural_entries() -> None:
    sample = (
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
        '#: a.py:1\nmsgid "Done"\nmsgstr "Hecho"\n\n'
        '#: a.py:2\nmsgid "Open"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "Hi %(n)s"\nmsgstr "Hola %(n)s"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "uno"\nmsgstr[1] ""\n\n'
        '#~ msgid "Old"\n#~ msgstr ""\n'
    )
    assert [untranslated(e) for e in entries(sample)] == [False, False, True, False, True]
    assert [fuzzy(e) for e in entries(sample)] == [False, False, False, True, False]


def untranslated(entry: dict[str, object]) -> bool:
    strings: dict[str, str] = entry["strings"]  # type: ignore[assignment]
    if strings["msgid"] == "":
        return False  # the header
    return any(value == "" for key, value in strings.items() if key.startswith("msgstr"))


def fuzzy(entry: dict[str, object]) -> bool:
    return "fuzzy" in entry["flags"]  # type: ignore[operator]


@pytest.fixture(scope="module")
def catalogue() -> list[dict[str, object]]:
    return entries(PO.read_text(encoding="utf-8"))


def test_every_message_is_translated(catalogue) -> None:
    missing = [e["strings"]["msgid"] for e in catalogue if untranslated(e)]
    assert missing == [], f"{len(missing)} untranslated: run `make messages` and translate them"


def test_no_message_is_fuzzy(catalogue) -> None:
    fuzzy_ids = [e["strings"]["msgid"] for e in catalogue if fuzzy(e)]
    assert fuzzy_ids == [], f"{len(fuzzy_ids)} fuzzy: check and confirm each translation"
