"""What a backtest compares, measured the same way on the ticket log and on a simulated day.

Per day: tickets (visits), the mean, 90th-percentile and longest wait until the call of the
visits that reached a counter, the share that did not reach one (gave up, or never called
before closing), and visits served per counter open that day. Per half-hour of arrival,
pooled over the period: visits per day and the mean wait of those that reached a counter.

The wait of a visit that gave up is left out on both sides: the model knows when the citizen
left, the log only when the ticket's turn came.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.calibrate.arrivals_fit import SLOT
from sim.calibrate.fields import DOCUMENT_MISSING, SUCCESS, TICKET
from sim.calibrate.sample import TicketSample
from sim.model.record import RunRecord

DAY_METRICS = ("visits", "wait_mean", "wait_p90", "wait_max", "abandoned_share",
               "served_per_counter")
SLOT_METRICS = ("slot_visits", "slot_wait_mean")
SLOTS = 48


@dataclass(frozen=True)
class DayVisits:
    """One day's visits: arrival clock, whether each reached a counter, and its wait."""

    clock: np.ndarray  # minutes after midnight
    reached: np.ndarray  # bool
    wait: np.ndarray  # minutes; used where reached


def observed_days(sample: TicketSample) -> dict:
    """Each opening day's visits from the ticket log."""
    frame = sample.frame
    reached = frame[TICKET.reason].isin([SUCCESS, DOCUMENT_MISSING]).to_numpy()
    days = {}
    for date, index in frame.groupby("date").indices.items():
        days[date] = DayVisits(frame["clock"].to_numpy()[index], reached[index],
                               frame["wait"].to_numpy()[index])
    return days


def simulated_day(record: RunRecord) -> DayVisits:
    """A one-day run's visits (arrival minutes are clock minutes of its only day)."""
    visits = record.visits
    return DayVisits(visits["arrival"] - record.timeline.days[0].midnight,
                     ~np.isnan(visits["start"]), visits["wait"])


def day_metrics(day: DayVisits, counters: int) -> dict[str, float]:
    """The day's values of DAY_METRICS."""
    waits = day.wait[day.reached]
    visits = len(day.clock)
    return {
        "visits": float(visits),
        "wait_mean": float(waits.mean()) if len(waits) else np.nan,
        "wait_p90": float(np.percentile(waits, 90)) if len(waits) else np.nan,
        "wait_max": float(waits.max()) if len(waits) else np.nan,
        "abandoned_share": 1 - len(waits) / visits if visits else np.nan,
        "served_per_counter": len(waits) / counters if counters else np.nan,
    }


@dataclass(frozen=True)
class SlotTotals:
    """Visits and the sum and number of reached waits per half-hour, added over days."""

    visits: np.ndarray
    wait_sum: np.ndarray
    reached: np.ndarray

    @staticmethod
    def empty() -> SlotTotals:
        return SlotTotals(np.zeros(SLOTS), np.zeros(SLOTS), np.zeros(SLOTS))

    def plus(self, day: DayVisits) -> SlotTotals:
        slot = np.clip((day.clock // SLOT).astype(int), 0, SLOTS - 1)
        return SlotTotals(
            self.visits + np.bincount(slot, minlength=SLOTS),
            self.wait_sum + np.bincount(slot[day.reached], weights=day.wait[day.reached],
                                        minlength=SLOTS),
            self.reached + np.bincount(slot[day.reached], minlength=SLOTS))

    def metrics(self, days: int) -> dict[str, np.ndarray]:
        """Visits per day and mean reached wait, per half-hour."""
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(self.reached > 0, self.wait_sum / self.reached, np.nan)
        return {"slot_visits": self.visits / days, "slot_wait_mean": mean}
