"""`sim.scenario.distributions`: each scenario distribution as numbers, checked against scipy.

Every model's mean, standard deviation, inverse CDF and survival are compared with scipy's frozen
distribution of the same parameters and with exact identities; the inverse CDFs are also pinned
to the formulas the model has always sampled with, bit for bit (common random numbers with
earlier results), and no module but `distributions` may look at which law it holds.
"""

from __future__ import annotations

import ast
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.special import gammaincinv, ndtri

from sim.scenario.distributions import (
    Deterministic,
    DistributionModel,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    Triangular,
    Uniform,
    as_distribution,
)
from sim.scenario.limits import MAX_CV, MIN_CV

SIM = Path(__file__).resolve().parent.parent / "sim"
CLASSES = {"Deterministic", "Empirical", "Exponential", "Gamma", "Lognormal", "Triangular",
           "Uniform"}

CONTINUOUS = [
    Exponential(dist="exponential", mean=10),
    Exponential(dist="exponential", mean=0.37),
    Gamma(dist="gamma", mean=10, cv=0.6),
    Gamma(dist="gamma", mean=3, cv=1.8),
    Lognormal(dist="lognormal", mean=25, cv=0.7),
    Lognormal(dist="lognormal", mean=4, cv=0.15),
    Triangular(dist="triangular", low=5, mode=10, high=20),
    Triangular(dist="triangular", low=-2, mode=-2, high=3),
    Triangular(dist="triangular", low=1, mode=7, high=7),
    Uniform(dist="uniform", low=4, high=9),
    Uniform(dist="uniform", low=-3.5, high=12),
]
DISCRETE = [
    Deterministic(dist="deterministic", mean=5),
    Deterministic(dist="deterministic", mean=-3),
    Uniform(dist="uniform", low=6, high=6),
    Empirical(dist="empirical", values=[3.0, 5.0, 5.0, 8.0]),
    Empirical(dist="empirical", values=[12.5, 0.5, 7.0]),
    Empirical(dist="empirical", values=[2.0]),
]
EVERY = CONTINUOUS + DISCRETE
INNER = np.linspace(0.001, 0.999, 499)  # probabilities away from 0 and 1


def label(dist: DistributionModel) -> str:
    return repr(dist)


def std_by_formula(dist: DistributionModel) -> float:
    """Textbook standard deviations, independent of scipy and of the module."""
    match dist:
        case Exponential(mean=mean):
            return mean
        case Gamma(mean=mean, cv=cv) | Lognormal(mean=mean, cv=cv):
            return mean * cv
        case Uniform(low=low, high=high):
            return (high - low) / math.sqrt(12)
        case Triangular(low=a, mode=c, high=b):
            return math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)
        case Deterministic():
            return 0.0
        case Empirical(values=values):
            return float(np.std(values))
    raise TypeError(dist)


@pytest.mark.parametrize("dist", EVERY, ids=label)
def test_mean_and_std_agree_with_scipy_and_the_textbook(dist: DistributionModel) -> None:
    assert dist.expected() == pytest.approx(float(dist.frozen().mean()), rel=1e-12, abs=1e-12)
    assert dist.std() == pytest.approx(std_by_formula(dist), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("mean", [0.2, 9.0, 480.0])
@pytest.mark.parametrize("cv", [MIN_CV, 0.3, 1.0, 2.5, MAX_CV])
@pytest.mark.parametrize("model", [Lognormal, Gamma])
def test_mean_and_cv_become_scipy_parameters_with_that_mean_and_cv(model, mean, cv) -> None:
    frozen = model(dist=model.__name__.lower(), mean=mean, cv=cv).frozen()
    assert float(frozen.mean()) == pytest.approx(mean, rel=1e-9)
    assert float(frozen.std()) / float(frozen.mean()) == pytest.approx(cv, rel=1e-9)


@pytest.mark.parametrize("dist", CONTINUOUS, ids=label)
def test_ppf_and_sf_of_continuous_laws_agree_with_scipy(dist: DistributionModel) -> None:
    frozen = dist.frozen()
    assert dist.ppf(INNER) == pytest.approx(frozen.ppf(INNER), rel=1e-12, abs=1e-12)
    x = np.linspace(dist.ppf(np.array([0.0]))[0] - 1, dist.ppf(np.array([0.9999]))[0] + 1, 301)
    assert dist.sf(x) == pytest.approx(frozen.sf(x), abs=1e-14)


@pytest.mark.parametrize("dist", CONTINUOUS, ids=label)
def test_sf_inverts_ppf(dist: DistributionModel) -> None:
    assert dist.sf(dist.ppf(INNER)) == pytest.approx(1 - INNER, abs=1e-9)
    assert np.all(np.diff(dist.ppf(INNER)) > 0)


@pytest.mark.parametrize("dist", EVERY, ids=label)
def test_ppf_averaged_over_a_fine_grid_is_the_mean(dist: DistributionModel) -> None:
    # Midpoints of n equal cells: the integral of the inverse CDF over (0, 1) is the mean. The
    # grid's few values beyond its last midpoint weigh little but the tail of a skewed law.
    n = 200_000
    grid = (np.arange(n) + 0.5) / n
    tolerance = 1e-3 if dist.std() < 2 * abs(dist.expected()) else 1e-2
    assert dist.ppf(grid).mean() == pytest.approx(dist.expected(), rel=tolerance, abs=1e-9)


@pytest.mark.parametrize("dist", DISCRETE, ids=label)
def test_point_laws_agree_with_scipys_discrete_distribution(dist: DistributionModel) -> None:
    frozen = dist.frozen()
    points = sorted({*dist.ppf(INNER).tolist()})
    x = np.array([p + d for p in points for d in (-1e-9, 0.0, 1e-9)] + [-100.0, 100.0])
    assert dist.sf(x) == pytest.approx(frozen.sf(x), abs=1e-12)
    # Between the jumps (not at u = k/n, where the resampling and scipy pick neighbours):
    cells = 7 * len(getattr(dist, "values", [0]))
    probabilities = (np.arange(cells) + 0.5) / cells
    assert np.sort(dist.ppf(probabilities)).tolist() == frozen.ppf(probabilities).tolist()


def test_survival_of_point_laws() -> None:
    x = np.array([0.0, 4.9, 5.0, 7.0])
    assert Deterministic(dist="deterministic", mean=5).sf(x).tolist() == [1, 1, 0, 0]
    empirical = Empirical(dist="empirical", values=[3.0, 5.0, 5.0, 8.0])
    assert empirical.sf(x).tolist() == [1, 0.75, 0.25, 0.25]
    assert Uniform(dist="uniform", low=6, high=6).sf(np.array([5.9, 6.0])).tolist() == [1, 0]


def test_empirical_resamples_by_index_in_the_order_given() -> None:
    empirical = Empirical(dist="empirical", values=[12.5, 0.5, 7.0])
    u = np.array([0.0, 0.3333, 1 / 3, 0.5, 2 / 3, 0.9999999, 1.0])
    assert empirical.ppf(u).tolist() == [12.5, 12.5, 0.5, 0.5, 7.0, 7.0, 7.0]
    shares = np.unique(empirical.ppf((np.arange(300) + 0.5) / 300), return_counts=True)[1]
    assert shares.tolist() == [100, 100, 100]


UNIFORMS = np.concatenate([[0.0, 1e-12, 0.5, 1 - 1e-7], np.random.default_rng(3).random(5000)])


def test_inverse_cdfs_are_the_models_formulas_bit_for_bit() -> None:
    """The draws of every earlier run: a formula rounded otherwise (scipy's ppf) fails here."""
    u, mean, cv = UNIFORMS, 23.7, 0.65
    sigma = math.sqrt(math.log1p(cv**2))
    expected = {  # the C library's log1p and exp, one value at a time
        Exponential(dist="exponential", mean=mean): -mean * np.array([math.log1p(-x) for x in u]),
        Lognormal(dist="lognormal", mean=mean, cv=cv):
            np.array([math.exp(x) for x in math.log(mean) - sigma**2 / 2 + sigma * ndtri(u)]),
        Gamma(dist="gamma", mean=mean, cv=cv): gammaincinv(1 / cv**2, u) * mean * cv**2,
        Uniform(dist="uniform", low=2.5, high=9.25): 2.5 + u * (9.25 - 2.5),
        Deterministic(dist="deterministic", mean=mean): np.full(u.shape, mean),
    }
    for dist, values in expected.items():
        assert np.array_equal(dist.ppf(u), values), dist
    low, mode, high = 4.0, 6.5, 15.0
    triangular = np.where(u < (mode - low) / (high - low),
                          low + np.sqrt(u * (high - low) * (mode - low)),
                          high - np.sqrt((1 - u) * (high - low) * (high - mode)))
    dist = Triangular(dist="triangular", low=low, mode=mode, high=high)
    assert np.array_equal(dist.ppf(u), triangular)


DRAWS = """
import hashlib, sys
import numpy as np
sys.path.insert(0, {tests!r})
from test_distributions import EVERY, UNIFORMS
print(hashlib.sha256(b"".join(d.ppf(UNIFORMS).tobytes() for d in EVERY)).hexdigest())
"""


def test_the_draws_are_the_same_without_the_processor_s_vector_instructions() -> None:
    """numpy's log1p and exp round differently with AVX-512, so the same seed must not depend
    on which of numpy's vector loops a machine takes. A process with every vector extension
    numpy dispatches to turned off (NPY_DISABLE_CPU_FEATURES) draws the same numbers as this
    one. What it cannot show: the C library's own choice of code by processor (glibc's FMA
    paths), which numpy does not control. (On a machine without those extensions both
    processes take the same path: the check matters where they exist.)"""
    try:
        from numpy._core._multiarray_umath import __cpu_dispatch__
    except ImportError:  # numpy 1.26 names the module numpy.core
        from numpy.core._multiarray_umath import __cpu_dispatch__

    code = DRAWS.format(tests=str(Path(__file__).parent))
    plain = {**os.environ, "NPY_DISABLE_CPU_FEATURES": " ".join(__cpu_dispatch__)}
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True) for env in (os.environ, plain)]
    for run in runs:
        assert run.returncode == 0, run.stderr
    assert runs[0].stdout == runs[1].stdout


def test_the_draws_at_the_edges_are_numpy_s_limits_not_an_error() -> None:
    """`math` raises where numpy gives a limit: a uniform of exactly 1 (log1p of -1) and an
    exponential past the largest float. The draws keep numpy's -inf and inf there, and the
    other values of the same array are the C library's as everywhere else."""
    exponential = Exponential(dist="exponential", mean=10)
    draws = exponential.ppf(np.array([0.0, 0.5, 1.0]))
    assert draws.tolist() == [0.0, -10 * math.log1p(-0.5), math.inf]
    huge = Lognormal(dist="lognormal", mean=1e307, cv=1.0)
    mu, sigma = huge.normal()
    uniforms = np.array([0.5, 1 - 1e-12])
    assert mu + sigma * ndtri(uniforms[1]) > math.log(sys.float_info.max)
    assert huge.ppf(uniforms).tolist() == [math.exp(mu + sigma * ndtri(0.5)), math.inf]


@pytest.mark.parametrize("dist", EVERY, ids=label)
def test_ppf_keeps_the_shape_of_the_uniforms(dist: DistributionModel) -> None:
    grid = np.random.default_rng(5).random((40, 3))
    assert dist.ppf(grid).shape == (40, 3)
    assert dist.ppf(grid)[:, 1].tolist() == dist.ppf(grid[:, 1]).tolist()
    assert dist.ppf(np.array([])).shape == (0,)


def test_only_the_exponential_is_memoryless() -> None:
    assert Exponential(dist="exponential", mean=8).memoryless_rate() == 1 / 8
    assert [d.memoryless_rate() for d in EVERY if not isinstance(d, Exponential)] == [
        None] * (len(EVERY) - 2)


def test_a_changed_copy_is_not_served_a_stale_scipy_distribution() -> None:
    base = Gamma(dist="gamma", mean=10, cv=0.5)
    assert float(base.frozen().mean()) == pytest.approx(10)
    changed = base.model_copy(update={"mean": 30.0})
    assert float(changed.frozen().mean()) == pytest.approx(30)
    assert changed.sf(np.array([30.0])) != base.sf(np.array([30.0]))


def test_a_fixed_number_is_a_deterministic_law() -> None:
    fixed = as_distribution(-3)
    assert fixed.ppf(np.array([0.1, 0.9])).tolist() == [-3.0, -3.0]
    assert fixed.std() == 0.0


def distribution_names_imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "sim.scenario.distributions":
            names |= {alias.name for alias in node.names} & CLASSES
    return names


@pytest.mark.parametrize("path", sorted(SIM.rglob("*.py")), ids=lambda p: p.name)
def test_no_other_module_looks_at_which_law_it_holds(path: Path) -> None:
    """The laws' numbers live in `distributions`; elsewhere a law is asked, never matched."""
    if path.name != "distributions.py":
        assert not distribution_names_imported(path)
