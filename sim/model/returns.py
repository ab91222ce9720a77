"""Coming back: a citizen who gave up or was sent home may return after a lag in opening days
(by default the next opening day), and one sent back from the counter (an incomplete dossier, a
blocked procedure) always returns on the next opening day.

The draws of every trip (patience, whether and when a citizen returns) are made before the run:
those of the pre-sampled citizens in `Citizens`, those of visitors added during the run (who
come for a result) in a row each, from their own streams (`add`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import simpy

from sim.model.arrivals import Intensity, time_on_day
from sim.model.calendar import Timeline
from sim.model.citizens import Citizens
from sim.scenario.distributions import as_distribution
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class TripRow:
    """The per-trip draws of one visitor added during the run, indexed by trip - 1."""

    patience: np.ndarray  # minutes; empty when patience is unlimited
    returns: np.ndarray  # uniforms: returns if below the return probability
    clock: np.ndarray  # uniforms for the clock time of the next trip
    lag: np.ndarray  # opening days to the next trip after giving up or being sent home


def lag_days(scenario: Scenario, uniforms: np.ndarray) -> np.ndarray:
    """Opening days until a return (at least 1), from the scenario's return lag."""
    if scenario.return_lag_days is None:
        return np.ones(uniforms.shape, dtype=np.int64)
    days = np.rint(as_distribution(scenario.return_lag_days).ppf(uniforms))
    return np.maximum(days, 1).astype(np.int64)


class TripDraws:
    """Patience and return draws by citizen and trip, for pre-sampled and added visitors."""

    def __init__(self, scenario: Scenario, citizens: Citizens, lag_uniforms: np.ndarray):
        self.scenario = scenario
        self.first_added = len(citizens)
        # By citizen and trip. Arrays, read with .item(): most are never read, and a list of
        # lists for every citizen costs more to make than the reads it saves.
        self.base_patience = citizens.patience
        self.base_returns = citizens.returns
        self.base_clock = citizens.return_clock
        self.base_lag = lag_days(scenario, lag_uniforms)
        self.rows: list[TripRow] = []

    def add(self, uniforms: np.ndarray) -> None:
        """The row of the next added visitor from four uniforms per trip: patience, return,
        clock time, lag (columns of ``uniforms``, one row per trip)."""
        patience, returns, clock, lag = uniforms.T
        scenario = self.scenario
        self.rows.append(TripRow(
            patience=(scenario.patience.ppf(patience) if scenario.patience is not None
                      else np.zeros(0)),
            returns=returns, clock=clock, lag=lag_days(scenario, lag)))

    def patience(self, citizen: int, trip: int) -> float:
        if citizen < self.first_added:
            return self.base_patience.item(citizen, trip - 1)
        return float(self.rows[citizen - self.first_added].patience[trip - 1])

    def returns(self, citizen: int, trip: int) -> bool:
        """Whether who gave up or was sent home on this trip comes back."""
        probability = self.scenario.return_probability
        if probability <= 0:
            return False
        if citizen < self.first_added:
            return self.base_returns.item(citizen, trip - 1) < probability
        return bool(self.rows[citizen - self.first_added].returns[trip - 1] < probability)

    def clock_and_lag(self, citizen: int, trip: int) -> tuple[float, int]:
        """The uniform of the next trip's clock time and its lag."""
        if citizen < self.first_added:
            return (self.base_clock.item(citizen, trip - 1),
                    self.base_lag.item(citizen, trip - 1))
        row = self.rows[citizen - self.first_added]
        return float(row.clock[trip - 1]), int(row.lag[trip - 1])


class ComingBack:
    """Schedules the next trip of a citizen; the centre's `arrive(citizen, trip)` starts it."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, timeline: Timeline,
                 draws: TripDraws, intensity_of: Callable[[int], Intensity],
                 arrive: Callable[[int, int], None]):
        self.env = env
        self.max_trips = scenario.max_trips
        self.timeline = timeline
        self.draws = draws
        self.intensity_of = intensity_of  # a citizen's arrival intensity (their desk's hours)
        self.arrive = arrive

    def maybe_return(self, citizen: int, trip: int) -> None:
        """Who gave up or was sent home may come back, after the return lag."""
        if self.draws.returns(citizen, trip):
            self.come_back(citizen, trip, self.env.now, lagged=True)

    def come_back(self, citizen: int, trip: int, after: float, lagged: bool = False) -> None:
        """The citizen's next trip, on the first opening day after the day of ``after`` (with
        ``lagged``, that many opening days later as the return lag says)."""
        if trip >= self.max_trips:
            return
        uniform, lag = self.draws.clock_and_lag(citizen, trip)
        day = self.timeline.next_day_after(after)
        if day is not None and lagged and lag > 1:
            later = day.number - 1 + lag - 1
            day = self.timeline.days[later] if later < len(self.timeline.days) else None
        if day is None:
            return  # the day of the return lies beyond the simulated horizon
        when = max(time_on_day(self.intensity_of(citizen), day, uniform), self.env.now)
        back = self.env.timeout(when - self.env.now, (citizen, trip + 1))
        back.callbacks.append(self._on_return)

    def _on_return(self, event: simpy.Event) -> None:
        self.arrive(*event.value)
