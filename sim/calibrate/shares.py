"""Who comes for what: each procedure's share of first trips, its share sent back for a
missing paper (`incomplete`), and the priority classes' shares, each with its exact
(Clopper-Pearson) interval.

First trips are tickets less the return trips of citizens sent back for a missing paper, as
for `per_day` (`arrivals_fit`): the model brings those citizens back by itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sim.calibrate.fields import DOCUMENT_MISSING, PRIORITIES, SUCCESS, TICKET
from sim.calibrate.intervals import LEVEL, Estimate, proportion
from sim.calibrate.sample import TicketSample


@dataclass(frozen=True)
class ProcedureShare:
    """A procedure's share of first trips and of its counter visits sent back."""

    procedure: str
    share: Estimate
    incomplete: Estimate
    tickets: int


@dataclass(frozen=True)
class ShareFit:
    """The procedure mix and the priority classes."""

    procedures: list[ProcedureShare]
    priorities: dict[str, Estimate]


def fit_shares(sample: TicketSample, procedures: list[str], level: float = LEVEL) -> ShareFit:
    """Shares of the procedures (in the given order) and of the priority classes."""
    frame = sample.frame
    missing = frame[TICKET.reason] == DOCUMENT_MISSING
    reached = frame[TICKET.reason].isin([SUCCESS, DOCUMENT_MISSING])
    tickets = frame.groupby("procedure").size().reindex(procedures, fill_value=0)
    returns = missing.groupby(frame["procedure"]).sum().reindex(procedures, fill_value=0)
    served = reached.groupby(frame["procedure"]).sum().reindex(procedures, fill_value=0)
    first = tickets - returns
    total = int(first.sum())
    shares = [ProcedureShare(p, proportion(int(first[p]), total, level),
                             proportion(int(returns[p]), int(served[p]), level), int(tickets[p]))
              for p in procedures]
    return ShareFit(shares, _priorities(frame, level))


def _priorities(frame: pd.DataFrame, level: float) -> dict[str, Estimate]:
    counts = frame[TICKET.priority].value_counts()
    return {name: proportion(int(counts.get(name, 0)), len(frame), level) for name in PRIORITIES}


def rounded_shares(values: list[float], digits: int = 4) -> list[float]:
    """Shares rounded so that they still add up to 1 exactly (largest remainders)."""
    unit = 10**digits
    scaled = [value * unit for value in values]
    floors = [int(value) for value in scaled]
    order = sorted(range(len(values)), key=lambda i: scaled[i] - floors[i], reverse=True)
    for index in order[: unit - sum(floors)]:
        floors[index] += 1
    return [count / unit for count in floors]
