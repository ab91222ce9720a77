"""Offered load per desk against its open counters: the first thing to check in a scenario.

Offered load is the work that arrives (visitors x minutes each) divided by the counter-minutes
open to do it. Above 1 over a day, the queue grows all day whatever the luck; above 1 in a
half-hour, a queue builds at that time and has to be worked off later. The visitors are the
citizens who come to submit (first trips) and the expected pick-up and inquiry visits at the
desk (`sim.analysis.staffing.visit_demand`, which states its approximations).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.analysis.back_office_work import back_office_load as back_office_load  # re-exported
from sim.analysis.staffing.demand import Visits
from sim.analysis.staffing.visit_demand import second_visits
from sim.analysis.timeweighted import step_integral
from sim.model.arrivals import build_intensity
from sim.model.calendar import MINUTES_PER_DAY, build_timeline, planned_levels
from sim.model.citizens import counter_pools, pool_fractions
from sim.scenario.counter_groups import served_together
from sim.scenario.schema import Scenario

SLOT = 30.0


def offered_load(scenario: Scenario) -> pd.DataFrame:
    """Per desk, on the busiest opening day: visitors, offered minutes, open counter-minutes,
    the day's load and the highest half-hour load."""
    timeline = build_timeline(scenario.calendar)
    intensity = build_intensity(scenario.arrivals, scenario.calendar, timeline)
    rows = []
    single = scenario.sites is None
    minutes = math.ceil(timeline.closings[-1]) + 1
    others = second_visits(scenario, timeline, minutes)
    for pool, fraction, extra in zip(counter_pools(scenario), pool_fractions(scenario), others,
                                     strict=True):
        desk = scenario.site_desks()[pool.site][pool.desk]
        visits, minutes_of = _running_totals(extra, minutes)
        procedures = [p for p in scenario.procedures if p.desk == pool.desk]
        share = fraction * sum(p.share for p in procedures)
        work = fraction * sum(p.share * p.service.expected() for p in procedures)  # per visitor
        name = pool.label(single)
        changes = planned_levels(timeline, desk.counters, desk.schedule)
        times = np.array([t for t, _ in changes])
        levels = np.array([float(n) for _, n in changes])
        best = None
        for day in timeline.days:
            edges = day.midnight + SLOT * np.arange(MINUTES_PER_DAY / SLOT + 1)
            mass = np.diff(intensity.masses_until(edges))
            counter_minutes = step_integral(times, levels, edges)
            at = np.minimum(edges.astype(int), minutes)
            offered = mass * work + np.diff(minutes_of[at])
            peak = _peak_load(offered, counter_minutes)
            row = {
                "desk": name,
                "busiest_day": day.date.isoformat(),
                "visitors": float(mass.sum() * share + visits[at[-1]] - visits[at[0]]),
                "offered_minutes": float(offered.sum()),
                "counter_minutes": float(counter_minutes.sum()),
                "day_load": _ratio(offered.sum(), counter_minutes.sum()),
                "peak_half_hour_load": float(peak),
            }
            if best is None or row["offered_minutes"] > best["offered_minutes"]:
                best = row
        rows.append(best)
    return pd.DataFrame(rows)


def _running_totals(extra: list[Visits], minutes: int) -> tuple[np.ndarray, np.ndarray]:
    """The pick-up and inquiry visits, and their minutes of service, that have arrived by
    each whole minute of the run (0 at minute 0)."""
    visits, work = np.zeros(minutes + 1), np.zeros(minutes + 1)
    for kind in extra:
        visits[1:] += np.cumsum(kind.per_minute)
        work[1:] += np.cumsum(kind.per_minute) * kind.service.expected()
    return visits, work


def group_load(scenario: Scenario, load: pd.DataFrame) -> pd.DataFrame:
    """Desks whose counters serve each other's queues (`serves`), counted together: their
    visitors, offered minutes and counter-minutes summed over the rows of `offered_load` (the
    busiest day of each), and the load of the sum. Empty without such desks. The group's load
    under 1 is needed for its queues to keep up, but with one-way help not enough: a desk
    that nobody else serves must keep up on its own."""
    single = scenario.sites is None
    rows = []
    for site, desks in served_together(scenario.site_desks()):
        members = load[load["desk"].isin([name if single else f"{site}.{name}"
                                          for name in desks])]
        offered, capacity = members["offered_minutes"].sum(), members["counter_minutes"].sum()
        rows.append({"desks": "+".join(members["desk"]), "visitors": members["visitors"].sum(),
                     "offered_minutes": offered, "counter_minutes": capacity,
                     "day_load": _ratio(offered, capacity)})
    return pd.DataFrame(rows)


def served_by_others(scenario: Scenario) -> set[str]:
    """The desks (named as in `offered_load`) whose queues other desks' counters also serve:
    their own counters' load overstates how loaded they are."""
    single = scenario.sites is None
    return {name if single else f"{site}.{name}"
            for site, desks in scenario.site_desks().items() for server, desk in desks.items()
            for name in desk.serves or [] if name != server}


def _peak_load(offered: np.ndarray, counter_minutes: np.ndarray) -> float:
    """Highest half-hour load; work arriving while closed waits for the next open half-hour."""
    peak, carried = 0.0, 0.0
    for work, capacity in zip(offered, counter_minutes, strict=True):
        carried += work
        if capacity > 0:
            peak = max(peak, carried / capacity)
            carried = 0.0
    return float("inf") if carried > 0 and peak == 0 else peak


def _ratio(offered: float, capacity: float) -> float:
    if capacity > 0:
        return float(offered / capacity)
    return float("inf") if offered > 0 else 0.0
