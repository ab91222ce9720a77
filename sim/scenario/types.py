"""Value types shared by the scenario sections: clock times, dates, identifiers, shares."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, Literal, NamedTuple

from pydantic import AfterValidator, Field, Strict

from sim.scenario.limits import EARLIEST_DATE, LATEST_DATE, MAX_FACTOR, MAX_MINUTES

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Clock = Annotated[
    str,
    Field(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
          description="clock time HH:MM, 00:00 to 24:00"),
]
Session = Annotated[
    str,
    Field(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9])-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
          description="opening period HH:MM-HH:MM"),
]
Identifier = Annotated[
    str, Field(pattern=r"^[a-z][a-z0-9_]*$", description="lower-case letters, digits and _")
]
def _printable(text: str) -> str:
    """Names reach terminals and pages: a control character (an ANSI escape, a carriage
    return) would act on the terminal instead of showing, so none is allowed."""
    for character in text:
        if unicodedata.category(character) == "Cc":
            raise ValueError(f"a name without control characters (found {character!r})")
    return text


Name = Annotated[str, Field(max_length=200, description="a name people read (UTF-8)"),
                 AfterValidator(_printable)]
Date = Annotated[dt.date, Strict(False),
                 Field(ge=EARLIEST_DATE, le=LATEST_DATE, description="date YYYY-MM-DD")]
Share = Annotated[float, Field(ge=0, le=1)]

Factor = Annotated[float, Field(ge=0, le=MAX_FACTOR, description="multiplier")]
WaitMinutes = Annotated[float, Field(gt=0, le=MAX_MINUTES, description="minutes")]


def clock_minutes(clock: str) -> int:
    """Minutes after midnight of an ``HH:MM`` clock time.

    >>> clock_minutes("07:30"), clock_minutes("24:00")
    (450, 1440)
    """
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


class SessionMinutes(NamedTuple):
    """An opening session in minutes after midnight."""

    opens: int
    closes: int


def session_minutes(session: str) -> SessionMinutes:
    """The opening and closing minutes after midnight of an ``HH:MM-HH:MM`` session.

    >>> session_minutes("13:30-17:00")
    SessionMinutes(opens=810, closes=1020)
    """
    opens, closes = session.split("-")
    return SessionMinutes(clock_minutes(opens), clock_minutes(closes))


def check_schedule(schedule: dict[str, int] | None, available: int, what: str) -> None:
    """A clock-time schedule may not put more people to work than there are.

    >>> check_schedule({"07:30": 3}, 2, "counters")
    Traceback (most recent call last):
    ...
    ValueError: schedule has 3 counters at 07:30 but there are only 2
    """
    for clock, count in (schedule or {}).items():
        if count > available:
            raise ValueError(f"schedule has {count} {what} at {clock} but there are only "
                             f"{available}")


def schedule_points(schedule: dict[str, int] | None) -> list[tuple[int, int]]:
    """A clock-time schedule as (minutes after midnight, number) pairs in clock order."""
    return sorted((clock_minutes(clock), count) for clock, count in (schedule or {}).items())


def level_at(points: list[tuple[int, int]], clock: float, default: int) -> int:
    """The number at work at a clock time: the latest schedule entry, or the first one before
    it (so that opening earlier does not silently open every counter); all without a schedule.

    >>> level_at(schedule_points({"07:30": 2, "13:30": 0}), 7 * 60, 3), level_at([], 0, 3)
    (2, 3)
    """
    level = points[0][1] if points else default
    for at, count in points:
        if at <= clock:
            level = count
    return level
