"""The rules for dates that cannot be true, at their boundaries (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from pydantic import BaseModel, field_validator
from pydantic import ValidationError as PydanticValidationError

from secondopinion.core import dates
from secondopinion.core.dates import (
    validate_birth_before_diagnosis,
    validate_birth_date,
    validate_diagnosis_date,
    validate_document_date,
    validate_medicine_since,
    years_before,
)

TODAY = dt.date(2026, 3, 14)
DAY = dt.timedelta(days=1)


def refusal(rule, value, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        rule(value, **kwargs)
    return caught.value


def test_years_before_keeps_the_day_and_handles_29_february() -> None:
    assert years_before(TODAY, 120) == dt.date(1906, 3, 14)
    assert years_before(dt.date(2024, 2, 29), 1) == dt.date(2023, 2, 28)
    assert years_before(dt.date(2024, 2, 29), 4) == dt.date(2020, 2, 29)


def test_birth_date_today_and_exactly_120_years_ago_are_allowed() -> None:
    validate_birth_date(TODAY, on=TODAY)
    validate_birth_date(dt.date(1906, 3, 14), on=TODAY)
    validate_birth_date(None, on=TODAY)


def test_birth_date_tomorrow_is_in_the_future() -> None:
    error = refusal(validate_birth_date, TODAY + DAY, on=TODAY)
    assert error.code == dates.IN_FUTURE
    assert dates.message_of(error) == "A date of birth cannot be in the future."


def test_birth_date_one_day_more_than_120_years_ago_is_refused() -> None:
    error = refusal(validate_birth_date, dt.date(1906, 3, 13), on=TODAY)
    assert error.code == dates.TOO_OLD
    assert dates.message_of(error) == "Please check the year: this date of birth is more than 120 years ago."


def test_diagnosis_date_today_is_allowed_tomorrow_is_not() -> None:
    validate_diagnosis_date(TODAY, on=TODAY)
    error = refusal(validate_diagnosis_date, TODAY + DAY, on=TODAY)
    assert error.code == dates.IN_FUTURE
    assert dates.message_of(error) == "The date of diagnosis cannot be in the future."


def test_diagnosis_date_on_the_birth_date_is_allowed_the_day_before_is_not() -> None:
    born = dt.date(1980, 5, 1)
    validate_diagnosis_date(born, birth_date=born, on=TODAY)
    validate_diagnosis_date(born - DAY, birth_date=None, on=TODAY)  # no birth date known: no check
    error = refusal(validate_diagnosis_date, born - DAY, birth_date=born, on=TODAY)
    assert error.code == dates.BEFORE_BIRTH
    assert dates.message_of(error) == "The date of diagnosis cannot be before the date of birth."


def test_birth_date_after_a_known_diagnosis_date_is_refused() -> None:
    diagnosed = dt.date(2020, 1, 10)
    validate_birth_before_diagnosis(diagnosed, diagnosed)
    validate_birth_before_diagnosis(diagnosed + DAY, None)
    error = refusal(validate_birth_before_diagnosis, diagnosed + DAY, diagnosis_date=diagnosed)
    assert error.code == dates.BEFORE_BIRTH
    assert "2020-01-10" in dates.message_of(error)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (validate_medicine_since, "The date you started taking it cannot be in the future."),
        (validate_document_date, "The date on the document cannot be in the future."),
    ],
)
def test_since_and_document_dates_today_allowed_tomorrow_refused(rule, message) -> None:
    rule(TODAY, on=TODAY)
    rule(dt.date(1900, 1, 1), on=TODAY)
    rule(None, on=TODAY)
    error = refusal(rule, TODAY + DAY, on=TODAY)
    assert (error.code, dates.message_of(error)) == (dates.IN_FUTURE, message)


def test_today_is_the_local_date(settings, monkeypatch) -> None:
    """Late in the evening in New York it is already tomorrow in UTC: today is still today."""
    settings.USE_TZ, settings.TIME_ZONE = True, "America/New_York"
    utc_now = dt.datetime(2026, 3, 15, 2, 30, tzinfo=dt.UTC)  # 22:30 on the 14th in New York
    monkeypatch.setattr(dates.timezone, "now", lambda: utc_now)
    assert dates.today() == TODAY


class _Payload(BaseModel):
    born: dt.date | None = None

    @field_validator("born")
    @classmethod
    def _born(cls, value: dt.date | None) -> dt.date | None:
        return dates.for_api(validate_birth_date, value)


def test_for_api_turns_a_refusal_into_a_pydantic_error_typed_with_the_code() -> None:
    assert _Payload(born=dt.date(1990, 1, 1)).born == dt.date(1990, 1, 1)
    with pytest.raises(PydanticValidationError) as caught:
        _Payload(born=dt.date(2999, 1, 1))
    (error,) = caught.value.errors()
    assert error["type"] == dates.IN_FUTURE
    assert error["msg"] == "A date of birth cannot be in the future."
