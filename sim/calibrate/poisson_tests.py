"""Are the arrivals a non-homogeneous Poisson process, as the model assumes?

Two tests within days and one across days, after Brown et al. (2005) and Kim and Whitt (2014,
"Are call center and hospital arrivals well modeled by nonhomogeneous Poisson processes?"):

- **Conditional uniform (CU).** Within a short block of a day in which the rate is taken as
  constant, the arrival times, given their number, are independent and uniform. The positions
  of all arrivals in their blocks, pooled over blocks and days, are tested against the uniform
  distribution with Kolmogorov-Smirnov. The known pitfalls are handled: times rounded to the
  minute (or second) are spread uniformly within it first (ties would reject any process);
  blocks are 10 minutes, aligned to the clock, so that the rate varies little inside one
  (long blocks reject a Poisson process whose rate changes within them); and each block is
  conditioned on its own count, so days with different rates can be pooled (conditioning on
  pooled counts would mix them).
- **Lewis (spacings).** The CU positions of each block turned into what, under Poisson, are
  independent unit exponentials; Kolmogorov-Smirnov again. It sees what the CU test cannot:
  arrivals in groups, or more regular than chance (appointments), which leave the pooled
  positions uniform.
- **Over-dispersion across days.** Conditioning per block hides a day-to-day rate that varies
  at random. The daily counts are tested with the Poisson dispersion index (sum of squared
  deviations from each weekday's mean over that mean, chi-square with days minus weekdays
  degrees of freedom).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.calibrate.sample import TicketSample

BLOCK_MINUTES = 10.0
TEST_LEVEL = 0.05
JITTER_SEED = 7


@dataclass(frozen=True)
class TestResult:
    """A test's statistic, p-value and sample size."""

    statistic: float
    p_value: float
    n: int

    @property
    def rejects(self) -> bool:
        return self.p_value < TEST_LEVEL


@dataclass(frozen=True)
class PoissonTests:
    """The three tests of the arrival process."""

    uniform: TestResult  # conditional uniform positions, KS
    spacings: TestResult  # Lewis' transform of the spacings, KS
    dispersion: TestResult  # dispersion index of daily counts, chi-square
    block_minutes: float
    dispersion_ratio: float  # variance over mean of the daily counts (1 under Poisson)

    @property
    def within_days_rejected(self) -> bool:
        return self.uniform.rejects or self.spacings.rejects


def check_poisson(sample: TicketSample, daily: pd.DataFrame,
                 block: float = BLOCK_MINUTES) -> PoissonTests:
    """The CU, Lewis and dispersion tests of the period's arrivals."""
    positions, spacings = block_transforms(sample, block)
    ratio, dispersion = dispersion_test(daily)
    return PoissonTests(
        uniform=_ks(positions, "uniform"),
        spacings=_ks(spacings, "expon"),
        dispersion=dispersion, block_minutes=block, dispersion_ratio=ratio)


def block_transforms(sample: TicketSample, block: float) -> tuple[np.ndarray, np.ndarray]:
    """Each arrival's position in its block (0 to 1) and Lewis' exponentials."""
    clock = sample.frame["clock"].to_numpy() + _jitter(sample)
    day = pd.factorize(sample.frame["date"])[0]
    order = np.lexsort((clock, day))
    clock, day = clock[order], day[order]
    block_id = day * 10_000 + np.floor(clock / block).astype(int)
    positions = (clock % block) / block
    return positions, lewis_exponentials(positions, block_id)


def _jitter(sample: TicketSample) -> np.ndarray:
    """Spread times written to the second within their second (the minute was spread on
    reading, `sample`); ties of whole seconds would reject any process on a long log."""
    rng = np.random.default_rng(JITTER_SEED)
    return 0.0 if sample.unrounded else rng.uniform(0, 1 / 60, len(sample.frame))


def lewis_exponentials(positions: np.ndarray, block_id: np.ndarray) -> np.ndarray:
    """R_j = (n + 1 - j) * -log((1 - U_j) / (1 - U_(j-1))) per block of n sorted positions;
    independent unit exponentials under a constant rate (Brown et al. 2005)."""
    starts = np.flatnonzero(np.append(True, block_id[1:] != block_id[:-1]))
    sizes = np.diff(np.append(starts, len(block_id)))
    rank = np.arange(len(block_id)) - np.repeat(starts, sizes)  # 0-based j - 1
    previous = np.where(rank == 0, 0.0, np.append(0.0, positions[:-1]))
    n = np.repeat(sizes, sizes)
    with np.errstate(divide="ignore"):
        return (n - rank) * -np.log((1 - positions) / (1 - previous))


def _ks(values: np.ndarray, distribution: str) -> TestResult:
    if len(values) < 2:
        return TestResult(np.nan, 1.0, len(values))
    result = stats.kstest(values, distribution)
    return TestResult(float(result.statistic), float(result.pvalue), len(values))


def dispersion_test(daily: pd.DataFrame) -> tuple[float, TestResult]:
    """Variance over mean of the daily counts, and the dispersion-index test against each
    weekday's own mean."""
    counts = daily["tickets"].astype(float)
    means = counts.groupby(daily["weekday"]).transform("mean")
    groups = daily["weekday"].nunique()
    freedom = len(counts) - groups
    if freedom < 1 or (means <= 0).any():
        return 1.0, TestResult(np.nan, 1.0, len(counts))
    statistic = float((((counts - means) ** 2) / means).sum())
    return statistic / freedom, TestResult(statistic, float(stats.chi2.sf(statistic, freedom)),
                                           len(counts))
