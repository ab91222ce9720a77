"""Expected visits that are not submissions: citizens collecting a result, and citizens asking
about a transferred dossier, per counter pool and minute of the run.

A results counter or a feedback desk has no procedure of its own, so the submissions alone give
it no load; these visits are its whole work. They are derived from the scenario's own
parameters, as `sim.model.pickup` and `sim.model.inquiries` make them:

* **Pick-ups.** Each dossier received at the counter (the procedure's visitors x the chance that
  the dossier is complete by the last trip) is collected in person with the chance
  ``in_person``, ``lag_days`` working days (rounded as the model rounds them) after the date
  promised on the ticket (``promised_days``, else the procedure's deadline, counted from the
  minute the citizen arrived, with the same-day cut-off), at a clock time spread as the pick-up
  desk's own arrivals that day. A transferred dossier is collected at its due date (or on
  arrival when already overdue), plus the lag. A collector goes to the pick-up desk at their own
  site, else to one chosen by the site shares.
* **Inquiries.** Each transferred dossier, from the working day it arrives, brings ``per_day``
  inquiries per working day up to its due date and ``overdue_per_day`` after, while it is open,
  spread over each day as the desk's arrivals; the desk's pool is chosen by the site shares.

Approximations (the theory is only the search's start; the simulation judges):

* Only the first pick-up trip is counted: a trip that finds the result not ready (and the trip
  again after it) is left to the simulation, as are returns of collectors who gave up, and
  submissions lost when a citizen gave up or was sent home. A dossier counts as received when
  its citizen first arrived (an incomplete dossier is in fact received on a later trip).
* When a transferred dossier is completed comes from a fluid back office: the staff's hours left
  over after an average day's new dossiers (`back_office_load`) work the backlog off at each
  dossier's mean hours, in the back office's order (by due date, or as received), and a dossier
  is open until its turn is done (for ever when no hours are left over); outside bodies and
  counter staff helping are left out.
* The days left of transferred dossiers and every lag are read at evenly spread quantiles of
  their distributions (`_QUANTILES`), not drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.analysis.back_office_work import back_office_load
from sim.analysis.staffing.demand import Visits, arrivals_per_minute
from sim.model.arrivals import build_intensity
from sim.model.calendar import MINUTES_PER_DAY, Timeline
from sim.model.citizens import counter_pools, pool_fractions
from sim.model.deadlines import WorkingCalendar, working_calendar
from sim.model.desk_hours import pool_intensities
from sim.scenario.distributions import as_distribution
from sim.scenario.schema import Scenario

_QUANTILES = 200  # evenly spread quantiles for a lag or the days left of transferred dossiers


def _quantiles(value, count: int = _QUANTILES) -> np.ndarray:
    """A distribution (or a number) read at `count` evenly spread probabilities."""
    return as_distribution(value).ppf((np.arange(count) + 0.5) / count)


def _lags(value, least: int) -> tuple[np.ndarray, np.ndarray]:
    """The working days of a lag and their chances, rounded and bounded as the model does."""
    days = np.maximum(np.rint(_quantiles(value)), least).astype(int)
    found, counts = np.unique(days, return_counts=True)
    return found, counts / counts.sum()


@dataclass(frozen=True)
class _Run:
    """The run's opening days, working-day arithmetic and each pool's arrivals per minute."""

    timeline: Timeline
    working: WorkingCalendar
    dates: np.ndarray  # each opening day's date (datetime64[D]), increasing
    pool_minutes: list[np.ndarray]  # expected arrivals per minute at each pool
    minutes: int

    @classmethod
    def of(cls, scenario: Scenario, timeline: Timeline, minutes: int) -> _Run:
        intensity = build_intensity(scenario.arrivals, scenario.calendar, timeline)
        pools = pool_intensities(scenario, timeline, intensity)
        dates = np.array([day.date for day in timeline.days], dtype="datetime64[D]")
        return cls(timeline, working_calendar(scenario.calendar), dates,
                   [arrivals_per_minute(p, minutes) for p in pools], minutes)

    def later(self, dates: np.ndarray, working_days: int) -> np.ndarray:
        """The date `working_days` working days after each date (0: it, or the next one)."""
        return np.busday_offset(dates, working_days, roll="forward",
                                weekmask=self.working.weekmask, holidays=self.working.holidays)

    def per_day(self, dates: np.ndarray, mass: np.ndarray) -> np.ndarray:
        """Masses summed per opening day; a date that is no opening day of the run is dropped
        (the model simulates no visit there)."""
        index = np.searchsorted(self.dates, dates)
        inside = index < len(self.dates)
        inside[inside] = self.dates[index[inside]] == dates[inside]
        return np.bincount(index[inside], weights=mass[inside], minlength=len(self.dates))

    def spread(self, per_day: np.ndarray, pool: int) -> np.ndarray:
        """Each opening day's visits over its minutes as the pool's arrivals that day (at the
        opening when none are expected)."""
        out = np.zeros(self.minutes)
        for day, mass in zip(self.timeline.days, per_day.tolist(), strict=True):
            first = int(day.midnight)
            last = min(first + MINUTES_PER_DAY, self.minutes)
            shape = self.pool_minutes[pool][first:last]
            if mass <= 0 or first >= self.minutes:
                continue
            if shape.sum() > 0:
                out[first:last] += mass * shape / shape.sum()
            else:
                out[min(int(day.sessions[0][0]), self.minutes - 1)] += mass
        return out


def second_visits(scenario: Scenario, timeline: Timeline, minutes: int) -> list[list[Visits]]:
    """For each counter pool (in the order of `counter_pools`), its expected pick-up and inquiry
    visits per minute of the run's first `minutes`, each with its service law."""
    found: list[list[Visits]] = [[] for _ in counter_pools(scenario)]
    if not any(p.pickup for p in scenario.procedures) and scenario.inquiries is None:
        return found
    run = _Run.of(scenario, timeline, minutes)
    for index, procedure in enumerate(scenario.procedures):
        if procedure.pickup is None:
            continue
        days = _counter_pickups(scenario, run, index) + _backlog_pickups(scenario, run, index)
        desk = procedure.pickup.desk or procedure.desk
        for pool, weight in _pickup_pools(scenario, procedure.desk, desk).items():
            found[pool].append(Visits(run.spread(days * weight, pool), procedure.pickup.service))
    if scenario.inquiries is not None:
        days = _inquiry_days(scenario, run)
        for pool, weight in _shares(scenario, scenario.inquiries.desk).items():
            found[pool].append(Visits(run.spread(days * weight, pool),
                                      scenario.inquiries.service))
    return found


def received_share(scenario: Scenario, procedure) -> float:
    """The chance that a counter citizen's dossier is received: complete on some trip up to
    max_trips (guidance changes the chance on the first)."""
    share = procedure.incomplete
    first = share * (1 - procedure.guidance + procedure.guidance
                     * (scenario.guidance.incomplete_factor if scenario.guidance else 1.0))
    return 1.0 - first * share ** (scenario.max_trips - 1)


def _counter_pickups(scenario: Scenario, run: _Run, index: int) -> np.ndarray:
    """Expected first pick-up trips per opening day of the dossiers received at the counter."""
    procedure = scenario.procedures[index]
    pickup = procedure.pickup
    visitors = sum(run.pool_minutes[p] * f for p, f in _shares(scenario, procedure.desk).items())
    mass = visitors * procedure.share * received_share(scenario, procedure) * pickup.in_person
    minute = np.flatnonzero(mass > 0)
    promised_days = (pickup.promised_days if pickup.promised_days is not None
                     else procedure.deadline.working_days)
    promised = run.working.dates(run.working.due(minute + 0.5, np.full(len(minute),
                                                                       promised_days)))
    return _after_lag(run, promised, mass[minute], pickup.lag_days)


def _after_lag(run: _Run, dates: np.ndarray, mass: np.ndarray, lag) -> np.ndarray:
    """Visits per opening day of `mass` promised on `dates` and coming the lag later."""
    days, chances = _lags(lag, least=0)
    return sum((run.per_day(run.later(dates, int(d)), mass * c)
                for d, c in zip(days, chances, strict=True)), np.zeros(len(run.dates)))


@dataclass(frozen=True)
class _Transferred:
    """Groups of transferred dossiers: when they arrive, when they are due, how many."""

    arrival: np.ndarray  # simulated minutes (a working day's opening)
    working_day: np.ndarray  # index of that working day in the run
    due: np.ndarray  # simulated minutes (inf: no deadline)
    count: np.ndarray  # dossiers in the group
    hours: np.ndarray  # mean back-office hours of one of them
    procedure: np.ndarray  # index into scenario.procedures


def _transferred(scenario: Scenario, run: _Run) -> _Transferred:
    """The backlog in groups of one entry's dossiers arriving on one working day with one
    quantile of their days left (the model spreads an entry evenly over `spread_days`)."""
    openings = np.array([d.sessions[0][0] for d in run.timeline.days if d.working])
    ids = [p.id for p in scenario.procedures]
    parts = []
    for item in scenario.backlog:
        spread = min(item.spread_days, len(openings))
        per_day = np.bincount((np.arange(item.count) * spread) // max(item.count, 1),
                              minlength=spread)
        due = run.working.due_from_start(_quantiles(item.days_left))
        index = ids.index(item.procedure)
        office = scenario.procedures[index].back_office
        hours = office.hours.expected() if office else 0.0
        day = np.repeat(np.arange(spread), len(due))
        parts.append((openings[day], day, np.tile(due, spread),
                      per_day[day] / len(due), np.full(len(day), hours),
                      np.full(len(day), index)))
    columns = [np.concatenate(c) for c in zip(*parts, strict=True)] if parts else [
        np.zeros(0)] * 6
    return _Transferred(*columns)


def _backlog_pickups(scenario: Scenario, run: _Run, index: int) -> np.ndarray:
    """Expected first pick-up trips per opening day of the transferred dossiers: at the due
    date, or on arrival when already overdue, plus the lag."""
    backlog = _transferred(scenario, run)
    mine = backlog.procedure == index
    pickup = scenario.procedures[index].pickup
    promised = run.working.dates(np.maximum(backlog.due[mine], backlog.arrival[mine]))
    return _after_lag(run, promised, backlog.count[mine] * pickup.in_person, pickup.lag_days)


def _inquiry_days(scenario: Scenario, run: _Run) -> np.ndarray:
    """Expected inquiries per opening day: each group's rate on each working day from its
    arrival, times the part of that day it is still open (see `_completed`)."""
    spec, backlog = scenario.inquiries, _transferred(scenario, run)
    total = np.zeros(len(run.dates))
    if len(backlog.count) == 0:
        return total
    arrived = run.working.dates(backlog.arrival)
    due_date = run.working.dates(np.where(np.isfinite(backlog.due), backlog.due, 0.0))
    due_days = np.where(np.isfinite(backlog.due), np.maximum(np.busday_count(
        arrived, due_date, weekmask=run.working.weekmask, holidays=run.working.holidays) + 1, 0),
        np.inf)
    completed = _completed(scenario, backlog)
    for day in range(int(sum(d.working for d in run.timeline.days)) + 1):
        rate = np.where(day < due_days, spec.per_day, spec.overdue_per_day)
        open_part = np.clip(completed - (backlog.working_day + day), 0.0, 1.0)
        total += run.per_day(run.later(arrived, day), backlog.count * rate * open_part)
    return total


def _completed(scenario: Scenario, backlog: _Transferred) -> np.ndarray:
    """The working day (from the run's first, fractional) by which each group is completed in
    the fluid back office of the module's docstring; infinite when no hours are left over."""
    load = back_office_load(scenario)
    spare = 0.0 if load is None else load["capacity_per_day"] - load["new_work_per_day"]
    if spare <= 0:
        return np.full(len(backlog.count), np.inf)
    earliest = scenario.back_office.order == "earliest_deadline"
    order = np.lexsort((backlog.working_day, backlog.due) if earliest else (backlog.due,
                                                                           backlog.working_day))
    done = np.empty(len(order))
    done[order] = np.cumsum((backlog.count * backlog.hours)[order]) / spare
    return np.maximum(done, backlog.working_day + 0.0)


def _shares(scenario: Scenario, desk: str) -> dict[int, float]:
    """The pools of a desk and the share of its visitors each gets (`pool_fractions`)."""
    fractions = pool_fractions(scenario)
    return {i: fractions[i] for i, p in enumerate(counter_pools(scenario)) if p.desk == desk}


def _pickup_pools(scenario: Scenario, desk: str, pickup_desk: str) -> dict[int, float]:
    """The share of a procedure's collectors at each pool of its pick-up desk: a collector goes
    to the pick-up desk at the site where they submitted, else to one chosen by site shares."""
    pools = counter_pools(scenario)
    chosen = _shares(scenario, pickup_desk)
    weights = dict.fromkeys(chosen, 0.0)
    for source, share in _shares(scenario, desk).items():
        same = [i for i in chosen if pools[i].site == pools[source].site]
        for target in same or chosen:
            weights[target] += share * (1.0 if same else chosen[target])
    return weights
