"""Metrics of priority tickets and appointments: waits by ticket class, no-shows, and how long
booked citizens wait past their slot. They appear only for scenarios with a `tickets` or an
`appointments` section, so the summaries of the others stay as they were.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from sim.analysis.waits import VisitWaits, wait_statistics
from sim.model.record import BOOKED, PRIORITY, TICKET_CLASSES, WALK_IN, RunRecord
from sim.scenario.schema import Scenario

CLASS_WAITS: tuple[str, ...] = ("wait_mean", "wait_p90")
BOOKING_METRICS: tuple[str, ...] = ("no_show_share", "booked_wait_mean")


def ticket_classes(scenario: Scenario) -> list[str]:
    """The ticket classes a scenario can give out (none without either section)."""
    if scenario.tickets is None and scenario.appointments is None:
        return []
    codes = [WALK_IN, *([BOOKED] if scenario.appointments else []),
             *([PRIORITY] if scenario.tickets else [])]
    return [TICKET_CLASSES[code] for code in sorted(codes)]


def ticket_metric_names(scenario: Scenario) -> list[str]:
    """`wait_mean:<class>`, `wait_p90:<class>` per class, then the booking metrics."""
    names = [f"{metric}:{name}" for name in ticket_classes(scenario) for metric in CLASS_WAITS]
    return names + (list(BOOKING_METRICS) if scenario.appointments is not None else [])


def class_wait_metrics(available: Iterable[str]) -> list[str]:
    """The waits by ticket class among these metric names (those of a summary), mean waits
    first, each in the order of the classes: what the report's table and figure show."""
    present = set(available)
    return [name for name in (f"{metric}:{ticket}" for metric in CLASS_WAITS
                              for ticket in TICKET_CLASSES) if name in present]


def ticket_metrics(record: RunRecord, scenario: Scenario, waits: VisitWaits,
                   counted: np.ndarray) -> dict[str, float]:
    """The metrics of `ticket_metric_names`; ``waits`` are the counted visits' waits (those
    arriving after the warm-up, flagged by ``counted``), so each class's wait is the centre's
    wait statistic over that class's visits."""
    if scenario.tickets is None and scenario.appointments is None:
        return {}
    ticket = record.visits["ticket_class"][counted]
    metrics: dict[str, float] = {}
    for name in ticket_classes(scenario):
        mine = ticket == TICKET_CLASSES.index(name)
        stats = wait_statistics(VisitWaits(waits.wait[mine], waits.reached[mine],
                                           waits.abandoned[mine]), 0.0)
        metrics.update({f"{metric}:{name}": stats[metric] for metric in CLASS_WAITS})
    if scenario.appointments is not None:
        metrics.update(_booking_metrics(record))
    return metrics


def _booking_metrics(record: RunRecord) -> dict[str, float]:
    """no_show_share: bookings whose citizen did not come, over the bookings with slots after
    the warm-up; booked_wait_mean: mean minutes a booked citizen waited in queues beyond the
    minutes before their slot's start (so from the slot's start, or from arrival if later,
    without the minutes with a guide; 0 if called before the slot), over the booked visits
    with slots after the warm-up."""
    visits = record.visits
    slot = visits["slot"]
    late_enough = np.isfinite(slot) & (slot >= record.warmup_end)
    no_shows = int((record.no_show_slots >= record.warmup_end).sum())
    bookings = int(late_enough.sum()) + no_shows
    booked = late_enough & (visits["ticket_class"] == BOOKED)
    early = np.maximum(slot[booked] - visits["arrival"][booked], 0.0)
    past_slot = np.maximum(visits["wait"][booked] - early, 0.0)
    return {"no_show_share": no_shows / bookings if bookings else np.nan,
            "booked_wait_mean": float(past_slot.mean()) if len(past_slot) else np.nan}
