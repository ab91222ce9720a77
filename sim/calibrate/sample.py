"""The tickets a calibration or a backtest uses: those of the period's opening days, with the
minutes that the fits need (clock time of arrival, wait until the call, minutes at the
counter).

A log written to the whole minute is "un-rounded" here, once: each time gets a uniform
random part of its minute (seeded), so that fits and tests see continuous times rather than
ties (the first pitfall of testing arrivals for Poisson). A log to the second is left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.calibrate.fields import TICKET, TICKET_TIMES
from sim.calibrate.period import Period, working_dates
from sim.calibrate.tickets import Tickets

UNROUNDING_SEED = 20250701


@dataclass(frozen=True)
class TicketSample:
    """One row per ticket printed on an opening day of the period."""

    frame: pd.DataFrame  # date, clock, wait, service, procedure, desk, counter, reason, ...
    days: list[dt.date]  # opening days: working weekdays with tickets
    closed: list[dt.date]  # working weekdays of the period without a ticket
    left_out: int  # tickets of the period on other days (weekends)
    period: Period
    source: str
    unrounded: bool  # times were written to the minute and spread within it

    @property
    def weeks(self) -> float:
        return len(self.days) / 5


def ticket_sample(tickets: Tickets, period: Period) -> TicketSample:
    """The period's tickets on working weekdays, with their minutes."""
    frame = tickets.frame[period.holds(tickets.frame[TICKET.created])].copy()
    if not tickets.seconds:
        _unround(frame)
    frame["date"] = frame[TICKET.created].dt.date
    working = working_dates(period)
    on_working = frame["date"].isin(working).to_numpy()
    frame = frame[on_working].reset_index(drop=True)
    days = sorted(set(frame["date"]))
    return TicketSample(_with_minutes(frame), days, [d for d in working if d not in set(days)],
                        int((~on_working).sum()), period, tickets.source, not tickets.seconds)


def _unround(frame: pd.DataFrame) -> None:
    rng = np.random.default_rng(UNROUNDING_SEED)
    for field in TICKET_TIMES:
        spread = pd.to_timedelta(rng.uniform(0, 60, len(frame)), unit="s")
        frame[field] = frame[field] + spread


def _with_minutes(frame: pd.DataFrame) -> pd.DataFrame:
    created = frame[TICKET.created]
    midnight = created.dt.normalize()
    frame["clock"] = (created - midnight).dt.total_seconds() / 60
    frame["wait"] = ((frame[TICKET.called] - created).dt.total_seconds() / 60).clip(lower=0)
    frame["service"] = (frame[TICKET.completed] - frame[TICKET.served]).dt.total_seconds() / 60
    frame["start_clock"] = (frame[TICKET.served] - midnight).dt.total_seconds() / 60
    frame["end_clock"] = (frame[TICKET.completed] - midnight).dt.total_seconds() / 60
    return frame
