"""Minutes at the counter per procedure: candidate distributions fitted by maximum likelihood,
the best by AIC, a goodness-of-fit test, and intervals for its mean and cv.

- **Data.** `completed_at - served_at` of every ticket served at a counter (also those sent
  back for a missing paper: they took counter time). Durations under 5 seconds (a click
  through) or over 8 hours (a ticket left open) are implausible: left out and counted.
- **Candidates** are the skewed distributions a scenario can hold: exponential, gamma and
  lognormal (scipy.stats, location fixed at 0). The lowest AIC wins.
- **Goodness of fit**: the Anderson-Darling statistic against the fitted distribution, with its
  p-value from a parametric bootstrap that refits every sample (the textbook p-value would be
  too high, as the parameters come from the same data). With thousands of tickets even small
  departures are found; the Q-Q figure shows whether they matter.
- **Intervals** for the mean and cv from the fit's information matrix (delta method, on the log
  scale), at any level.
- **Small samples**: a procedure with fewer than MIN_SAMPLE durations takes the fit of all the
  durations of its desk (pooled), and says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from sim.calibrate.families import FAMILIES, draw, log_cdf_sf, log_pdf
from sim.calibrate.intervals import LEVEL, Estimate, log_normal_interval

MIN_SAMPLE = 50
SHORTEST, LONGEST = 5 / 60, 8 * 60  # minutes: outside these, a duration is implausible
BOOTSTRAP = 199
CANDIDATES = FAMILIES
SEED = 11


@dataclass(frozen=True)
class Candidate:
    """One distribution fitted by maximum likelihood."""

    dist: str
    mean: float
    cv: float
    log_likelihood: float
    parameters: int

    @property
    def aic(self) -> float:
        return 2 * self.parameters - 2 * self.log_likelihood


@dataclass(frozen=True)
class DurationFit:
    """The chosen fit of a sample of durations, its test and intervals."""

    best: Candidate
    candidates: list[Candidate]
    mean: Estimate
    cv: Estimate
    ad_statistic: float
    p_value: float
    n: int
    implausible: int  # durations left out
    sample: np.ndarray  # the durations fitted (minutes, sorted), for the figures


@dataclass(frozen=True)
class ServiceFit:
    """A procedure's service time: its own fit, or its desk's pooled fit when too few."""

    procedure: str
    desk: str
    fit: DurationFit
    pooled: bool
    own_n: int  # the procedure's own plausible durations


def plausible(durations: np.ndarray) -> np.ndarray:
    """Which durations are believable minutes at a counter."""
    return (durations >= SHORTEST) & (durations <= LONGEST)


def fit_candidate(dist: str, sample: np.ndarray) -> Candidate:
    """Maximum likelihood with location 0 (closed forms or one root, as scipy does them)."""
    if dist == "exponential":
        mean, cv, parameters = float(sample.mean()), 1.0, 1
    elif dist == "gamma":
        shape, _, scale = stats.gamma.fit(sample, floc=0)
        mean, cv, parameters = shape * scale, 1 / math.sqrt(shape), 2
    else:
        logs = np.log(sample)
        mu, sigma = float(logs.mean()), float(logs.std())
        mean, cv, parameters = math.exp(mu + sigma**2 / 2), math.sqrt(math.expm1(sigma**2)), 2
    log_likelihood = float(log_pdf(dist, mean, cv, sample).sum())
    return Candidate(dist, mean, cv, log_likelihood, parameters)


def fit_durations(durations: np.ndarray, level: float = LEVEL,
                  bootstrap: int = BOOTSTRAP) -> DurationFit:
    """Fit every candidate to the plausible durations, keep the lowest AIC, test and
    give intervals."""
    keep = plausible(durations)
    sample = np.sort(durations[keep])
    candidates = [fit_candidate(dist, sample) for dist in CANDIDATES]
    best = min(candidates, key=lambda candidate: candidate.aic)
    statistic, p_value = bootstrap_test(best, sample, bootstrap)
    mean, cv = intervals(best, sample, level)
    return DurationFit(best, candidates, mean, cv, statistic, p_value, len(sample),
                       int((~keep).sum()), sample)


def anderson_darling(sorted_sample: np.ndarray, fit: Candidate) -> float:
    """The Anderson-Darling statistic of a sorted sample against a fitted distribution."""
    n = len(sorted_sample)
    log_cdf, log_sf = log_cdf_sf(fit.dist, fit.mean, fit.cv, sorted_sample)
    weights = 2 * np.arange(1, n + 1) - 1
    return float(-n - np.sum(weights * (log_cdf + log_sf[::-1])) / n)


def bootstrap_test(best: Candidate, sample: np.ndarray, rounds: int) -> tuple[float, float]:
    """AD statistic and its parametric-bootstrap p-value (each bootstrap sample refitted)."""
    statistic = anderson_darling(sample, best)
    rng = np.random.default_rng(SEED)
    exceed = 0
    for _ in range(rounds):
        values = np.sort(draw(best.dist, best.mean, best.cv, len(sample), rng))
        exceed += anderson_darling(values, fit_candidate(best.dist, values)) >= statistic
    return statistic, (1 + exceed) / (1 + rounds)


def intervals(best: Candidate, sample: np.ndarray, level: float) -> tuple[Estimate, Estimate]:
    """Intervals of the mean and the cv from the fit's information (log scale)."""
    n = len(sample)
    if best.dist == "exponential":  # 2 n mean-hat / mean is chi-square with 2n freedom
        low = 2 * n * best.mean / stats.chi2.ppf(0.5 + level / 2, 2 * n)
        high = 2 * n * best.mean / stats.chi2.ppf(0.5 - level / 2, 2 * n)
        return Estimate(best.mean, low, high, n, level), Estimate(1.0, 1.0, 1.0, n, level)
    log_sd_mean, log_sd_cv = (_gamma_log_sds(best.cv, n) if best.dist == "gamma"
                              else _lognormal_log_sds(best.cv, n))
    return (log_normal_interval(best.mean, log_sd_mean, n, level),
            log_normal_interval(best.cv, log_sd_cv, n, level))


def _gamma_log_sds(cv: float, n: int) -> tuple[float, float]:
    """Standard deviations of log mean and log cv of a gamma fit (shape a = 1/cv^2): the
    mean's MLE is the sample mean; var(a) = a / (n (a trigamma(a) - 1))."""
    shape = 1 / cv**2
    var_shape = shape / (n * (shape * special.polygamma(1, shape) - 1))
    return cv / math.sqrt(n), 0.5 * math.sqrt(var_shape) / shape


def _lognormal_log_sds(cv: float, n: int) -> tuple[float, float]:
    """Standard deviations of log mean and log cv of a lognormal fit (mu, sigma independent,
    var(mu) = sigma^2 / n, var(sigma) = sigma^2 / (2n))."""
    sigma2 = math.log1p(cv**2)
    log_mean = math.sqrt(sigma2 * (1 + sigma2 / 2) / n)
    d_log_cv = math.exp(sigma2) / cv**2 * math.sqrt(sigma2)  # d log cv / d sigma
    return log_mean, d_log_cv * math.sqrt(sigma2 / (2 * n))


def fit_services(durations: dict[str, np.ndarray], desks: dict[str, str],
                 level: float = LEVEL, bootstrap: int = BOOTSTRAP) -> list[ServiceFit]:
    """Each procedure's fit; too few durations take the desk's pooled fit."""
    pooled: dict[str, DurationFit] = {}
    fits = []
    for procedure, sample in durations.items():
        own = int(plausible(sample).sum())
        desk = desks[procedure]
        if own >= MIN_SAMPLE:
            fits.append(ServiceFit(procedure, desk, fit_durations(sample, level, bootstrap),
                                   False, own))
            continue
        if desk not in pooled:
            together = np.concatenate([durations[p] for p in durations if desks[p] == desk])
            pooled[desk] = fit_durations(together, level, bootstrap)
        fits.append(ServiceFit(procedure, desk, pooled[desk], True, own))
    return fits
