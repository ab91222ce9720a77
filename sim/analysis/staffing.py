"""Staffing: the fewest counters per desk and time block that meet service targets.

The search has two steps, and the second one decides.

1. Theory, per desk and time block (default: each hour of the opening sessions). The desk's
   own demand (the procedures' share of visitors x the site's fraction x the trips that an
   incomplete dossier causes) gives its counter visits per minute on the busiest ordinary day.
   Its modified offered load ``m(t) = integral of lambda(u) P(S > t - u) du`` (the load on
   infinitely many counters with the desk's own service law, so that the load lags a peak) is
   read as a stationary queue with load ``m(t)`` every 5 minutes: Erlang C, or Erlang A when
   citizens give up. A block gets the fewest counters with which its visits, taken together,
   meet every target.
2. Simulation, over the whole run (every day, not only the busiest). Each desk's ``schedule``
   is set to its block counts, and the scenario is simulated with one seed (common random
   numbers across rounds). A desk passes when every target holds on its own visits by the 95%
   confidence bound on the safe side (``ci_high`` for ``<=``, ``ci_low`` for ``>=``) and no block
   is clearly (its whole interval) beyond a limit. While a desk fails, a counter is added in each
   block that is clearly beyond, or else in the block that contributes most to the failure;
   when three rounds of additions bring nothing, the targets are out of reach and the closest
   counts are kept. Once every desk passes, a counter is taken away, one block per desk and
   round, where theory for one counter fewer, scaled by how the simulation compared with theory
   over the whole desk, stays clearly (90%) inside every limit; a removal stays only if the
   simulation agrees. On a stationary M/M/c queue theory and simulation agree, no block can
   spare a counter, and the answer is the Erlang C minimum.

Approximations of the theory step (the simulation corrects them, at the price of more runs):

* Citizens who arrive while the centre is closed (a queue at the door before opening or over
  lunch) are served first at opening, ``c`` at a time (a fluid approximation), and later
  arrivals wait behind what is left of them. The time they spent before opening counts against
  no block (no counter can shorten it; block values in the simulation leave it out too), but it
  does count in the desk-level check, as in every other metric of the simulator.
* Erlang A assumes exponential patience. For another patience law the chain uses the rate
  ``P(patience <= 60) / E[min(patience, 60)]`` (exactly ``1 / mean`` for exponential patience),
  and a citizen's own giving up follows the scenario's patience law.
* Erlang A waiting-time tails ``P(W > t)`` are taken as exponential with the exact chance of
  waiting and the exact mean wait until service (exact for Erlang C, on the safe side
  otherwise: giving up ahead in the queue makes the true tail lighter).
* Returns of citizens who gave up or were sent home, guidance, disruptions and back-office help
  are left to the simulation.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats
from scipy.signal import fftconvolve

from sim.analysis.confidence import t_interval
from sim.analysis.metrics import target_minutes
from sim.analysis.theory import erlang_a_distribution
from sim.experiment.runner import DEFAULT_REPLICATIONS, run_experiment
from sim.experiment.seeds import DEFAULT_SEED
from sim.model.arrivals import Intensity, build_intensity
from sim.model.calendar import MINUTES_PER_DAY, Timeline, build_timeline
from sim.model.citizens import Pool, counter_pools, pool_fractions
from sim.model.sampling import quantiles
from sim.scenario.distributions import (
    Deterministic,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    Triangular,
    Uniform,
)
from sim.scenario.errors import ScenarioError
from sim.scenario.load import ScenarioSet, load_scenario, scenario_from_document
from sim.scenario.paths import with_change
from sim.scenario.schema import Scenario, clock_minutes, session_minutes
from sim.scenario.yaml_loader import parse_yaml_text, read_yaml_file

DEFAULT_BLOCK_MINUTES = 60
DEFAULT_OPTION = "staffed"
DEFAULT_MAX_EVALUATIONS = 25
MAX_COUNTERS = 500  # the schema's limit for one desk
GRID = 1.0  # minutes per step of the demand and offered-load grid
_PATIENCE_HORIZON = 60.0  # minutes over which a non-exponential patience gives its rate
_SUBSTEPS = 20  # points per minute when integrating the service survival into the kernel
_POINT_MINUTES = 5  # the theory judges a block by the load every 5 minutes, arrival-weighted
_HUGE_QUEUE = 100_000  # an Erlang A chain whose queue would centre beyond this fails outright
#: A counter is taken away only where the prediction with one fewer stays this far inside every
#: limit: "clearly over-served", so that no simulation is spent on a knife edge.
_SPARE_MARGIN = 0.9

# --- targets ---------------------------------------------------------------------------------

#: Metrics a staffing target can name, with the direction in which more counters help.
TARGET_METRICS: dict[str, str] = {
    "wait_mean": "<=",
    "wait_p50": "<=",
    "wait_p90": "<=",
    "wait_p95": "<=",
    "waited_share": "<=",
    "abandoned_share": "<=",
    "within_target_share": ">=",
}
_SHARES = frozenset({"waited_share", "abandoned_share", "within_target_share"})
_TARGET = re.compile(r"^\s*([A-Za-z0-9_:.]+)\s*(<=|>=|=<|=>|==|<|>|=)\s*(.*?)\s*$")


@dataclass(frozen=True)
class Target:
    """A service level for each searched desk: ``metric op value``, e.g. ``wait_p90<=30``.

    Waits are in minutes; shares are fractions. ``within_target_share`` uses the scenario's
    ``targets.within_target_share.minutes`` (15 when the scenario sets none).
    """

    metric: str
    op: str
    value: float

    def __str__(self) -> str:
        return f"{self.metric}{self.op}{self.value:g}"

    def holds(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        return value <= self.value if self.op == "<=" else value >= self.value


def parse_target(text: str) -> Target:
    """Read ``METRIC<=VALUE`` or ``METRIC>=VALUE``; a share may be given in percent.

    >>> parse_target("wait_p90<=30")
    Target(metric='wait_p90', op='<=', value=30.0)
    >>> str(parse_target(" within_target_share >= 80% "))
    'within_target_share>=0.8'
    >>> parse_target("wait_p90>=30")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: target 'wait_p90>=30': wait_p90 must be at most a value ...; write wait_p90<=30
    """
    match = _TARGET.match(text) if isinstance(text, str) else None
    if match is None or not match.group(3):
        raise ValueError(f"cannot read target {text!r}: write METRIC<=VALUE or METRIC>=VALUE, "
                         "e.g. wait_p90<=30 or within_target_share>=0.8")
    metric, op, value_text = match.groups()
    if metric not in TARGET_METRICS:
        raise ValueError(f"target {text!r}: unknown metric {metric!r}; a target can name "
                         + ", ".join(TARGET_METRICS))
    wanted = TARGET_METRICS[metric]
    if op in ("=<", "=>"):
        op = op[::-1]
    if op != wanted:
        word = "at most" if wanted == "<=" else "at least"
        effect = "more counters lower it" if wanted == "<=" else "more counters raise it"
        raise ValueError(f"target {text!r}: {metric} must be {word} a value ({effect}); "
                         f"write {metric}{wanted}{value_text}")
    percent = metric in _SHARES and value_text.endswith("%")
    try:
        value = float(value_text[:-1] if percent else value_text)
    except ValueError:
        raise ValueError(f"target {text!r}: {value_text!r} is not a number") from None
    value = value / 100 if percent else value
    if not math.isfinite(value):
        raise ValueError(f"target {text!r}: the value must be a finite number")
    if metric in _SHARES and not 0 < value < 1:
        raise ValueError(f"target {text!r}: {metric} is a share; give a value between 0 and 1 "
                         "(exclusive), e.g. 0.8 or 80%")
    if metric not in _SHARES and value <= 0:
        raise ValueError(f"target {text!r}: {metric} is in minutes; give a positive value "
                         "(no number of counters makes every wait zero)")
    return Target(metric, op, value)


def scenario_targets(scenario: Scenario) -> tuple[Target, ...]:
    """The scenario's own `targets` that staffing can aim at (waits, shares of waiting)."""
    given = scenario.targets
    found = [Target(name, "<=", float(getattr(given, name)))
             for name in ("wait_mean", "wait_p50", "wait_p90", "wait_p95", "abandoned_share")
             if getattr(given, name) is not None]
    if given.within_target_share is not None:
        found.append(Target("within_target_share", ">=", given.within_target_share.at_least))
    return tuple(found)


@dataclass(frozen=True)
class _Criterion:
    """A target as a per-visit quantity averaged over a block that must stay <= limit."""

    kind: str  # mean | exceed | not_within | abandon | waited
    minutes: float  # the threshold of exceed and not_within
    limit: float


def _criterion(target: Target, within_minutes: float) -> _Criterion:
    if target.metric == "wait_mean":
        return _Criterion("mean", 0.0, target.value)
    if target.metric.startswith("wait_p"):  # p-th percentile <= T  <=>  P(wait > T) <= 1 - p
        return _Criterion("exceed", target.value, 1 - int(target.metric[6:]) / 100)
    if target.metric == "within_target_share":
        return _Criterion("not_within", within_minutes, 1 - target.value)
    return _Criterion({"abandoned_share": "abandon", "waited_share": "waited"}[target.metric],
                      0.0, target.value)


# --- time blocks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A stretch of an opening session, in minutes after midnight: [start, end)."""

    start: int
    end: int

    @property
    def label(self) -> str:
        return f"{_clock(self.start)}-{_clock(self.end)}"


def _clock(minutes: float) -> str:
    minutes = round(minutes)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def time_blocks(scenario: Scenario, block_minutes: int | None = DEFAULT_BLOCK_MINUTES
                ) -> tuple[Block, ...]:
    """The ordinary sessions cut into blocks of `block_minutes` from each opening (the last of
    a session may be shorter), or at the arrival profile's change points when None.

    >>> from sim.scenario.load import load_scenario
    >>> from sim.api import DEMO_SCENARIO
    >>> demo = load_scenario(DEMO_SCENARIO, options=["baseline"]).baseline
    >>> [b.label for b in time_blocks(demo, 90)]
    ['07:30-09:00', '09:00-10:30', '10:30-11:30', '13:30-15:00', '15:00-16:30', '16:30-17:00']
    """
    if block_minutes is not None and (isinstance(block_minutes, bool)
                                      or not isinstance(block_minutes, int)
                                      or not 1 <= block_minutes <= MINUTES_PER_DAY):
        raise ValueError(f"block_minutes must be a whole number of minutes from 1 to 1440, "
                         f"got {block_minutes!r}")
    profile = scenario.arrivals.profile or {}
    points = sorted(clock_minutes(c) for c in profile)
    blocks = []
    for start, end in map(session_minutes, scenario.calendar.sessions):
        if block_minutes is None:
            cuts = [p for p in points if start < p < end]
        else:
            cuts = list(range(start + block_minutes, end, block_minutes))
        edges = [start, *cuts, end]
        blocks += [Block(a, b) for a, b in itertools.pairwise(edges)]
    return tuple(blocks)


# --- demand of one desk -----------------------------------------------------------------------


def survival(dist: object, x: np.ndarray) -> np.ndarray:
    """P(value > x) for a scenario distribution (the complement of its CDF).

    >>> survival(Exponential(dist="exponential", mean=10), np.array([0.0, 10.0])).round(4)
    array([1.    , 0.3679])
    """
    x = np.asarray(x, dtype=float)
    match dist:
        case Exponential(mean=mean):
            return np.exp(-np.maximum(x, 0) / mean)
        case Deterministic(mean=mean):
            return (x < mean).astype(float)
        case Uniform(low=low, high=high):
            if high == low:
                return (x < low).astype(float)
            return np.clip((high - x) / (high - low), 0.0, 1.0)
        case Triangular(low=low, mode=mode, high=high):
            return stats.triang.sf(x, (mode - low) / (high - low), loc=low, scale=high - low)
        case Lognormal(mean=mean, cv=cv):
            sigma = math.sqrt(math.log1p(cv**2))
            return stats.lognorm.sf(x, sigma, scale=math.exp(math.log(mean) - sigma**2 / 2))
        case Gamma(mean=mean, cv=cv):
            return stats.gamma.sf(x, 1 / cv**2, scale=mean * cv**2)
        case Empirical(values=values):
            observed = np.sort(np.asarray(values, dtype=float))
            return 1.0 - np.searchsorted(observed, x, side="right") / len(observed)
    raise TypeError(f"no survival function for {type(dist).__name__}")


def visits_per_citizen(scenario: Scenario, procedure) -> float:
    """Expected counter visits of a citizen of this procedure: an incomplete dossier brings
    them back (up to max_trips); guidance changes the chance on the first trip."""
    share = procedure.incomplete
    first = share * (1 - procedure.guidance + procedure.guidance
                     * (scenario.guidance.incomplete_factor if scenario.guidance else 1.0))
    return 1.0 + first * sum(share**k for k in range(scenario.max_trips - 1))


@dataclass(frozen=True)
class DeskDemand:
    """What one counter pool is asked to do, kept apart from how it is staffed.

    ``per_minute`` holds the expected counter visits arriving in each minute of the run (the
    centre's visitors x the procedures' shares x the site's fraction x visits per citizen);
    ``kernel[j]`` is the mean time in service, within a minute's step, of a visit that arrived
    ``j`` minutes earlier, so that ``sum(kernel)`` is the mean service time and the convolution
    of the two is the desk's offered load.
    """

    label: str
    path: str  # dotted path of the desk in the scenario file, e.g. desks.general
    per_minute: np.ndarray
    service_mean: float
    kernel: np.ndarray


def desk_demand(scenario: Scenario, arrivals_per_minute: np.ndarray, pool: Pool,
                fraction: float) -> DeskDemand:
    """The demand of one pool, from the centre's expected visitors per minute."""
    single = scenario.sites is None
    path = f"desks.{pool.desk}" if single else f"sites.{pool.site}.desks.{pool.desk}"
    procedures = [p for p in scenario.procedures if p.desk == pool.desk]
    weights = np.array([fraction * p.share * visits_per_citizen(scenario, p)
                        for p in procedures])
    if not procedures or weights.sum() <= 0:
        return DeskDemand(pool.label(single), path, np.zeros_like(arrivals_per_minute), 1.0,
                          np.array([1.0]))
    share = weights / weights.sum()
    service_mean = float(sum(s * p.service.expected() for s, p in zip(share, procedures,
                                                                       strict=True)))
    longest = max(float(quantiles(p.service, np.array([1 - 1e-7]))[0]) for p in procedures)
    steps = int(min(math.ceil(longest) + 2, 7 * MINUTES_PER_DAY))
    # Mean survival over [j - 1/2, j + 1/2) (over [0, 1/2) for j = 0): a visit that arrived in
    # the middle of a minute's step, seen in the middle of a later step.
    fine = (np.arange((steps + 1) * _SUBSTEPS) + 0.5) / _SUBSTEPS
    mixed = sum(s * survival(p.service, fine) for s, p in zip(share, procedures, strict=True))
    cuts = np.concatenate([[0], _SUBSTEPS // 2 + _SUBSTEPS * np.arange(steps)])
    kernel = np.add.reduceat(mixed, cuts) / _SUBSTEPS
    return DeskDemand(pool.label(single), path, arrivals_per_minute * weights.sum(),
                      max(service_mean, 1e-9), kernel)


def arrivals_per_minute(intensity: Intensity, minutes: int) -> np.ndarray:
    """Expected visitors in each minute [k, k + 1) of the run: differences of
    ``Intensity.mass_until``, computed for all minutes at once."""
    edges = np.arange(minutes + 1) * GRID
    if len(intensity.rates) == 0:
        return np.zeros(minutes)
    after = intensity.cumulative
    before = after - intensity.rates * intensity.lengths
    knots = np.column_stack([intensity.starts, intensity.starts + intensity.lengths]).ravel()
    mass = np.column_stack([before, after]).ravel()
    return np.diff(np.interp(edges, knots, mass))


def offered_load_curve(demand: DeskDemand, open_mask: np.ndarray) -> np.ndarray:
    """Modified offered load of the visits that arrive while the centre is open, in the middle
    of each minute: ``m(t) = sum over u <= t of arrivals(u) * kernel(t - u)``."""
    arrivals = demand.per_minute * open_mask
    load = fftconvolve(arrivals, demand.kernel)[: len(arrivals)]
    return np.maximum(load, 0.0)


# --- queue formulas ---------------------------------------------------------------------------


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
class _QueueModel:
    """Stationary formulas for one desk: Erlang C, or Erlang A when citizens give up."""

    mu: float  # service rate per minute
    theta: float  # abandonment rate of the Erlang A chain (0: Erlang C)
    patience: object | None
    _cache: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        if self.theta > 0:
            return f"Erlang A (abandonment rate {self.theta * 60:.3g} per hour)"
        return "Erlang C"

    def patience_survival(self, x: np.ndarray) -> np.ndarray:
        if self.patience is None:
            return np.ones_like(np.asarray(x, dtype=float))
        return survival(self.patience, np.maximum(x, 0.0))

    def patience_integral(self, x: np.ndarray) -> np.ndarray:
        """Integral of the patience survival from 0 to x (the mean of min(patience, x))."""
        x = np.asarray(x, dtype=float)
        if self.patience is None:
            return x.copy()
        if "table" not in self._cache:
            grid = np.linspace(0.0, 2 * MINUTES_PER_DAY, 2 * MINUTES_PER_DAY * 4 + 1)
            values = survival(self.patience, grid)
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


def _abandonment_rate(patience: object | None) -> float:
    """Rate of the Erlang A chain: ``P(patience <= H) / E[min(patience, H)]``, H = 60 min."""
    if patience is None:
        return 0.0
    if isinstance(patience, Exponential):
        return 1.0 / patience.mean
    grid = np.linspace(0.0, _PATIENCE_HORIZON, 2001)
    values = survival(patience, grid)
    integral = float(np.sum((values[1:] + values[:-1]) / 2 * np.diff(grid)))
    gone = 1.0 - float(values[-1])
    return gone / integral if integral > 0 and gone > 1e-9 else 0.0


# --- theory per block -------------------------------------------------------------------------


@dataclass
class _BlockTheory:
    """The visits of one block on the busiest day and the formulas to judge a count by."""

    weights: np.ndarray  # expected visits arriving in each step of the block while open
    loads: np.ndarray  # modified offered load seen by them
    door_mass: np.ndarray  # visits queueing while closed, served first at the block's start
    door_minutes: np.ndarray  # how long each of those has queued at the opening
    model: _QueueModel
    criteria: tuple[_Criterion, ...]
    step: float = GRID  # minutes per entry of weights and loads
    _cache: dict = field(default_factory=dict)

    @property
    def visits(self) -> float:
        return float(self.weights.sum() + self.door_mass.sum())

    def statistics(self, servers: int) -> np.ndarray:
        """Each criterion's block average with `servers` counters open."""
        if servers not in self._cache:
            self._cache[servers] = self._statistics(servers)
        return self._cache[servers]

    def _statistics(self, servers: int) -> np.ndarray:
        total = self.visits
        if total <= 0:
            return np.zeros(len(self.criteria))
        model = self.model
        capacity = servers * model.mu
        ahead = self._door_delay(servers)
        waited, offered, wait_mean, abandoned = model.stationary(servers, self.loads)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where((offered > 0) & np.isfinite(offered), waited / offered, 0.0)
        position = np.cumsum(self.door_mass) - self.door_mass / 2
        door_wait = np.maximum(position - servers, 0.0) / capacity
        before = self.door_minutes
        stay = model.patience_survival
        values = []
        for criterion in self.criteria:
            limit = criterion.minutes
            tail = np.where(limit - ahead < 0, 1.0,
                            waited * np.exp(-rate * np.maximum(limit - ahead, 0.0)))
            if criterion.kind == "exceed":
                point = tail * stay(limit)
                door = (door_wait > limit) * stay(before + limit)
            elif criterion.kind == "not_within":
                within = np.where(ahead <= limit,
                                  (1 - waited) * stay(ahead) + (waited - tail) * stay(limit), 0.0)
                point = 1.0 - within
                door = 1.0 - (door_wait <= limit) * stay(before + door_wait)
            elif criterion.kind == "mean":
                with np.errstate(invalid="ignore"):
                    point = model.patience_integral(ahead) + stay(ahead) * wait_mean
                door = door_wait
            elif criterion.kind == "abandon":
                point = 1.0 - stay(ahead) * (1.0 - abandoned)
                door = 1.0 - stay(before + door_wait)
            else:  # waited
                point = np.where(ahead > 0, 1.0, waited)
                door = (door_wait > 0).astype(float)
            used = self.weights > 0
            if np.any(used & ~np.isfinite(point)):
                values.append(math.inf)
                continue
            summed = float(self.weights[used] @ point[used]) + float(self.door_mass @ door)
            values.append(summed / total)
        return np.array(values)

    def _door_delay(self, servers: int) -> np.ndarray:
        """Minutes each step's arrivals wait behind the door queue (a fluid that drains at
        ``servers * mu`` and stays empty once it has emptied)."""
        delay = np.zeros(len(self.weights))
        queue = max(float(self.door_mass.sum()) - servers, 0.0)
        capacity = servers * self.model.mu
        for minute, arriving in enumerate(self.weights):
            if queue <= 0:
                break
            delay[minute] = queue / capacity
            queue = max(queue + arriving - capacity * self.step, 0.0)
        return delay

    def violation(self, servers: int) -> float:
        """How far the worst criterion is from its limit, relative (<= 0: all met)."""
        values = self.statistics(servers)
        return max((v - c.limit) / c.limit for v, c in zip(values, self.criteria, strict=True))

    def fewest(self, minimum: int) -> tuple[int, bool]:
        """Fewest counters meeting every criterion, and whether any count does; if none does,
        the fewest that come within 1% of what many counters achieve. Every criterion falls
        as counters are added, so a bisection finds it."""
        peak = float(self.loads.max(initial=0.0))
        cap = min(MAX_COUNTERS, max(minimum, math.ceil(
            peak + float(self.door_mass.sum()) + 4 * math.sqrt(peak)) + 10))
        best = self.violation(cap)
        enough = 0.0 if best <= 0 else best + 0.01 * abs(best)
        low, high = minimum, cap  # the answer lies in [low, high]
        while low < high:
            middle = (low + high) // 2
            if self.violation(middle) <= enough:
                high = middle
            else:
                low = middle + 1
        return high, bool(best <= 0)


@dataclass(frozen=True)
class TheoryPlan:
    """Counters per searched desk and block from queueing theory alone."""

    blocks: tuple[Block, ...]
    counters: dict[str, tuple[int, ...]]
    feasible: dict[str, tuple[bool, ...]]  # False: no count meets the targets in theory
    paths: dict[str, str]
    busiest_day: str
    model: str
    block_theory: dict[str, tuple[_BlockTheory, ...]] = field(repr=False)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([
            {"desk": label, "start": _clock(b.start), "end": _clock(b.end), "theory": count,
             "load": float(theory.loads @ theory.weights / max(theory.weights.sum(), 1e-12)),
             "visits": theory.visits}
            for label, counts in self.counters.items()
            for b, count, theory in zip(self.blocks, counts, self.block_theory[label],
                                        strict=True)])


def theory_schedule(scenario: Scenario, targets: Sequence[Target | str],
                    desks: Sequence[str] | None = None,
                    block_minutes: int | None = DEFAULT_BLOCK_MINUTES,
                    minimum: int = 1) -> TheoryPlan:
    """Counters per block from the modified offered load and Erlang C (or A), on the busiest
    ordinary day; see the module docstring for the approximations."""
    targets = tuple(_as_target(t) for t in targets)
    criteria = tuple(_criterion(t, target_minutes(scenario)) for t in targets)
    blocks = time_blocks(scenario, block_minutes)
    timeline = build_timeline(scenario.calendar)
    intensity = build_intensity(scenario.arrivals, scenario.calendar, timeline)
    minutes = math.ceil(timeline.closings[-1] / GRID) + 1
    visitors = arrivals_per_minute(intensity, minutes)
    middle = (np.arange(minutes) + 0.5) * GRID
    starts = np.array([a for a, _ in timeline.periods])
    ends = np.array([b for _, b in timeline.periods])
    period = np.searchsorted(starts, middle, side="right") - 1
    open_mask = (period >= 0) & (middle < ends[np.maximum(period, 0)])
    following = np.searchsorted(starts, middle, side="right")  # the next opening, if closed
    selected = _select_pools(scenario, desks)
    theta = _abandonment_rate(scenario.patience)
    counters, feasible, paths, theories = {}, {}, {}, {}
    day_label = ""
    for pool, fraction in zip(counter_pools(scenario), pool_fractions(scenario), strict=True):
        if pool not in selected:
            continue
        demand = desk_demand(scenario, visitors, pool, fraction)
        load = offered_load_curve(demand, open_mask)
        door = demand.per_minute * ~open_mask
        day = _busiest_day(scenario, timeline, load, door, demand.service_mean)
        day_label = day.date.isoformat()
        model = _QueueModel(mu=1.0 / demand.service_mean, theta=theta,
                            patience=scenario.patience)
        waiting = np.flatnonzero((door > 0) & (following < len(starts)))
        served_from = starts[following[waiting]]  # when those at the door get in
        block_theories = []
        for block in blocks:
            first, last = int(day.midnight + block.start), int(day.midnight + block.end)
            queued = waiting[served_from == first]
            weights = demand.per_minute[first:last] * open_mask[first:last]
            steps = np.arange(0, last - first, _POINT_MINUTES)
            summed = np.add.reduceat(weights, steps)
            plain = np.add.reduceat(load[first:last], steps) / np.diff([*steps, last - first])
            with np.errstate(invalid="ignore", divide="ignore"):
                mean_load = np.where(summed > 0, np.add.reduceat(
                    weights * load[first:last], steps) / summed, plain)
            block_theories.append(_BlockTheory(
                weights=summed, loads=mean_load, door_mass=door[queued],
                door_minutes=first - middle[queued], model=model, criteria=criteria,
                step=_POINT_MINUTES * GRID))
        found = [t.fewest(minimum) for t in block_theories]
        counters[demand.label] = tuple(c for c, _ in found)
        feasible[demand.label] = tuple(ok for _, ok in found)
        paths[demand.label] = demand.path
        theories[demand.label] = tuple(block_theories)
    model_name = _QueueModel(1.0, theta, scenario.patience).name
    return TheoryPlan(blocks, counters, feasible, paths, day_label, model_name, theories)


def _busiest_day(scenario: Scenario, timeline: Timeline, load: np.ndarray, door: np.ndarray,
                 service_mean: float):
    """The ordinary opening day (the usual sessions, after the warm-up) with the most offered
    work: the load present while open plus the door queue's work; a day that starts a run
    open around the clock has less load than the next, so the start-up does not count."""
    usual = tuple(map(session_minutes, scenario.calendar.sessions))
    days = [d for d in timeline.days
            if tuple((a - d.midnight, b - d.midnight) for a, b in d.sessions) == usual]
    later = [d for d in days if d.midnight >= scenario.warmup_minutes]
    candidates = later or days or list(timeline.days)

    def work(day) -> float:
        first, last = int(day.midnight), int(day.midnight + MINUTES_PER_DAY)
        return float(load[first:last].sum() + door[first:last].sum() * service_mean)

    return max(candidates, key=work)


# --- simulation check -------------------------------------------------------------------------


def per_desk_metrics(visits: pd.DataFrame, warmup_end: float, within_minutes: float,
                     desks: Iterable[str] | None = None) -> pd.DataFrame:
    """Target metrics of each desk on its own visits, per replication: replication, desk,
    metric, value (the definitions of `sim.analysis.metrics`, restricted to one desk)."""
    counted = visits[visits["arrival"] >= warmup_end]
    if desks is not None:
        counted = counted[counted["desk"].isin(list(desks))]
    rows = []
    for (replication, desk), group in counted.groupby(["replication", "desk"], observed=True):
        waits = group["wait"].to_numpy(dtype=float)
        if len(waits) == 0:
            continue
        reached = group["start"].notna().to_numpy()
        p50, p90, p95 = np.percentile(waits, [50, 90, 95])
        values = {
            "wait_mean": waits.mean(), "wait_p50": p50, "wait_p90": p90, "wait_p95": p95,
            "waited_share": float((waits > 0).mean()),
            "abandoned_share": float((group["outcome"] == "abandoned").mean()),
            "within_target_share": float((reached & (waits <= within_minutes)).mean()),
        }
        rows += [{"replication": replication, "desk": desk, "metric": name, "value": float(v)}
                 for name, v in values.items()]
    return pd.DataFrame(rows, columns=["replication", "desk", "metric", "value"])


def _check_frame(per_desk: pd.DataFrame, targets: Sequence[Target], labels: Sequence[str],
                 conservative: bool) -> pd.DataFrame:
    """Per desk and target: mean, 95% interval, the bound judged and whether it holds."""
    rows = []
    for label in labels:
        mine = per_desk[per_desk["desk"] == label]
        for target in targets:
            values = mine.loc[mine["metric"] == target.metric, "value"].to_numpy(dtype=float)
            if not len(values):  # nobody came to this desk: nothing to fall short of
                rows.append({"desk": label, "target": str(target), "mean": np.nan,
                             "ci_low": np.nan, "ci_high": np.nan, "bound": np.nan,
                             "met": True})
                continue
            mean, low, high = t_interval(values)
            bound = (high if target.op == "<=" else low) if conservative else mean
            if not math.isfinite(bound):  # one replication has no interval: judge the mean
                bound = mean
            rows.append({"desk": label, "target": str(target), "mean": mean, "ci_low": low,
                         "ci_high": high, "bound": bound, "met": target.holds(bound)})
    return pd.DataFrame(rows, columns=["desk", "target", "mean", "ci_low", "ci_high", "bound",
                                       "met"])


def _block_frame(visits: pd.DataFrame, warmup_end: float, timeline: Timeline,
                 blocks: Sequence[Block], criteria: Sequence[_Criterion],
                 labels: Sequence[str]) -> dict:
    """Per desk: visits and each criterion's mean per block, over all replications and days.

    A visit belongs to the block of its arrival; one who arrived while the centre was closed
    belongs to the block at the next opening, and only the wait after that opening counts (as
    in the theory step).
    """
    counted = visits[visits["arrival"] >= warmup_end]
    arrival = counted["arrival"].to_numpy(dtype=float)
    wait = counted["wait"].to_numpy(dtype=float)
    starts = np.array([a for a, _ in timeline.periods])
    ends = np.array([b for _, b in timeline.periods])
    period = np.searchsorted(starts, arrival, side="right") - 1
    is_open = (period >= 0) & (arrival < ends[np.maximum(period, 0)])
    following = np.searchsorted(starts, arrival, side="right")
    known = is_open | (following < len(starts))
    opening = np.where(is_open, arrival, starts[np.minimum(following, len(starts) - 1)])
    wait = np.where(is_open, wait, np.maximum(wait - (opening - arrival), 0.0))
    clock = opening - np.floor(opening / MINUTES_PER_DAY) * MINUTES_PER_DAY
    block_starts = np.array([b.start for b in blocks])
    block_ends = np.array([b.end for b in blocks])
    index = np.searchsorted(block_starts, clock, side="right") - 1
    known &= (index >= 0) & (clock < block_ends[np.maximum(index, 0)])
    reached = counted["start"].notna().to_numpy()
    abandoned = (counted["outcome"] == "abandoned").to_numpy()
    columns = []
    for criterion in criteria:
        columns.append({
            "exceed": lambda c: wait > c.minutes,
            "not_within": lambda c: ~(reached & (wait <= c.minutes)),
            "mean": lambda c: wait,
            "abandon": lambda c: abandoned,
            "waited": lambda c: wait > 0,
        }[criterion.kind](criterion).astype(float))
    desks = counted["desk"].astype(str).to_numpy()
    replication = counted["replication"].to_numpy(dtype=np.int64)
    runs = int(replication.max()) + 1 if len(replication) else 1
    cells = replication * len(blocks) + np.maximum(index, 0)
    frames = {}
    for label in labels:
        mine = known & (desks == label)
        count = np.bincount(cells[mine], minlength=runs * len(blocks)).reshape(runs, -1)
        per_run = np.stack([np.bincount(cells[mine], weights=values[mine],
                                        minlength=runs * len(blocks)).reshape(runs, -1)
                            for values in columns], axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            per_run = np.where(count[..., None] > 0, per_run / count[..., None], np.nan)
        frames[label] = _BlockValues(count.sum(axis=0).astype(float), *_across_runs(per_run))
    return frames


def _across_runs(per_run: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean over replications, and the low end of its 95% t interval (the mean itself with
    fewer than two replications), per block and criterion; 0 where no replication had visits."""
    present = ~np.isnan(per_run)
    runs = present.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(runs > 0, np.nansum(per_run, axis=0) / runs, 0.0)
        spread = np.sqrt(np.nansum((per_run - mean) ** 2, axis=0) / (runs - 1))
        half = stats.t.ppf(0.975, np.maximum(runs - 1, 1)) * spread / np.sqrt(runs)
    return mean, np.where(runs > 1, mean - half, mean)


@dataclass(frozen=True)
class _BlockValues:
    """One desk's per-block criterion values from a simulation: visits per block, and per
    block and criterion the mean over replications and the low end of its 95% interval."""

    visits: np.ndarray
    mean: np.ndarray
    low: np.ndarray


@dataclass(frozen=True)
class _Evaluation:
    check: pd.DataFrame
    blocks: dict[str, _BlockValues]
    summary: pd.DataFrame

    def met(self, label: str) -> bool:
        return bool(self.check.loc[self.check["desk"] == label, "met"].all())


# --- the search -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffingResult:
    """The staffing found for each searched desk, how it was checked, and where it was written.

    ``counters[desk][i]`` and ``theory[desk][i]`` are the open counters in ``blocks[i]``;
    ``changes`` are the dotted-path changes of the new option (``option``), as written into the
    copy of the scenario at ``written`` (None when no folder was given).
    """

    source: str
    targets: tuple[Target, ...]
    blocks: tuple[Block, ...]
    theory: dict[str, tuple[int, ...]]
    counters: dict[str, tuple[int, ...]]
    met: bool
    check: pd.DataFrame  # desk, target, mean, ci_low, ci_high, bound, met
    summary: pd.DataFrame  # centre-level summary of the staffed option
    option: str
    changes: dict[str, object]
    written: Path | None
    comments_kept: bool
    model: str
    busiest_day: str
    replications: int
    seed: int
    evaluations: int
    history: tuple[str, ...]
    runtime_seconds: float

    def table(self) -> pd.DataFrame:
        """desk, start, end, theory, counters: one row per desk and block."""
        return pd.DataFrame([
            {"desk": label, "start": _clock(block.start), "end": _clock(block.end),
             "theory": self.theory[label][i], "counters": counts[i]}
            for label, counts in self.counters.items() for i, block in enumerate(self.blocks)])

    def schedule(self, desk: str) -> dict[str, int]:
        """The desk's schedule as written: a clock time wherever the count changes."""
        return compact_schedule(self.blocks, self.counters[desk])

    def report(self) -> str:
        """What the command line prints: the schedule, the check, and where it went."""
        blocks = self.table().pivot(index=["start", "end"], columns="desk", values="counters")
        blocks = blocks[list(self.counters)].reset_index()
        theory = self.table().pivot(index=["start", "end"], columns="desk", values="theory")
        for label in self.counters:
            blocks[label] = [f"{n} ({t})" if n != t else str(n)
                             for n, t in zip(blocks[label], theory[label], strict=True)]
        check = self.check.assign(met=self.check["met"].map({True: "yes", False: "NO"}))
        lines = [
            f"staffing for {', '.join(map(str, self.targets))} ({self.model}; theory on "
            f"{self.busiest_day}, the busiest day; {self.evaluations} simulations of "
            f"{self.replications} replications, seed {self.seed})",
            "open counters per block (theory's count in brackets where it differs):",
            blocks.to_string(index=False),
            "",
            "each desk on its own visits (95% interval; the bound judged is on the safe side):",
            check.to_string(index=False, float_format=lambda x: f"{x:.3g}"),
            "",
            "every target met" if self.met else "NOT every target met: see the check above",
        ]
        if self.written is not None:
            lines.append(f"option {self.option} written to {self.written}"
                         + ("" if self.comments_kept else " (the file's comments could not be "
                            "kept)"))
        return "\n".join(lines)


def compact_schedule(blocks: Sequence[Block], counts: Sequence[int]) -> dict[str, int]:
    """``{"HH:MM": n}`` from each block's start, leaving out blocks that repeat the count
    before them (a session's opening keeps the last count given before it).

    >>> compact_schedule([Block(450, 510), Block(510, 570), Block(810, 870)], [3, 3, 2])
    {'07:30': 3, '13:30': 2}
    """
    schedule: dict[str, int] = {}
    previous = None
    for block, count in zip(blocks, counts, strict=True):
        if count != previous:
            schedule[_clock(block.start)] = int(count)
        previous = count
    return schedule


def option_changes(paths: dict[str, str], blocks: Sequence[Block],
                   counters: dict[str, Sequence[int]]) -> dict[str, object]:
    """The dotted-path changes that give each desk its schedule: ``<desk>.counters`` (the
    most open at once) and ``<desk>.schedule``."""
    changes: dict[str, object] = {}
    for label, counts in counters.items():
        changes[f"{paths[label]}.counters"] = int(max(counts))
        changes[f"{paths[label]}.schedule"] = compact_schedule(blocks, counts)
    return changes


def staff(
    scenario_path: str | Path,
    targets: Sequence[Target | str] = (),
    desks: Sequence[str] | None = None,
    *,
    seed: int = DEFAULT_SEED,
    replications: int = DEFAULT_REPLICATIONS,
    out: str | Path | None = None,
    block_minutes: int | None = DEFAULT_BLOCK_MINUTES,
    option: str = DEFAULT_OPTION,
    conservative: bool = True,
    max_evaluations: int = DEFAULT_MAX_EVALUATIONS,
    progress: Callable[[str], None] | None = None,
) -> StaffingResult:
    """Find the fewest counters per desk and block that meet `targets` in simulation.

    `targets` are Target objects or texts such as ``"wait_p90<=30"``; none: the scenario's own
    `targets`. `desks` names desks (every site's) or ``site.desk`` pools; none: all. With `out`,
    a copy of the scenario with the new option is written there (see `write_staffed_copy`).
    Raises ValueError for targets or desks that cannot be searched.
    """
    started = time.perf_counter()
    say = progress or (lambda _: None)
    path = Path(scenario_path)
    document = read_yaml_file(path)
    scenario = scenario_from_document(document, str(path), options=["baseline"]).baseline
    targets = tuple(_as_target(t) for t in targets) or scenario_targets(scenario)
    if not targets:
        raise ValueError("no targets: give some (e.g. wait_p90<=30) or add `targets` to "
                         "the scenario")
    if scenario.patience is None and any(t.metric == "abandoned_share" for t in targets):
        raise ValueError("the scenario has no patience, so nobody gives up: an "
                         "abandoned_share target cannot guide staffing")
    if replications < 1 or max_evaluations < 1:
        raise ValueError("replications and max_evaluations must be at least 1")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", option) or option == "baseline":
        raise ValueError(f"option name {option!r}: lower-case letters, digits and _, "
                         "starting with a letter, and not 'baseline'")
    plan = theory_schedule(scenario, targets, desks, block_minutes)
    say(f"theory ({plan.model}, busiest day {plan.busiest_day}): "
        + "; ".join(f"{label} {list(c)}" for label, c in plan.counters.items()))
    search = _Search(document, str(path), scenario, targets, plan, seed, replications,
                     conservative, max_evaluations, say)
    counts, evaluation, met = search.run()
    changes = option_changes(plan.paths, plan.blocks, counts)
    written, kept, name = None, True, option
    if out is not None:
        comment = (f"sim staff: {', '.join(map(str, targets))}; {plan.model} per "
                   f"{'block' if block_minutes is None else f'{block_minutes} min'}, checked "
                   f"with {replications} replications, seed {seed}"
                   + ("" if met else "; TARGETS NOT MET"))
        written, kept, name = write_staffed_copy(path, out, option, changes, comment)
    return StaffingResult(
        source=str(path), targets=targets, blocks=plan.blocks, theory=dict(plan.counters),
        counters={label: tuple(c) for label, c in counts.items()}, met=met,
        check=evaluation.check, summary=evaluation.summary, option=name, changes=changes,
        written=written, comments_kept=kept, model=plan.model, busiest_day=plan.busiest_day,
        replications=replications, seed=seed, evaluations=search.evaluations,
        history=tuple(search.history), runtime_seconds=time.perf_counter() - started)


class _Search:
    """Simulation rounds: add counters while a desk fails, then take away what is not needed."""

    def __init__(self, document: dict, source: str, scenario: Scenario,
                 targets: tuple[Target, ...], plan: TheoryPlan, seed: int, replications: int,
                 conservative: bool, max_evaluations: int, say: Callable[[str], None]):
        self.document, self.source, self.scenario = document, source, scenario
        self.targets, self.plan = targets, plan
        self.criteria = tuple(_criterion(t, target_minutes(scenario)) for t in targets)
        self.seed, self.replications, self.conservative = seed, replications, conservative
        self.max_evaluations, self.say = max_evaluations, say
        self.timeline = build_timeline(scenario.calendar)
        self.labels = list(plan.counters)
        self.cache: dict[tuple, _Evaluation] = {}
        self.history: list[str] = []
        self.evaluations = 0

    def _note(self, text: str) -> None:
        self.history.append(text)
        self.say(text)

    def evaluate(self, counts: dict[str, list[int]]) -> _Evaluation:
        key = tuple(tuple(counts[label]) for label in self.labels)
        if key in self.cache:
            return self.cache[key]
        document = self.document
        for change, value in option_changes(self.plan.paths, self.plan.blocks, counts).items():
            document = with_change(document, change, value)
        scenario = scenario_from_document(document, self.source, options=["baseline"]).baseline
        results = run_experiment(ScenarioSet(self.source, self.scenario, {"staffed": scenario}),
                                 self.replications, self.seed)
        per_desk = per_desk_metrics(results.visits, scenario.warmup_minutes,
                                    target_minutes(scenario), self.labels)
        evaluation = _Evaluation(
            check=_check_frame(per_desk, self.targets, self.labels, self.conservative),
            blocks=_block_frame(results.visits, scenario.warmup_minutes, self.timeline,
                                self.plan.blocks, self.criteria, self.labels),
            summary=results.summary.drop(columns="option"))
        self.evaluations += 1
        self.cache[key] = evaluation
        problems = [f"{r.desk} {r.target} (mean {r.mean:.3g}, bound {r.bound:.3g})"
                    for r in evaluation.check[~evaluation.check["met"]].itertuples()]
        for label in self.labels:
            failing = np.flatnonzero(self._block_fails(label, evaluation))
            if len(failing):
                problems.append(f"{label} clearly short in " + ", ".join(
                    self.plan.blocks[b].label for b in failing))
        self._note(f"simulation {self.evaluations}: "
                   + ("every target met" if not problems else "short: " + "; ".join(problems)))
        return evaluation

    def _block_fails(self, label: str, evaluation: _Evaluation) -> np.ndarray:
        """Blocks whose own visits are clearly (the whole 95% interval) beyond a limit: the
        desk-level check already guards the desk as a whole, so a block only fails when the
        simulation leaves no doubt, not whenever one of many noisy block means strays."""
        found = evaluation.blocks[label]
        limits = np.array([c.limit for c in self.criteria])
        return (found.visits > 0) & np.any(found.low > limits, axis=1)

    def _ok(self, label: str, evaluation: _Evaluation) -> bool:
        return evaluation.met(label) and not self._block_fails(label, evaluation).any()

    def _caps(self, label: str) -> np.ndarray:
        theory = np.array(self.plan.counters[label])
        return np.minimum(MAX_COUNTERS, np.maximum(3 * theory, theory + 10))

    def run(self) -> tuple[dict[str, list[int]], _Evaluation, bool]:
        """Add, then take away, until a whole-schedule simulation meets every target (or the
        budget of simulations is spent, or more counters stop helping)."""
        counts = {label: list(c) for label, c in self.plan.counters.items()}
        tried: set[tuple[str, int]] = set()
        gave_up: set[str] = set()
        while True:
            evaluation = self.evaluate(counts)
            # Desks share no counters, so each desk is judged by the last simulation in which
            # it had its present counts.
            latest = dict.fromkeys(self.labels, evaluation)
            self._add(counts, latest, gave_up)
            if all(self._ok(label, latest[label]) for label in self.labels):
                self._take_away(counts, latest, tried)
            final = self.evaluate(counts)
            met = all(self._ok(label, final) for label in self.labels)
            failing = {label for label in self.labels if not self._ok(label, final)}
            if met or failing <= gave_up or self.evaluations >= self.max_evaluations:
                if not met and self.evaluations >= self.max_evaluations:
                    self._note(f"stopped after {self.evaluations} simulations "
                               "(max_evaluations) without meeting every target")
                return counts, final, met

    def _add(self, counts: dict[str, list[int]], latest: dict[str, _Evaluation],
             gave_up: set[str]) -> None:
        """Add counters to failing desks until every desk meets its targets."""
        tried: dict[str, list[tuple[float, list[int], _Evaluation]]] = {
            label: [] for label in self.labels}
        while self.evaluations < self.max_evaluations:
            changed = False
            for label in self.labels:
                evaluation = latest[label]
                if label in gave_up or self._ok(label, evaluation):
                    continue
                history = tried[label]
                history.append((self._gap(label, evaluation), list(counts[label]), evaluation))
                gaps = [gap for gap, _, _ in history]
                where = self._where_to_add(label, evaluation, counts[label])
                if (len(gaps) > 3 and gaps[-1] >= min(gaps[:-3]) - 1e-3) or not where:
                    # Keep the counts that came closest, not the counters that did not help.
                    _, best, best_evaluation = min(history, key=lambda entry: entry[0])
                    counts[label][:] = best
                    latest[label] = best_evaluation
                    gave_up.add(label)
                    self._note(f"{label}: more counters no longer help; the targets are out "
                               "of reach")
                    continue
                for block in where:
                    counts[label][block] += 1
                changed = True
                self._note(f"{label}: one more counter at "
                           + ", ".join(self.plan.blocks[b].label for b in where))
            if not changed:
                return
            evaluation = self.evaluate(counts)
            latest.update(dict.fromkeys(self.labels, evaluation))

    def _take_away(self, counts: dict[str, list[int]], latest: dict[str, _Evaluation],
                   tried: set[tuple[str, int]]) -> None:
        """Take away one counter per desk and round where theory says a block can spare it;
        keep each removal that the simulation confirms. One simulation is kept in reserve for
        the final check."""
        while self.evaluations < self.max_evaluations - 1:
            proposal = {}
            for label in self.labels:
                block = self._spare(label, latest[label], counts[label], tried)
                if block is not None:
                    proposal[label] = block
            if not proposal:
                return
            trial = {label: list(c) for label, c in counts.items()}
            for label, block in proposal.items():
                trial[label][block] -= 1
                tried.add((label, block))
            result = self.evaluate(trial)
            for label, block in proposal.items():
                kept = self._ok(label, result)
                if kept:
                    counts[label][block] -= 1
                    latest[label] = result
                self._note(f"{label}: counter at {self.plan.blocks[block].label} "
                           + ("taken away" if kept else "needed"))

    def _gap(self, label: str, evaluation: _Evaluation, blocks: bool = True) -> float:
        """Total relative shortfall of a desk: targets by their bounds, and (with `blocks`)
        blocks by their means."""
        check = evaluation.check[evaluation.check["desk"] == label]
        gap = 0.0
        for target, bound in zip(self.targets, check["bound"], strict=True):
            if not math.isfinite(bound):
                return math.inf
            excess = bound - target.value if target.op == "<=" else target.value - bound
            gap += max(excess, 0.0) / target.value
        if not blocks:
            return gap
        found = evaluation.blocks[label]
        visits, values = found.visits, found.mean
        limits = np.array([c.limit for c in self.criteria])
        share = visits / max(visits.sum(), 1.0)
        return gap + float(share @ (np.maximum(values - limits, 0.0) / limits).sum(axis=1))

    def _where_to_add(self, label: str, evaluation: _Evaluation, counts: list[int]) -> list[int]:
        """Blocks clearly short on their own; or else the blocks that contribute most to the
        desk's shortfall per minute, more of them the further the desk is from its targets
        (a third of the blocks for a bound 100% beyond its target), among those below their
        cap."""
        caps = self._caps(label)
        room = np.array(counts) < caps
        failing = np.flatnonzero(self._block_fails(label, evaluation) & room)
        if len(failing):
            return failing.tolist()
        found = evaluation.blocks[label]
        limits = np.array([c.limit for c in self.criteria])
        lengths = np.array([b.end - b.start for b in self.plan.blocks], dtype=float)
        check = evaluation.check[evaluation.check["desk"] == label]
        failed = [i for i, met in enumerate(check["met"]) if not met]
        columns = failed or list(range(len(self.targets)))
        score = (found.visits[:, None] * found.mean[:, columns] / limits[columns]).sum(axis=1)
        score = np.where(room & (found.visits > 0), score / lengths, -np.inf)
        excess = min(self._gap(label, evaluation, blocks=False), 3.0)
        many = max(1, min(math.ceil(excess * len(counts) / 3), int(np.isfinite(score).sum())))
        order = np.argsort(-score, kind="stable")[:many]
        return [int(block) for block in order if np.isfinite(score[block])]

    def _spare(self, label: str, evaluation: _Evaluation, counts: list[int],
               tried: set[tuple[str, int]]) -> int | None:
        """The block most likely to meet every criterion with one counter fewer, if it is
        predicted to stay clearly (``_SPARE_MARGIN``) inside every limit.

        The prediction is theory's value for ``c - 1`` counters, scaled by how the simulation
        compared with theory over the whole desk (theory plans for the busiest day; the
        simulation covers every day). A single block's simulated value is too noisy to scale
        by, and an hour short of counters can look fine in it only because the queue has not
        had time to grow.
        """
        found = evaluation.blocks[label]
        visits, values = found.visits, found.mean
        theories = self.plan.block_theory[label]
        now = np.array([t.statistics(c) for t, c in zip(theories, counts, strict=True)])
        floors = 0.05 * np.array([c.limit for c in self.criteria])
        usable = np.isfinite(now).all(axis=1) & (visits > 0)  # theory gave a number to scale
        weight = visits * usable
        ratio = ((weight @ values + floors * weight.sum())
                 / (weight @ np.where(usable[:, None], now, 0.0) + floors * weight.sum()))
        best, best_score = None, _SPARE_MARGIN
        for block, theory in enumerate(theories):
            if counts[block] <= 1 or (label, block) in tried:
                continue
            fewer = theory.statistics(counts[block] - 1)
            if not np.all(np.isfinite(fewer)):
                continue
            score = max(fewer[k] * ratio[k] / c.limit for k, c in enumerate(self.criteria))
            if score < best_score:
                best, best_score = block, score
        return best


def _as_target(target: Target | str) -> Target:
    return target if isinstance(target, Target) else parse_target(target)


def _select_pools(scenario: Scenario, desks: Sequence[str] | None) -> list[Pool]:
    pools = counter_pools(scenario)
    if not desks:
        return pools
    single = scenario.sites is None
    chosen = []
    for name in desks:
        found = [p for p in pools if name in (p.desk, p.label(single), f"{p.site}.{p.desk}")]
        if not found:
            known = sorted({p.desk for p in pools} | {p.label(single) for p in pools})
            raise ValueError(f"unknown desk {name!r}; the scenario has: {', '.join(known)}")
        chosen += [p for p in found if p not in chosen]
    return chosen


# --- writing the option -----------------------------------------------------------------------

_OPTIONS_LINE = re.compile(r"^options[ \t]*:[ \t]*(#.*)?$")


def add_option_text(text: str, name: str, changes: dict[str, object], comment: str = ""
                    ) -> str | None:
    """The scenario text with a new entry under ``options:``, everything else (comments too)
    as it was; None when the file's options are written in a way this cannot extend (e.g. in
    flow style), so that the caller can rewrite the whole document instead.

    >>> print(add_option_text("name: x\\noptions:\\n  a: {}\\n", "b", {"desks.d.counters": 2}))
    name: x
    options:
      a: {}
      b:
        desks.d.counters: 2
    <BLANKLINE>
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    found = [i for i, line in enumerate(lines) if _OPTIONS_LINE.match(line)]
    if any(re.match(r"^options[ \t]*:", line) for line in lines) and not found:
        return None  # options given inline, e.g. options: {a: {...}}
    if len(found) > 1:
        return None
    if not found:
        entry = ["", "options:", *_entry_lines(name, changes, comment, 2)]
        return newline.join([*lines, *entry]) + newline
    head = found[0]
    last, indent = head, None
    for i in range(head + 1, len(lines)):
        line = lines[i]
        stripped = line.lstrip(" ")
        if not stripped:
            continue
        if line[0] not in " #":
            break  # the next top-level key
        if line[0] == " ":
            last = i
            if indent is None and not stripped.startswith("#"):
                indent = len(line) - len(stripped)
    entry = _entry_lines(name, changes, comment, indent or 2)
    return newline.join([*lines[: last + 1], *entry, *lines[last + 1:]]) + newline


def _entry_lines(name: str, changes: dict[str, object], comment: str, indent: int) -> list[str]:
    pad = " " * indent
    head = f"{pad}{name}:" + (f"  # {comment}" if comment else "")
    lines = [head]
    for path, value in changes.items():
        if isinstance(value, dict):
            lines.append(f"{pad}  {path}:")
            lines += [f"{pad}    {json.dumps(k)}: {json.dumps(v)}" for k, v in value.items()]
        else:
            lines.append(f"{pad}  {path}: {json.dumps(value)}")
    return lines


def write_staffed_copy(source: str | Path, out: str | Path, option: str,
                       changes: dict[str, object], comment: str = ""
                       ) -> tuple[Path, bool, str]:
    """Write ``<out>/<stem>_<option>.yaml``: the scenario with the new option, and check that it
    loads with that option. Returns (path, whether the file's comments were kept, the option's
    name: `option`, or `option_2`, ... when the scenario already has one of that name)."""
    source = Path(source)
    text = source.read_text(encoding="utf-8")
    document = parse_yaml_text(text, str(source))
    existing = dict(document.get("options") or {}) if isinstance(document, dict) else {}
    name, n = option, 1
    while name in existing or name == "baseline":
        n += 1
        name = f"{option}_{n}"
    expected = copy.deepcopy(document)
    expected["options"] = {**existing, name: changes}
    new_text = add_option_text(text, name, changes, comment)
    kept = new_text is not None
    if kept:
        try:
            kept = parse_yaml_text(new_text, str(source)) == expected
        except ScenarioError:  # cannot be re-read: write the whole document instead
            kept = False
    if not kept:
        new_text = (f"# {source.name} with option {name} added by sim staff (comments of the "
                    "original are not kept)\n"
                    + yaml.safe_dump(expected, allow_unicode=True, sort_keys=False))
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{source.stem}_{option}.yaml"
    if target.resolve() == source.resolve():
        raise ValueError(f"{target} is the scenario itself; choose another folder")
    target.write_text(new_text, encoding="utf-8")
    loaded = load_scenario(target, options=[name]).options[name]
    for path, value in changes.items():
        node: object = loaded
        for part in path.split("."):
            node = node[part] if isinstance(node, dict) else getattr(node, part)
        if node != value:
            raise RuntimeError(f"{target}: option {name} gives {path} = {node!r}, "
                               f"not {value!r}")
    return target, kept, name
