"""The first trip of every pre-sampled citizen, in time order.

One timeout at a time, each arrival scheduling the next: a callback chain rather than a
process (no generator to resume per citizen), and a heap that holds one arrival, not all.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import simpy


class FirstTrips:
    """Calls ``arrive(citizen, 1)`` at each citizen's arrival time, in time order (a desk's
    own hours may have reordered the citizens)."""

    def __init__(self, env: simpy.Environment, arrival: np.ndarray,
                 arrive: Callable[[int, int], None]):
        self.env = env
        self.times = arrival.tolist()
        self.order = iter(np.argsort(arrival, kind="stable").tolist())
        self.arrive = arrive

    def start(self) -> None:
        self._next()

    def _next(self, event: simpy.Event | None = None) -> None:
        if event is not None:
            self.arrive(event.value, 1)
        citizen = next(self.order, None)
        if citizen is not None:
            self.env.timeout(self.times[citizen] - self.env.now, citizen).callbacks.append(
                self._next)
