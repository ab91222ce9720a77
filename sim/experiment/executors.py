"""Where simulation units run: in this process, in local worker processes, or on a Dask cluster.

A unit's result depends only on its inputs (scenario and seed), and results are always
collected in submission order, so the same experiment gives identical results whichever
executor runs it and with however many workers.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import Any

Unit = tuple[Any, ...]


@dataclass(frozen=True)
class Execution:
    """How to run units: `jobs` local processes, or the Dask cluster at `scheduler`."""

    jobs: int = 1
    scheduler: str | None = None

    def map(self, function: Callable[..., Any], units: Sequence[Unit]) -> Iterator[Any]:
        return run_units(function, units, self.jobs, self.scheduler)


IN_PROCESS = Execution()


def run_units(function: Callable[..., Any], units: Sequence[Unit], jobs: int = 1,
              scheduler: str | None = None) -> Iterator[Any]:
    """Results of ``function(*unit)`` for every unit, in the order of ``units``."""
    if scheduler is not None:
        yield from _on_dask(function, units, scheduler)
    elif jobs > 1 and len(units) > 1:
        # Never more workers than units; each worker ends when the main process dies (kill -9
        # of `sim` must not leave simulations running).
        with ProcessPoolExecutor(max_workers=min(jobs, len(units)),
                                 initializer=_worker_start) as pool:
            # Submission-ordered map; a small chunk keeps the progress bar moving.
            yield from pool.map(function, *zip(*units, strict=True), chunksize=1)
    else:
        for unit in units:
            yield function(*unit)


PARENT_CHECK_SECONDS = 0.5
DASK_UNITS_PER_THREAD = 4  # units submitted ahead per worker thread of a Dask cluster


def _worker_start() -> None:
    """Worker initialiser: a watcher thread ends the worker once its parent has gone; and what
    the worker inherited (a forked worker holds the parent's loaded country) is frozen out of
    the cycle collector's sight, so that collecting never touches, and so copies, those pages,
    as Python's documentation of gc.freeze advises for fork without exec."""
    gc.freeze()
    parent = os.getppid()
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:  # an orphan is adopted by another process
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _on_dask(function: Callable[..., Any], units: Sequence[Unit],
             scheduler: str) -> Iterator[Any]:
    """Run on an existing Dask distributed cluster (its scheduler's address)."""
    try:
        from distributed import Client, as_completed  # optional: only a cluster run needs it
    except ModuleNotFoundError:
        raise RuntimeError("running on a Dask cluster needs the package distributed: "
                           "pip install -e '.[cluster]'") from None

    with Client(scheduler) as client:
        # A few units per worker thread in flight, not every unit at once: the scheduler then
        # holds a bounded number of tasks (with their scenarios), however many centres. Any
        # unit that finishes frees its place, so that one slow unit does not hold back the
        # rest; results wait in `finished` until those before them are in. What waits there
        # is small (a streamed unit hands back its name) or kept by the caller anyway.
        queued = iter(enumerate(units))
        position: dict[str, int] = {}  # a running task's key -> its unit's place in `units`
        running = as_completed(loop=client.loop)
        finished: dict[int, Any] = {}
        next_out = 0
        while True:
            # Counted again as units finish: an adaptive cluster may have no worker at first.
            ahead = DASK_UNITS_PER_THREAD * max(1, sum(client.nthreads().values()))
            for index, unit in islice(queued, max(0, ahead - running.count())):
                future = client.submit(function, *unit, pure=False)
                position[future.key] = index
                running.add(future)
            if running.is_empty():
                break
            done = next(running)
            finished[position.pop(done.key)] = done.result()
            while next_out in finished:  # in submission order
                yield finished.pop(next_out)
                next_out += 1
