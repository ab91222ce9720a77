"""Probability distributions a scenario can name, each given the way planners know it.

Planners rarely know distribution parameters; they know a typical duration and how variable it
is. So the skewed distributions (lognormal, gamma) are given by ``mean`` and coefficient of
variation ``cv``, and converted to the library's parameters where they are sampled.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, model_validator

from sim.scenario.limits import MAX_CV, MAX_MINUTES, MAX_STAFF_HOURS, MAX_WORKING_DAYS, MIN_CV
from sim.scenario.strict import StrictModel

PositiveFloat = Annotated[float, Field(gt=0, description="mean, in the unit of the quantity")]
Variation = Annotated[
    float, Field(ge=MIN_CV, le=MAX_CV,
                 description="coefficient of variation: standard deviation / mean")
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


def _extent(dist: StrictModel) -> list[tuple[str, float]]:
    """The parameters that say where a distribution's values lie: its mean, its bounds or its
    lowest and highest observed value."""
    match dist:
        case Uniform() | Triangular():
            return [("low", dist.low), ("high", dist.high)]
        case Empirical(values=values):
            return [("values", min(values)), ("values", max(values))]
    return [("mean", dist.mean)]  # type: ignore[attr-defined]


def bounded(low: float, high: float, unit: str) -> Any:
    """Distributions of a quantity whose mean, bounds and observed values lie from low to high,
    so that every value drawn stays finite and plausible."""
    def within(dist: StrictModel) -> StrictModel:
        for name, value in _extent(dist):
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


def as_distribution(value: float | StrictModel) -> StrictModel:
    """A fixed number as a deterministic distribution, so that sampling has one path.

    >>> as_distribution(90.0), as_distribution(-3).mean
    (Deterministic(dist='deterministic', mean=90.0), -3.0)
    """
    if isinstance(value, int | float):
        return Deterministic(dist="deterministic", mean=float(value))
    return value
