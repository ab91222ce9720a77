"""What an option costs in staff time: the planned staff-hours of counters, guides and back
office over the simulated days, plus the overtime the simulation shows.

Planned hours come from the scenario (schedules and sessions), not from the run, so that an
outage does not make an option look cheaper: the staff are paid while the software is down.
"""

from __future__ import annotations

import numpy as np

from sim.analysis.timeweighted import span_integrals, step_total
from sim.model.calendar import Timeline, build_timeline, planned_levels
from sim.model.desk import DeskLog
from sim.model.memo import remember_last
from sim.model.record import RunRecord
from sim.scenario.schema import Scenario

MINUTES_PER_HOUR = 60.0


@remember_last
def planned_staff_hours(scenario: Scenario) -> float:
    """Staff-hours the scenario schedules at counters, guidance and back office (remembered:
    every replication of a batch asks it of the same scenario)."""
    timeline = build_timeline(scenario.calendar)
    plans = [(desk.counters, desk.schedule) for desks in scenario.site_desks().values()
             for desk in desks.values()]
    if scenario.guidance is not None:
        plans += [(scenario.site_guidance(site)[0], None) for site in scenario.site_desks()]
    if scenario.back_office is not None:
        plans.append((scenario.back_office.staff, scenario.back_office.schedule))
    return sum(_hours(timeline, staff, schedule) for staff, schedule in plans)


def _hours(timeline: Timeline, staff: int, schedule: dict[str, int] | None) -> float:
    """Staff-hours of one planned level (a schedule, or `staff` throughout) over the run."""
    changes = planned_levels(timeline, staff, schedule)
    times = np.array([t for t, _ in changes])
    levels = np.array([float(n) for _, n in changes])
    return step_total(times, levels, 0.0, timeline.closings[-1]) / MINUTES_PER_HOUR


def overtime_staff_hours(record: RunRecord) -> float:
    """Counter staff-hours after closing time: counters kept open (serve_all) or finishing a
    citizen, outside the open periods."""
    minutes = sum(_outside_periods(log, record) for log in record.desk_logs.values())
    return float(minutes) / MINUTES_PER_HOUR


def _outside_periods(log: np.ndarray, record: RunRecord) -> float:
    """Counter-minutes a desk had staffed (open or busy) outside the open periods."""
    times = log[:, DeskLog.TIME]
    present = np.maximum(log[:, DeskLog.BUSY], log[:, DeskLog.OPEN])
    everything = step_total(times, present, 0.0, max(times[-1], record.horizon_end))
    return everything - span_integrals(times, present, record.timeline.periods).sum()
