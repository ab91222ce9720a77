"""Time blocks: the stretches of the opening sessions that each get their own counter count.

The theory step, the simulation check and the written schedule all speak of the same blocks, so
how a day is cut into them (and how a block's clock times are written) lives in one place.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sim.model.calendar import MINUTES_PER_DAY
from sim.scenario.schema import Scenario, clock_minutes, session_minutes

DEFAULT_BLOCK_MINUTES = 60


@dataclass(frozen=True)
class Block:
    """A stretch of an opening session, in minutes after midnight: [start, end)."""

    start: int
    end: int

    @property
    def label(self) -> str:
        return f"{clock_text(self.start)}-{clock_text(self.end)}"


def clock_text(minutes: float) -> str:
    minutes = round(minutes)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def time_blocks(scenario: Scenario, block_minutes: int | None = DEFAULT_BLOCK_MINUTES
                ) -> tuple[Block, ...]:
    """The ordinary sessions cut into blocks of `block_minutes` from each opening (the last of
    a session may be shorter), or at the arrival profile's change points when None.

    >>> from sim.scenario.load import load_scenario
    >>> from sim.api import DEMO_SCENARIO
    >>> demo = load_scenario(DEMO_SCENARIO, options=["baseline"]).baseline
    >>> [b.label for b in time_blocks(demo, 90)]
    ['07:30-09:00', '09:00-10:30', '10:30-11:30', '13:30-15:00', '15:00-16:30', '16:30-17:00']
    """
    if block_minutes is not None and (isinstance(block_minutes, bool)
                                      or not isinstance(block_minutes, int)
                                      or not 1 <= block_minutes <= MINUTES_PER_DAY):
        raise ValueError(f"block_minutes must be a whole number of minutes from 1 to 1440, "
                         f"got {block_minutes!r}")
    profile = scenario.arrivals.profile or {}
    points = sorted(clock_minutes(c) for c in profile)
    blocks = []
    for start, end in map(session_minutes, scenario.calendar.sessions):
        if block_minutes is None:
            cuts = [p for p in points if start < p < end]
        else:
            cuts = list(range(start + block_minutes, end, block_minutes))
        edges = [start, *cuts, end]
        blocks += [Block(a, b) for a, b in itertools.pairwise(edges)]
    return tuple(blocks)
