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
from sim.analysis.staffing.targets import Criterion, Target
from sim.model.calendar import MINUTES_PER_DAY, Timeline


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


def check_frame(per_desk: pd.DataFrame, targets: Sequence[Target], labels: Sequence[str],
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


def block_frame(visits: pd.DataFrame, warmup_end: float, timeline: Timeline,
                 blocks: Sequence[Block], criteria: Sequence[Criterion],
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
class Evaluation:
    check: pd.DataFrame
    blocks: dict[str, _BlockValues]
    summary: pd.DataFrame

    def met(self, label: str) -> bool:
        return bool(self.check.loc[self.check["desk"] == label, "met"].all())
