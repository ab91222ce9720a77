"""Judging rosters by simulation: how far each falls short of the targets, and at what cost.

Several rosters are simulated in one experiment, as options of one scenario set, so that they
see the same citizens (common random numbers) and run on the same workers. Waiting targets are
judged on each desk's own visits (as `sim staff` does), the other targets (dossiers on time,
overdue, lateness, sent home) on the centre's summary; each by the bound of its 95% interval on
the safe side: a roster meets the targets when each bound does. Each replication's shortfall is
the sum over targets of how far that replication's value lies beyond the target, relative to the
target; rosters are ranked by meeting every target, then by their mean shortfall (what the paired
comparison of two rosters measures, and steadier over few replications than the bounds), then by
fewer staff-hours of overtime, then by fewer switches between roles. A search keeps a change only
when it `beats` the roster it changes beyond the noise of the replications (`Judged.beats`): the
lowest of many rosters judged on the same few replications is partly the luck of those
replications, and a change that wins only by luck loses again on fresh ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.confidence import t_interval
from sim.analysis.staffing.blocks import Block
from sim.analysis.staffing.check import BlockValues, block_frame, check_frame, per_desk_metrics
from sim.analysis.staffing.criteria import Criterion
from sim.analysis.targets import TARGET_METRICS, Target, target_minutes
from sim.experiment.executors import Execution
from sim.experiment.runner import Results, run_experiment
from sim.model.calendar import Timeline
from sim.scenario.load import ScenarioSet
from sim.scenario.schema import Scenario

OVERTIME_METRIC = "overtime_staff_hours"
CENTRE = "centre"  # the check's desk column for targets judged on the whole centre
#: The upper end of a two-sided 90% interval is a one-sided 95% bound.
ONE_SIDED_95 = 0.90


def relative_shortfall(target: Target, value: float) -> float:
    """How far a value lies beyond a target, relative to the target (0: met; infinite: no
    number)."""
    if not np.isfinite(value):
        return np.inf
    return target.shortfall(value) / (abs(target.value) or 1.0)


@dataclass(frozen=True)
class Judged:
    """One roster's simulation as the search judges it."""

    shortfall: float  # summed over targets, by the safe-side bounds; 0: every target met
    shortfalls: np.ndarray  # each replication's own shortfall
    overtime: float  # staff-hours of overtime, mean over replications
    switches: int
    check: pd.DataFrame  # desk (or centre), target, mean, ci_low, ci_high, bound, met
    blocks: dict[str, BlockValues]  # each desk's per-block criterion values
    summary: pd.DataFrame  # the roster's centre-level summary

    @property
    def met(self) -> bool:
        return self.shortfall == 0

    @property
    def score(self) -> float:
        """The mean over replications of each replication's own shortfall."""
        return float(np.mean(self.shortfalls))

    def key(self) -> tuple[bool, float, float, int]:
        """Smaller is better: every target met, then the mean shortfall, then overtime, then
        switches."""
        return (not self.met, round(self.score, 9), round(self.overtime, 6), self.switches)

    def beats(self, other: Judged) -> bool:
        """Whether this roster is better than `other`, both simulated on the same citizens,
        beyond the noise of the replications: it meets every target where the other does not;
        or, as both do or both do not, each replication's shortfall minus the other's has its
        one-sided 95% bound below 0; or, with every replication's shortfall the same (both meet
        every target in each), `key` prefers it (less overtime, then fewer switches)."""
        if self.met != other.met:
            return self.met
        difference = self.shortfalls - other.shortfalls
        if not np.any(difference):
            return self.key() < other.key()
        return bool(t_interval(difference, ONE_SIDED_95)[2] < 0)

    def failing(self) -> list[str]:
        """The desks (or ``centre``) with a target not met."""
        return list(dict.fromkeys(self.check.loc[~self.check["met"], "desk"]))

    def problems(self) -> list[str]:
        return [f"{r.desk} {r.target} (bound {r.bound:.3g})"
                for r in self.check[~self.check["met"]].itertuples()]


@dataclass(frozen=True)
class Judge:
    """What rosters are judged by: the targets, the desks, the blocks of the day."""

    baseline: Scenario
    source: str
    targets: tuple[Target, ...]
    labels: tuple[str, ...]  # the desks, as the visits name them
    blocks: tuple[Block, ...]
    criteria: tuple[Criterion, ...]
    timeline: Timeline
    execution: Execution

    @property
    def desk_targets(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.metric in TARGET_METRICS)

    @property
    def centre_targets(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.metric not in TARGET_METRICS)

    def run(self, scenarios: dict[str, Scenario], replications: int, seed: int) -> Results:
        """The scenarios simulated together on the same citizens."""
        return run_experiment(ScenarioSet(self.source, self.baseline, scenarios), replications,
                              seed, execution=self.execution)

    def judge(self, results: Results, option: str, switches: int) -> Judged:
        """One option of an experiment judged."""
        visits = results.visits[results.visits["option"] == option]
        summary = results.summary[results.summary["option"] == option].drop(columns="option")
        warmup, minutes = self.baseline.warmup_minutes, target_minutes(self.baseline)
        per_desk = per_desk_metrics(visits, warmup, minutes, self.labels)
        check = pd.concat([check_frame(per_desk, self.desk_targets, self.labels, True),
                           self._centre_check(summary)], ignore_index=True)
        check["met"] = check["met"].astype(bool)  # an empty frame beside makes them objects
        shortfall = sum(relative_shortfall(t, bound) for t, bound in zip(
            [*(t for _ in self.labels for t in self.desk_targets), *self.centre_targets],
            check["bound"], strict=True) if not np.isnan(bound))  # NaN: nobody came
        overtime = _metric(summary, OVERTIME_METRIC)
        runs = results.replications[results.replications["option"] == option]
        shortfalls = self._shortfalls(per_desk, runs, len(results.seeds))
        return Judged(float(shortfall), shortfalls, overtime, switches, check,
                      block_frame(visits, warmup, self.timeline, self.blocks, self.criteria,
                                  self.labels), summary)

    def _centre_check(self, summary: pd.DataFrame) -> pd.DataFrame:
        rows = []
        for target in self.centre_targets:
            row = summary[summary["metric"] == target.metric]
            mean, low, high = (float(row[c].iloc[0]) if len(row) else np.nan
                               for c in ("mean", "ci_low", "ci_high"))
            bound = target.safe_bound(low, high)
            bound = mean if not np.isfinite(bound) else bound
            rows.append({"desk": CENTRE, "target": str(target), "mean": mean, "ci_low": low,
                         "ci_high": high, "bound": bound, "met": target.holds(bound)})
        return pd.DataFrame(rows, columns=["desk", "target", "mean", "ci_low", "ci_high",
                                           "bound", "met"])

    def replication_shortfalls(self, results: Results, option: str) -> np.ndarray:
        """Each replication's own shortfall (every target judged on that replication's value):
        the paired quantity by which two rosters simulated on the same citizens compare."""
        visits = results.visits[results.visits["option"] == option]
        per_desk = per_desk_metrics(visits, self.baseline.warmup_minutes,
                                    target_minutes(self.baseline), self.labels)
        runs = results.replications[results.replications["option"] == option]
        return self._shortfalls(per_desk, runs, len(results.seeds))

    def _shortfalls(self, per_desk: pd.DataFrame, runs: pd.DataFrame, replications: int
                    ) -> np.ndarray:
        """Each replication's shortfall from the desks' and the centre's metric rows."""
        total = np.zeros(replications)
        for target in self.desk_targets:
            values = per_desk[per_desk["metric"] == target.metric]
            total += _per_replication(values, target, replications)
        for target in self.centre_targets:
            total += _per_replication(runs[runs["metric"] == target.metric], target,
                                      replications)
        return total


def _per_replication(values: pd.DataFrame, target: Target, replications: int) -> np.ndarray:
    """Per replication, the target's shortfall summed over the rows (desks) of that
    replication; a value that is not a number counts as nothing to fall short of."""
    found = np.zeros(replications)
    for replication, value in zip(values["replication"], values["value"], strict=True):
        if np.isfinite(value):
            found[int(replication)] += relative_shortfall(target, float(value))
    return found


def _metric(summary: pd.DataFrame, metric: str) -> float:
    row = summary[summary["metric"] == metric]
    return float(row["mean"].iloc[0]) if len(row) else 0.0

