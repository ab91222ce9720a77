"""What one run leaves behind: the outcome of each visit, the visit columns the centre fills in
as the run goes, and the `RunRecord` assembled from them at the end.

Everything after the model (metrics, tidy frames, cost) reads a run through `RunRecord` only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from sim.model.calendar import Timeline
from sim.model.desk import Desk

# Outcome codes of a visit. WAITING and IN_SERVICE are states during the run; a finished visit
# has one of the outcomes of OUTCOMES (not_ready: a pick-up that found the result not ready).
WAITING, IN_SERVICE, SERVED, ABANDONED, SENT_HOME, INCOMPLETE, BLOCKED, NOT_READY = range(8)
OUTCOMES = {SERVED: "served", ABANDONED: "abandoned", SENT_HOME: "sent_home",
            INCOMPLETE: "incomplete", BLOCKED: "blocked", NOT_READY: "not_ready"}
# What a visit is for: to submit a dossier (every pre-sampled citizen's trips), to collect a
# result, or to ask about a transferred dossier.
SUBMIT, PICKUP, INQUIRY = range(3)
PURPOSES = {SUBMIT: "submit", PICKUP: "pickup", INQUIRY: "inquiry"}
# Ticket classes of a visit (its ticket_class column): sim.model.tickets calls by them.
WALK_IN, BOOKED, PRIORITY = range(3)
TICKET_CLASSES: tuple[str, ...] = ("walk_in", "booked", "priority")


@dataclass(frozen=True)
class RunRecord:
    """What one simulated run leaves behind: visit and dossier columns, logs, the calendar."""

    seed: int
    desk_names: tuple[str, ...]  # counter pools: the desk, or site.desk with several sites
    visits: dict[str, np.ndarray]
    desk_logs: dict[str, np.ndarray]  # per counter pool: columns sim.model.desk.DeskLog
    guidance_logs: dict[str, np.ndarray]  # per site's guidance team, same columns
    back_office_log: np.ndarray  # columns sim.model.back_office.BackOfficeLog
    dossiers: dict[str, np.ndarray]  # procedure, source, received, due, work, trips, citizen,
    # completed
    timeline: Timeline
    warmup_end: float
    horizon_end: float  # the last closing: the back office stops there
    no_show_slots: np.ndarray = field(default_factory=lambda: np.zeros(0))  # minutes: slot
    # starts booked by citizens who did not come (sim.model.appointments)


class Visits:
    """Columns with one entry per visit (one trip of one citizen), appended when the visit
    arrives and filled in as things happen.

    Plain lists rather than numpy arrays: a numpy array indexed from Python returns numpy
    scalars, slow to make and slow to add, and a numpy delay makes env.now a numpy scalar too.
    `joined` and `desk` are the visit's state during the run and are not part of the record.
    """

    __slots__ = ("arrival", "citizen", "desk", "end", "guidance_wait", "joined", "outcome",
                 "start", "ticket_class", "trip", "wait")

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
        self.ticket_class: list[int] = []  # sim.model.tickets codes; left empty (all walk-in)
        # without priority tickets and appointments

    def columns(self, visitors: dict[str, np.ndarray],
                slot: np.ndarray | None) -> dict[str, np.ndarray]:
        """The visit columns of the record, with each visit's procedure, counter pool, purpose
        and dossier (-1 for a submission) from the per-visitor columns of `visitors`, and the
        slot each visitor booked (`slot`; None without appointments)."""
        citizen = np.asarray(self.citizen, dtype=np.int64)
        ticket = (np.asarray(self.ticket_class, dtype=np.int8) if self.ticket_class
                  else np.zeros(len(citizen), dtype=np.int8))
        booked = slot[citizen] if slot is not None else np.full(len(citizen), np.nan)
        return {
            "citizen": citizen,
            "trip": np.asarray(self.trip, dtype=np.int64),
            **{name: column[citizen] for name, column in visitors.items()},
            "arrival": np.asarray(self.arrival),
            "start": np.asarray(self.start),
            "end": np.asarray(self.end),
            "wait": np.asarray(self.wait),
            "guidance_wait": np.asarray(self.guidance_wait),
            "outcome": np.asarray(self.outcome, dtype=np.int8),
            "ticket_class": ticket,
            # The booked slot's start on the trip it was booked for (nan: none), also when
            # the booking was cancelled for coming too late (ticket_class then not BOOKED).
            "slot": np.where(np.asarray(self.trip) == 1, booked, np.nan),
        }


def desk_logs(names: Sequence[str], desks: Sequence[Desk]) -> dict[str, np.ndarray]:
    """Each counter pool's log by its name."""
    return {name: desk.log_array() for name, desk in zip(names, desks, strict=True)}


def guidance_logs(site_names: Sequence[str], guides: Sequence[Desk]) -> dict[str, np.ndarray]:
    """Each guidance team's log: `guidance` for a single team, else `<site>.guidance`; empty
    without guidance."""
    names = ["guidance" if len(guides) == 1 else f"{site}.guidance" for site in site_names]
    return {name: guide.log_array() for name, guide in zip(names, guides, strict=False)}
