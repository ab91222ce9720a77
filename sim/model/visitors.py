"""The per-visitor columns the centre reads on every trip: the pre-sampled citizens, who come
to submit, and the visitors added during the run, who come about a dossier (for its result, or
to ask about it).

Lists rather than numpy arrays: a numpy array indexed from Python returns numpy scalars, slow to
make and slow to add, and a numpy delay makes env.now a numpy scalar too.
"""

from __future__ import annotations

import numpy as np

from sim.model.citizens import Citizens
from sim.model.record import SUBMIT


class Visitors:
    """One entry per visitor, by citizen number; added visitors are numbered after the
    pre-sampled citizens."""

    def __init__(self, citizens: Citizens):
        self.first_added = len(citizens)
        self.pool: list[int] = citizens.pool.tolist()
        self.site: list[int] = citizens.site.tolist()
        self.procedure: list[int] = citizens.procedure.tolist()
        self.service: list[float] = citizens.service.tolist()
        self.guided: list[bool] = citizens.guided.tolist()
        self.guidance_time: list[float] = citizens.guidance_time.tolist()
        self.purpose: list[int] = [SUBMIT] * len(citizens)
        self.dossier: list[int] = [-1] * len(citizens)  # the dossier an added visitor is about

    def add(self, purpose: int, dossier: int, procedure: int, pool: int, site: int,
            service: float) -> int:
        """A visitor about a dossier, never guided: their number."""
        for column, value in ((self.procedure, procedure), (self.pool, pool), (self.site, site),
                              (self.service, service), (self.guided, False),
                              (self.guidance_time, 0.0), (self.purpose, purpose),
                              (self.dossier, dossier)):
            column.append(value)
        return len(self.procedure) - 1

    def columns(self) -> dict[str, np.ndarray]:
        """Per-visitor columns that every visit row carries (`Visits.columns`)."""
        return {"procedure": np.asarray(self.procedure, dtype=np.int64),
                "desk": np.asarray(self.pool, dtype=np.int64),
                "purpose": np.asarray(self.purpose, dtype=np.int8),
                "dossier": np.asarray(self.dossier, dtype=np.int64)}


def visitor_slots(citizens: Citizens, visitors: Visitors) -> np.ndarray | None:
    """Each visitor's booked slot (nan: none; visitors added during the run book none); None
    without appointments."""
    if citizens.slot is None:
        return None
    added = len(visitors.procedure) - len(citizens.slot)
    return np.concatenate([citizens.slot, np.full(added, np.nan)])
