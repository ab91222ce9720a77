"""Offered load per desk against its open counters: the first thing to check in a scenario.

Offered load is the work that arrives (visitors x minutes each) divided by the counter-minutes
open to do it. Above 1 over a day, the queue grows all day whatever the luck; above 1 in a
half-hour, a queue builds at that time and has to be worked off later.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.timeweighted import step_integral
from sim.model.arrivals import build_intensity
from sim.model.calendar import MINUTES_PER_DAY, build_timeline, planned_levels
from sim.model.citizens import counter_pools, pool_fractions
from sim.model.dossier_sources import online_share_on
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
    for pool, fraction in zip(counter_pools(scenario), pool_fractions(scenario), strict=True):
        desk = scenario.site_desks()[pool.site][pool.desk]
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
            mass = np.diff([intensity.mass_until(t) for t in edges])
            counter_minutes = step_integral(times, levels, edges)
            offered = mass * work
            peak = _peak_load(offered, counter_minutes)
            row = {
                "desk": name,
                "busiest_day": day.date.isoformat(),
                "visitors": float(mass.sum() * share),
                "offered_minutes": float(offered.sum()),
                "counter_minutes": float(counter_minutes.sum()),
                "day_load": _ratio(offered.sum(), counter_minutes.sum()),
                "peak_half_hour_load": float(peak),
            }
            if best is None or row["offered_minutes"] > best["offered_minutes"]:
                best = row
        rows.append(best)
    return pd.DataFrame(rows)


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


def back_office_load(scenario: Scenario) -> dict[str, float] | None:
    """Staff-hours of back-office work per ordinary working day (counter and online dossiers,
    with each procedure's online share on the start date) against the staff's hours, and the
    transferred backlog in staff-hours; None without a back office."""
    office = scenario.back_office
    if office is None or scenario.arrivals.per_day is None:
        return None
    new_work = 0.0
    for procedure in scenario.procedures:
        if procedure.back_office is None:
            continue
        online = online_share_on(procedure, scenario.calendar.start)
        visitors = scenario.arrivals.per_day * procedure.share
        new_work += visitors / (1 - online) * procedure.back_office.hours.expected()
    hours = {p.id: p.back_office.hours.expected() for p in scenario.procedures if p.back_office}
    backlog = sum(item.count * hours[item.procedure] for item in scenario.backlog)
    capacity = office.staff * office.hours_per_day
    spare = capacity - new_work
    return {
        "new_work_per_day": new_work,
        "capacity_per_day": capacity,
        "load": new_work / capacity if capacity > 0 else float("inf"),
        "backlog_hours": backlog,
        "backlog_days_at_spare_capacity": backlog / spare if spare > 0 else float("inf"),
    }
