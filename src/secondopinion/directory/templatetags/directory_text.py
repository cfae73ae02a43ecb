"""NPPES writes names and addresses in capitals; the pages show them in ordinary case. Only text that is all
capitals is changed, so what a practitioner typed in mixed case is shown as they wrote it."""

from __future__ import annotations

from django import template

register = template.Library()

KEEP_UPPER = {"II", "III", "IV", "PO", "NE", "NW", "SE", "SW", "USA"}


def _word(word: str) -> str:
    return word if word in KEEP_UPPER else word.title()


@register.filter
def readable(text: str) -> str:
    """'LOS ANGELES' -> 'Los Angeles'; "O'BRIEN-SMITH" -> "O'Brien-Smith"; '1 MAIN ST NW' -> '1 Main St NW'.
    Text with any lower-case letter is returned as it is."""
    if not isinstance(text, str) or not text.isupper():
        return text
    return " ".join(_word(word) for word in text.split(" "))


@register.filter
def person_name(text: str) -> str:
    """A display name with credentials: the name in ordinary case, the credentials as written
    ('JOHN SMITH III, MD' -> 'John Smith III, MD')."""
    if not isinstance(text, str):
        return text
    name, comma, credentials = text.rpartition(", ")
    if not comma:
        return readable(text)
    return f"{readable(name)}, {credentials}"
