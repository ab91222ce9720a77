"""The numbers each figure shows, computed from a results set without drawing anything.

One function per figure returns a small tidy frame, or a dataclass of them, with named columns:
waits in minutes, clock times as minutes since midnight (``slot``: the start of a half-hour),
dates as timestamps. The drawing code (``sim/output/figures``) only draws what these return,
so what a figure shows is tested here without matplotlib. Like the metrics, everything counts
only what happens after each option's warm-up.

>>> import sim
>>> results = sim.run(sim.DEMO_SCENARIO, replications=1, options=["baseline"],
...                   overrides=["calendar.working_days=1"])
>>> curves = wait_curves(results)
>>> list(curves.curves.columns), len(curves.curves) == ECDF_POINTS
(['option', 'wait', 'share'], True)
>>> [(target.metric, target.minutes, target.share) for target in curves.targets]
[('wait_p90', 30.0, 0.9), ('within_target_share', 15.0, 0.8)]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from sim.analysis.frames import SLOT_MINUTES, SLOT_STARTS
from sim.analysis.targets import scenario_targets, target_minutes
from sim.model.calendar import MINUTES_PER_DAY
from sim.scenario.load import ScenarioSet
from sim.scenario.schema import Targets

ECDF_POINTS = 800  # points of each wait curve: smooth at any width of the figure
MIN_VISITS_PER_SLOT = 5  # waits by time of day: fewer visits than this in a half-hour is a gap
BAND_LOW, BAND_HIGH = 0.1, 0.9  # quantiles over replications (or days) that bands span
HEADLINE_METRICS: tuple[str, ...] = ("wait_mean", "wait_p90", "within_target_share",
                                     "abandoned_share", "on_time_share", "overdue",
                                     "wasted_trip_share")
BACKLOG_MEASURES: tuple[str, ...] = ("open_dossiers", "open_transferred", "overdue")
# The columns of each table that the figures read (a streamed run reads only these back to
# draw its report): the figures are checked to draw the same from them as from every column.
FIGURE_COLUMNS: dict[str, tuple[str, ...]] = {
    "visits": ("option", "arrival", "wait"),
    "intervals": ("option", "replication", "desk", "day", "time", "arrivals", "queue_mean",
                  "busy_mean", "open_mean"),
    "dossiers": ("option", "replication", "received", "due", "completed"),  # the indicators
    "daily": ("option", "replication", "day", "date", *BACKLOG_MEASURES),
}


class ResultFrames(Protocol):
    """What the figures read of a results set (:class:`sim.experiment.runner.Results`), named
    here so that analysis does not depend on how experiments are run."""

    @property
    def scenarios(self) -> ScenarioSet: ...
    @property
    def summary(self) -> pd.DataFrame: ...
    @property
    def visits(self) -> pd.DataFrame: ...
    @property
    def intervals(self) -> pd.DataFrame: ...
    @property
    def dossiers(self) -> pd.DataFrame: ...
    @property
    def daily(self) -> pd.DataFrame: ...


# --- what the metrics count ----------------------------------------------------------------------
def warmups(results: ResultFrames) -> dict[str, float]:
    """Each option's warm-up, in minutes since the start date's midnight."""
    return {option: scenario.warmup_minutes
            for option, scenario in results.scenarios.options.items()}


def counted_visits(results: ResultFrames) -> pd.DataFrame:
    """Visits that arrived after their option's warm-up, as the metrics count them."""
    visits = results.visits
    warmup = visits["option"].map(warmups(results)).astype(float)
    return visits[visits["arrival"] >= warmup]


def counted_intervals(results: ResultFrames) -> pd.DataFrame:
    """Intervals that start after their option's warm-up, with ``slot``: the minute since
    midnight at which the half-hour starts."""
    intervals = results.intervals
    slot = intervals["time"].map(SLOT_STARTS).to_numpy(dtype=int)
    start = day_midnights(results, intervals) + slot
    warmup = intervals["option"].map(warmups(results)).astype(float).to_numpy()
    return intervals.assign(slot=slot)[start >= warmup]


def day_midnights(results: ResultFrames, rows: pd.DataFrame) -> np.ndarray:
    """Minutes from the start date's midnight to the midnight of each row's opening day (rows
    with option, replication and day, as in the intervals table)."""
    keys = ["option", "replication", "day"]
    dates = rows[keys].merge(results.daily[[*keys, "date"]], on=keys, how="left")["date"]
    starts = {option: pd.Timestamp(scenario.calendar.start)
              for option, scenario in results.scenarios.options.items()}
    days = (pd.to_datetime(dates.to_numpy())
            - pd.to_datetime(rows["option"].map(starts).to_numpy())).days
    return np.asarray(days) * MINUTES_PER_DAY


def active_slots(intervals: pd.DataFrame, with_arrivals: bool = True,
                 with_queue: bool = True) -> np.ndarray:
    """Half-hours (``slot``) from the first to the last in which a counter was open, or someone
    arrived, or someone waited (as asked): the stretch of the day a figure spans."""
    active = intervals["open_mean"] > 0
    if with_arrivals:
        active |= intervals["arrivals"] > 0
    if with_queue:
        active |= intervals["queue_mean"] > 0
    active = intervals.loc[active, "slot"]
    if active.empty:
        return np.array([], dtype=int)
    return np.arange(active.min(), active.max() + 1, SLOT_MINUTES)


def every_slot(table: pd.DataFrame, options: Iterable[str], slots: np.ndarray) -> pd.DataFrame:
    """The table's rows (option, slot, ...) for every option and every one of ``slots``, in that
    order, with NaN where the table has none: a gap in a line rather than a line across it."""
    frames = [table[table["option"] == option].drop(columns="option").set_index("slot")
              .reindex(slots).rename_axis("slot").reset_index().assign(option=option)
              for option in options]
    frame = pd.concat(frames, ignore_index=True)
    return frame[["option", *(column for column in frame.columns if column != "option")]]


# --- waits -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class WaitTarget:
    """A target on the wait curves: at least ``share`` of visits wait at most ``minutes``.

    ``metric`` is the target's name in the scenario (``wait_p90`` or ``within_target_share``).
    """

    metric: str
    minutes: float
    share: float


@dataclass(frozen=True)
class WaitCurves:
    """The empirical distribution of waits of each option, on one grid of minutes."""

    curves: pd.DataFrame  # option, wait, share (of the option's visits waiting at most `wait`)
    targets: tuple[WaitTarget, ...]
    right: float  # the grid's end: the 99th-percentile wait, or just beyond the targets
    cut: bool  # some waits are longer than `right`


def wait_targets(targets: Targets) -> tuple[WaitTarget, ...]:
    """The scenario's targets that are points on the wait distribution."""
    marks = []
    for target in scenario_targets(targets):
        if target.metric == "wait_p90":
            marks.append(WaitTarget(target.metric, target.value, 0.9))
        elif target.metric == "within_target_share" and targets.within_target_share is not None:
            marks.append(WaitTarget(target.metric, targets.within_target_share.minutes,
                                    target.value))
    return tuple(marks)


def wait_curves(results: ResultFrames) -> WaitCurves:
    """ECDF of the waits of all counted visits per option, pooled over replications. Waits
    include those who gave up or were sent home (as ``wait_p90`` does)."""
    visits = counted_visits(results)
    targets = wait_targets(results.scenarios.baseline.targets)
    pooled = visits["wait"].to_numpy()
    tail = float(np.percentile(pooled, 99)) if len(pooled) else 1.0
    right = max(tail, *(1.25 * target.minutes for target in targets), 1.0)
    grid = np.linspace(0.0, right, ECDF_POINTS)
    curves = [_ecdf(option, visits.loc[visits["option"] == option, "wait"].to_numpy(), grid)
              for option in results.scenarios.options]
    return WaitCurves(pd.concat(curves, ignore_index=True), targets, right,
                      bool(len(pooled) and pooled.max() > right))


def _ecdf(option: str, waits: np.ndarray, grid: np.ndarray) -> pd.DataFrame:
    """Share of ``waits`` at or below each point of the grid (no rows without waits)."""
    values = np.sort(waits)
    if len(values) == 0:
        grid = grid[:0]
    share = np.searchsorted(values, grid, side="right") / max(len(values), 1)
    return pd.DataFrame({"option": option, "wait": grid, "share": share})


def waits_by_time_of_day(results: ResultFrames) -> pd.DataFrame:
    """Per option and half-hour of arrival (``slot``), pooled over days and replications: the
    visits, their mean and 90th-percentile wait. Every half-hour from the first to the last
    with enough visits is a row; those with fewer than MIN_VISITS_PER_SLOT are NaN (gaps)."""
    visits = counted_visits(results)
    slot = (visits["arrival"].to_numpy() % MINUTES_PER_DAY) // SLOT_MINUTES * SLOT_MINUTES
    grouped = visits.assign(slot=slot).groupby(["option", "slot"], observed=True)["wait"]
    table = pd.DataFrame({"visits": grouped.size(), "mean": grouped.mean(),
                          "p90": grouped.quantile(0.9)}).reset_index()
    table = table[table["visits"] >= MIN_VISITS_PER_SLOT]
    slots = (np.arange(table["slot"].min(), table["slot"].max() + 1, SLOT_MINUTES)
             if len(table) else np.array([], dtype=float))
    return every_slot(table, results.scenarios.options, slots)


# --- counters --------------------------------------------------------------------------------
def queue_through_day(results: ResultFrames) -> pd.DataFrame:
    """Citizens waiting in the whole centre per option and half-hour of a typical day.

    For each replication the typical day is the median, half-hour by half-hour, over its days
    of the queue length (time-averaged within the half-hour, summed over desks); ``median``,
    ``low`` and ``high`` are the median and the BAND_LOW and BAND_HIGH quantiles of these over
    replications.
    """
    intervals = counted_intervals(results)
    centre = (intervals.groupby(["option", "replication", "day", "slot"], observed=True)
              ["queue_mean"].sum().reset_index())
    typical = (centre.groupby(["option", "replication", "slot"], observed=True)["queue_mean"]
               .median().reset_index())
    by_slot = typical.groupby(["option", "slot"], observed=True)["queue_mean"]
    table = pd.DataFrame({"median": by_slot.median(), "low": by_slot.quantile(BAND_LOW),
                          "high": by_slot.quantile(BAND_HIGH)}).reset_index()
    slots = active_slots(intervals, with_queue=False)
    return every_slot(table, results.scenarios.options, slots)


def chosen_option(scenarios: ScenarioSet, option: str | None) -> str:
    """The option named, or the baseline; an unknown name is an error that lists the options."""
    option = option if option is not None else next(iter(scenarios.options))
    if option not in scenarios.options:
        raise ValueError(f"no option {option!r}; the options are " + ", ".join(scenarios.options))
    return option


def desk_utilisation(results: ResultFrames, option: str | None = None) -> pd.DataFrame:
    """Share of open counters that are busy, desks (index ``desk``, in the intervals' order) by
    half-hours (columns ``slot``) from the first to the last with a counter open, over all days
    and replications of one option (the baseline unless named).

    Each cell is busy counter-minutes over open counter-minutes (or busy ones, when a closed
    counter finishes its citizen); NaN where the desk was never open.
    """
    option = chosen_option(results.scenarios, option)
    intervals = counted_intervals(results)
    intervals = intervals[intervals["option"] == option]
    slots = active_slots(intervals, with_arrivals=False, with_queue=False)
    desks = list(pd.unique(intervals["desk"]))
    available = np.maximum(intervals["busy_mean"], intervals["open_mean"])
    sums = (intervals.assign(available=available)
            .groupby(["desk", "slot"], observed=True)[["busy_mean", "open_mean", "available"]]
            .sum())
    share = (sums["busy_mean"] / sums["available"]).where(sums["open_mean"] > 0)
    return (share.unstack("slot").reindex(index=desks, columns=slots)
            .rename_axis(index="desk", columns="slot"))


# --- back office -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Backlog:
    """Back-office dossiers at the end of each day, over replications."""

    days: pd.DataFrame  # option, date, measure (BACKLOG_MEASURES), mean, low, high
    transferred: bool  # some dossiers came from the district: their line is worth drawing
    overdue_target: float | None


def backlog_by_day(results: ResultFrames) -> Backlog | None:
    """Open, transferred and overdue dossiers at the end of each day per option: the mean over
    replications and the BAND_LOW and BAND_HIGH quantiles. None without a back office (no
    dossiers at all)."""
    if results.dossiers.empty:
        return None
    daily = results.daily.assign(date=pd.to_datetime(results.daily["date"]))
    grouped = daily.groupby(["option", "date"], observed=True)[list(BACKLOG_MEASURES)]
    statistics = {"mean": grouped.mean(), "low": grouped.quantile(BAND_LOW),
                  "high": grouped.quantile(BAND_HIGH)}
    days = pd.concat({name: frame.melt(var_name="measure", value_name=name, ignore_index=False)
                      .set_index("measure", append=True)[name]
                      for name, frame in statistics.items()}, axis=1).reset_index()
    days["option"] = days["option"].astype(str)
    return Backlog(days, bool((daily["open_transferred"] > 0).any()),
                   results.scenarios.baseline.targets.overdue)


# --- options -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class MetricPanel:
    """One summary metric of every option, with its 95% confidence interval."""

    metric: str
    share: bool  # a share (0 to 1): intervals are clipped at 1 and values shown as percentages
    target: float | None  # the baseline's target for it, if any
    options: pd.DataFrame  # option, mean, low, high (interval clipped), below, above


@dataclass(frozen=True)
class OptionMetrics:
    """The panels of the options figure, and the minutes of the within-target share."""

    panels: tuple[MetricPanel, ...]
    options: tuple[str, ...]
    target_minutes: float


def chosen_metrics(summary: pd.DataFrame, metrics: Sequence[str] | None) -> list[str]:
    """The metrics asked for (each must be in the summary), or the headline ones that have a
    value (none when nobody came in any run)."""
    if metrics is None:
        available = set(summary.loc[summary["mean"].notna(), "metric"])
        return [metric for metric in HEADLINE_METRICS if metric in available]
    missing = [metric for metric in metrics if metric not in set(summary["metric"])]
    if missing:
        raise ValueError(f"no metric {missing[0]!r} in the summary")
    if not metrics:
        raise ValueError("no metrics to compare")
    return list(metrics)


def metric_target(targets: Targets, metric: str) -> float | None:
    """The scenario's target for a summary metric, if it sets one."""
    return next((t.value for t in scenario_targets(targets) if t.metric == metric), None)


def option_metrics(results: ResultFrames,
                   metrics: Sequence[str] | None = None) -> OptionMetrics | None:
    """Mean over replications and 95% CI of each metric for every option (HEADLINE_METRICS that
    have a value, unless named; None when none has: nobody came in any run). Intervals are
    clipped to what the metric can take: no negative values, no share above 1."""
    summary = results.summary.astype({"option": str})
    metrics = chosen_metrics(summary, metrics)
    if not metrics:
        return None
    options = tuple(results.scenarios.options)
    table = summary.set_index(["metric", "option"])
    targets = results.scenarios.baseline.targets
    panels = tuple(_panel(table.loc[metric].reindex(options), metric, targets)
                   for metric in metrics)
    return OptionMetrics(panels, options, target_minutes(results.scenarios.baseline))


def _panel(rows: pd.DataFrame, metric: str, targets: Targets) -> MetricPanel:
    """One metric's rows (index option) with the interval clipped and its distances from the
    mean (zero where there is no interval)."""
    share = metric.endswith("_share") or metric.startswith("utilisation")
    upper_bound = 1.0 if share else np.inf
    mean = rows["mean"].to_numpy(dtype=float)
    low = np.clip(rows["ci_low"].to_numpy(dtype=float), 0, upper_bound)
    high = np.clip(rows["ci_high"].to_numpy(dtype=float), 0, upper_bound)
    below, above = np.nan_to_num(np.vstack([mean - low, high - mean]), nan=0.0).clip(min=0)
    options = pd.DataFrame({"option": list(rows.index), "mean": mean, "low": low, "high": high,
                            "below": below, "above": above})
    return MetricPanel(metric, share, metric_target(targets, metric), options)
