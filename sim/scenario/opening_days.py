"""Which dates the centre opens, with which sessions: the rule of a scenario's calendar.

The model's timeline (`sim.model.calendar`) turns these dates into simulated minutes, and the
loader needs the run's last closing to check the warm-up before anything runs. The rule lives
here, in the scenario layer, so that both read it from one place and the scenario layer imports
nothing from the model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sim.scenario.schema import WEEKDAYS, Calendar, session_minutes

MINUTES_PER_DAY = 1440


@dataclass(frozen=True)
class OpeningDate:
    """A date on which the centre opens, and its sessions (clock times, in order)."""

    date: dt.date
    sessions: tuple[str, ...]
    working: bool  # counts towards working_days (Saturdays outside `weekdays` do not)


def opening_dates(calendar: Calendar) -> list[OpeningDate]:
    """The opening dates from the start date until `working_days` working days have passed:
    holidays are skipped, and Saturdays open with `saturday_sessions` when given."""
    days: list[OpeningDate] = []
    working_seen = 0
    date = calendar.start
    holidays = set(calendar.holidays)
    while working_seen < calendar.working_days:
        weekday = WEEKDAYS[date.weekday()]
        sessions = _sessions_on(calendar, weekday)
        if date not in holidays and sessions:
            working = weekday in calendar.weekdays
            working_seen += working
            days.append(OpeningDate(date, sessions, working))
        date += dt.timedelta(days=1)
    return days


def _sessions_on(calendar: Calendar, weekday: str) -> tuple[str, ...]:
    if weekday == "sat" and calendar.saturday_sessions:
        return tuple(calendar.saturday_sessions)
    return tuple(calendar.sessions) if weekday in calendar.weekdays else ()


def last_closing(calendar: Calendar) -> int:
    """Minutes from 00:00 of the start date to the run's last closing: the end of the last
    session of the last opening date (a day's sessions lie within it, in clock order, so no
    earlier session ends later)."""
    last = opening_dates(calendar)[-1]
    return (last.date - calendar.start).days * MINUTES_PER_DAY + session_minutes(
        last.sessions[-1])[1]
