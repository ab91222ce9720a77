"""Allocation at scale: a gain curve per centre, then the placement as a merge of the curves.

Why: centres are independent, so the gain of a centre's k-th extra person depends on that
centre alone. Every centre's curve (+1, +2, ... people: paired differences of the objective on
common random numbers) is simulated in parallel, and K people are then placed by merging the
curves: each person goes where the next gain is largest, ties to the centre listed first. That
is the one-at-a-time greedy of `sim.decide.allocate.greedy_one_at_a_time` (the same scenarios,
seeds and numbers, so the same placement), without waiting for one placement before simulating
the next. Merging is optimal when each centre's gains diminish; `rising_gains` says where they
do not.

A curve is simulated only as deep as the merge needs: one person per centre first, then twice
as deep at each centre whose every simulated gain the merge took before it had placed all K.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.analysis.confidence import t_interval
from sim.decide.allocate import Step, objective_values, with_one_more
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
    one unit per centre and level, with every replication inside it."""
    todo = []
    for curve in all_curves:
        curve.deepen(depth.get(curve.centre, curve.known), objective)
        todo += [(curve, level) for level in range(len(curve.values),
                                                   depth.get(curve.centre, curve.known) + 1)]
    units = [(curve.levels[level], curve.centre, replications, seed, objective)
             for curve, level in todo]
    for (curve, level), values in zip(todo, execution.map(objective_values, units), strict=True):
        assert level == len(curve.values), "levels come back in submission order"
        curve.values.append(values)
        if on_done is not None:
            on_done()


def merge(all_curves: Sequence[Curve], extra_staff: int) -> tuple[list[Step], set[str]]:
    """Place `extra_staff` people by the largest next gain (ties: the centre listed first).

    Returns the steps and the centres whose simulated gains ran out while people were still
    being placed: their next gain is unknown, so the steps are exact only when none did.
    """
    heap = [(-curve.gain(0)[0], position, 0) for position, curve in enumerate(all_curves)
            if curve.known]
    heapq.heapify(heap)
    steps: list[Step] = []
    ran_out: list[str] = []
    while heap and len(steps) < extra_staff:
        _, position, k = heapq.heappop(heap)
        curve = all_curves[position]
        gain, low, high = curve.gain(k)
        steps.append(Step(len(steps) + 1, curve.centre, curve.name, curve.wheres[k], gain, low,
                          high))
        if k + 1 < curve.known:
            heapq.heappush(heap, (-curve.gain(k + 1)[0], position, k + 1))
        else:
            ran_out.append(curve.centre)
    # A centre that ran out at the very last step changed nothing: nobody came after it.
    short = set(ran_out[:-1]) | ({ran_out[-1]} if ran_out and steps[-1].centre != ran_out[-1]
                                 else set())
    return steps, short | _unreached(all_curves, extra_staff, steps)


def _unreached(all_curves: Sequence[Curve], extra_staff: int, steps: list[Step]) -> set[str]:
    """When every simulated gain was used and people are left, every centre needs more."""
    return {curve.centre for curve in all_curves} if len(steps) < extra_staff else set()


def allocate(province: ProvinceSet, extra_staff: int, replications: int, seed: int,
                       objective: str = "waiting", execution: Execution = IN_PROCESS,
                       on_done: Callable[[], None] | None = None
                       ) -> tuple[list[Step], list[Curve]]:
    """Place `extra_staff` people where each cuts the objective most: the placement, and the
    curves it was merged from."""
    all_curves = curves(province)
    depth = {curve.centre: 1 for curve in all_curves}
    while True:
        simulate_levels(all_curves, depth, replications, seed, objective, execution, on_done)
        steps, short = merge(all_curves, extra_staff)
        if not short:
            return steps, all_curves
        for centre in short:  # twice as deep, never deeper than all the people there are
            depth[centre] = min(extra_staff, 2 * depth[centre])


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
