"""Probability distributions a scenario can name, each given the way planners know it, and
the one place where their numbers are computed.

Planners rarely know distribution parameters; they know a typical duration and how variable it
is. So the skewed distributions (lognormal, gamma) are given by ``mean`` and coefficient of
variation ``cv``, and converted to scipy's parameters here, once. Each model is also the
distribution as numbers: ``expected()``, ``std()``, ``ppf(u)`` (how the model samples),
``sf(x)`` (the survival the staffing theory integrates) and ``frozen()``, scipy's frozen
distribution with the same parameters, on which the moments and tails rest. No other module
looks at which distribution it holds.

The inverse CDFs keep the formulas the model has always sampled with, not scipy's ``ppf``:
scipy's ``log1p`` and its ``loc``/``scale`` arithmetic round differently in the last bit, and a
last bit changes a citizen's draw, hence the results of every earlier run with the same seed.
For the same reason the logarithms and exponentials are the C library's (`_by_element`), not
numpy's: numpy's vectorised ``log1p`` and ``exp`` take other code paths on processors with
AVX-512 and round differently, so the same seed gave other results on another machine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Annotated, Any, Literal, Protocol

import numpy as np
from pydantic import AfterValidator, Field, model_validator
from scipy import stats
from scipy.special import gammaincinv, ndtri

from sim.scenario.limits import MAX_CV, MAX_MINUTES, MAX_STAFF_HOURS, MAX_WORKING_DAYS, MIN_CV
from sim.scenario.strict import StrictModel

PositiveFloat = Annotated[float, Field(gt=0, description="mean, in the unit of the quantity")]
Variation = Annotated[
    float, Field(ge=MIN_CV, le=MAX_CV,
                 description="coefficient of variation: standard deviation / mean")
]


class Frozen(Protocol):
    """What the code asks of a scipy frozen distribution (``scipy.stats.norm(0, 1)`` and kin)."""

    def mean(self) -> float: ...
    def std(self) -> float: ...
    def sf(self, x: Any) -> Any: ...
    def ppf(self, q: Any) -> Any: ...


@lru_cache(maxsize=1024)
def _freeze(family: Any, *shape: float, **where: Any) -> Frozen:
    """scipy's frozen distribution, built once per family and parameters: building one costs
    most of a millisecond, and the theory step asks for the same ones again and again (a cache
    keyed on values, not on the model, so that a copied and changed model is never stale)."""
    return family(*shape, **where)


def _by_element(function: Callable[[float], float], values: np.ndarray) -> np.ndarray:
    """``function`` (one of `math`'s) of each value: the C library's result with or without the
    processor's AVX-512, where numpy's loops for the same function depend on it."""
    flat = np.asarray(values, dtype=float)
    listed = flat.ravel().tolist()
    try:
        mapped = np.fromiter(map(function, listed), dtype=float, count=flat.size)
    except (ValueError, OverflowError):  # log1p(-1), or exp past the largest float
        mapped = np.fromiter((_at_edges(function, value) for value in listed), dtype=float,
                             count=flat.size)
    return mapped.reshape(flat.shape)


_NUMPY_TWINS = {math.log1p: np.log1p, math.exp: np.exp}


def _at_edges(function: Callable[[float], float], value: float) -> float:
    """``function(value)``, but numpy's limit (-inf, inf) where `math` raises: the draw at a
    uniform of exactly 1, or beyond the largest float, as numpy gives it on every machine."""
    try:
        return function(value)
    except (ValueError, OverflowError):
        if function not in _NUMPY_TWINS:
            raise
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            return float(_NUMPY_TWINS[function](value))


def _point_masses(values: Sequence[float]) -> Frozen:
    """Equal weight on each observed value (repeats add up), as scipy's discrete distribution."""
    observed, counts = np.unique(np.asarray(values, dtype=float), return_counts=True)
    return _freeze(stats.rv_discrete, values=(tuple(observed.tolist()),
                                              tuple((counts / counts.sum()).tolist())))


class DistributionModel(StrictModel):
    """The operations every scenario distribution offers; each model fills them in."""

    def frozen(self) -> Frozen:
        """scipy's frozen distribution with these parameters."""
        raise NotImplementedError

    def expected(self) -> float:
        """The mean, as the planner gave it or in closed form (exactly, not by scipy)."""
        raise NotImplementedError

    def std(self) -> float:
        """Standard deviation."""
        return float(self.frozen().std())

    def ppf(self, uniforms: np.ndarray) -> np.ndarray:
        """Values at the given probabilities (uniforms in [0, 1)), by the inverse CDF.

        Every citizen gets one uniform number per random quantity; transforming it through the
        inverse CDF (rather than drawing with the distribution's own sampler) means an option
        that changes a mean keeps each citizen at the same quantile: common random numbers in
        their strongest form.
        """
        raise NotImplementedError

    def sf(self, x: np.ndarray) -> np.ndarray:
        """P(value > x), the complement of the CDF.

        >>> Exponential(dist="exponential", mean=10).sf(np.array([0.0, 10.0])).round(4)
        array([1.    , 0.3679])
        """
        return self.frozen().sf(np.asarray(x, dtype=float))

    def extent(self) -> list[tuple[str, float]]:
        """The parameters that say where the values lie: the mean, the bounds or the lowest and
        highest observed value (for range checks)."""
        raise NotImplementedError

    def memoryless_rate(self) -> float | None:
        """The rate of an exponential law (its constant hazard); None for any other law."""
        return None


class Exponential(DistributionModel):
    """Memoryless durations: the M in M/M/c."""

    dist: Literal["exponential"]
    mean: PositiveFloat

    def frozen(self) -> Frozen:
        return _freeze(stats.expon, scale=self.mean)

    def expected(self) -> float:
        return self.mean

    def ppf(self, uniforms: np.ndarray) -> np.ndarray:
        return -self.mean * _by_element(math.log1p, -uniforms)  # not scipy's log1p

    def extent(self) -> list[tuple[str, float]]:
        return [("mean", self.mean)]

    def memoryless_rate(self) -> float | None:
        return 1.0 / self.mean


class Deterministic(DistributionModel):
    """Always the same value (the D in M/D/1). Any number: a duration's is checked by
    `Duration`, and working days left to a deadline may be negative."""

    dist: Literal["deterministic"]
    mean: float

    def frozen(self) -> Frozen:
        return _point_masses([self.mean])

    def expected(self) -> float:
        return self.mean

    def ppf(self, uniforms: np.ndarray) -> np.ndarray:
        return np.full(uniforms.shape, float(self.mean))

    def sf(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, dtype=float) < self.mean).astype(float)

    def extent(self) -> list[tuple[str, float]]:
        return [("mean", self.mean)]


class Uniform(DistributionModel):
    """Any value between low and high equally likely (just low when they are equal)."""

    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must be at least low ({self.low})")
        return self

    def frozen(self) -> Frozen:
        if self.high == self.low:
            return _point_masses([self.low])
        return _freeze(stats.uniform, loc=self.low, scale=self.high - self.low)

    def expected(self) -> float:
        return (self.low + self.high) / 2

    def ppf(self, uniforms: np.ndarray) -> np.ndarray:
        return self.low + uniforms * (self.high - self.low)

    def sf(self, x: np.ndarray) -> np.ndarray:
        """By hand: scipy's ``1 - cdf`` rounds differently from ``(high - x) / (high - low)``."""
        x = np.asarray(x, dtype=float)
        if self.high == self.low:
            return (x < self.low).astype(float)
        return np.clip((self.high - x) / (self.high - self.low), 0.0, 1.0)

    def extent(self) -> list[tuple[str, float]]:
        return [("low", self.low), ("high", self.high)]


class Triangular(DistributionModel):
    """Planner's three-point estimate: shortest, most likely, longest."""

    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise ValueError(
                "need low <= mode <= high and low < high "
                f"(got {self.low}, {self.mode}, {self.high})"
            )
        return self

    def frozen(self) -> Frozen:
        width = self.high - self.low
        return _freeze(stats.triang, (self.mode - self.low) / width, loc=self.low, scale=width)

    def expected(self) -> float:
        return (self.low + self.mode + self.high) / 3

    def ppf(self, uniforms: np.ndarray) -> np.ndarray:
        low, mode, high = self.low, self.mode, self.high
        rising = low + np.sqrt(uniforms * (high - low) * (mode - low))
        falling = high - np.sqrt((1 - uniforms) * (high - low) * (high - mode))
        return np.where(uniforms < (mode - low) / (high - low), rising, falling)

    def extent(self) -> list[tuple[str, float]]:
        return [("low", self.low), ("high", self.high)]


class Lognormal(DistributionModel):
    """Right-skewed service times (a few very long cases), given by mean and cv."""

    dist: Literal["lognormal"]
    mean: PositiveFloat
    cv: Variation

    def normal(self) -> tuple[float, float]:
        """(mu, sigma) of the normal law of the logarithm: the one conversion from mean, cv."""
        sigma = math.sqrt(math.log1p(self.cv**2))
        return math.log(self.mean) - sigma**2 / 2, sigma

    def frozen(self) -> Frozen:
        mu, sigma = self.normal()
        return _freeze(stats.lognorm, sigma, scale=math.exp(mu))

    def expected(self) -> float:
        return self.mean

    def ppf(self, uniforms: np.ndarray) -> np.ndarray:
        mu, sigma = self.normal()
        return _by_element(math.exp, mu + sigma * ndtri(uniforms))

    def extent(self) -> list[tuple[str, float]]:
        return [("mean", self.mean)]


class Gamma(DistributionModel):
    """Right-skewed service times, lighter tail than lognormal, given by mean and cv."""

    dist: Literal["gamma"]
    mean: PositiveFloat
    cv: Variation

    def shape_scale(self) -> tuple[float, float]:
        """scipy's (shape a, scale): the one conversion from mean and cv."""
        return 1 / self.cv**2, self.mean * self.cv**2

    def frozen(self) -> Frozen:
        shape, scale = self.shape_scale()
        return _freeze(stats.gamma, shape, scale=scale)

    def expected(self) -> float:
        return self.mean

    def ppf(self, uniforms: np.ndarray) -> np.ndarray:
        shape, _ = self.shape_scale()
        # The scale applied as mean, then cv^2, as the model always has (the one product
        # mean * cv^2 rounds differently).
        return gammaincinv(shape, uniforms) * self.mean * self.cv**2

    def extent(self) -> list[tuple[str, float]]:
        return [("mean", self.mean)]


class Empirical(DistributionModel):
    """Observed values (e.g. minutes timed at a counter), resampled with equal weight."""

    dist: Literal["empirical"]
    values: Annotated[list[float], Field(min_length=1)]

    def frozen(self) -> Frozen:
        return _point_masses(self.values)

    def expected(self) -> float:
        return sum(self.values) / len(self.values)

    def ppf(self, uniforms: np.ndarray) -> np.ndarray:
        """The value at index ``floor(u n)`` in the order given: each value has chance 1/n, as
        by the quantile function, which this equals when the values are sorted."""
        observed = np.asarray(self.values, dtype=float)
        return observed[np.minimum((uniforms * len(observed)).astype(int), len(observed) - 1)]

    def sf(self, x: np.ndarray) -> np.ndarray:
        """By counting (scipy's ``1 - cumsum`` of the weights rounds differently)."""
        observed = np.sort(np.asarray(self.values, dtype=float))
        return 1.0 - np.searchsorted(observed, np.asarray(x, dtype=float),
                                     side="right") / len(observed)

    def extent(self) -> list[tuple[str, float]]:
        return [("values", min(self.values)), ("values", max(self.values))]


Distribution = Annotated[
    Exponential | Deterministic | Uniform | Triangular | Lognormal | Gamma | Empirical,
    Field(discriminator="dist"),
]

DISTRIBUTION_NAMES: tuple[str, ...] = (
    "exponential", "deterministic", "uniform", "triangular", "lognormal", "gamma", "empirical",
)


def bounded(low: float, high: float, unit: str) -> Any:
    """Distributions of a quantity whose mean, bounds and observed values lie from low to high,
    so that every value drawn stays finite and plausible."""
    def within(dist: DistributionModel) -> DistributionModel:
        for name, value in dist.extent():
            if not low <= value <= high:
                why = ": a duration cannot be negative" if value < low == 0 else ""
                raise ValueError(f"{unit} from {low:,g} to {high:,g}{why} (here {name} {value:g})")
        return dist

    return Annotated[Distribution, AfterValidator(within)]


def number_or(low: float, high: float, unit: str) -> Any:
    """A fixed number from low to high, or a distribution within the same range."""
    return Annotated[float, Field(ge=low, le=high)] | bounded(low, high, unit)


Duration = bounded(0, MAX_MINUTES, "minutes")
"""A distribution of minutes (service, patience, guidance): none negative, none above a week."""

DurationOrNumber = number_or(0, MAX_MINUTES, "minutes")
"""A fixed number of minutes, or a distribution when it varies (an outage)."""

Work = bounded(0, MAX_STAFF_HOURS, "staff-hours")
"""A distribution of the back-office work of one dossier."""

DelayDays = number_or(0, MAX_WORKING_DAYS, "working days")
"""Working days at an outside body: a fixed number or a distribution."""

DaysLeft = number_or(-MAX_WORKING_DAYS, MAX_WORKING_DAYS, "working days")
"""Working days to a transferred dossier's deadline; negative: already overdue."""


def as_distribution(value: float | DistributionModel) -> DistributionModel:
    """A fixed number as a deterministic distribution, so that sampling has one path.

    >>> as_distribution(90.0), as_distribution(-3).mean
    (Deterministic(dist='deterministic', mean=90.0), -3.0)
    """
    if isinstance(value, int | float):
        return Deterministic(dist="deterministic", mean=float(value))
    return value
