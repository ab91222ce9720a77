"""A desk: a pool of counters with one first-come-first-served queue.

The desk keeps its own log of (time, busy counters, citizens waiting, open counters, counters
helping the back office; the columns of `DeskLog`) at every change, so that time-weighted
statistics (utilisation, mean queue, per half-hour views) come from the resource itself after
the run, with nothing measured inside the event loop.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import IntEnum

import numpy as np


@dataclass(eq=False, slots=True)
class Piece:
    """A piece of back-office work a counter does under counter_first (its desk holds it)."""

    dossier: int  # the back office's dossier number
    started: float  # minutes
    active: bool = True  # False once it has ended or its counter was recalled


class DeskLog(IntEnum):
    """Columns of a desk's log (`log_array`): `log[:, DeskLog.OPEN]` is the open counters."""

    TIME = 0  # minutes
    BUSY = 1  # counters serving a citizen
    WAITING = 2  # citizens in the queue
    OPEN = 3  # counters open
    HELPING = 4  # counters doing a piece of back-office work (counter_first)


LOG_COLUMNS = tuple(column.name.lower() for column in DeskLog)


class Desk:
    """Counter pool state; the centre decides who is served, the desk only keeps count."""

    __slots__ = ("busy", "guidance", "helpers", "helping", "log", "open", "overtime", "queue",
                 "scheduled", "stopped", "waiting")

    def __init__(self, guidance: bool = False) -> None:
        self.guidance = guidance  # the guidance team rather than a counter pool
        self.scheduled = 0  # counters the schedule opens now
        self.stopped = 0  # outages in force (counters stop while any is)
        self.open = 0  # counters open now (a closing counter still finishes its citizen)
        self.busy = 0  # counters serving a citizen now
        self.helping = 0  # counters doing a piece of back-office work now (counter_first)
        self.helpers: list[Piece] = []  # the pieces of back-office work in progress
        self.waiting = 0  # citizens in the queue who have not given up
        # Visit ids, first come first served; the centre installs the run's queue objects
        # (sim.model.tickets), which also call by ticket class. Visits that gave up are skipped.
        self.queue: deque[int] = deque()
        self.overtime = False  # closed for the day but still serving its queue (serve_all)
        # One flat list (time, busy, waiting, open, helping, time, ...): numpy converts a flat
        # list of scalars about twice as fast as a list of tuples, and no tuple per row stays alive.
        self.log: list[float] = [0.0, 0, 0, 0, 0]

    def record(self, now: float) -> None:
        self.log.extend((now, self.busy, self.waiting, self.open, self.helping))

    def set_scheduled(self, level: int) -> None:
        self.scheduled = level
        self.open = 0 if self.stopped else level

    def log_array(self) -> np.ndarray:
        """The log as a float array with columns DeskLog."""
        return flat_log_array(self.log, len(LOG_COLUMNS))


def flat_log_array(log: list[float], columns: int) -> np.ndarray:
    """A log kept as one flat list of rows (time, ...) as a float array of `columns` columns."""
    return np.asarray(log, dtype=float).reshape(-1, columns)
