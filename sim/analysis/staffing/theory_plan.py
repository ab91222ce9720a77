"""The theory step: counters per desk and block on the busiest ordinary day, from theory alone.

It ties the pieces together for each searched desk: the desk's demand and offered load, the
busiest ordinary day, the visits of each block on that day (and those queueing at the door), and
the queue formulas, to find the fewest counters that meet every target in each block. The
simulation search starts from this plan and reuses its per-block predictions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.analysis.staffing.blocks import DEFAULT_BLOCK_MINUTES, Block, clock_text, time_blocks
from sim.analysis.staffing.criteria import Criterion, target_criterion
from sim.analysis.staffing.demand import (
    GRID,
    arrivals_per_minute,
    desk_demand,
    offered_load_curve,
)
from sim.analysis.staffing.formulas import QueueModel, abandonment_rate
from sim.analysis.staffing.visit_demand import second_visits
from sim.analysis.targets import Target, as_target, target_minutes
from sim.model.arrivals import build_intensity
from sim.model.calendar import MINUTES_PER_DAY, Timeline, build_timeline
from sim.model.citizens import Pool, counter_pools, pool_fractions
from sim.scenario.schema import Scenario, session_minutes

MAX_COUNTERS = 500  # the schema's limit for one desk
_POINT_MINUTES = 5  # the theory judges a block by the load every 5 minutes, arrival-weighted


@dataclass(frozen=True)
class _Fewest:
    """The fewest counters for a block, and whether they meet every criterion in theory."""

    counters: int
    feasible: bool


@dataclass
class _BlockTheory:
    """The visits of one block on the busiest day and the formulas to judge a count by."""

    weights: np.ndarray  # expected visits arriving in each step of the block while open
    loads: np.ndarray  # modified offered load seen by them
    door_mass: np.ndarray  # visits queueing while closed, served first at the block's start
    door_minutes: np.ndarray  # how long each of those has queued at the opening
    model: QueueModel
    criteria: tuple[Criterion, ...]
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
        """Each criterion's block average, computed: the visits arriving while open from the
        stationary queue behind the door queue, and those at the door from the fluid drain.

        Longer than most functions so that the formulas of the five criterion kinds stand side
        by side, on the same shared quantities, where they can be read against each other.
        """
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

    def fewest(self, minimum: int) -> _Fewest:
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
        return _Fewest(high, bool(best <= 0))


@dataclass(frozen=True)
class TheoryPlan:
    """Counters per searched desk and block from queueing theory alone."""

    blocks: tuple[Block, ...]
    counters: dict[str, tuple[int, ...]]
    feasible: dict[str, tuple[bool, ...]]  # False: no count within positions meets the targets
    paths: dict[str, str]
    positions: dict[str, int]  # the most counters each desk can open (its physical counters)
    busiest_day: str
    model: str
    block_theory: dict[str, tuple[_BlockTheory, ...]] = field(repr=False)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([
            {"desk": label, "start": clock_text(b.start), "end": clock_text(b.end), "theory": count,
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
    ordinary day; see the docstring of `sim.analysis.staffing` for the approximations."""
    targets = tuple(as_target(t) for t in targets)
    criteria = tuple(target_criterion(t, target_minutes(scenario)) for t in targets)
    blocks = time_blocks(scenario, block_minutes)
    grid = _RunGrid.of(scenario)
    selected = _select_pools(scenario, desks)
    theta = abandonment_rate(scenario.patience)
    counters, feasible, paths, theories, positions = {}, {}, {}, {}, {}
    site_desks = scenario.site_desks()
    day_label = ""
    others = second_visits(scenario, grid.timeline, len(grid.visitors))
    for pool, fraction, extra in zip(counter_pools(scenario), pool_fractions(scenario), others,
                                     strict=True):
        if pool not in selected:
            continue
        demand = desk_demand(scenario, grid.visitors, pool, fraction, extra)
        load = offered_load_curve(demand, grid.open_mask)
        door = demand.per_minute * ~grid.open_mask
        day = _busiest_day(scenario, grid.timeline, load, door, demand.service_mean)
        day_label = day.date.isoformat()
        model = QueueModel(mu=1.0 / demand.service_mean, theta=theta,
                            patience=scenario.patience)
        block_theories = _block_theories(grid, demand.per_minute, load, door, day.midnight,
                                         blocks, model, criteria)
        found = [t.fewest(minimum) for t in block_theories]
        most = site_desks[pool.site][pool.desk].most_counters()
        counters[demand.label] = tuple(min(f.counters, most) for f in found)
        feasible[demand.label] = tuple(f.feasible and f.counters <= most for f in found)
        positions[demand.label] = most
        paths[demand.label] = demand.path
        theories[demand.label] = block_theories
    model_name = QueueModel(1.0, theta, scenario.patience).name
    return TheoryPlan(blocks, counters, feasible, paths, positions, day_label, model_name,
                      theories)


@dataclass(frozen=True)
class _RunGrid:
    """The run on the demand grid (GRID minutes a step, from 00:00 of the start date)."""

    timeline: Timeline
    visitors: np.ndarray  # expected visitors arriving in each step
    middle: np.ndarray  # each step's middle, in minutes
    starts: np.ndarray  # each open period's start
    open_mask: np.ndarray  # bool: the step is open
    following: np.ndarray  # index in `starts` of the next opening (for a closed step)

    @classmethod
    def of(cls, scenario: Scenario) -> _RunGrid:
        """The grid up to the run's last closing."""
        timeline = build_timeline(scenario.calendar)
        intensity = build_intensity(scenario.arrivals, scenario.calendar, timeline)
        minutes = math.ceil(timeline.closings[-1] / GRID) + 1
        middle = (np.arange(minutes) + 0.5) * GRID
        starts = np.array([start for start, _ in timeline.periods])
        ends = np.array([end for _, end in timeline.periods])
        period = np.searchsorted(starts, middle, side="right") - 1
        open_mask = (period >= 0) & (middle < ends[np.maximum(period, 0)])
        return cls(timeline, arrivals_per_minute(intensity, minutes), middle, starts, open_mask,
                   np.searchsorted(starts, middle, side="right"))


def _block_theories(grid: _RunGrid, per_minute: np.ndarray, load: np.ndarray, door: np.ndarray,
                    midnight: float, blocks: Sequence[Block], model: QueueModel,
                    criteria: tuple[Criterion, ...]) -> tuple[_BlockTheory, ...]:
    """One desk's theory for each block of the day that starts at `midnight`; visits queued at
    the door while closed belong to the block in which they get in."""
    waiting = np.flatnonzero((door > 0) & (grid.following < len(grid.starts)))
    served_from = grid.starts[grid.following[waiting]]  # when those at the door get in
    theories = []
    for block in blocks:
        first, last = int(midnight + block.start), int(midnight + block.end)
        queued = waiting[served_from == first]
        theories.append(_block_theory(
            per_minute[first:last] * grid.open_mask[first:last], load[first:last],
            door[queued], first - grid.middle[queued], model, criteria))
    return tuple(theories)


def _block_theory(weights: np.ndarray, load: np.ndarray, door_mass: np.ndarray,
                  door_minutes: np.ndarray, model: QueueModel,
                  criteria: tuple[Criterion, ...]) -> _BlockTheory:
    """One block's theory from its minutes on the busiest day: the visits arriving in each
    minute while open (`weights`), the offered load then, and the visits queued at the door;
    the load is judged every `_POINT_MINUTES`, weighted by arrivals (plain mean where none)."""
    steps = np.arange(0, len(weights), _POINT_MINUTES)
    summed = np.add.reduceat(weights, steps)
    plain = np.add.reduceat(load, steps) / np.diff([*steps, len(weights)])
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_load = np.where(summed > 0, np.add.reduceat(weights * load, steps) / summed, plain)
    return _BlockTheory(weights=summed, loads=mean_load, door_mass=door_mass,
                        door_minutes=door_minutes, model=model, criteria=criteria,
                        step=_POINT_MINUTES * GRID)


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
