"""Across replications: mean, standard deviation and a Student-t 95% confidence interval.

Replications are independent (each has its own seed), so the t interval on their per-run values
is the honest statement of how sure we are about a metric.
"""

from __future__ import annotations

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
    quantile = float(stats.t.ppf(0.5 + confidence / 2, len(values) - 1))
    half = quantile * float(values.std(ddof=1)) / float(np.sqrt(len(values)))
    return mean, mean - half, mean + half


def summarise(replications: pd.DataFrame, by: tuple[str, ...] = ("option", "metric")
              ) -> pd.DataFrame:
    """Tidy summary: the `by` ids, then mean, std, ci_low, ci_high, replications."""
    rows = []
    for keys, group in replications.groupby(list(by), sort=False, observed=True):
        values = group["value"].to_numpy(dtype=float)
        mean, low, high = t_interval(values)
        valid = values[~np.isnan(values)]
        rows.append({
            **dict(zip(by, keys, strict=True)), "mean": mean,
            "std": float(valid.std(ddof=1)) if len(valid) > 1 else np.nan,
            "ci_low": low, "ci_high": high, "replications": len(valid),
        })
    return pd.DataFrame(rows)
