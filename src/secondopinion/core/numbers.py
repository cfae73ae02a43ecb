"""The one locale-aware number formatter: counts, distances, rates and percentages on every page.

``format_number(1234.5)`` is "1,234.5" in English and "1.234,5" in Spanish (Django's formats for the active
language, thousands always grouped). Without ``decimals`` a number keeps one decimal (two below 1) and drops
trailing zeros: 15.0 -> "15", 66.64 -> "66.6", 0.35 -> "0.35". Templates use the ``number`` filter
(``{% load numbers %}``), which calls this function.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def _rounded(value: float | int | Decimal | str, decimals: int | None) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    if decimals is None:
        decimals = 0 if number == number.to_integral_value() else (1 if abs(number) >= 1 else 2)
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


def format_number(value: float | int | Decimal | str | None, decimals: int | None = None) -> str:
    """``value`` in the active language's number format; "" for None or something that is not a number."""
    if value is None or isinstance(value, bool):
        return ""
    number = _rounded(value, decimals)
    if number is None:
        return ""
    try:
        from django.utils.formats import number_format

        return number_format(number, use_l10n=True, force_grouping=True)
    except Exception:
        return f"{number:,f}"
