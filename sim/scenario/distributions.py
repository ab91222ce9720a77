"""Probability distributions a scenario can name, each given the way planners know it.

Planners rarely know distribution parameters; they know a typical duration and how variable it
is. So the skewed distributions (lognormal, gamma) are given by ``mean`` and coefficient of
variation ``cv``, and converted to the library's parameters where they are sampled.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from sim.scenario.strict import StrictModel

PositiveFloat = Annotated[float, Field(gt=0, description="mean, in the unit of the quantity")]
Variation = Annotated[
    float, Field(gt=0, description="coefficient of variation: standard deviation / mean, > 0")
]


class Exponential(StrictModel):
    """Memoryless durations: the M in M/M/c."""

    dist: Literal["exponential"]
    mean: PositiveFloat

    def expected(self) -> float:
        return self.mean


class Deterministic(StrictModel):
    """Always the same value (the D in M/D/1). Any number: a duration's is checked by
    `Duration`, and working days left to a deadline may be negative."""

    dist: Literal["deterministic"]
    mean: float

    def expected(self) -> float:
        return self.mean


class Uniform(StrictModel):
    """Any value between low and high equally likely."""

    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must be at least low ({self.low})")
        return self

    def expected(self) -> float:
        return (self.low + self.high) / 2


class Triangular(StrictModel):
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

    def expected(self) -> float:
        return (self.low + self.mode + self.high) / 3


class Lognormal(StrictModel):
    """Right-skewed service times (a few very long cases), given by mean and cv."""

    dist: Literal["lognormal"]
    mean: PositiveFloat
    cv: Variation

    def expected(self) -> float:
        return self.mean


class Gamma(StrictModel):
    """Right-skewed service times, lighter tail than lognormal, given by mean and cv."""

    dist: Literal["gamma"]
    mean: PositiveFloat
    cv: Variation

    def expected(self) -> float:
        return self.mean


class Empirical(StrictModel):
    """Observed values (e.g. minutes timed at a counter), resampled with equal weight."""

    dist: Literal["empirical"]
    values: Annotated[list[float], Field(min_length=1)]

    def expected(self) -> float:
        return sum(self.values) / len(self.values)


Distribution = Annotated[
    Exponential | Deterministic | Uniform | Triangular | Lognormal | Gamma | Empirical,
    Field(discriminator="dist"),
]

DISTRIBUTION_NAMES: tuple[str, ...] = (
    "exponential", "deterministic", "uniform", "triangular", "lognormal", "gamma", "empirical",
)


def _non_negative(dist: StrictModel) -> StrictModel:
    lowest = {
        "deterministic": lambda d: d.mean,
        "uniform": lambda d: d.low,
        "triangular": lambda d: d.low,
        "empirical": lambda d: min(d.values),
    }.get(dist.dist, lambda d: 0.0)(dist)
    if lowest < 0:
        raise ValueError(f"a duration cannot be negative (lowest value {lowest})")
    return dist


Duration = Annotated[Distribution, AfterValidator(_non_negative)]
"""A distribution of durations: all its values are >= 0."""


DurationOrNumber = Annotated[float, Field(ge=0)] | Duration
"""A fixed number, or a distribution when it varies."""


def as_distribution(value: float | StrictModel) -> StrictModel:
    """A fixed number as a deterministic distribution, so that sampling has one path.

    >>> as_distribution(90.0), as_distribution(-3).mean
    (Deterministic(dist='deterministic', mean=90.0), -3.0)
    """
    if isinstance(value, int | float):
        return Deterministic(dist="deterministic", mean=float(value))
    return value
