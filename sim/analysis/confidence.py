"""Across replications: mean, standard deviation and a Student-t 95% confidence interval.

Replications are independent (each has its own seed), so the t interval on their per-run values
is the honest statement of how sure we are about a metric.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

CONFIDENCE = 0.95


def t_interval(values: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """(mean, low, high) of a Student-t interval; low and high are NaN with fewer than 2 values.

    >>> mean, low, high = t_interval(np.array([1.0, 2.0, 3.0]))
    >>> mean, round(low, 3), round(high, 3)
    (2.0, -0.484, 4.484)
    """
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return np.nan, np.nan, np.nan
    mean = float(values.mean())
    if len(values) < 2:
        return mean, np.nan, np.nan
    half = _t_quantile(confidence, len(values) - 1) * float(values.std(ddof=1)) / float(
        np.sqrt(len(values)))
    return mean, mean - half, mean + half


@lru_cache(maxsize=256)
def _t_quantile(confidence: float, freedom: int) -> float:
    """The two-sided Student-t quantile: asked once per count of replications, not once per
    metric (a country's summary has a row per centre and metric)."""
    return float(stats.t.ppf(0.5 + confidence / 2, freedom))


def summarise(replications: pd.DataFrame, by: tuple[str, ...] = ("option", "metric")
              ) -> pd.DataFrame:
    """Tidy summary: the `by` ids, then mean, std, ci_low, ci_high, replications; a row per
    group, in the order groups first appear. Each group's values are cut out of one sorted
    array rather than a frame per group (a country has a group per centre and metric)."""
    grouped = replications.groupby(list(by), sort=False, observed=True)
    codes = grouped.ngroup().fillna(-1).to_numpy(dtype=np.int64)
    rows = np.flatnonzero(codes >= 0)  # a row with a missing id is in no group
    order = rows[np.argsort(codes[rows], kind="stable")]
    bounds = np.cumsum(np.bincount(codes[rows], minlength=grouped.ngroups))[:-1]
    values = replications["value"].to_numpy(dtype=float)[order]
    firsts = replications.iloc[order[np.concatenate([[0], bounds])]] if len(order) else \
        replications.iloc[:0]
    frame = pd.DataFrame({key: firsts[key].to_numpy() for key in by})
    stats_rows = [_group_summary(chunk) for chunk in np.split(values, bounds)] if len(order) \
        else []
    for position, column in enumerate(("mean", "std", "ci_low", "ci_high", "replications")):
        frame[column] = [row[position] for row in stats_rows]
    return frame


def _group_summary(values: np.ndarray) -> tuple[float, float, float, float, int]:
    """mean, std, ci_low, ci_high and the count of one group's values (NaN left out)."""
    mean, low, high = t_interval(values)
    valid = values[~np.isnan(values)]
    return (mean, float(valid.std(ddof=1)) if len(valid) > 1 else np.nan, low, high,
            len(valid))
