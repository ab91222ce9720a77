"""Turn a scenario's calendar into absolute simulated time.

Simulated time is minutes since 00:00 of the start date. Touching sessions (one closes when the
next opens, also across midnight) are merged, so a centre open ``00:00-24:00`` every day is one
continuous open period, exactly as queueing theory assumes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sim.model.memo import remember_last
from sim.scenario.opening_days import MINUTES_PER_DAY, opening_dates
from sim.scenario.schema import Calendar, Desk, session_minutes
from sim.scenario.types import level_at, schedule_points

__all__ = ["MINUTES_PER_DAY", "OpeningDay", "Timeline", "build_timeline", "counter_changes",
           "level_changes", "planned_levels"]


@dataclass(frozen=True)
class OpeningDay:
    """A day on which the centre opens; times are absolute minutes."""

    number: int  # 1 for the first opening day
    date: dt.date
    midnight: float
    sessions: tuple[tuple[float, float], ...]
    working: bool  # counts towards working_days (Saturdays outside `weekdays` do not)

    @property
    def closes(self) -> float:
        return self.sessions[-1][1]


@dataclass(frozen=True)
class Timeline:
    """The opening days of a run and its merged open periods."""

    days: tuple[OpeningDay, ...]
    periods: tuple[tuple[float, float], ...]

    @property
    def first_open(self) -> float:
        return self.periods[0][0]

    @property
    def closings(self) -> tuple[float, ...]:
        """Times the centre closes for the day: a day's last closing, unless open on past it.

        A lunch break is not a closing; nor is midnight in a centre open around the clock.
        """
        ends = {end for _, end in self.periods}
        return tuple(sorted(ends.intersection(day.closes for day in self.days)))

    def next_day_after(self, time: float) -> OpeningDay | None:
        """The first opening day after the calendar day that contains ``time``."""
        midnight = (time // MINUTES_PER_DAY) * MINUTES_PER_DAY
        return next((day for day in self.days if day.midnight > midnight), None)


@remember_last
def build_timeline(calendar: Calendar) -> Timeline:
    """Opening days from the start date until `working_days` working days have passed (which
    dates open is the calendar's rule, `sim.scenario.opening_days`), in absolute minutes."""
    days: list[OpeningDay] = []
    for opening in opening_dates(calendar):
        midnight = float((opening.date - calendar.start).days * MINUTES_PER_DAY)
        spans = tuple((midnight + a, midnight + b)
                      for a, b in map(session_minutes, opening.sessions))
        days.append(OpeningDay(len(days) + 1, opening.date, midnight, spans, opening.working))
    return Timeline(tuple(days), _merge([s for day in days for s in day.sessions]))


def _merge(spans: list[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    merged: list[tuple[float, float]] = []
    for start, end in spans:
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def counter_changes(timeline: Timeline, desk: Desk) -> list[tuple[float, int]]:
    """(time, open counters) changes for a desk, excluding the closings at the end of a period.

    The closing at the end of each open period is left to the centre, because what happens
    then depends on `at_closing` (send everyone home, or keep serving until the queue is empty).
    """
    return level_changes(timeline, desk.counters, desk.schedule)


def planned_levels(timeline: Timeline, staff: int,
                   schedule: dict[str, int] | None) -> list[tuple[float, int]]:
    """(time, staff at work) changes as planned: the schedule within sessions, 0 from each
    closing on. For staff who simply stop at closing (back office) and for planning."""
    changes = dict(level_changes(timeline, staff, schedule))
    for closing in timeline.closings:
        changes.setdefault(closing, 0)
    return sorted({0.0: 0, **changes}.items())


def level_changes(timeline: Timeline, staff: int,
                  schedule: dict[str, int] | None) -> list[tuple[float, int]]:
    """(time, level) changes of `staff` following a clock-time `schedule` within sessions,
    0 between sessions of a day; the day's closings are not included."""
    points = schedule_points(schedule)
    changes: dict[float, int] = {}
    closings = set(timeline.closings)
    for day in timeline.days:
        for start, end in day.sessions:
            changes[start] = level_at(points, start - day.midnight, staff)
            for clock, count in points:
                if start < day.midnight + clock < end:
                    changes[day.midnight + clock] = count
            if end not in closings:
                changes.setdefault(end, 0)
    # Repeated levels are kept: the centre sets 0 at each closing, so the next opening's
    # level must be set again even when it equals the level before the closing.
    return sorted(changes.items())
