"""Allocation at scale: a gain curve per centre, then the placement as a merge of the curves.

Why: centres are independent, so the gain of a centre's k-th extra person depends on that
centre alone. Every centre's curve (+1, +2, ... people: paired differences of the objective on
common random numbers) is simulated in parallel, and K people are then placed by merging the
curves: each person goes where the next gain is largest, ties to the centre listed first. That
is the one-at-a-time greedy of `sim.decide.allocate.greedy_one_at_a_time` (the same scenarios,
seeds and numbers, so the same placement), without waiting for one placement before simulating
the next. Merging is optimal when each centre's gains diminish; `rising_gains` says where they
do not.

A curve is simulated only as deep as the merge needs: the baseline of every centre first; a
centre whose next gain is not simulated stands in the merge with a bound of it (what it has
left to cut), which holds its place among the K; every centre whose bound falls within the K
places is simulated one person deeper, all of them together, and the merge is done again. A
centre that could not gain as much as the K-th person placed is never simulated beyond its
baseline. (Going twice as deep each time needs fewer rounds but simulated about 30% more
levels than the one-at-a-time greedy on a sample of 12 centres; letting the merge run on past
a bound, as if it placed nobody, simulated every centre's next level whenever the known gains
could not fill the K places: benchmarks/country.py.)
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.analysis.confidence import t_interval
from sim.decide.allocate import Placement, Step, objective_values, with_one_more
from sim.experiment.executors import IN_PROCESS, Execution
from sim.scenario.load import BASELINE
from sim.scenario.province.load import ProvinceSet
from sim.scenario.schema import Scenario


@dataclass
class Curve:
    """One centre: its scenario with 0, 1, 2 ... extra people, where each goes, and the
    objective in each replication at every level simulated so far."""

    centre: str
    name: str
    levels: list[Scenario]
    wheres: list[str] = field(default_factory=list)  # where the person from level k goes
    values: list[np.ndarray] = field(default_factory=list)

    def deepen(self, depth: int, objective: str) -> None:
        """Build the scenarios up to `depth` extra people (nothing is simulated here)."""
        while len(self.levels) <= depth:
            more, where = with_one_more(self.levels[-1], objective)
            self.levels.append(more)
            self.wheres.append(where)

    def gain(self, k: int) -> tuple[float, float, float]:
        """Mean and 95% CI of the paired reduction from the (k+1)-th extra person."""
        return t_interval(self.values[k] - self.values[k + 1])

    @property
    def known(self) -> int:
        """How many gains are simulated."""
        return max(0, len(self.values) - 1)


def curves(province: ProvinceSet) -> list[Curve]:
    """A curve per centre, in the order of the file, at its baseline."""
    return [Curve(c.id, c.name, [province.scenarios[c.id].options[BASELINE]])
            for c in province.centres]


def simulate_levels(all_curves: Sequence[Curve], depth: dict[str, int], replications: int,
                    seed: int, objective: str, execution: Execution = IN_PROCESS,
                    on_done: Callable[[], None] | None = None) -> None:
    """Simulate every level not yet simulated up to each centre's `depth`, all in parallel:
    one unit per centre and level, with every replication inside it. A curve's deepest level,
    when not built yet, is built in its unit from the level before: finding the busiest desk
    costs about a tenth of simulating the level, and in this process it held up every round."""
    todo = []
    for curve in all_curves:
        curve.deepen(depth[curve.centre] - 1, objective)
        todo += [(curve, level) for level in range(len(curve.values), depth[curve.centre] + 1)]
    units = [(curve.levels[-1] if level == len(curve.levels) else curve.levels[level],
              level == len(curve.levels), curve.centre, replications, seed, objective)
             for curve, level in todo]
    for (curve, level), (values, placement) in zip(todo, execution.map(level_values, units),
                                                   strict=True):
        assert level == len(curve.values), "levels come back in submission order"
        if placement is not None:
            curve.levels.append(placement.scenario)
            curve.wheres.append(placement.where)
        curve.values.append(values)
        if on_done is not None:
            on_done()


def level_values(scenario: Scenario, build: bool, centre: str, replications: int, seed: int,
                 objective: str) -> tuple[np.ndarray, Placement | None]:
    """The objective in each replication of the scenario, or (with `build`) of the scenario
    with one more person, and that placement."""
    placement = with_one_more(scenario, objective) if build else None
    return objective_values(placement.scenario if placement else scenario, centre,
                            replications, seed, objective), placement


def merge(all_curves: Sequence[Curve], extra_staff: int) -> tuple[list[Step], set[str]]:
    """Place `extra_staff` people by the largest next gain (ties: the centre listed first).

    A centre whose next gain is not simulated yet stands in the queue with a bound of it: the
    mean objective it has now (the objective is never negative, so no person can cut more).
    Where such a bound comes within the `extra_staff` places, the placement needs that
    centre's next gain: the centres returned. The bound holds its place meanwhile, so the
    centres after the last place are not asked for. The steps are those of the one-at-a-time
    greedy when none is returned.
    """
    heap = [_entry(curve, position, 0) for position, curve in enumerate(all_curves)]
    heapq.heapify(heap)
    steps: list[Step] = []
    short: set[str] = set()
    while heap and len(steps) + len(short) < extra_staff:  # a bound holds its place
        _, position, k, bound = heapq.heappop(heap)
        curve = all_curves[position]
        if bound:
            short.add(curve.centre)
            continue
        gain, low, high = curve.gain(k)
        steps.append(Step(len(steps) + 1, curve.centre, curve.name, curve.wheres[k], gain, low,
                          high))
        heapq.heappush(heap, _entry(curve, position, k + 1))
    return steps, short


def _entry(curve: Curve, position: int, k: int) -> tuple[float, int, int, bool]:
    """The queue entry of a centre's (k+1)-th person: its gain, or its bound when the level
    after it is not simulated yet."""
    if k < curve.known:
        return -curve.gain(k)[0], position, k, False
    return -float(np.mean(curve.values[k])), position, k, True


def allocate(province: ProvinceSet, extra_staff: int, replications: int, seed: int,
             objective: str = "waiting", execution: Execution = IN_PROCESS,
             on_done: Callable[[], None] | None = None) -> tuple[list[Step], list[Curve]]:
    """Place `extra_staff` people where each cuts the objective most: the placement, and the
    curves it was merged from."""
    all_curves = curves(province)
    depth = {curve.centre: 0 for curve in all_curves}
    while True:
        simulate_levels(all_curves, depth, replications, seed, objective, execution, on_done)
        steps, short = merge(all_curves, extra_staff)
        if not short:
            return steps, all_curves
        for centre in short:  # one person deeper: no level is simulated that is not needed
            depth[centre] += 1


def rising_gains(all_curves: Sequence[Curve]) -> list[tuple[str, int, bool]]:
    """Where a centre's gains do not diminish: (centre, k, clear) when the (k+1)-th person
    gains more than the k-th; clear when the paired 95% interval of the rise excludes 0.
    There the merge (greedy) may miss the best placement."""
    rising = []
    for curve in all_curves:
        for k in range(1, curve.known):
            rise = (curve.values[k] - curve.values[k + 1]) - (curve.values[k - 1]
                                                             - curve.values[k])
            mean, low, _ = t_interval(rise)
            if mean > 0:
                rising.append((curve.centre, k, bool(low > 0)))
    return rising
