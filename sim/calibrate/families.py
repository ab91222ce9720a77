"""The three skewed families a scenario can hold (exponential, gamma, lognormal), given as a
scenario gives them: a mean and a coefficient of variation.

Densities and distribution functions are written with scipy.special directly, on the log scale
where tails matter: a fit and its bootstrap evaluate them hundreds of times, and a frozen
scipy distribution costs more to make than to use.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special, stats

FAMILIES = ("exponential", "gamma", "lognormal")
TINY = 1e-300


def lognormal_parameters(mean: float, cv: float) -> tuple[float, float]:
    """mu and sigma of the normal logarithm (the scenario format's rule)."""
    sigma2 = math.log1p(cv**2)
    return math.log(mean) - sigma2 / 2, math.sqrt(sigma2)


def log_pdf(dist: str, mean: float, cv: float, x: np.ndarray) -> np.ndarray:
    """Log density at x > 0."""
    if dist == "exponential":
        return -math.log(mean) - x / mean
    if dist == "gamma":
        shape, scale = 1 / cv**2, mean * cv**2
        return ((shape - 1) * np.log(x) - x / scale - special.gammaln(shape)
                - shape * math.log(scale))
    mu, sigma = lognormal_parameters(mean, cv)
    logs = np.log(x)
    return -logs - math.log(sigma * math.sqrt(2 * math.pi)) - (logs - mu) ** 2 / (2 * sigma**2)


def cdf(dist: str, mean: float, cv: float, x: np.ndarray) -> np.ndarray:
    """Distribution function at x >= 0."""
    if dist == "exponential":
        return -np.expm1(-x / mean)
    if dist == "gamma":
        return special.gammainc(1 / cv**2, x / (mean * cv**2))
    mu, sigma = lognormal_parameters(mean, cv)
    with np.errstate(divide="ignore"):
        return special.ndtr((np.log(x) - mu) / sigma)


def log_cdf_sf(dist: str, mean: float, cv: float,
               x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log F(x) and log(1 - F(x)), each accurate in its own tail."""
    if dist == "exponential":
        return np.log(-np.expm1(-x / mean)), -x / mean
    if dist == "gamma":  # far in a tail the functions underflow: floored, not log(0)
        shape, scaled = 1 / cv**2, x / (mean * cv**2)
        return (np.log(np.maximum(special.gammainc(shape, scaled), TINY)),
                np.log(np.maximum(special.gammaincc(shape, scaled), TINY)))
    mu, sigma = lognormal_parameters(mean, cv)
    with np.errstate(divide="ignore"):
        z = (np.log(x) - mu) / sigma
    return special.log_ndtr(z), special.log_ndtr(-z)


def draw(dist: str, mean: float, cv: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """n random values."""
    if dist == "exponential":
        return rng.exponential(mean, n)
    if dist == "gamma":
        return rng.gamma(1 / cv**2, mean * cv**2, n)
    mu, sigma = lognormal_parameters(mean, cv)
    return rng.lognormal(mu, sigma, n)


def quantiles(dist: str, mean: float, cv: float, q: np.ndarray) -> np.ndarray:
    """Quantile function (for Q-Q figures; scipy's, once per figure)."""
    if dist == "exponential":
        return stats.expon(scale=mean).ppf(q)
    if dist == "gamma":
        return stats.gamma(1 / cv**2, scale=mean * cv**2).ppf(q)
    mu, sigma = lognormal_parameters(mean, cv)
    return stats.lognorm(sigma, scale=math.exp(mu)).ppf(q)
