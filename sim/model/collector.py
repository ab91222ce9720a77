"""Python's cycle collector paused while a run is simulated.

Why: a run allocates an event or two per visit and keeps each alive only a short while, but
the collector, counting allocations, keeps traversing them and, now and then, the whole heap
(the loaded scenarios, pandas, scipy): about a sixth of a run's time on a province's centres.
A run makes next to no cyclic garbage while it goes; what it leaves at its end is young and
is collected soon after the collector is back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off inside, and on again after if it was on before."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
