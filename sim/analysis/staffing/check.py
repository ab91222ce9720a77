"""The simulation check: how a simulated schedule measures up to the targets, per desk and block.

From the visits of one simulation it computes each desk's target metrics per replication, judges
them by their 95% interval (the desk-level check), and averages each criterion per block over
replications and days (the block values that tell the search where a desk falls short). It
knows nothing of how schedules are chosen.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.confidence import t_interval
from sim.analysis.staffing.blocks import Block
from sim.analysis.staffing.criteria import Criterion
from sim.analysis.targets import TARGET_METRICS, Target
from sim.analysis.waits import VisitWaits, wait_statistics
from sim.model.calendar import MINUTES_PER_DAY, Timeline

CHECK_COLUMNS = ["desk", "target", "mean", "ci_low", "ci_high", "bound", "met"]


def per_desk_metrics(visits: pd.DataFrame, warmup_end: float, within_minutes: float,
                     desks: Iterable[str] | None = None) -> pd.DataFrame:
    """Target metrics of each desk on its own visits, per replication: replication, desk,
    metric, value (the wait statistics of `sim.analysis.waits`, on one desk's visits)."""
    counted = visits[visits["arrival"] >= warmup_end]
    if desks is not None:
        counted = counted[counted["desk"].isin(list(desks))]
    rows = []
    for (replication, desk), group in counted.groupby(["replication", "desk"], observed=True):
        values = wait_statistics(VisitWaits.of_frame(group), within_minutes)
        rows += [{"replication": replication, "desk": desk, "metric": name, "value": values[name]}
                 for name in TARGET_METRICS]
    return pd.DataFrame(rows, columns=["replication", "desk", "metric", "value"])


def check_frame(per_desk: pd.DataFrame, targets: Sequence[Target], labels: Sequence[str],
                 conservative: bool) -> pd.DataFrame:
    """Per desk and target: mean, 95% interval, the bound judged and whether it holds."""
    rows = []
    for label in labels:
        mine = per_desk[per_desk["desk"] == label]
        for target in targets:
            values = mine.loc[mine["metric"] == target.metric, "value"].to_numpy(dtype=float)
            rows.append({"desk": label, "target": str(target),
                         **_judged(target, values, conservative)})
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def _judged(target: Target, values: np.ndarray, conservative: bool) -> dict:
    """Mean, interval, bound and verdict of one target on a desk's per-replication values:
    the safe-side bound when `conservative`, else (and with one replication) the mean."""
    if not len(values):  # nobody came to this desk: nothing to fall short of
        return {"mean": np.nan, "ci_low": np.nan, "ci_high": np.nan, "bound": np.nan,
                "met": True}
    mean, low, high = t_interval(values)
    bound = target.safe_bound(low, high) if conservative else mean
    if not math.isfinite(bound):  # one replication has no interval: judge the mean
        bound = mean
    return {"mean": mean, "ci_low": low, "ci_high": high, "bound": bound,
            "met": target.holds(bound)}


@dataclass(frozen=True)
class BlockValues:
    """One desk's per-block criterion values from a simulation: visits per block, and per
    block and criterion the mean over replications and the low end of its 95% interval."""

    visits: np.ndarray
    mean: np.ndarray
    low: np.ndarray


@dataclass(frozen=True)
class Evaluation:
    """One simulation of a schedule as the search judges it: the desk-level check, each desk's
    block values, and the centre-level summary."""

    check: pd.DataFrame
    blocks: dict[str, BlockValues]
    summary: pd.DataFrame

    def met(self, label: str) -> bool:
        return bool(self.check.loc[self.check["desk"] == label, "met"].all())


@dataclass(frozen=True)
class _Placed:
    """Counted visits placed in the blocks of the day."""

    block: np.ndarray  # index of each visit's block (0 where `known` is False)
    known: np.ndarray  # bool: the visit falls in a block
    wait: np.ndarray  # minutes waited from the block's opening on


def block_frame(visits: pd.DataFrame, warmup_end: float, timeline: Timeline,
                 blocks: Sequence[Block], criteria: Sequence[Criterion],
                 labels: Sequence[str]) -> dict[str, BlockValues]:
    """Per desk: visits and each criterion's mean per block, over all replications and days."""
    counted = visits[visits["arrival"] >= warmup_end]
    observed = VisitWaits.of_frame(counted)
    placed = _place(counted["arrival"].to_numpy(dtype=float), observed.wait, timeline, blocks)
    in_blocks = VisitWaits(placed.wait, observed.reached, observed.abandoned)
    columns = [criterion.per_visit(in_blocks) for criterion in criteria]
    desks = counted["desk"].astype(str).to_numpy()
    replication = counted["replication"].to_numpy(dtype=np.int64)
    runs = int(replication.max()) + 1 if len(replication) else 1
    cells = replication * len(blocks) + placed.block
    frames = {}
    for label in labels:
        mine = placed.known & (desks == label)
        frames[label] = _block_values(cells[mine], [values[mine] for values in columns], runs,
                                      len(blocks))
    return frames


def _place(arrival: np.ndarray, wait: np.ndarray, timeline: Timeline,
           blocks: Sequence[Block]) -> _Placed:
    """A visit belongs to the block of its arrival; one who arrived while the centre was closed
    belongs to the block at the next opening, and only the wait after that opening counts (as
    in the theory step)."""
    starts = np.array([start for start, _ in timeline.periods])
    ends = np.array([end for _, end in timeline.periods])
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
    return _Placed(np.maximum(index, 0), known, wait)


def _block_values(cells: np.ndarray, columns: Sequence[np.ndarray], runs: int,
                  blocks: int) -> BlockValues:
    """Visits per block, and per block and criterion the mean over replications and the low
    end of its 95% interval; `cells` number the (replication, block) of each visit."""
    size = runs * blocks
    count = np.bincount(cells, minlength=size).reshape(runs, -1)
    per_run = np.stack([np.bincount(cells, weights=values, minlength=size).reshape(runs, -1)
                        for values in columns], axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_run = np.where(count[..., None] > 0, per_run / count[..., None], np.nan)
    return _across_runs(count.sum(axis=0).astype(float), per_run)


def _across_runs(visits: np.ndarray, per_run: np.ndarray) -> BlockValues:
    """Mean over replications, and the low end of its 95% t interval (the mean itself with
    fewer than two replications), per block and criterion; 0 where no replication had visits."""
    runs = (~np.isnan(per_run)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(runs > 0, np.nansum(per_run, axis=0) / runs, 0.0)
        spread = np.sqrt(np.nansum((per_run - mean) ** 2, axis=0) / (runs - 1))
        half = stats.t.ppf(0.975, np.maximum(runs - 1, 1)) * spread / np.sqrt(runs)
    return BlockValues(visits, mean, np.where(runs > 1, mean - half, mean))
