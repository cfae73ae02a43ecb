"""``{{ value|number }}`` / ``{{ value|number:1 }}``: numbers in the page's language (core.numbers)."""

from __future__ import annotations

from django import template

from secondopinion.core.numbers import format_number

register = template.Library()


@register.filter
def number(value: object, decimals: object = None) -> str:
    """Counts, distances and percentages, grouped and with the language's decimal mark."""
    places = None if decimals in (None, "") else int(str(decimals))
    return format_number(value, places)  # type: ignore[arg-type]
