"""The scenario schema: what a planner can say about a centre, typed and strict.

Field descriptions here are what `sim schema` prints for editor completion; the full explanation
with units and examples is in docs/scenario-format.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, Strict, field_validator, model_validator

from sim.scenario.distributions import Duration
from sim.scenario.strict import StrictModel

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
Date = Annotated[dt.date, Strict(False), Field(description="date YYYY-MM-DD")]
Share = Annotated[float, Field(ge=0, le=1)]
NonNegative = Annotated[float, Field(ge=0)]
Positive = Annotated[float, Field(gt=0)]


def clock_minutes(clock: str) -> int:
    """Minutes after midnight of an ``HH:MM`` clock time.

    >>> clock_minutes("07:30"), clock_minutes("24:00")
    (450, 1440)
    """
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def session_minutes(session: str) -> tuple[int, int]:
    """(open, close) minutes after midnight of an ``HH:MM-HH:MM`` session.

    >>> session_minutes("13:30-17:00")
    (810, 1020)
    """
    opens, closes = session.split("-")
    return clock_minutes(opens), clock_minutes(closes)


def _check_sessions(sessions: list[str]) -> None:
    spans = [session_minutes(s) for s in sessions]
    for (start, end), text in zip(spans, sessions, strict=True):
        if end <= start:
            raise ValueError(f"session {text!r} must close after it opens")
    for (_, end), (start, _), text in zip(spans, spans[1:], sessions[1:], strict=False):
        if start < end:
            raise ValueError(f"session {text!r} starts before the previous one closes; "
                             "list sessions in clock order without overlap")


class Calendar(StrictModel):
    """Which days the centre opens and when."""

    start: Date = Field(description="first simulated day (YYYY-MM-DD)")
    working_days: Annotated[int, Field(ge=1, le=2000)] = Field(
        description="number of working days to simulate (days in `weekdays`, not holidays)")
    weekdays: Annotated[list[Weekday], Field(min_length=1)] = Field(
        default=["mon", "tue", "wed", "thu", "fri"], description="working weekdays")
    sessions: Annotated[list[Session], Field(min_length=1)] = Field(
        default=["07:30-11:30", "13:30-17:00"], description="opening sessions of a working day")
    saturday_sessions: list[Session] = Field(
        default=[],
        description="sessions on Saturdays (extra opening days unless 'sat' is a weekday)")
    holidays: list[Date] = Field(default=[], description="closed dates")
    cutoff: Clock = Field(
        default="15:00",
        description="same-day procedures received later finish the next working day")

    @field_validator("sessions", "saturday_sessions")
    @classmethod
    def _sessions_in_order(cls, sessions: list[str]) -> list[str]:
        _check_sessions(sessions)
        return sessions

    @field_validator("weekdays")
    @classmethod
    def _each_day_once(cls, weekdays: list[str]) -> list[str]:
        if len(set(weekdays)) != len(weekdays):
            raise ValueError("each weekday at most once")
        return weekdays


class Surge(StrictModel):
    """A period of extra demand, such as the first weeks after 1 July 2025."""

    start: Date = Field(alias="from", description="first day of the surge")
    end: Date = Field(alias="to", description="last day of the surge (inclusive)")
    factor: NonNegative = Field(description="multiplies expected arrivals on those days")

    @model_validator(mode="after")
    def _ordered(self) -> Surge:
        if self.end < self.start:
            raise ValueError(f"'to' ({self.end}) is before 'from' ({self.start})")
        return self


class Arrivals(StrictModel):
    """In-person visitors: a daily volume with a clock-time profile, or a constant hourly rate."""

    per_day: Positive | None = Field(
        default=None, description="expected visitors on an ordinary working day")
    per_hour: Positive | None = Field(
        default=None, description="constant arrival rate per hour while the centre is open")
    profile: dict[Clock, NonNegative] | None = Field(
        default=None, description="relative intensity from each clock time on (piecewise constant)")
    weekday_factor: dict[Weekday, NonNegative] = Field(
        default={}, description="multiplies per_day on that weekday (default 1)")
    surges: list[Surge] = Field(default=[], description="periods of extra demand")

    @model_validator(mode="after")
    def _one_rate(self) -> Arrivals:
        if (self.per_day is None) == (self.per_hour is None):
            raise ValueError("give exactly one of per_day or per_hour")
        if self.profile is not None:
            if self.per_hour is not None:
                raise ValueError("profile goes with per_day, not per_hour")
            if not any(v > 0 for v in self.profile.values()):
                raise ValueError("profile needs at least one positive intensity")
        return self


class Procedure(StrictModel):
    """One administrative procedure handled at a desk."""

    id: Identifier
    name: str = Field(description="name as citizens know it (Vietnamese, UTF-8)")
    share: Share = Field(description="share of in-person visits for this procedure")
    desk: Identifier = Field(description="the desk (counter pool) that serves it")
    service: Duration = Field(description="minutes at the counter")


class Desk(StrictModel):
    """A pool of counters serving the same procedures from one first-come-first-served queue."""

    counters: Annotated[int, Field(ge=1, le=500)] = Field(
        description="counters (staffed) at the desk")
    schedule: dict[Clock, Annotated[int, Field(ge=0)]] | None = Field(
        default=None,
        description="open counters from each clock time on, within sessions; default all")

    @model_validator(mode="after")
    def _within_counters(self) -> Desk:
        for clock, count in (self.schedule or {}).items():
            if count > self.counters:
                raise ValueError(
                    f"schedule opens {count} counters at {clock} but the desk has {self.counters}")
        return self


class WithinTarget(StrictModel):
    """Share of visits that must wait no longer than a number of minutes."""

    minutes: Positive
    at_least: Share


class Targets(StrictModel):
    """Service levels the centre aims for; waits in minutes, shares as fractions."""

    wait_mean: Positive | None = None
    wait_p50: Positive | None = None
    wait_p90: Positive | None = None
    wait_p95: Positive | None = None
    wait_max: Positive | None = None
    within_target_share: WithinTarget | None = None
    abandoned_share: Share | None = None
    sent_home_share: Share | None = None


OptionChanges = dict[str, Any]


class Scenario(StrictModel):
    """A whole centre scenario, validated once at load."""

    name: str
    description: str = ""
    calendar: Calendar
    arrivals: Arrivals
    procedures: Annotated[list[Procedure], Field(min_length=1)]
    desks: Annotated[dict[Identifier, Desk], Field(min_length=1)]
    patience: Duration | None = Field(
        default=None, description="minutes a waiting citizen stays before giving up; none: forever")
    return_probability: Share = Field(
        default=0.0, description="chance that who gives up or is sent home returns another day")
    max_trips: Annotated[int, Field(ge=1, le=100)] = Field(
        default=10, description="a citizen not served after this many trips stops coming")
    at_closing: Literal["send_home", "serve_all"] = Field(
        default="send_home", description="what happens to citizens still waiting at closing time")
    warmup_minutes: NonNegative = Field(
        default=0.0, description="statistics start this many minutes after 00:00 of the start date")
    options: dict[Identifier, OptionChanges] = Field(
        default={"baseline": {}}, description="staffing options: dotted-path changes to this file")
    targets: Targets = Field(default_factory=Targets)
