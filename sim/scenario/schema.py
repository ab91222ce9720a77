"""The scenario schema: what a planner can say about a centre, typed and strict.

Field descriptions here are what `sim schema` prints for editor completion; the full explanation
with units and examples is in docs/scenario-format.md.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from sim.scenario.counter_groups import (
    PICK_DESCRIPTION,
    SERVES_DESCRIPTION,
    Pick,
    Serves,
)
from sim.scenario.distributions import Duration
from sim.scenario.labels import Label, label_field
from sim.scenario.limits import (
    MAX_COUNTERS,
    MAX_FACTOR,
    MAX_INTENSITY,
    MAX_OVERDUE,
    MAX_PER_DAY,
    MAX_PER_HOUR,
    MAX_RUN_DAYS,
    MAX_TRIPS,
    MAX_WORKING_DAYS,
)
from sim.scenario.second_visits import Inquiries, Pickup, ReturnLag
from sim.scenario.skills import SKILLS_DESCRIPTION, SkillsFile
from sim.scenario.strict import StrictModel
from sim.scenario.tickets import Appointments, Tickets
from sim.scenario.transition import (
    BacklogItem,
    BackOffice,
    Deadline,
    Disruption,
    Guidance,
    OnlineShare,
    ProcedureBackOffice,
    SiteGuides,
)
from sim.scenario.types import (
    WEEKDAYS,
    Clock,
    Date,
    Factor,
    Identifier,
    Name,
    Session,
    Share,
    WaitMinutes,
    Weekday,
    check_schedule,
    clock_minutes,
    session_minutes,
)

__all__ = ["WEEKDAYS", "Scenario", "clock_minutes", "session_minutes"]

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
    working_days: Annotated[int, Field(ge=1, le=MAX_RUN_DAYS)] = Field(
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
    factor: Factor = Field(description="multiplies expected arrivals on those days")

    @model_validator(mode="after")
    def _ordered(self) -> Surge:
        if self.end < self.start:
            raise ValueError(f"'to' ({self.end}) is before 'from' ({self.start})")
        return self


def _highest_product(surges: list[Surge]) -> tuple[float, dt.date | None]:
    """The highest product of the factors of the surges on one day, and that day: one sweep
    over the days surges start and end (in logarithms, with factors 0 counted apart)."""
    changes = sorted([(s.start, 1, s.factor) for s in surges]
                     + [(s.end + dt.timedelta(days=1), -1, s.factor) for s in surges],
                     key=lambda change: change[0])
    zeros, logs, highest = 0, 0.0, (-math.inf, None)
    for date, group in itertools.groupby(changes, key=lambda change: change[0]):
        for _, step, factor in group:
            if factor == 0:
                zeros += step
            else:
                logs += step * math.log(factor)
        if zeros == 0 and logs > highest[0]:
            highest = (logs, date)
    return math.exp(highest[0]), highest[1]


class Arrivals(StrictModel):
    """In-person visitors: a daily volume with a clock-time profile, or a constant hourly rate."""

    per_day: Annotated[float, Field(gt=0, le=MAX_PER_DAY)] | None = Field(
        default=None, description="expected visitors on an ordinary working day")
    per_hour: Annotated[float, Field(gt=0, le=MAX_PER_HOUR)] | None = Field(
        default=None, description="constant arrival rate per hour while the centre is open")
    profile: dict[Clock, Annotated[float, Field(ge=0, le=MAX_INTENSITY)]] | None = Field(
        default=None, description="relative intensity from each clock time on (piecewise constant)")
    weekday_factor: dict[Weekday, Factor] = Field(
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

    @field_validator("surges")
    @classmethod
    def _overlapping_surges_within_bounds(cls, surges: list[Surge]) -> list[Surge]:
        """Overlapping surges multiply; their product on any day is bounded like one factor."""
        product, date = _highest_product(surges)
        if product > MAX_FACTOR * (1 + 1e-9):
            raise ValueError(f"surges that overlap on {date} multiply to {product:g}; "
                             f"overlapping surges may multiply to at most {MAX_FACTOR}")
        return surges


class Procedure(StrictModel):
    """One administrative procedure handled at a desk."""

    id: Identifier
    name: Name = Field(default="", validate_default=True,
                      description="name as citizens know it (Vietnamese, UTF-8); default: the id")
    share: Share = Field(description="share of in-person visits for this procedure")
    desk: Identifier = Field(description="the desk (counter pool) that serves it")
    service: Duration = Field(description="minutes at the counter")
    back_office: ProcedureBackOffice | None = Field(
        default=None, description="processing after the counter (none: done at the counter)")
    deadline: Deadline | None = Field(default=None, description="legal deadline")
    online_share: OnlineShare = Field(
        default=0.0, description="share of dossiers filed online (no counter visit)")
    incomplete: Share = Field(
        default=0.0, description="share of counter visits with an incomplete dossier: the "
                                 "citizen is asked for a supplement and comes back")
    guidance: Share = Field(default=0.0, description="share who first need the guidance team")
    pickup: Pickup | None = Field(
        default=None, description="how results are collected (none: no pick-up trips)")
    label: Label | None = label_field("procedure")

    @field_validator("name")
    @classmethod
    def _name_or_id(cls, name: str, info: ValidationInfo) -> str:
        """Theory scenarios and quick trials need no name: the id stands in for it."""
        return name or info.data.get("id", name)


class Desk(StrictModel):
    """A pool of counters serving the same procedures from one first-come-first-served queue,
    and with `serves` other desks' queues too (`sim.scenario.counter_groups`)."""

    counters: Annotated[int, Field(ge=1, le=MAX_COUNTERS)] = Field(
        description="counters (staffed) at the desk")
    schedule: dict[Clock, Annotated[int, Field(ge=0, le=MAX_COUNTERS)]] | None = Field(
        default=None,
        description="open counters from each clock time on, within sessions; default all")
    label: Label | None = label_field("desk")
    serves: Serves | None = Field(default=None, description=SERVES_DESCRIPTION)
    pick: Pick | None = Field(default=None, description=PICK_DESCRIPTION)
    positions: Annotated[int, Field(ge=1, le=MAX_COUNTERS)] | None = Field(
        default=None, description="physical counters (desks and computers) the desk has: no "
                                  "option or schedule may open more; default: no limit")

    @model_validator(mode="after")
    def _within_counters(self) -> Desk:
        check_schedule(self.schedule, self.counters, "counters")
        if self.positions is not None and self.counters > self.positions:
            raise ValueError(f"{self.counters} counters but the desk has only "
                             f"{self.positions} positions (physical counters)")
        return self

    def most_counters(self) -> int:
        """The most counters that can ever be open at this desk: its positions, if given."""
        return MAX_COUNTERS if self.positions is None else self.positions


class WithinTarget(StrictModel):
    """Share of visits that must wait no longer than a number of minutes."""

    minutes: WaitMinutes
    at_least: Share


class Targets(StrictModel):
    """Service levels the centre aims for; waits in minutes, shares as fractions."""

    wait_mean: WaitMinutes | None = None
    wait_p50: WaitMinutes | None = None
    wait_p90: WaitMinutes | None = None
    wait_p95: WaitMinutes | None = None
    wait_max: WaitMinutes | None = None
    within_target_share: WithinTarget | None = None
    abandoned_share: Share | None = None
    sent_home_share: Share | None = None
    on_time_share: Share | None = Field(default=None, description="at least this share on time")
    overdue: Annotated[int, Field(ge=0, le=MAX_OVERDUE)] | None = Field(
        default=None, description="at most this many dossiers overdue at the end")
    lateness_p90: Annotated[float, Field(ge=0, le=MAX_WORKING_DAYS)] | None = Field(
        default=None, description="working days, at most")


class Site(StrictModel):
    """A service point of the centre (wards that kept their old headquarters have two)."""

    share: Share = Field(description="share of citizens who go to this site")
    desks: Annotated[dict[Identifier, Desk], Field(min_length=1)]
    label: Label | None = label_field("site")
    guidance: SiteGuides | None = Field(
        default=None, description="this site's guides and their schedule; default: the "
                                  "centre's guidance.staff and guidance.schedule")


OptionChanges = dict[str, Any]


class Scenario(StrictModel):
    """A whole centre scenario, validated once at load."""

    name: Name
    label: Label | None = Field(default=None, description="the scenario's name on pages, "
                                                           "{vi, en}; default: its name")
    description: str = ""
    calendar: Calendar
    arrivals: Arrivals
    procedures: Annotated[list[Procedure], Field(min_length=1)]
    desks: Annotated[dict[Identifier, Desk], Field(min_length=1)] | None = Field(
        default=None, description="counter pools of a centre with one site")
    sites: Annotated[dict[Identifier, Site], Field(min_length=1)] | None = Field(
        default=None, description="service points, each with its own desks (instead of desks)")
    guidance: Guidance | None = None
    back_office: BackOffice | None = None
    backlog: list[BacklogItem] = Field(default=[], description="dossiers inherited on day one")
    inquiries: Inquiries | None = Field(
        default=None, description="citizens asking about their open transferred dossiers")
    disruptions: list[Disruption] = Field(default=[], description="outages, slowdowns, blocks")
    tickets: Tickets | None = Field(
        default=None, description="priority tickets; none: first come, first served")
    appointments: Appointments | None = Field(
        default=None, description="slots booked ahead; none: everyone walks in")
    patience: Duration | None = Field(
        default=None, description="minutes a waiting citizen stays before giving up; none: forever")
    return_probability: Share = Field(
        default=0.0, description="chance that who gives up or is sent home returns another day")
    return_lag_days: ReturnLag | None = Field(
        default=None, description="opening days until who gave up or was sent home comes back; "
                                  "none: the next opening day")
    max_trips: Annotated[int, Field(ge=1, le=MAX_TRIPS)] = Field(
        default=10, description="a citizen not served after this many trips stops coming")
    at_closing: Literal["send_home", "serve_all"] = Field(
        default="send_home", description="what happens to citizens still waiting at closing time")
    warmup_minutes: Annotated[float, Field(ge=0)] = Field(
        default=0.0, description="statistics start this many minutes after 00:00 of the start "
                                 "date (before the run's last closing)")
    options: dict[Identifier, OptionChanges] = Field(
        default={"baseline": {}}, description="staffing options: dotted-path changes to this file")
    targets: Targets = Field(default_factory=Targets)
    skills: SkillsFile | None = Field(default=None, description=SKILLS_DESCRIPTION)
    labels: dict[Identifier, Label] = Field(
        default={}, description="the options' names on pages, by option id (baseline too): "
                                "{vi, en}; default: a readable form of the id")

    @model_validator(mode="after")
    def _desks_or_sites(self) -> Scenario:
        if (self.desks is None) == (self.sites is None):
            raise ValueError("give exactly one of desks (one site) or sites (several)")
        return self

    def site_desks(self) -> dict[str, dict[str, Desk]]:
        """Desks per site; a centre given by `desks` has one site called 'main'."""
        if self.sites is None:
            return {"main": dict(self.desks or {})}
        return {name: dict(site.desks) for name, site in self.sites.items()}

    def site_guidance(self, site: str) -> tuple[int, dict[str, int] | None]:
        """A site's guides and their schedule: the site's own `guidance`, else the centre's
        (with one site, the centre's); (0, None) without guidance."""
        if self.guidance is None:
            return 0, None
        own = self.sites[site].guidance if self.sites and site in self.sites else None
        if own is None:
            return self.guidance.staff, self.guidance.schedule
        return (own.staff if own.staff is not None else self.guidance.staff,
                own.schedule if own.schedule is not None else self.guidance.schedule)

    def visited_desks(self) -> set[str]:
        """The desks visitors queue at: the procedures' desks, the desks that hand over their
        results, and the desk that answers inquiries."""
        desks = {p.desk for p in self.procedures}
        desks.update(p.pickup.desk for p in self.procedures
                     if p.pickup is not None and p.pickup.desk is not None)
        if self.inquiries is not None:
            desks.add(self.inquiries.desk)
        return desks

    def desk_names(self) -> list[str]:
        """Every desk name used at any site, in order of first appearance."""
        names: dict[str, None] = {}
        for desks in self.site_desks().values():
            names.update(dict.fromkeys(desks))
        return list(names)
