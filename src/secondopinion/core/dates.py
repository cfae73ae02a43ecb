"""Dates that cannot be true, refused in one place: the forms and the JSON API call these rules.

Each rule raises Django's ValidationError with a plain message and a stable code (`date_in_future`,
`date_too_old`, `date_before_birth`); the API reports the code as the error's `type`. "Today" is the
server's local date (settings.TIME_ZONE), so a date entered late in the evening is not "in the future".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_AGE_YEARS = 120

IN_FUTURE = "date_in_future"
TOO_OLD = "date_too_old"
BEFORE_BIRTH = "date_before_birth"


def today() -> dt.date:
    return timezone.localdate()


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` earlier; 29 February becomes 28 February in a year that has none."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def validate_birth_date(value: dt.date | None, *, on: dt.date | None = None) -> None:
    """A date of birth: not after today, not more than 120 years before it (exactly 120 years is allowed)."""
    if value is None:
        return
    now = on or today()
    if value > now:
        raise ValidationError(_("A date of birth cannot be in the future."), code=IN_FUTURE)
    if value < years_before(now, MAX_AGE_YEARS):
        raise ValidationError(
            _("Please check the year: this date of birth is more than %(years)s years ago."),
            code=TOO_OLD,
            params={"years": MAX_AGE_YEARS},
        )


def validate_diagnosis_date(
    value: dt.date | None, *, birth_date: dt.date | None = None, on: dt.date | None = None
) -> None:
    """A date of diagnosis: not after today, and not before the date of birth when that is known."""
    if value is None:
        return
    if value > (on or today()):
        raise ValidationError(_("The date of diagnosis cannot be in the future."), code=IN_FUTURE)
    if birth_date is not None and value < birth_date:
        raise ValidationError(
            _("The date of diagnosis cannot be before the date of birth."), code=BEFORE_BIRTH
        )


def validate_birth_before_diagnosis(birth_date: dt.date | None, diagnosis_date: dt.date | None) -> None:
    """A date of birth changed after the diagnosis date was given must not come after it."""
    if birth_date is not None and diagnosis_date is not None and birth_date > diagnosis_date:
        raise ValidationError(
            _("The date of birth cannot be after the date of diagnosis (%(date)s)."),
            code=BEFORE_BIRTH,
            params={"date": diagnosis_date.isoformat()},
        )


def validate_medicine_since(value: dt.date | None, *, on: dt.date | None = None) -> None:
    """When a medicine was started: not after today."""
    if value is not None and value > (on or today()):
        raise ValidationError(_("The date you started taking it cannot be in the future."), code=IN_FUTURE)


def validate_document_date(value: dt.date | None, *, on: dt.date | None = None) -> None:
    """The date written on a document: not after today."""
    if value is not None and value > (on or today()):
        raise ValidationError(_("The date on the document cannot be in the future."), code=IN_FUTURE)


def message_of(error: ValidationError) -> str:
    """The one plain sentence of a ValidationError raised by these rules, with its parameters filled in."""
    return " ".join(str(m) for m in error.messages)


def code_of(error: ValidationError) -> str:
    return error.code or "invalid"


def for_api(rule: Callable[..., None], value: dt.date | None, **kwargs: object) -> dt.date | None:
    """Run a rule inside a pydantic validator: a refusal becomes an error whose `type` is the rule's code."""
    from pydantic_core import PydanticCustomError

    try:
        rule(value, **kwargs)
    except ValidationError as error:
        raise PydanticCustomError(code_of(error), "{message}", {"message": message_of(error)}) from None
    return value
