"""Scenario sections for the transition of 1 July 2025: back office and legal deadlines, the
backlog inherited from the abolished districts, guidance, disruptions and several sites.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, field_serializer, field_validator, model_validator

from sim.scenario.distributions import DaysLeft, DelayDays, Duration, DurationOrNumber, Work
from sim.scenario.limits import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_BACKLOG,
    MAX_CHUNK_MINUTES,
    MAX_COUNTERS,
    MAX_DEADLINE_DAYS,
    MAX_GUIDES,
    MAX_ONLINE_SHARE,
    MAX_OUTAGES_PER_DAY,
    MAX_SERVICE_FACTOR,
    MIN_CHUNK_MINUTES,
)
from sim.scenario.strict import StrictModel
from sim.scenario.types import Clock, Date, Identifier, Share, check_schedule

OnlineFraction = Annotated[float, Field(ge=0, le=MAX_ONLINE_SHARE)]


class Deadline(StrictModel):
    """Legal deadline of a procedure, counted on the calendar's working days."""

    working_days: Annotated[int, Field(ge=0, le=MAX_DEADLINE_DAYS)] = Field(
        description="working days after receipt (0: the same day, subject to the cut-off)")


class ProcedureBackOffice(StrictModel):
    """Back-office work that a received dossier needs after the counter."""

    hours: Work = Field(description="staff-hours of processing per dossier")
    handoff: Identifier | None = Field(
        default=None, description="outside body the dossier then goes to (back_office.handoffs)")


class OnlinePeriod(StrictModel):
    """The online share from a date on (online filing grew over the first months)."""

    start: Date = Field(alias="from", description="first day this share applies")
    share: OnlineFraction = Field(description="share filed online")


OnlineShare = OnlineFraction | Annotated[list[OnlinePeriod], Field(min_length=1)]


class Guidance(StrictModel):
    """The team that helps citizens fill in forms before they go to a counter."""

    staff: Annotated[int, Field(ge=1, le=MAX_GUIDES)] = Field(description="guides on duty")
    service: Duration = Field(description="minutes of help per citizen")
    incomplete_factor: Share = Field(
        default=0.5, description="a guided citizen's chance of an incomplete dossier is "
                                 "multiplied by this")
    schedule: dict[Clock, Annotated[int, Field(ge=0, le=MAX_GUIDES)]] | None = Field(
        default=None, description="guides on duty from each clock time on, within sessions; "
                                  "default: all of `staff`")

    @model_validator(mode="after")
    def _within_staff(self) -> Guidance:
        check_schedule(self.schedule, self.staff, "guides")
        return self


class SiteGuides(StrictModel):
    """A site's own guidance team at a centre with several sites: its guides and their hours
    (what a guide does, `service` and `incomplete_factor`, stays the centre's `guidance`)."""

    staff: Annotated[int, Field(ge=1, le=MAX_GUIDES)] | None = Field(
        default=None, description="guides on duty at this site; default: guidance.staff")
    schedule: dict[Clock, Annotated[int, Field(ge=0, le=MAX_GUIDES)]] | None = Field(
        default=None, description="guides on duty at this site from each clock time on; "
                                  "default: guidance.schedule")


class Handoff(StrictModel):
    """An outside body (land-registry branch, tax office) that holds a dossier for a while."""

    delay_days: DelayDays = Field(description="working days the dossier spends there")


class BackOffice(StrictModel):
    """Staff who process received dossiers against their legal deadlines."""

    staff: Annotated[int, Field(ge=0, le=MAX_COUNTERS)] = Field(
        description="dedicated back-office staff")
    hours_per_day: Annotated[float, Field(gt=0, le=24)] = Field(
        description="processing hours per staff member per opening day (spread over sessions)")
    order: Literal["earliest_deadline", "first_in_first_out"] = Field(
        default="earliest_deadline", description="which dossier is processed next")
    schedule: dict[Clock, Annotated[int, Field(ge=0, le=MAX_COUNTERS)]] | None = Field(
        default=None, description="dedicated staff at work from each clock time on (fixed split)")
    policy: Literal["dedicated", "counter_first"] = Field(
        default="dedicated",
        description="counter_first: counter staff also process dossiers when nobody waits")
    chunk_minutes: Annotated[float, Field(ge=MIN_CHUNK_MINUTES, le=MAX_CHUNK_MINUTES)] = Field(
        default=15, description="counter_first: length of a piece of back-office work, after "
                                "which the next dossier is chosen again (a citizen arriving "
                                "calls the counter back at once)")
    handoffs: dict[Identifier, Handoff] = Field(default={}, description="outside bodies")

    @model_validator(mode="after")
    def _within_staff(self) -> BackOffice:
        check_schedule(self.schedule, self.staff, "staff")
        return self


class BacklogItem(StrictModel):
    """Unfinished dossiers of one procedure transferred from the abolished district level."""

    procedure: Identifier
    count: Annotated[int, Field(ge=0, le=MAX_BACKLOG)] = Field(description="dossiers transferred")
    days_left: DaysLeft = Field(
        description="working days left to their deadline on the start date (negative: overdue)")
    spread_days: Annotated[int, Field(ge=1, le=MAX_DEADLINE_DAYS)] = Field(
        default=1, description="received evenly over this many first working days")


MOMENT_FORMAT = "%Y-%m-%d %H:%M"
Moment = Annotated[dt.datetime, Field(ge=dt.datetime.combine(EARLIEST_DATE, dt.time()),
                                      le=dt.datetime.combine(LATEST_DATE, dt.time(23, 59)))]


def _parse_moment(value: object) -> object:
    """Accept 'YYYY-MM-DD HH:MM' (YAML keeps it as text) or a datetime to the minute: the
    model counts in minutes, and a moment must write back exactly as it was read."""
    if isinstance(value, str):
        try:
            return dt.datetime.strptime(value, MOMENT_FORMAT)
        except ValueError:
            raise ValueError("a moment written 'YYYY-MM-DD HH:MM'") from None
    if isinstance(value, dt.datetime) and (value.second or value.microsecond or value.tzinfo):
        raise ValueError("a moment to the minute, without time zone: 'YYYY-MM-DD HH:MM'")
    return value


class Outage(StrictModel):
    """Software or network failure: counters stop, or service slows, for some minutes.

    Either at a given moment (`from`) or at random (`per_day` expected outages per opening day,
    at uniformly random opening times).
    """

    kind: Literal["outage"]
    start: Moment | None = Field(default=None, alias="from",
                                 description="moment it starts, 'YYYY-MM-DD HH:MM'")
    per_day: Annotated[float, Field(gt=0, le=MAX_OUTAGES_PER_DAY)] | None = Field(
        default=None, description="random outages per opening day")
    minutes: DurationOrNumber = Field(description="how long each outage lasts")
    effect: Literal["counters_stop", "slowdown"] = "counters_stop"
    service_factor: Annotated[float, Field(ge=1, le=MAX_SERVICE_FACTOR)] = Field(
        default=1.0, description="with effect slowdown: service times are multiplied by this")
    desks: list[Identifier] | None = Field(default=None, description="desks hit (default all)")

    _moment = field_validator("start", mode="before")(_parse_moment)

    @field_serializer("start", when_used="json")
    def _moment_text(self, start: dt.datetime | None) -> str | None:
        """Written back as the scenario format writes it, so a dumped scenario loads again."""
        return None if start is None else start.strftime(MOMENT_FORMAT)

    @model_validator(mode="after")
    def _when(self) -> Outage:
        if (self.start is None) == (self.per_day is None):
            raise ValueError("give exactly one of from (a moment) or per_day (random outages)")
        if self.effect == "slowdown" and self.service_factor == 1:
            raise ValueError("effect slowdown needs a service_factor above 1")
        if self.effect == "counters_stop" and self.service_factor != 1:
            raise ValueError("service_factor goes with effect slowdown, not counters_stop")
        if self.effect == "slowdown" and self.desks is not None:
            raise ValueError("desks goes with effect counters_stop (a slowdown hits every desk)")
        return self


def _ordered_period(period: StrictModel) -> StrictModel:
    if period.end < period.start:
        raise ValueError(f"'to' ({period.end}) is before 'from' ({period.start})")
    return period


class Slowdown(StrictModel):
    """Days on which every counter service takes longer (new software, new procedures)."""

    kind: Literal["slowdown"]
    start: Date = Field(alias="from")
    end: Date = Field(alias="to")
    service_factor: Annotated[float, Field(gt=1, le=MAX_SERVICE_FACTOR)] = Field(
        description="multiplies service times")

    _ordered = model_validator(mode="after")(lambda self: _ordered_period(self))


class Blocked(StrictModel):
    """Days on which a procedure cannot be completed (the missing new seals of July 2025):
    citizens are served at the counter, then told to come back after the period."""

    kind: Literal["blocked"]
    procedure: Identifier
    start: Date = Field(alias="from")
    end: Date = Field(alias="to")

    _ordered = model_validator(mode="after")(lambda self: _ordered_period(self))


Disruption = Annotated[Outage | Slowdown | Blocked, Field(discriminator="kind")]

