"""Exact steady-state results for the textbook queues the simulator must reproduce.

A simulator is only trustworthy if, stripped down to a textbook queue, it reproduces the
textbook numbers. These functions give those numbers (M/M/c, M/M/c+M and M/G/1, all FCFS) so
the tests can compare long simulated runs against them. Times are in the unit of ``1/rate``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

#: Truncate the Erlang A state space where the neglected tail mass is below this.
_TAIL_MASS = 1e-12
#: Refuse to build chains bigger than this (tiny patience rates under heavy overload).
_MAX_STATES = 1 << 24


@dataclass(frozen=True)
class QueueTheory:
    """Steady-state performance of a queue, in the shape the simulator reports it.

    ``wait_mean`` averages over all arrivals (abandoning customers count with the time they
    waited before leaving); ``served_wait_mean`` averages over served customers only, which is
    what a centre's service log would show. Without abandonment the two are equal.
    """

    wait_mean: float
    waited_share: float
    abandoned_share: float
    utilisation: float
    queue_mean: float
    served_wait_mean: float


def _check_positive(**values: float) -> None:
    for name, value in values.items():
        if not (value > 0 and math.isfinite(value)):
            raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def _check_servers(servers: int) -> None:
    if isinstance(servers, bool) or not isinstance(servers, int) or servers < 1:
        raise ValueError(f"servers must be a positive integer, got {servers!r}")


def erlang_c(servers: int, arrival_rate: float, service_rate: float) -> QueueTheory:
    """M/M/c (Erlang C): Poisson arrivals, exponential service, ``servers`` parallel desks.

    The probability of waiting comes from the Erlang B recursion, which never forms ``a**c`` or
    ``c!`` and so stays accurate for hundreds of servers.

    >>> mm2 = erlang_c(2, arrival_rate=1.0, service_rate=1.0)
    >>> round(mm2.waited_share, 12), round(mm2.wait_mean, 12), mm2.utilisation
    (0.333333333333, 0.333333333333, 0.5)
    >>> erlang_c(1, 2.0, 1.0)
    Traceback (most recent call last):
    ...
    ValueError: unstable M/M/c queue: offered load 2 >= 1 servers; the queue grows without bound
    """
    _check_servers(servers)
    _check_positive(arrival_rate=arrival_rate, service_rate=service_rate)
    load = arrival_rate / service_rate
    if load >= servers:
        raise ValueError(
            f"unstable M/M/c queue: offered load {load:g} >= {servers} servers; "
            "the queue grows without bound"
        )
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    waited = servers * blocking / (servers - load * (1.0 - blocking))
    wait_mean = waited / (servers * service_rate - arrival_rate)
    return QueueTheory(
        wait_mean=wait_mean,
        waited_share=waited,
        abandoned_share=0.0,
        utilisation=load / servers,
        queue_mean=arrival_rate * wait_mean,
        served_wait_mean=wait_mean,
    )


def erlang_a_distribution(
    servers: int, arrival_rate: float, service_rate: float, abandonment_rate: float
) -> np.ndarray:
    """Stationary law of the number in an M/M/c+M system, truncated adaptively.

    Unnormalised log-weights come from the product formula. Death rates grow with ``n``, so
    beyond state ``N`` the weights fall at least geometrically with ratio
    ``r = arrival_rate / death(N + 1)``, bounding the neglected mass by ``p_N * r / (1 - r)``.
    """
    n_max = max(2 * servers, 64)
    while True:
        n = np.arange(1, n_max + 1)
        death = (
            np.minimum(n, servers) * service_rate + np.maximum(n - servers, 0) * abandonment_rate
        )
        log_w = np.concatenate(([0.0], np.cumsum(math.log(arrival_rate) - np.log(death))))
        log_total = logsumexp(log_w)
        ratio = arrival_rate / (servers * service_rate + (n_max + 1 - servers) * abandonment_rate)
        if ratio < 1:
            log_tail = log_w[-1] + math.log(ratio) - math.log1p(-ratio)
            if log_tail - log_total < math.log(_TAIL_MASS):
                return np.exp(log_w - log_total)
        if n_max >= _MAX_STATES:
            raise ValueError(
                "abandonment rate too small for this overload: the Erlang A chain needs more "
                f"than {_MAX_STATES} states"
            )
        n_max *= 2


def erlang_a(
    servers: int, arrival_rate: float, service_rate: float, abandonment_rate: float
) -> QueueTheory:
    """M/M/c+M (Erlang A): like Erlang C, but waiting customers give up at ``abandonment_rate``.

    Citizens leave a crowded centre, so with any impatience the queue is stable at every load.
    Computed exactly from the birth-death chain (birth ``lambda``, death
    ``min(n, c) mu + (n - c)+ theta``); by PASTA an arrival sees the stationary law, so
    ``P(wait > 0) = P(N >= c)``, ``Wq = Lq / lambda`` (Little) and
    ``P(abandon) = theta Lq / lambda`` (abandonment flow balance). Utilisation is
    ``E[min(N, c)] / c``, which equals ``lambda (1 - P(abandon)) / (c mu)`` but does not lose
    precision to cancellation when nearly everyone abandons.

    For the mean wait of served customers, an arrival finding ``k`` ahead in the queue waits in
    phases ``j = k, ..., 0`` of rate ``c mu + (j + 1) theta`` (service completions, the ``j``
    ahead abandoning, or itself abandoning). It is served with probability
    ``c mu / (c mu + (k + 1) theta)`` (the product telescopes), and the phase durations do not
    depend on how each phase ends, so ``E[wait; served | k] = P(served | k) * sum_j 1/rate_j``.

    A zero ``abandonment_rate`` is plain Erlang C.

    >>> theory = erlang_a(2, arrival_rate=1.0, service_rate=1.0, abandonment_rate=1.0)
    >>> round(theory.waited_share, 6)  # theta == mu: N ~ Poisson(1), P(N >= 2) = 1 - 2/e
    0.264241
    >>> # Overloaded 5x, yet stable: one counter serves at most mu, so at least 1 - mu / lambda
    >>> # give up, but not everybody.
    >>> 1 - 1.0 / 5.0 <= erlang_a(1, 5.0, 1.0, 0.5).abandoned_share < 1
    True
    """
    if abandonment_rate == 0:
        return erlang_c(servers, arrival_rate, service_rate)
    _check_servers(servers)
    _check_positive(
        arrival_rate=arrival_rate, service_rate=service_rate, abandonment_rate=abandonment_rate
    )
    p = erlang_a_distribution(servers, arrival_rate, service_rate, abandonment_rate)
    queued = p[servers:]
    ahead = np.arange(queued.size)
    queue_mean = float(ahead @ queued)
    # min() only guards rounding: p sums to 1 within a few ulps.
    abandoned = min(abandonment_rate * queue_mean / arrival_rate, 1.0)
    busy_mean = float(np.arange(servers) @ p[:servers]) + servers * float(queued.sum())

    phase_rate = servers * service_rate + (ahead + 1) * abandonment_rate
    served_given_ahead = servers * service_rate / phase_rate
    served_wait_total = float(queued @ (served_given_ahead * np.cumsum(1.0 / phase_rate)))
    served_share = float(p[:servers].sum() + queued @ served_given_ahead)
    return QueueTheory(
        wait_mean=queue_mean / arrival_rate,
        waited_share=min(float(queued.sum()), 1.0),
        abandoned_share=abandoned,
        utilisation=min(busy_mean / servers, 1.0),
        queue_mean=queue_mean,
        served_wait_mean=served_wait_total / served_share,
    )


def mg1_pollaczek_khinchine(
    arrival_rate: float, mean_service: float, service_cv: float
) -> QueueTheory:
    """M/G/1 by Pollaczek-Khinchine: one desk, any service law given by its mean and CV.

    Only the first two moments of service matter, ``E[S^2] = mean^2 (1 + cv^2)``, so
    ``Wq = lambda E[S^2] / (2 (1 - rho))``; ``service_cv=0`` is M/D/1, ``1`` matches M/M/1.

    >>> md1 = mg1_pollaczek_khinchine(arrival_rate=0.5, mean_service=1.0, service_cv=0.0)
    >>> md1.wait_mean, md1.waited_share
    (0.5, 0.5)
    """
    _check_positive(arrival_rate=arrival_rate, mean_service=mean_service)
    if not (service_cv >= 0 and math.isfinite(service_cv)):
        raise ValueError(f"service_cv must be a non-negative finite number, got {service_cv!r}")
    rho = arrival_rate * mean_service
    if rho >= 1:
        raise ValueError(
            f"unstable M/G/1 queue: utilisation {rho:g} >= 1; the queue grows without bound"
        )
    second_moment = mean_service**2 * (1.0 + service_cv**2)
    wait_mean = arrival_rate * second_moment / (2.0 * (1.0 - rho))
    return QueueTheory(
        wait_mean=wait_mean,
        waited_share=rho,
        abandoned_share=0.0,
        utilisation=rho,
        queue_mean=arrival_rate * wait_mean,
        served_wait_mean=wait_mean,
    )


def cobham_priority_waits(servers: int, arrival_rates: list[float],
                          service_rate: float) -> list[float]:
    """Mean wait of each class of an M/M/c queue with strict non-pre-emptive priority (Cobham,
    1954), the classes listed from the highest priority down, all with the same exponential
    service: ``W_k = P(wait) / (c mu (1 - sigma_{k-1}) (1 - sigma_k))``, where ``P(wait)`` is
    Erlang C's and ``sigma_k`` the load of classes 1..k per server. Their average weighted by
    arrivals is Erlang C's first-come-first-served mean wait (work conservation).

    >>> high, low = cobham_priority_waits(1, [0.25, 0.25], 1.0)
    >>> round(high, 12), round(low, 12), round((high + low) / 2, 12)
    (0.666666666667, 1.333333333333, 1.0)
    """
    waited = erlang_c(servers, sum(arrival_rates), service_rate).waited_share
    capacity = servers * service_rate
    loads = np.cumsum([0.0, *arrival_rates]) / capacity
    return [float(waited / (capacity * (1 - before) * (1 - upto)))
            for before, upto in itertools.pairwise(loads)]
