"""Opening hours and open counters, inferred from what the counters did.

A kiosk log does not say when a counter was open, only when it called and finished tickets.
So:

- **Sessions.** A half-hour is an opening half-hour when some counter called a ticket in it
  on at least half of the opening days; consecutive opening half-hours form a session
  (lunch shows as a gap).
- **Open counters.** Within each session, a counter counts as open from its first call to its
  last completion that day, and on to the session's end (or back to its start) when nobody
  of its desk was left waiting meanwhile: a counter that stands idle while nobody waits
  leaves no trace, but one that stops while tickets wait has closed. In a half-hour, the
  counters open for at least half of it count. Per desk and half-hour, the median over days
  is the scenario's schedule; the most is the desk's `counters`. A counter that opened but
  called nobody all session is not seen; the report says how many distinct counters were.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.calibrate.arrivals_fit import SLOT, clock_text
from sim.calibrate.fields import TICKET
from sim.calibrate.sample import TicketSample
from sim.scenario.schema import session_minutes

OPEN_DAYS_SHARE = 0.5  # of the opening days with a call in a half-hour, for it to be open
OPEN_SLOT_SHARE = 0.5  # of a half-hour a counter must be open to count in it
WAITED = 1.0  # minutes a ticket must wait while a counter stands idle for it to be closed


@dataclass(frozen=True)
class DeskCounters:
    """A desk's counters: the schedule by clock time and what was seen."""

    counters: int
    schedule: dict[str, int]  # clock -> open counters, the median day (changes only)
    by_slot: dict[str, int]  # every opening half-hour -> open counters, the median day
    seen: int  # distinct counters that called a ticket of the desk


@dataclass(frozen=True)
class CounterFit:
    """Opening sessions and each desk's counters."""

    sessions: list[str]
    desks: dict[str, DeskCounters]
    daily: pd.DataFrame  # date, desk, slot (minutes), open: counters open that day


def fit_counters(sample: TicketSample, sessions: list[str] | None = None) -> CounterFit:
    """Sessions (inferred unless given) and each desk's open counters by half-hour."""
    calls = _calls(sample)
    sessions = sessions or infer_sessions(calls, len(sample.days))
    daily = daily_open(calls, sessions)
    desks = {desk: _desk(daily[daily["desk"] == desk], calls[calls["desk"] == desk])
             for desk in sorted(calls["desk"].unique())}
    return CounterFit(sessions, desks, daily)


def _calls(sample: TicketSample) -> pd.DataFrame:
    """Every called ticket: its counter's desk, the call and the end, in clock minutes."""
    frame = sample.frame[sample.frame[TICKET.called].notna()]
    midnight = frame[TICKET.called].dt.normalize()
    return pd.DataFrame({
        "date": frame["date"].to_numpy(),
        "desk": frame["counter_desk"].to_numpy(),
        "counter": frame["counter"].to_numpy(),
        "created": frame["clock"].to_numpy(),
        "call": ((frame[TICKET.called] - midnight).dt.total_seconds() / 60).to_numpy(),
        "end": ((frame[TICKET.completed].fillna(frame[TICKET.called]) - midnight)
                .dt.total_seconds() / 60).to_numpy(),
    })


def infer_sessions(calls: pd.DataFrame, days: int) -> list[str]:
    """Runs of half-hours with a call on at least OPEN_DAYS_SHARE of the days."""
    slot = (calls["call"] // SLOT).astype(int)
    days_with_call = calls.assign(slot=slot).groupby("slot")["date"].nunique()
    open_slots = sorted(days_with_call[days_with_call >= OPEN_DAYS_SHARE * days].index)
    sessions, start = [], None
    for index, slot_number in enumerate(open_slots):
        start = slot_number if start is None else start
        last = index + 1 == len(open_slots) or open_slots[index + 1] != slot_number + 1
        if last:
            sessions.append(f"{clock_text(start * SLOT)}-{clock_text((slot_number + 1) * SLOT)}")
            start = None
    return sessions


def daily_open(calls: pd.DataFrame, sessions: list[str]) -> pd.DataFrame:
    """Counters open per day, desk and half-hour of the sessions."""
    rows = []
    waiting = {key: (group["created"].to_numpy(), group["call"].to_numpy())
               for key, group in calls.groupby(["date", "desk"])}
    for opens, closes in map(session_minutes, sessions):
        inside = calls[(calls["call"] >= opens) & (calls["call"] < closes)]
        spans = _stretched(inside, waiting, opens, closes)
        for slot in range(opens, closes, SLOT):
            overlap = (np.minimum(spans["last"], slot + SLOT) - np.maximum(spans["first"], slot))
            counted = spans[overlap >= OPEN_SLOT_SHARE * SLOT].groupby(["date", "desk"]).size()
            rows.append(counted.rename("open").reset_index().assign(slot=slot))
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["date", "desk", "open", "slot"])
    return _with_zeros(table, calls, sessions)


def _stretched(calls: pd.DataFrame, waiting: dict, opens: float, closes: float
               ) -> pd.DataFrame:
    """Each counter's span in a session (first call, last end), stretched to the session's
    start or end when no ticket of its desk waited over the gap (`waiting`: each day and
    desk's tickets, created and called, from the whole day)."""
    spans = calls.groupby(["date", "desk", "counter"]).agg(first=("call", "min"),
                                                         last=("end", "max"))
    first, last = spans["first"].to_numpy().copy(), spans["last"].to_numpy().copy()
    for key, rows in spans.groupby(level=["date", "desk"]).indices.items():
        here = waiting[key]
        first[rows] = np.where(_waited(here, opens, first[rows]), first[rows], opens)
        last[rows] = np.where(_waited(here, last[rows], closes), last[rows], closes)
    return spans.assign(first=first, last=last)


def _waited(waiting: tuple[np.ndarray, np.ndarray], starts: np.ndarray | float,
            ends: np.ndarray | float) -> np.ndarray:
    """For each gap, whether some ticket waited in it for more than WAITED minutes."""
    created, called = waiting
    starts = np.broadcast_to(np.asarray(starts, dtype=float), np.shape(ends) or np.shape(starts))
    ends = np.broadcast_to(np.asarray(ends, dtype=float), starts.shape)
    overlap = (np.minimum(called[None, :], ends[:, None])
               - np.maximum(created[None, :], starts[:, None]))
    return (overlap > WAITED).any(axis=1)


def _with_zeros(table: pd.DataFrame, calls: pd.DataFrame, sessions: list[str]) -> pd.DataFrame:
    """Every (day, desk, opening half-hour), with 0 where no counter was open."""
    slots = [slot for opens, closes in map(session_minutes, sessions)
             for slot in range(opens, closes, SLOT)]
    index = pd.MultiIndex.from_product([sorted(calls["date"].unique()),
                                        sorted(calls["desk"].unique()), slots],
                                       names=["date", "desk", "slot"])
    full = table.set_index(["date", "desk", "slot"])["open"].reindex(index, fill_value=0)
    return full.reset_index()


def _desk(daily: pd.DataFrame, calls: pd.DataFrame) -> DeskCounters:
    median = daily.groupby("slot")["open"].median()
    by_slot = {clock_text(int(slot)): int(np.floor(value + 0.5))
               for slot, value in median.items()}
    counters = max(1, max(by_slot.values(), default=1))
    return DeskCounters(counters, _changes(by_slot), by_slot, int(calls["counter"].nunique()))


def _changes(by_slot: dict[str, int]) -> dict[str, int]:
    """The schedule as a scenario writes it: the clock times where the number changes."""
    changes: dict[str, int] = {}
    for clock, count in by_slot.items():
        if not changes or list(changes.values())[-1] != count:
            changes[clock] = count
    return changes
