"""Estimates with their intervals: a value, the interval at a stated level, and the sample
behind it, with the exact intervals for counts and proportions that the fits share.

Every fitted value of a calibrated scenario is an `Estimate`, so that its comment can say how
sure it is. The level is a parameter everywhere: the tests widen it (Bonferroni) when several
checks share one set of records.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

LEVEL = 0.95


@dataclass(frozen=True)
class Estimate:
    """A fitted value, its interval at `level`, and the sample size behind it."""

    value: float
    low: float
    high: float
    n: int
    level: float = LEVEL

    def scaled(self, factor: float) -> Estimate:
        """The same estimate in other units (times a positive factor)."""
        return Estimate(self.value * factor, self.low * factor, self.high * factor, self.n,
                        self.level)

    def covers(self, value: float) -> bool:
        """Whether the interval holds `value` (both ends included)."""
        return self.low <= value <= self.high


def poisson_mean(count: int, exposure: float, level: float = LEVEL) -> Estimate:
    """Rate of a Poisson count over `exposure` units (days), with Garwood's exact interval."""
    alpha = 1 - level
    low = stats.chi2.ppf(alpha / 2, 2 * count) / 2 if count > 0 else 0.0
    high = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return Estimate(count / exposure, low / exposure, high / exposure, count, level)


def proportion(successes: int, trials: int, level: float = LEVEL) -> Estimate:
    """A binomial proportion with the Clopper-Pearson (exact) interval."""
    if trials == 0:
        return Estimate(math.nan, 0.0, 1.0, 0, level)
    interval = stats.binomtest(successes, trials).proportion_ci(level, method="exact")
    return Estimate(successes / trials, interval.low, interval.high, trials, level)


def normal_quantile(level: float) -> float:
    """z such that a normal variable lies within ±z with probability `level`."""
    return float(stats.norm.ppf(0.5 + level / 2))


def log_normal_interval(value: float, log_sd: float, n: int, level: float = LEVEL) -> Estimate:
    """An interval symmetric on the log scale (for positive quantities such as means and cvs)."""
    z = normal_quantile(level)
    return Estimate(value, value * math.exp(-z * log_sd), value * math.exp(z * log_sd), n, level)
