"""Integrals of step functions logged by the desks (busy counters, queue length, open counters).

A desk logs its state at every change; the value logged at time t holds until the next entry.
Time-weighted means over any window follow from these integrals, so the event loop measures
nothing itself.
"""

from __future__ import annotations

import numpy as np


def step_integral(times: np.ndarray, values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Integral of the step function over each [edges[i], edges[i+1]).

    >>> step_integral(np.array([0.0, 2.0]), np.array([1.0, 3.0]), np.array([0.0, 1.0, 4.0]))
    array([1., 7.])
    """
    at_edges = _cumulative_at(times, values, edges)
    return np.diff(at_edges)


def step_total(times: np.ndarray, values: np.ndarray, start: float, end: float) -> float:
    """Integral of the step function over one window [start, end).

    >>> step_total(np.array([0.0, 2.0]), np.array([1.0, 3.0]), 1.0, 4.0)
    7.0
    """
    at_start, at_end = _cumulative_at(times, values, np.array([start, end]))
    return float(at_end - at_start)


def span_integrals(times: np.ndarray, values: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """Integral of the step function over each span of (start, end) pairs: the opening periods
    of a run, say, leaving out the gaps between them.

    >>> span_integrals(np.array([0.0, 2.0]), np.array([1.0, 3.0]),
    ...                np.array([[0.0, 1.0], [2.0, 4.0]]))
    array([1., 6.])
    """
    return step_integral(times, values, np.ravel(spans))[::2]  # [1::2] are the gaps


def _cumulative_at(times: np.ndarray, values: np.ndarray, points: np.ndarray) -> np.ndarray:
    cumulative = np.concatenate([[0.0], np.cumsum(values[:-1] * np.diff(times))])
    index = np.clip(np.searchsorted(times, points, side="right") - 1, 0, len(times) - 1)
    return cumulative[index] + values[index] * np.maximum(points - times[index], 0.0)


def step_max(times: np.ndarray, values: np.ndarray, start: float) -> float:
    """Largest value the step function holds for a stretch of time from ``start`` on.

    A value replaced in the same instant (a zero-length step, such as a citizen who joins a
    counter queue logged before the guidance queue they left) is never held, so never counts.

    >>> step_max(np.array([0.0, 1.0, 1.0, 2.0]), np.array([1.0, 3.0, 2.0, 0.0]), 0.0)
    2.0
    """
    held = np.append(times[1:] > times[:-1], True)  # the last row of each instant
    times, values = times[held], values[held]
    first = max(int(np.searchsorted(times, start, side="right")) - 1, 0)
    return float(values[first:].max())


def summed_steps(logs: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """The sum of several step functions (e.g. the centre's queue over all desks) as one log.

    >>> t, v = summed_steps([(np.array([0.0, 2.0]), np.array([1.0, 0.0])),
    ...                      (np.array([1.0]), np.array([5.0]))])
    >>> t.tolist(), v.tolist()
    ([0.0, 1.0, 2.0], [1.0, 6.0, 5.0])
    """
    times = np.concatenate([t for t, _ in logs])
    deltas = np.concatenate([np.diff(v, prepend=0.0) for _, v in logs])
    order = np.argsort(times, kind="stable")
    return times[order], np.cumsum(deltas[order])
