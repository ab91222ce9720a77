"""The queueing formulas checked against values known independently of the code under test."""

from __future__ import annotations

import heapq
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.stats import poisson

from sim.analysis.confidence import t_interval
from sim.analysis.theory import (
    QueueTheory,
    erlang_a,
    erlang_a_distribution,
    erlang_c,
    mg1_pollaczek_khinchine,
)

rel = pytest.approx


# --- M/M/c (Erlang C) -------------------------------------------------------------------------


@pytest.mark.parametrize(("lam", "mu"), [(0.5, 1.0), (0.9, 1.0), (3.0, 7.0)])
def test_mm1_closed_forms(lam: float, mu: float) -> None:
    rho = lam / mu
    theory = erlang_c(1, lam, mu)
    assert theory.waited_share == rel(rho)
    assert theory.wait_mean == rel(rho / (mu - lam))
    assert theory.queue_mean == rel(rho**2 / (1 - rho))
    assert theory.utilisation == rel(rho)
    assert theory.abandoned_share == 0
    assert theory.served_wait_mean == theory.wait_mean


def test_erlang_c_two_servers_unit_load() -> None:
    # Direct formula C = (a^c/c! * c/(c-a)) / (sum_{k<c} a^k/k! + a^c/c! * c/(c-a)).
    # c=2, a=1: top = 1/2 * 2 = 1, bottom = (1 + 1) + 1 = 3, so C = 1/3; Wq = C/(c mu - lam).
    theory = erlang_c(2, 1.0, 1.0)
    assert theory.waited_share == rel(1 / 3)
    assert theory.wait_mean == rel(1 / 3)
    assert theory.utilisation == rel(0.5)


def test_erlang_c_three_servers_load_two() -> None:
    # c=3, a=2: top = 8/6 * 3/1 = 4, bottom = (1 + 2 + 2) + 4 = 9, so C = 4/9.
    # With mu=0.5 (lam=1): Wq = C / (c mu - lam) = (4/9) / 0.5 = 8/9; Lq = lam Wq = 8/9.
    theory = erlang_c(3, 1.0, 0.5)
    assert theory.waited_share == rel(4 / 9)
    assert theory.wait_mean == rel(8 / 9)
    assert theory.queue_mean == rel(8 / 9)
    assert theory.utilisation == rel(2 / 3)


def test_erlang_c_many_servers_does_not_overflow() -> None:
    # a^c / c! overflows floats here; the recursion must not. Independently, Erlang B is
    # B = P(N = c) / P(N <= c) for N ~ Poisson(a), which scipy evaluates in log space, and
    # C = B / (1 - rho (1 - B)). Each side is a chain of about c floating-point steps, so the
    # two agree to within 2 c eps relative.
    servers, load = 930, 900.0
    erlang_b = poisson.pmf(servers, load) / poisson.cdf(servers, load)
    waiting = erlang_b / (1 - load / servers * (1 - erlang_b))
    theory = erlang_c(servers, load, 1.0)
    assert theory.waited_share == rel(waiting, rel=2 * servers * np.finfo(float).eps)
    assert theory.wait_mean == rel(theory.waited_share / (servers - load))


@pytest.mark.parametrize(("servers", "lam", "mu"), [(1, 1.0, 1.0), (1, 2.0, 1.0), (4, 8.0, 2.0)])
def test_erlang_c_unstable_raises(servers: int, lam: float, mu: float) -> None:
    with pytest.raises(ValueError, match="unstable"):
        erlang_c(servers, lam, mu)


@pytest.mark.parametrize(
    ("servers", "lam", "mu"), [(0, 1.0, 1.0), (1.5, 1.0, 1.0), (1, 0.0, 1.0), (1, 1.0, -1.0)]
)
def test_erlang_c_bad_inputs_raise(servers: int, lam: float, mu: float) -> None:
    with pytest.raises(ValueError):
        erlang_c(servers, lam, mu)


# --- M/G/1 (Pollaczek-Khinchine) --------------------------------------------------------------


@pytest.mark.parametrize(("lam", "mu"), [(0.5, 1.0), (0.8, 1.0), (2.0, 2.5)])
def test_md1_wait(lam: float, mu: float) -> None:
    rho = lam / mu
    theory = mg1_pollaczek_khinchine(lam, 1 / mu, 0.0)
    assert theory.wait_mean == rel(rho / (2 * mu * (1 - rho)))
    assert theory.waited_share == rel(rho)
    assert theory.utilisation == rel(rho)


def test_mg1_with_exponential_service_is_mm1() -> None:
    mg1 = mg1_pollaczek_khinchine(0.7, 1.0, 1.0)
    mm1 = erlang_c(1, 0.7, 1.0)
    for field in ("wait_mean", "waited_share", "utilisation", "queue_mean"):
        assert getattr(mg1, field) == rel(getattr(mm1, field))


def test_mg1_wait_grows_with_service_variability() -> None:
    # Wq is linear in 1 + cv^2: doubling that factor doubles the wait.
    base = mg1_pollaczek_khinchine(0.6, 1.0, 1.0).wait_mean
    assert mg1_pollaczek_khinchine(0.6, 1.0, math.sqrt(3)).wait_mean == rel(2 * base)


@pytest.mark.parametrize(
    ("lam", "mean", "cv"), [(1.0, 1.0, 0.5), (2.0, 0.6, 0.0), (1.0, 1.0, -0.1), (0.0, 1.0, 1.0)]
)
def test_mg1_bad_or_unstable_inputs_raise(lam: float, mean: float, cv: float) -> None:
    with pytest.raises(ValueError):
        mg1_pollaczek_khinchine(lam, mean, cv)


# --- M/M/c+M (Erlang A) -----------------------------------------------------------------------


@pytest.mark.parametrize(("servers", "lam", "mu"), [(1, 0.5, 1.0), (2, 1.0, 1.0), (5, 9.0, 1.5)])
def test_erlang_a_with_patience_equal_to_service_is_poisson(
    servers: int, lam: float, mu: float
) -> None:
    # With theta == mu every customer present leaves at rate mu, as in M/M/inf, so the number in
    # system is Poisson(a). Everything follows from the Poisson law, independently of the code.
    a = lam / mu
    n = np.arange(0, 400)
    pmf = poisson.pmf(n, a)
    queue_mean = float(np.maximum(n - servers, 0) @ pmf)
    busy_mean = float(np.minimum(n, servers) @ pmf)
    theory = erlang_a(servers, lam, mu, mu)
    assert theory.waited_share == rel(poisson.sf(servers - 1, a))
    assert theory.queue_mean == rel(queue_mean)
    assert theory.wait_mean == rel(queue_mean / lam)
    assert theory.abandoned_share == rel(mu * queue_mean / lam)
    assert theory.utilisation == rel(busy_mean / servers)


def test_erlang_a_zero_patience_rate_is_erlang_c() -> None:
    assert erlang_a(3, 1.0, 0.5, 0.0) == erlang_c(3, 1.0, 0.5)


def test_erlang_a_small_abandonment_is_close_to_erlang_c() -> None:
    # Bound: for n = c + k the Erlang A weight is the Erlang C weight times
    # f_k = prod_{j<=k} c mu / (c mu + j theta), and 1 - eps_k <= f_k <= 1 with
    # eps_k = theta k (k + 1) / (2 c mu). For any g >= 0 this gives
    #     E_C[g] - E_C[g eps] <= E_A[g] <= E_C[g] / (1 - E_C[eps]).
    # Under Erlang C, k given waiting is geometric, P(k = j) = (1 - rho) rho^j, so
    #     E[k (k + 1)] = 2 rho / (1 - rho)^2  and  E[k^2 (k + 1)] = 2 rho (1 + 2 rho) / (1 - rho)^3.
    servers, lam, mu, theta = 3, 1.0, 0.5, 1e-3
    ec = erlang_c(servers, lam, mu)
    rho = lam / (servers * mu)
    scale = ec.waited_share * theta / (2 * servers * mu)
    e_eps = scale * 2 * rho / (1 - rho) ** 2
    e_k_eps = scale * 2 * rho * (1 + 2 * rho) / (1 - rho) ** 3

    ea = erlang_a(servers, lam, mu, theta)
    assert ec.waited_share - e_eps <= ea.waited_share <= ec.waited_share / (1 - e_eps)
    assert ec.queue_mean - e_k_eps <= ea.queue_mean <= ec.queue_mean / (1 - e_eps)
    assert ea.waited_share < ec.waited_share  # impatience strictly helps
    # P_ab = theta Lq / lam, so it inherits the Lq bound.
    lo, hi = ec.queue_mean - e_k_eps, ec.queue_mean / (1 - e_eps)
    assert theta * lo / lam <= ea.abandoned_share <= theta * hi / lam
    # The served wait S: W_q = (1 - P_ab) S + E[W; abandoned], and W_q = L_q / lam. An
    # abandoner waits its patience T < V (V its offered wait), so E[W; abandoned] =
    # E[T; T < V] <= theta E[V^2] / 2; V is at most the Erlang C offered wait of the same
    # sample path (abandoners only take work away), whose E[V^2] is 2 C / (c mu - lam)^2. So
    #     lo / lam - theta C / (c mu - lam)^2 <= S <= (hi / lam) / (1 - theta hi / lam).
    second_moment_term = theta * ec.waited_share / (servers * mu - lam) ** 2
    assert lo / lam - second_moment_term <= ea.served_wait_mean <= (hi / lam) / (
        1 - theta * hi / lam)


def test_erlang_a_many_servers_tiny_abandonment_matches_erlang_c() -> None:
    # Large c exercises the log-space product formula and adaptive truncation.
    ec = erlang_c(930, 900.0, 1.0)
    ea = erlang_a(930, 900.0, 1.0, 1e-9)
    assert ea.waited_share == rel(ec.waited_share, rel=1e-6)
    assert ea.wait_mean == rel(ec.wait_mean, rel=1e-6)


def test_erlang_a_single_server_heavy_overload() -> None:
    # M/M/1+M overloaded 5x, yet stable. Independently of the code: the birth-death chain has
    # p_n proportional to prod_{k<=n} lam / (mu + (k - 1) theta), summed here until the terms
    # vanish in floating point; with one counter P(wait) = P(N >= 1) = utilisation (PASTA),
    # L_q = sum (n - 1) p_n, W_q = L_q / lam and P_ab = theta L_q / lam. erlang_a truncates its
    # chain where the neglected mass is below 1e-12, so the values agree within 1e-12 of each
    # probability and of L_q per unit of its largest state (here under 100).
    lam, mu, theta = 5.0, 1.0, 0.5
    weights = [1.0]
    while weights[-1] > 1e-300:
        weights.append(weights[-1] * lam / (mu + (len(weights) - 1) * theta))
    p = np.array(weights) / sum(weights)
    queue_mean = float(np.maximum(np.arange(len(p)) - 1, 0) @ p)
    theory = erlang_a(1, lam, mu, theta)
    assert theory.waited_share == rel(1 - p[0], abs=1e-12)
    assert theory.utilisation == rel(1 - p[0], abs=1e-12)
    assert theory.queue_mean == rel(queue_mean, abs=100 * 1e-12)
    assert theory.abandoned_share == rel(theta * queue_mean / lam, abs=100 * 1e-12)
    # Served throughput can never exceed the service rate: lam (1 - P_ab) <= mu.
    assert lam * (1 - theory.abandoned_share) <= mu


def test_erlang_a_bad_inputs_raise() -> None:
    with pytest.raises(ValueError, match="abandonment_rate"):
        erlang_a(2, 1.0, 1.0, -0.5)
    with pytest.raises(ValueError, match="servers"):
        erlang_a(0, 1.0, 1.0, 0.5)


def _simulate_mmc_plus_m(
    servers: int, lam: float, mu: float, theta: float, customers: int, seed: int
) -> dict[str, float]:
    """Independent check: FCFS M/M/c+M simulated through each arrival's offered wait.

    Under FCFS, an arrival's offered wait is the time until the earliest server is free from
    everyone ahead who stays; it is served iff its patience is at least that, and abandoners take
    no capacity. So the free times of the servers (a heap) are all the state needed.
    """
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1 / lam, customers))
    services = rng.exponential(1 / mu, customers)
    patiences = rng.exponential(1 / theta, customers)
    free_at = [0.0] * servers
    waits, served, waited = [], [], []
    for t, s, patience in zip(arrivals, services, patiences, strict=True):
        offered = max(free_at[0] - t, 0.0)
        if offered <= patience:
            heapq.heapreplace(free_at, t + offered + s)
            waits.append(offered)
            served.append(True)
        else:
            waits.append(patience)
            served.append(False)
        waited.append(offered > 0)
    warm = customers // 20
    wait_arr = np.array(waits[warm:])
    served_arr = np.array(served[warm:])
    return {
        "wait_mean": float(wait_arr.mean()),
        "served_wait_mean": float(wait_arr[served_arr].mean()),
        "abandoned_share": float(1 - served_arr.mean()),
        "waited_share": float(np.mean(waited[warm:])),
    }


MONTE_CARLO = [(3, 3.0, 1.2, 0.5), (1, 1.5, 1.0, 2.0)]
MONTE_CARLO_METRICS = ("waited_share", "abandoned_share", "wait_mean", "served_wait_mean")


@pytest.mark.parametrize(("servers", "lam", "mu", "theta"), MONTE_CARLO)
def test_erlang_a_matches_monte_carlo(servers: int, lam: float, mu: float, theta: float) -> None:
    """20 independent replications of 30,000 customers; each formula value must lie in the
    Student-t interval of the replication means. The 8 intervals of the two cases share one
    root seed, so each is at level 1 - 0.05 / 8 (Bonferroni). Each interval must also be
    narrow enough to tell the formula from that of one more server: its half-width under half
    the distance between the two values."""
    seeds = np.random.SeedSequence(20250701).generate_state(20)
    runs = [_simulate_mmc_plus_m(servers, lam, mu, theta, customers=30_000, seed=int(seed))
            for seed in seeds]
    theory, other = erlang_a(servers, lam, mu, theta), erlang_a(servers + 1, lam, mu, theta)
    confidence = 1 - 0.05 / (len(MONTE_CARLO) * len(MONTE_CARLO_METRICS))
    for metric in MONTE_CARLO_METRICS:
        _, low, high = t_interval(np.array([run[metric] for run in runs]), confidence)
        expected, neighbour = getattr(theory, metric), getattr(other, metric)
        assert low <= expected <= high, f"{metric}: {expected:.5f} outside [{low:.5f}, {high:.5f}]"
        assert (high - low) / 2 < abs(expected - neighbour) / 2, (metric, low, high, neighbour)


# --- Properties -------------------------------------------------------------------------------

rates = st.floats(min_value=0.05, max_value=20.0, allow_nan=False)
EPS = float(np.finfo(float).eps)
PROPERTIES = settings(derandomize=True, max_examples=200, deadline=None)


def _assert_sane(theory: QueueTheory, lam: float) -> None:
    assert 0 <= theory.waited_share <= 1
    assert 0 <= theory.abandoned_share <= 1
    assert 0 <= theory.utilisation <= 1
    # Little's law: one of the two is computed from the other, two roundings apart.
    assert theory.queue_mean == rel(lam * theory.wait_mean, rel=2 * EPS, abs=0)
    assert theory.served_wait_mean >= 0


def _erlang_a_slack(servers: int, lam: float, mu: float, theta: float) -> float:
    """How far erlang_a's expectations may be from the exact ones: its chain stops at a state
    N, where lam p_N of the probability flow leaks out uncompensated, and its sums over the
    N + 1 states round N + 1 times (quantities up to N, relative to an ulp)."""
    p = erlang_a_distribution(servers, lam, mu, theta)
    return lam * p[-1] / min(servers * mu, lam) + len(p) ** 2 * EPS


@PROPERTIES
@given(servers=st.integers(1, 30), lam=rates, mu=rates)
def test_erlang_c_waiting_decreases_with_servers(servers: int, lam: float, mu: float) -> None:
    assume(lam / mu < servers)
    fewer, more = erlang_c(servers, lam, mu), erlang_c(servers + 1, lam, mu)
    _assert_sane(fewer, lam)
    assert more.waited_share < fewer.waited_share
    assert more.wait_mean < fewer.wait_mean


@PROPERTIES
@given(servers=st.integers(1, 20), lam=rates, mu=rates, theta=rates)
def test_erlang_a_properties(servers: int, lam: float, mu: float, theta: float) -> None:
    theory = erlang_a(servers, lam, mu, theta)
    _assert_sane(theory, lam)
    slack = _erlang_a_slack(servers, lam, mu, theta)
    # Flow balance: served throughput lam (1 - P_ab) equals completions E[min(N, c)] mu.
    served_load = lam * (1 - theory.abandoned_share) / (servers * mu)
    assert theory.utilisation == rel(served_load, rel=0, abs=slack)
    more = erlang_a(servers + 1, lam, mu, theta)
    assert more.abandoned_share <= theory.abandoned_share + slack + _erlang_a_slack(
        servers + 1, lam, mu, theta)
    # Wq = (1 - P_ab) E[wait | served] + P_ab E[wait | abandoned], and the last term is >= 0.
    served_part = (1 - theory.abandoned_share) * theory.served_wait_mean
    assert served_part <= theory.wait_mean + slack * max(theory.wait_mean, 1 / mu)
