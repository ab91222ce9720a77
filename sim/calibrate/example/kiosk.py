"""A simulated run's visits as the queue-ticket kiosk logs them, one row per ticket.

What the model knows and the kiosk shows differ in three ways, each made explicit here:

- **Counters.** The model keeps a count of busy counters per desk; the kiosk names the counter
  that called each ticket. Each start of service is given the counter, among those open then
  (the first `open` counters of the desk), that has been free the longest.
- **Absentees.** A citizen who gave up left the queue unseen; the kiosk still calls the ticket
  when its turn comes, nobody answers, and it ends `customer_absent`. Its turn comes when a
  counter would have taken it: at the start of the next citizen in line who was served (the
  counter that would have called it calls them), or earlier if a counter of the desk stands
  idle first. A ticket whose turn does not come before the day's last closing is never called
  (`expired`), as is every citizen sent home at closing.
- **Seconds.** The kiosk logs whole seconds; `served_at` is a few seconds after the call (the
  walk to the counter) and `completed_at` as many after the model's end of service, so the
  minutes at the counter are the model's.

Times here are minutes since 00:00 of the run's start date; `portal` and `vendor` turn them
into dates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.calibrate.fields import (
    CUSTOMER_ABSENT,
    DOCUMENT_MISSING,
    DONE,
    EXPIRED,
    PRIORITIES,
    SUCCESS,
    TICKET,
)
from sim.model.desk import DeskLog
from sim.model.record import RunRecord

PRIORITY_SHARES = (0.88, 0.04, 0.08)  # normal, priority, elderly: a label only in the model
WALK_SECONDS = (5.0, 40.0)  # from the call to the start of service, uniform
ABSENT_MARK_MINUTES = (0.3, 1.5)  # from calling an absent ticket to marking it, uniform
NUMBER_BASE = 1000  # ticket numbers of desk k count from k * NUMBER_BASE + 1 each day


@dataclass(frozen=True)
class DeskVisits:
    """One desk's visits and its log, as the kiosk steps need them (minutes)."""

    arrival: np.ndarray
    start: np.ndarray  # nan: never reached a counter
    end: np.ndarray
    left: np.ndarray  # when the visit left the queue (arrival + wait)
    absent: np.ndarray  # gave up
    closes: np.ndarray  # the last closing of the visit's day
    log: np.ndarray  # the desk's log, columns DeskLog


def kiosk_tickets(record: RunRecord, visits: pd.DataFrame, counters: dict[str, int],
                  rng: np.random.Generator) -> pd.DataFrame:
    """The ticket log of a run: canonical fields, counters named `<desk>:<n>`, times in
    minutes; `visits` is the run's visits frame and `counters` each desk's counters."""
    closes = np.array([day.closes for day in record.timeline.days])[visits["day"].to_numpy() - 1]
    tables = []
    for name, log in record.desk_logs.items():
        mine = (visits["desk"] == name).to_numpy()
        tables.append(_desk_tickets(visits[mine], _desk_visits(visits[mine], closes[mine], log),
                                    name, counters[name], rng))
    tickets = pd.concat(tables, ignore_index=True).sort_values(TICKET.created, kind="stable")
    return _numbered(tickets.reset_index(drop=True), list(record.desk_logs), rng)


def _desk_visits(visits: pd.DataFrame, closes: np.ndarray, log: np.ndarray) -> DeskVisits:
    arrival = visits["arrival"].to_numpy()
    return DeskVisits(arrival=arrival, start=visits["start"].to_numpy(),
                      end=visits["end"].to_numpy(), left=arrival + visits["wait"].to_numpy(),
                      absent=(visits["outcome"] == "abandoned").to_numpy(), closes=closes,
                      log=log)


def _desk_tickets(visits: pd.DataFrame, desk: DeskVisits, name: str, counters: int,
                  rng: np.random.Generator) -> pd.DataFrame:
    """The desk's tickets: who was called when, at which counter, and how it ended."""
    reached = ~np.isnan(desk.start)
    counter = np.full(len(desk.arrival), -1)
    counter[reached] = assign_counters(desk.start[reached], desk.end[reached],
                                       open_counters(desk.log, desk.start[reached]), counters)
    calls = absent_calls(desk)
    called = np.where(reached, desk.start, calls)
    counter[~reached] = _counter_after(called[~reached], desk.start[reached], counter[reached])
    counter[np.isnan(called)] = -1
    walk = rng.uniform(*WALK_SECONDS, len(called)) / 60
    mark = rng.uniform(*ABSENT_MARK_MINUTES, len(called))
    outcome = visits["outcome"].astype(str).to_numpy()
    return pd.DataFrame({
        TICKET.counter: [f"{name}:{c + 1}" if c >= 0 else "" for c in counter],
        TICKET.procedure: visits["procedure"].astype(str).to_numpy(),
        TICKET.status: np.where(np.isnan(called), EXPIRED, DONE),
        TICKET.created: desk.arrival,
        TICKET.called: called,
        TICKET.served: np.where(reached, desk.start + walk, np.nan),
        TICKET.completed: np.where(reached, desk.end + walk, called + mark),
        TICKET.reason: _reasons(outcome, reached, called),
        "desk": name,
    })


def _reasons(outcome: np.ndarray, reached: np.ndarray, called: np.ndarray) -> np.ndarray:
    reasons = np.where(outcome == "incomplete", DOCUMENT_MISSING, SUCCESS).astype(object)
    reasons[~reached] = CUSTOMER_ABSENT
    reasons[np.isnan(called)] = ""
    return reasons


def open_counters(log: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Counters open at each time, from the desk's log (its state after every change then)."""
    row = np.searchsorted(log[:, DeskLog.TIME], times, side="right") - 1
    return log[np.clip(row, 0, None), DeskLog.OPEN].astype(int)


def assign_counters(starts: np.ndarray, ends: np.ndarray, open_now: np.ndarray,
                    counters: int) -> np.ndarray:
    """The counter (0-based) of each service: among the first `open_now` counters, the free
    one idle longest. The model starts a service only when fewer are busy than open, so one
    of those is free; a counter still finishing after it closed is never chosen."""
    free_at = np.full(counters, -np.inf)
    chosen = np.empty(len(starts), dtype=int)
    for index in np.argsort(starts, kind="stable"):
        chosen[index] = _free_counter(free_at, starts[index], max(1, open_now[index]))
        free_at[chosen[index]] = ends[index]
    return chosen


def _free_counter(free_at: np.ndarray, time: float, open_now: int) -> int:
    candidates = np.flatnonzero(free_at[:open_now] <= time + 1e-9)
    if not len(candidates):  # not expected; keep the log whole rather than fail
        candidates = np.arange(len(free_at))
    return int(candidates[np.argmin(free_at[candidates])])


def absent_calls(desk: DeskVisits) -> np.ndarray:
    """When the kiosk calls each ticket that did not reach a counter: its turn, if that comes
    before the day's last closing; nan otherwise (and for every visit that reached one)."""
    calls = np.full(len(desk.arrival), np.nan)
    absent = np.flatnonzero(desk.absent)
    turn = np.minimum(_next_in_line(desk, absent), _first_idle(desk.log, desk.left[absent]))
    calls[absent] = np.where(turn < desk.closes[absent], turn, np.nan)
    return calls


def _next_in_line(desk: DeskVisits, absent: np.ndarray) -> np.ndarray:
    """Start of service of the first later arrival at the desk that reached a counter."""
    reached = np.flatnonzero(~np.isnan(desk.start))
    order = reached[np.argsort(desk.arrival[reached], kind="stable")]
    position = np.searchsorted(desk.arrival[order], desk.arrival[absent], side="right")
    starts = np.append(desk.start[order], np.inf)
    return starts[position]


def _first_idle(log: np.ndarray, times: np.ndarray) -> np.ndarray:
    """The first moment at or after each time when a counter of the desk stands idle (its
    state after all the changes of an instant: a counter freed and refilled at once is not
    idle)."""
    stamps = log[:, DeskLog.TIME]
    settled = np.append(stamps[1:] != stamps[:-1], True)
    idle = settled & (log[:, DeskLog.BUSY] < log[:, DeskLog.OPEN])
    idle_times = np.append(stamps[idle], np.inf)
    row = np.searchsorted(stamps, times, side="right") - 1
    idle_already = np.zeros(len(times), dtype=bool)
    known = row >= 0
    idle_already[known] = (log[row[known], DeskLog.BUSY] < log[row[known], DeskLog.OPEN])
    later = idle_times[np.searchsorted(idle_times, times, side="left")]
    return np.where(idle_already, times, later)


def _counter_after(calls: np.ndarray, starts: np.ndarray, counters: np.ndarray) -> np.ndarray:
    """The counter that calls an absent ticket: the one that starts the next service."""
    if not len(starts):
        return np.zeros(len(calls), dtype=int)
    order = np.argsort(starts, kind="stable")
    position = np.searchsorted(starts[order], np.nan_to_num(calls, nan=-np.inf), side="left")
    return counters[order][np.clip(position, 0, len(order) - 1)]


def _numbered(tickets: pd.DataFrame, desks: list[str],
              rng: np.random.Generator) -> pd.DataFrame:
    """Ticket ids in order of printing, numbers per desk and day, and a priority class."""
    day = (tickets[TICKET.created] // 1440).astype(int)
    base = tickets["desk"].map({name: (k + 1) * NUMBER_BASE for k, name in enumerate(desks)})
    sequence = tickets.groupby([day, tickets["desk"]]).cumcount() + 1
    tickets.insert(0, TICKET.id, np.arange(1, len(tickets) + 1))
    tickets.insert(1, TICKET.number, (base + sequence).to_numpy())
    tickets.insert(4, TICKET.priority, rng.choice(PRIORITIES, len(tickets), p=PRIORITY_SHARES))
    return tickets
