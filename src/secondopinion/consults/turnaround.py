"""Turnaround in business days, from accepted to completed, with time on hold left out.

Time counts only on weekdays (Monday–Friday, whole calendar days in the installation's time zone;
public holidays are not known and so count). A request's clock runs while it is accepted or
in progress; it stops while on hold and when it ends.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from secondopinion.consults.transitions import FINAL, Status

RUNNING = frozenset({Status.ACCEPTED, Status.IN_PROGRESS})
DAY = 86400.0


def weekday_seconds(start: datetime, end: datetime) -> float:
    """Seconds between start and end that fall on a weekday (both aware, same time zone)."""
    if end <= start:
        return 0.0
    total = 0.0
    cursor = start
    while cursor < end:
        next_midnight = (cursor + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        stop = min(end, next_midnight)
        if cursor.weekday() < 5:
            total += (stop - cursor).total_seconds()
        cursor = stop
    return total


def business_days_running(history: Iterable[tuple[datetime, str]], now: datetime) -> float | None:
    """Business days the clock ran, given (time, new status) changes in order; None if never accepted."""
    running_since: datetime | None = None
    accepted = False
    total = 0.0
    for at, status in history:
        if running_since is not None:
            total += weekday_seconds(running_since, at)
            running_since = None
        if status == Status.ACCEPTED:
            accepted = True
        if status in RUNNING:
            running_since = at
    if running_since is not None:
        total += weekday_seconds(running_since, now)
    return round(total / DAY, 2) if accepted else None


def is_overdue(days_running: float | None, target_days: float) -> bool:
    return days_running is not None and days_running > target_days


def add_business_days(start: date, days: int) -> date:
    """The day `days` weekdays after `start` (Saturdays and Sundays skipped; 0 days: `start` itself)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


# Statuses before the clock starts, and those in which nothing more is expected.
WAITING = frozenset({Status.DRAFT, Status.REQUESTED, Status.RECEIVED})
ENDED = FINAL


def expected_by(
    status: str, days_running: float | None, target_days: int, today: date, sent_on: date | None
) -> date | None:
    """The day the patient should hear by: the target turnaround in business days, counted from the day
    the request was sent (today for a draft) until it is accepted, then what is left of it from today.
    None while on hold (the clock is stopped) and once the request has ended."""
    if status in ENDED or status == Status.ON_HOLD:
        return None
    if status in WAITING:
        return add_business_days(sent_on or today, target_days)
    left = max(0, math.ceil(target_days - (days_running or 0.0)))
    return add_business_days(today, left)
