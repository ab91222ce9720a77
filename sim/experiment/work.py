"""How much work an experiment asks for, known before it runs.

A small scenario file can ask for unbounded work (a million visitors a day, years around the
clock, a million outages): the expected count of visits, dossiers and outages follows exactly
from the arrival intensity and the counts the file gives, so an experiment too large for this
machine is refused with the estimate and the ways to go ahead, before it allocates anything.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from sim.model.arrivals import build_intensity
from sim.model.calendar import build_timeline
from sim.scenario.schema import Procedure, Scenario
from sim.scenario.transition import Outage

# Measured peak memory per simulated item of a run that keeps every table in memory (the Python
# API: `sim.run`, `sim.compare`; 1.0 KB in the demo, 0.8 KB in M/M/c; benchmarks/), and CPU time per
# item on one core (25 us for M/M/c to about 200 us with a back office).
BYTES_PER_ITEM = 1_000
SECONDS_PER_ITEM = 1e-4
MEMORY_SHARE = 0.5  # of this machine's memory, at most, by default
# A streamed run (`sim run`, `sim compare`, `sim province run`) holds the tables of the unit
# being simulated and the metric rows only (the demo: a peak about 100 MB above the loaded
# interpreter's with 10 replications and with 30); `sim run` and `sim compare` then read back
# the columns their report draws and draw them: 186 MB more with 30 replications (measured on
# `sim run`), against 563 MB for a run that keeps every table, about a third.
REPORT_SHARE = 0.35


class WorkError(Exception):
    """The experiment asks for more work than the limit."""


@dataclass(frozen=True)
class Holding:
    """What an experiment keeps in memory until it ends, besides the run being simulated."""

    share: float  # of every run's tables: 1 when all stay in memory, 0 when all go to disk
    what: str  # what it keeps, in words
    fewer: str  # how to need less, in words


IN_MEMORY = Holding(1.0, "every run's tables stay in memory until the end",
                    "run fewer replications or options (--option), shorten "
                    "calendar.working_days")
STREAMED = Holding(0.0, "each run's tables go to disk as it ends",
                   "shorten calendar.working_days or lower arrivals.per_day (of the busiest "
                   "centre, in a province)")
STREAMED_WITH_REPORT = Holding(
    REPORT_SHARE, "each run's tables go to disk as it ends; the report reads back the columns "
    "it draws", "run fewer replications or options (--option of sim run), write no report "
    "(--no-report), shorten calendar.working_days")


def streamed_holding(report: bool) -> Holding:
    """What a streamed `sim run` or `sim compare` keeps: the report's columns, when it writes
    a report."""
    return STREAMED_WITH_REPORT if report else STREAMED


@dataclass(frozen=True)
class WorkEstimate:
    """Expected simulated items (visits, dossiers, outages) over every run of an experiment."""

    items: float
    runs: int
    largest_run: float  # items of the largest single run

    def held_items(self, held: Holding = IN_MEMORY) -> float:
        """Items whose tables are in memory at the peak: the largest run's, and the kept
        share of the others'."""
        return self.largest_run + held.share * (self.items - self.largest_run)

    @property
    def cpu_seconds(self) -> float:
        return self.items * SECONDS_PER_ITEM

    def describe(self, held: Holding = IN_MEMORY) -> str:
        """The work and what it needs: memory for what it holds (`held`)."""
        largest = (f", the largest with {self.largest_run:,.0f}" if held.share < 1 else "")
        memory = _bytes(self.held_items(held) * BYTES_PER_ITEM)
        return (f"about {self.items:,.0f} simulated visits, dossiers and outages over "
                f"{self.runs} runs{largest}, needing about {memory} of memory ({held.what}), "
                f"and {_duration(self.cpu_seconds)} on one core")


def expected_items(scenario: Scenario) -> float:
    """Expected visits (first trips and, at most, every return), dossiers and outages of one
    run: returns are bounded as if every trip failed and came back, up to max_trips."""
    timeline = build_timeline(scenario.calendar)
    first_trips = build_intensity(scenario.arrivals, scenario.calendar, timeline).expected_total
    online = first_trips * sum(p.share * _online_ratio(p) for p in scenario.procedures)
    backlog = sum(item.count for item in scenario.backlog)
    outages = sum(d.per_day or 0 for d in scenario.disruptions if isinstance(d, Outage))
    return (first_trips * _trips_at_most(scenario) + online + backlog
            + outages * len(timeline.days))


def estimate_work(scenarios: Iterable[Scenario], replications: int) -> WorkEstimate:
    """The work of running every scenario (option, or centre and option) `replications` times."""
    per_run = [expected_items(scenario) for scenario in scenarios]
    return WorkEstimate(items=sum(per_run) * replications, runs=len(per_run) * replications,
                        largest_run=max(per_run, default=0.0))


def default_limit() -> float:
    """Items whose memory fits in MEMORY_SHARE of this machine's memory."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return memory * MEMORY_SHARE / BYTES_PER_ITEM


def check_work(estimate: WorkEstimate, limit: float | None,
               held: Holding = IN_MEMORY) -> None:
    """Refuse an experiment whose held items (`held`: what stays in memory) are above `limit`
    (default: what this machine's memory holds)."""
    source = "set by this machine's memory" if limit is None else "given by --max-work"
    limit = default_limit() if limit is None else limit
    if estimate.held_items(held) <= limit:
        return
    raise WorkError(f"this experiment asks for {estimate.describe(held)}, above the limit of "
                    f"{limit:,.0f} items {source}; to go ahead, {held.fewer}, or raise the "
                    "limit with --max-work ITEMS")


def _online_ratio(procedure: Procedure) -> float:
    """Online filings per in-person visit at the highest online share the procedure has."""
    share = procedure.online_share
    if procedure.back_office is None:
        return 0.0
    highest = max((p.share for p in share), default=0.0) if isinstance(share, list) else share
    return highest / (1 - highest)


def _trips_at_most(scenario: Scenario) -> float:
    returning = max([scenario.return_probability,
                     *(p.incomplete for p in scenario.procedures)])
    return sum(returning ** trip for trip in range(scenario.max_trips))


def _bytes(count: float) -> str:
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if count >= size:
            return f"{count / size:,.1f} {unit}"
    return f"{count / 1e3:,.0f} KB"


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:,.1f} hours"
    return f"{seconds / 60:,.1f} minutes" if seconds >= 60 else f"{seconds:.0f} seconds"
