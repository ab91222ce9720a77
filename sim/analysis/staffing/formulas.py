"""Queue formulas: what a stationary queue with a given load and number of counters predicts.

The theory step reads each moment of a block as a stationary queue, Erlang C or, when citizens
give up, Erlang A. These formulas (vectorised over loads and cached per count) are kept apart
from the block bookkeeping so that they can be checked against `sim.analysis.theory` directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from sim.analysis.theory import erlang_a_distribution
from sim.model.calendar import MINUTES_PER_DAY
from sim.scenario.distributions import DistributionModel

_PATIENCE_HORIZON = 60.0  # minutes over which a non-exponential patience gives its rate
_HUGE_QUEUE = 100_000  # an Erlang A chain whose queue would centre beyond this fails outright


def erlang_c_waiting(servers: int, loads: np.ndarray) -> np.ndarray:
    """P(wait > 0) in M/M/c for an array of offered loads (1 where a load reaches `servers`),
    by the same Erlang B recursion as :func:`sim.analysis.theory.erlang_c`.

    >>> erlang_c_waiting(2, np.array([1.0, 2.0, 0.0])).round(6).tolist()
    [0.333333, 1.0, 0.0]
    """
    loads = np.asarray(loads, dtype=float)
    blocking = np.ones_like(loads)
    for k in range(1, servers + 1):
        blocking = loads * blocking / (k + loads * blocking)
    with np.errstate(divide="ignore", invalid="ignore"):
        waiting = servers * blocking / (servers - loads * (1.0 - blocking))
    return np.where(loads >= servers, 1.0, np.clip(waiting, 0.0, 1.0))


@dataclass
class QueueModel:
    """Stationary formulas for one desk: Erlang C, or Erlang A when citizens give up."""

    mu: float  # service rate per minute
    theta: float  # abandonment rate of the Erlang A chain (0: Erlang C)
    patience: DistributionModel | None
    _cache: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        if self.theta > 0:
            return f"Erlang A (abandonment rate {self.theta * 60:.3g} per hour)"
        return "Erlang C"

    def patience_survival(self, x: np.ndarray) -> np.ndarray:
        if self.patience is None:
            return np.ones_like(np.asarray(x, dtype=float))
        return self.patience.sf(np.maximum(x, 0.0))

    def patience_integral(self, x: np.ndarray) -> np.ndarray:
        """Integral of the patience survival from 0 to x (the mean of min(patience, x))."""
        x = np.asarray(x, dtype=float)
        if self.patience is None:
            return x.copy()
        if "table" not in self._cache:
            grid = np.linspace(0.0, 2 * MINUTES_PER_DAY, 2 * MINUTES_PER_DAY * 4 + 1)
            values = self.patience.sf(grid)
            self._cache["table"] = (grid, np.concatenate(
                [[0.0], np.cumsum((values[1:] + values[:-1]) / 2 * np.diff(grid))]))
        grid, integral = self._cache["table"]
        return np.interp(x, grid, integral)

    def stationary(self, servers: int, loads: np.ndarray) -> tuple[np.ndarray, ...]:
        """Per load: P(wait > 0), mean offered wait (until service, own patience aside), mean
        wait (abandoning citizens count until they leave) and P(abandon)."""
        loads = np.asarray(loads, dtype=float)
        if self.theta == 0:
            waited = erlang_c_waiting(servers, loads)
            with np.errstate(divide="ignore", invalid="ignore"):
                offered = np.where(loads < servers,
                                   waited / (self.mu * (servers - loads)), np.inf)
            return waited, offered, offered, np.zeros_like(loads)
        rows = [self._erlang_a(servers, round(float(a), 4)) for a in loads]
        return tuple(np.array(column) for column in zip(*rows, strict=True))

    def _erlang_a(self, servers: int, load: float) -> tuple[float, float, float, float]:
        key = (servers, load)
        if key not in self._cache:
            self._cache[key] = self._erlang_a_values(servers, load)
        return self._cache[key]

    def _erlang_a_values(self, servers: int, load: float) -> tuple[float, float, float, float]:
        if load <= 1e-9:
            return 0.0, 0.0, 0.0, 0.0
        mu, theta = self.mu, self.theta
        rate = load * mu
        if (rate - servers * mu) / theta > _HUGE_QUEUE:
            return 1.0, math.inf, math.inf, 1.0 - servers / load
        probabilities = erlang_a_distribution(servers, rate, mu, theta)
        queued = probabilities[servers:]
        ahead = np.arange(len(queued))
        offered = float(queued @ np.cumsum(1.0 / (servers * mu + ahead * theta)))
        queue_mean = float(ahead @ queued)  # then Little and flow balance, as in erlang_a
        return (min(float(queued.sum()), 1.0), offered, queue_mean / rate,
                min(theta * queue_mean / rate, 1.0))


def abandonment_rate(patience: DistributionModel | None) -> float:
    """Rate of the Erlang A chain: ``P(patience <= H) / E[min(patience, H)]``, H = 60 min."""
    if patience is None:
        return 0.0
    memoryless = patience.memoryless_rate()
    if memoryless is not None:
        return memoryless
    grid = np.linspace(0.0, _PATIENCE_HORIZON, 2001)
    values = patience.sf(grid)
    integral = float(np.sum((values[1:] + values[:-1]) / 2 * np.diff(grid)))
    gone = 1.0 - float(values[-1])
    return gone / integral if integral > 0 and gone > 1e-9 else 0.0
