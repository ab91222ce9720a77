"""What one run leaves behind: the outcome of each visit, the visit columns the centre fills in
as the run goes, and the `RunRecord` assembled from them at the end.

Everything after the model (metrics, tidy frames, cost) reads a run through `RunRecord` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.model.calendar import Timeline
from sim.model.citizens import Citizens
from sim.model.desk import Desk

# Outcome codes of a visit. WAITING and IN_SERVICE are states during the run; a finished visit
# has one of the five outcomes of OUTCOMES.
WAITING, IN_SERVICE, SERVED, ABANDONED, SENT_HOME, INCOMPLETE, BLOCKED = range(7)
OUTCOMES = {SERVED: "served", ABANDONED: "abandoned", SENT_HOME: "sent_home",
            INCOMPLETE: "incomplete", BLOCKED: "blocked"}


@dataclass(frozen=True)
class RunRecord:
    """What one simulated run leaves behind: visit and dossier columns, logs, the calendar."""

    seed: int
    desk_names: tuple[str, ...]  # counter pools: the desk, or site.desk with several sites
    visits: dict[str, np.ndarray]
    desk_logs: dict[str, np.ndarray]  # per counter pool: columns sim.model.desk.DeskLog
    guidance_logs: dict[str, np.ndarray]  # per site's guidance team, same columns
    back_office_log: np.ndarray  # columns sim.model.back_office.BackOfficeLog
    dossiers: dict[str, np.ndarray]  # procedure, source, received, due, work, trips, completed
    timeline: Timeline
    warmup_end: float
    horizon_end: float  # the last closing: the back office stops there


class Visits:
    """Columns with one entry per visit (one trip of one citizen), appended when the visit
    arrives and filled in as things happen.

    Plain lists rather than numpy arrays: a numpy array indexed from Python returns numpy
    scalars, slow to make and slow to add, and a numpy delay makes env.now a numpy scalar too.
    `joined` and `desk` are the visit's state during the run and are not part of the record.
    """

    __slots__ = ("arrival", "citizen", "desk", "end", "guidance_wait", "joined", "outcome",
                 "start", "trip", "wait")

    def __init__(self) -> None:
        self.citizen: list[int] = []
        self.trip: list[int] = []  # 1 for the citizen's first trip
        self.arrival: list[float] = []
        self.start: list[float] = []  # start of service at the counter; nan if never
        self.end: list[float] = []  # end of service, or when the visit left; nan while on
        self.outcome: list[int] = []  # an outcome code
        self.wait: list[float] = []  # minutes in queues so far (with a guide: not counted)
        self.guidance_wait: list[float] = []  # minutes in the guidance queue; nan if none
        self.joined: list[float] = []  # when the visit joined its current queue
        self.desk: list[Desk | None] = []  # the queue it waits in, then the counters serving it

    def columns(self, citizens: Citizens) -> dict[str, np.ndarray]:
        """The visit columns of the record, with each visit's procedure and counter pool."""
        citizen = np.asarray(self.citizen, dtype=np.int64)
        return {
            "citizen": citizen,
            "trip": np.asarray(self.trip, dtype=np.int64),
            "procedure": citizens.procedure[citizen],
            "desk": citizens.pool[citizen],
            "arrival": np.asarray(self.arrival),
            "start": np.asarray(self.start),
            "end": np.asarray(self.end),
            "wait": np.asarray(self.wait),
            "guidance_wait": np.asarray(self.guidance_wait),
            "outcome": np.asarray(self.outcome, dtype=np.int8),
        }


def desk_logs(names: Sequence[str], desks: Sequence[Desk]) -> dict[str, np.ndarray]:
    """Each counter pool's log by its name."""
    return {name: desk.log_array() for name, desk in zip(names, desks, strict=True)}


def guidance_logs(site_names: Sequence[str], guides: Sequence[Desk]) -> dict[str, np.ndarray]:
    """Each guidance team's log: `guidance` for a single team, else `<site>.guidance`; empty
    without guidance."""
    names = ["guidance" if len(guides) == 1 else f"{site}.guidance" for site in site_names]
    return {name: guide.log_array() for name, guide in zip(names, guides, strict=False)}
