"""Business days from accepted to completed, weekends and holds left out (fixed datetimes)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from secondopinion.consults.turnaround import business_days_running, is_overdue, weekday_seconds

NY = ZoneInfo("America/New_York")


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=NY)  # March 2026: the 6th is a Friday


def test_weekend_does_not_count():
    assert weekday_seconds(at(6), at(9)) == 3 * 86400 - 2 * 86400  # Fri 9:00 → Mon 9:00 = 1 day
    assert business_days_running([(at(6), "accepted")], at(9)) == 1.0


def test_never_accepted_is_none():
    assert business_days_running([(at(2), "requested"), (at(3), "received")], at(20)) is None
    assert not is_overdue(None, 5)


def test_hold_is_excluded():
    history = [
        (at(2), "requested"),
        (at(2, 10), "received"),
        (at(3), "accepted"),  # Tuesday 9:00
        (at(4), "in-progress"),  # Wednesday
        (at(5), "on-hold"),  # Thursday 9:00: 2 days so far
        (at(10), "in-progress"),  # next Tuesday 9:00: hold (incl. the weekend) not counted
        (at(11), "completed"),  # Wednesday 9:00: +1 day
    ]
    assert business_days_running(history, at(30)) == 3.0


def test_overdue_flag():
    history = [(at(2), "accepted"), (at(2, 10), "in-progress")]
    days = business_days_running(history, at(10))  # Mon 2 → Tue 10: 6 business days
    assert days == 6.0
    assert is_overdue(days, 5)
    assert not is_overdue(days, 6)
