"""Draw values of a scenario distribution from uniform numbers, by the inverse CDF.

Every citizen gets one uniform number per random quantity; transforming it through the inverse
CDF (rather than drawing with the distribution's own sampler) means an option that changes a
mean keeps each citizen at the same quantile: common random numbers in their strongest form.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaincinv, ndtri

from sim.scenario.distributions import (
    Deterministic,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    Triangular,
    Uniform,
)


def quantiles(dist: object, uniforms: np.ndarray) -> np.ndarray:
    """Values of ``dist`` at the given probabilities (uniforms in [0, 1))."""
    match dist:
        case Exponential(mean=mean):
            return -mean * np.log1p(-uniforms)
        case Deterministic(mean=mean):
            return np.full(uniforms.shape, float(mean))
        case Uniform(low=low, high=high):
            return low + uniforms * (high - low)
        case Triangular(low=low, mode=mode, high=high):
            return _triangular(uniforms, low, mode, high)
        case Lognormal(mean=mean, cv=cv):
            sigma = np.sqrt(np.log1p(cv**2))
            return np.exp(np.log(mean) - sigma**2 / 2 + sigma * ndtri(uniforms))
        case Gamma(mean=mean, cv=cv):
            return gammaincinv(1 / cv**2, uniforms) * mean * cv**2
        case Empirical(values=values):
            observed = np.asarray(values, dtype=float)
            return observed[np.minimum((uniforms * len(observed)).astype(int), len(observed) - 1)]
    raise TypeError(f"no sampler for {type(dist).__name__}")


def _triangular(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    split = (mode - low) / (high - low)
    rising = low + np.sqrt(u * (high - low) * (mode - low))
    falling = high - np.sqrt((1 - u) * (high - low) * (high - mode))
    return np.where(u < split, rising, falling)
