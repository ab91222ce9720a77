"""Patience (minutes a waiting citizen stays before giving up) from censored tickets.

Nobody's patience is seen directly. A ticket called and answered says the citizen's patience
was longer than the wait until the call (right-censored there); a `customer_absent` ticket
says it was shorter than the time until the call (left-censored: they left at some moment
before it). A ticket never called says nothing (the citizen left, or was sent home, at an
unknown time) and is left out, as is a wait of zero. This is "current status" data: each
citizen is seen once, at the call, and only on which side of it their patience lies.

- **Fit**: exponential, gamma and lognormal by censored maximum likelihood
  (scipy.stats.CensoredData), the lowest AIC chosen.
- **Interval** for the mean patience by profile likelihood (the cv maximised out at each
  mean), which stays honest when the likelihood is flat: with few absentees the upper end may
  not exist within a week of minutes, and is then reported as unbounded. The data see
  patience only up to the longest waits, and the mean depends on the tail beyond them, so
  the family matters: the interval is the union of the intervals of every family within
  MODEL_AIC of the best (an exponential and a gamma with cv 0.9 fit such data about equally
  well, and give different means).
- **Curve**: the nonparametric maximum-likelihood estimate of the survival curve for current
  status data (the isotonic regression of "had left" on the wait, the Kaplan-Meier of this
  kind of data), drawn beside the fit.
- **Weeks needed**: the interval's width falls as one over the square root of the sample, so
  the weeks of records that would bring it to within ±TARGET_HALF_WIDTH of the mean follow
  from the width now.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from sim.calibrate.families import FAMILIES, log_cdf_sf
from sim.calibrate.fields import CUSTOMER_ABSENT
from sim.calibrate.intervals import LEVEL, Estimate
from sim.calibrate.sample import TicketSample

MAX_MEAN = 10_080.0  # minutes: the scenario format's longest duration (a week)
CV_RANGE = (0.05, 5.0)
TARGET_HALF_WIDTH = 0.2  # of the mean, for the weeks-needed advice
MODEL_AIC = 2.0  # families this close to the best AIC share in the interval
SCIPY = {"exponential": stats.expon, "gamma": stats.gamma, "lognormal": stats.lognorm}


@dataclass(frozen=True)
class Grouped:
    """Distinct waits (to the second) and how many tickets had each: the likelihood of a
    year of tickets costs that of a few thousand distinct values."""

    values: np.ndarray
    counts: np.ndarray

    @staticmethod
    def of(waits: np.ndarray) -> Grouped:
        values, counts = np.unique(np.round(waits * 60) / 60, return_counts=True)
        return Grouped(values, counts)


@dataclass(frozen=True)
class CensoredWaits:
    """Waits until the call, split by what they say about patience."""

    gave_up_before: np.ndarray  # absentees: patience < wait (left-censored)
    stayed_past: np.ndarray  # answered: patience > wait (right-censored)
    not_called: int  # tickets never called: left out

    @property
    def grouped(self) -> tuple[Grouped, Grouped]:
        return Grouped.of(self.gave_up_before), Grouped.of(self.stayed_past)


@dataclass(frozen=True)
class FamilyFit:
    """One family's censored maximum-likelihood fit and its profile interval of the mean."""

    dist: str
    mean: float
    cv: float
    log_likelihood: float
    low: float
    high: float  # inf when the data do not bound it

    @property
    def aic(self) -> float:
        return 2 * (1 if self.dist == "exponential" else 2) - 2 * self.log_likelihood


@dataclass(frozen=True)
class PatienceFit:
    """The chosen patience distribution, its interval and the curve beside it."""

    dist: str
    mean: Estimate  # over the families within MODEL_AIC; high is inf when unbounded
    cv: float
    families: list[FamilyFit]
    waits: CensoredWaits
    curve_minutes: np.ndarray  # NPMLE survival curve: at these waits ...
    curve_survival: np.ndarray  # ... the share still waiting
    weeks: float  # weeks of records behind the fit
    weeks_needed: float  # for the interval to reach ±TARGET_HALF_WIDTH of the mean


def censored_waits(sample: TicketSample) -> CensoredWaits:
    """Each called ticket's wait, as a bound on its citizen's patience."""
    frame = sample.frame
    called = frame["wait"].notna().to_numpy() & (frame["wait"].to_numpy() > 0)
    absent = (frame["completion_reason"] == CUSTOMER_ABSENT).to_numpy()
    wait = frame["wait"].to_numpy()
    return CensoredWaits(wait[called & absent], wait[called & ~absent],
                         int(frame["wait"].isna().sum()))


def log_likelihood(dist: str, mean: float, cv: float,
                   waits: CensoredWaits | tuple[Grouped, Grouped]) -> float:
    """Sum of log F at the absentees' waits and log S at the answered ones' (waits grouped
    to the second)."""
    left, right = waits.grouped if isinstance(waits, CensoredWaits) else waits
    log_f, _ = log_cdf_sf(dist, mean, cv, left.values)
    _, log_s = log_cdf_sf(dist, mean, cv, right.values)
    return float(log_f @ left.counts + log_s @ right.counts)


def fit_patience(sample: TicketSample, level: float = LEVEL) -> PatienceFit | None:
    """Fit patience from the period's tickets; None when nobody was absent (no information
    on how soon people give up)."""
    waits = censored_waits(sample)
    if len(waits.gave_up_before) == 0 or len(waits.stayed_past) == 0:
        return None
    fits = {dist: censored_mle(dist, waits) for dist in FAMILIES}
    aic = {dist: 2 * (1 if dist == "exponential" else 2) - 2 * fit[2]
           for dist, fit in fits.items()}
    families = [family_fit(dist, fits[dist], waits, level, aic[dist] <= min(aic.values())
                           + MODEL_AIC) for dist in FAMILIES]
    best = min(families, key=lambda family: family.aic)
    close = [family for family in families if family.aic <= best.aic + MODEL_AIC]
    low, high = min(f.low for f in close), max(f.high for f in close)
    n = len(waits.gave_up_before) + len(waits.stayed_past)
    minutes, survival = npmle_survival(waits)
    return PatienceFit(best.dist, Estimate(best.mean, low, high, n, level), best.cv, families,
                       waits, minutes, survival, sample.weeks,
                       _weeks_needed(best.mean, low, high, sample.weeks))


def family_fit(dist: str, fit: tuple[float, float, float], waits: CensoredWaits,
               level: float, wanted: bool) -> FamilyFit:
    """One family's fit, with its interval if `wanted` (nan otherwise: a family far from
    the best AIC does not enter the interval)."""
    mean, cv, best = fit
    low, high = profile_interval(dist, mean, best, waits, level) if wanted else (np.nan,
                                                                                 np.nan)
    return FamilyFit(dist, mean, cv, best, low, high)


def censored_mle(dist: str, waits: CensoredWaits) -> tuple[float, float, float]:
    """(mean, cv, log-likelihood) of the censored maximum-likelihood fit (scipy)."""
    data = stats.CensoredData(left=waits.gave_up_before, right=waits.stayed_past)
    if dist == "exponential":
        _, scale = SCIPY[dist].fit(data, floc=0)
        mean, cv = min(scale, MAX_MEAN), 1.0
    elif dist == "gamma":
        shape, _, scale = SCIPY[dist].fit(data, floc=0)
        mean, cv = min(shape * scale, MAX_MEAN), 1 / math.sqrt(shape)
    else:
        sigma, _, scale = SCIPY[dist].fit(data, floc=0)
        mean, cv = min(scale * math.exp(sigma**2 / 2), MAX_MEAN), math.sqrt(math.expm1(sigma**2))
    cv = float(np.clip(cv, *CV_RANGE))
    return mean, cv, log_likelihood(dist, mean, cv, waits)


def profile(dist: str, mean: float, waits: tuple[Grouped, Grouped]) -> float:
    """The log-likelihood at this mean, the cv chosen best (fixed at 1 for exponential)."""
    if dist == "exponential":
        return log_likelihood(dist, mean, 1.0, waits)
    best = optimize.minimize_scalar(
        lambda log_cv: -log_likelihood(dist, mean, math.exp(log_cv), waits),
        bounds=tuple(math.log(v) for v in CV_RANGE), method="bounded",
        options={"xatol": 1e-4})
    return float(-best.fun)


def profile_interval(dist: str, mean: float, best: float, censored: CensoredWaits,
                     level: float) -> tuple[float, float]:
    """Means whose profile log-likelihood is within chi2(1, level) / 2 of the best."""
    drop = stats.chi2.ppf(level, 1) / 2
    waits = censored.grouped
    best = max(best, profile(dist, mean, waits))

    def short(log_mean: float) -> float:
        return best - profile(dist, math.exp(log_mean), waits) - drop

    log_mean = math.log(mean)
    low_end, high_end = math.log(1e-3), math.log(MAX_MEAN)
    low = (math.exp(optimize.brentq(short, low_end, log_mean, xtol=1e-4))
           if short(low_end) > 0 else 0.0)
    high = (math.exp(optimize.brentq(short, log_mean, high_end, xtol=1e-4))
            if short(high_end) > 0 else math.inf)
    return low, high


def npmle_survival(waits: CensoredWaits) -> tuple[np.ndarray, np.ndarray]:
    """Share still waiting after each wait: 1 minus the isotonic regression of the
    absentee indicator on the sorted waits (the NPMLE for current status data)."""
    minutes = np.concatenate([waits.gave_up_before, waits.stayed_past])
    left = np.concatenate([np.ones(len(waits.gave_up_before)),
                           np.zeros(len(waits.stayed_past))])
    order = np.argsort(minutes, kind="stable")
    fitted = optimize.isotonic_regression(left[order]).x
    return minutes[order], 1 - fitted


def _weeks_needed(mean: float, low: float, high: float, weeks: float) -> float:
    """Weeks of records for the interval to come within ±TARGET_HALF_WIDTH of the mean,
    from the half-width on the log scale now (width shrinks as 1 / sqrt(weeks))."""
    if not math.isfinite(high) or low <= 0:
        return math.inf
    half = (math.log(high) - math.log(low)) / 2
    wanted = math.log1p(TARGET_HALF_WIDTH)
    return weeks * (half / wanted) ** 2
