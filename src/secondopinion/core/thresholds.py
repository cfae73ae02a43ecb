"""The two distances and rates an operator may set: how rare a cancer is "rare", and how far from a
comprehensive cancer center a patient counts as rural. Triage reads both; the directory reads the rural one
to offer the nearest comprehensive centers."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_RARE_THRESHOLD = 15.0  # US definition: fewer than 15 new cases per 100,000 people a year
DEFAULT_RURAL_MILES = 60.0


def is_valid_threshold(value: Any) -> bool:
    """A threshold must be a finite number above zero."""
    return (
        not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value) and value > 0
    )


def configured_number(name: str, default: float) -> float:
    """The setting as a float; NaN when it is not a number, so the caller's check names it."""
    try:
        return float(getattr(settings, name, default))
    except (TypeError, ValueError):
        return math.nan


def rural_miles() -> float:
    """SECONDOPINION_RURAL_MILES, checked."""
    miles = configured_number("SECONDOPINION_RURAL_MILES", DEFAULT_RURAL_MILES)
    if not is_valid_threshold(miles):
        raise ImproperlyConfigured(
            f"SECONDOPINION_RURAL_MILES must be a number greater than 0, not {miles!r}."
        )
    return miles
