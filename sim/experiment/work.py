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

# Measured peak memory per simulated item of a `sim run` that keeps every table to write the
# results folder (1.0 KB in the demo, 0.8 KB in M/M/c; benchmarks/), and CPU time per item on
# one core (25 us for M/M/c to about 200 us with a back office).
BYTES_PER_ITEM = 1_000
SECONDS_PER_ITEM = 1e-4
MEMORY_SHARE = 0.5  # of this machine's memory, at most, by default


class WorkError(Exception):
    """The experiment asks for more work than the limit."""


@dataclass(frozen=True)
class WorkEstimate:
    """Expected simulated items (visits, dossiers, outages) over every run of an experiment."""

    items: float
    runs: int
    largest_run: float  # items of the largest single run

    @property
    def memory_bytes(self) -> float:
        return self.items * BYTES_PER_ITEM

    @property
    def cpu_seconds(self) -> float:
        return self.items * SECONDS_PER_ITEM

    def describe(self, kept: bool = True) -> str:
        """The work and what it needs; `kept` as in check_work: memory for every run's tables,
        or for the largest run's only."""
        memory = (f"needing about {_bytes(self.memory_bytes)} of memory" if kept else
                  f"the largest with {self.largest_run:,.0f} needing about "
                  f"{_bytes(self.largest_run * BYTES_PER_ITEM)} of memory (each run's tables "
                  "go to disk as it ends)")
        return (f"about {self.items:,.0f} simulated visits, dossiers and outages over "
                f"{self.runs} runs, {memory}, and {_duration(self.cpu_seconds)} on one core")


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


def check_work(estimate: WorkEstimate, limit: float | None, kept: bool = True) -> None:
    """Refuse an experiment above `limit` items (default: what this machine's memory holds).

    `kept`: every run's tables stay in memory until the folder is written (`sim run`);
    otherwise (a province run streams each run's parts to disk) only the largest run must fit.
    """
    source = "set by this machine's memory" if limit is None else "given by --max-work"
    limit = default_limit() if limit is None else limit
    if (estimate.items if kept else estimate.largest_run) <= limit:
        return
    # Without kept tables, fewer runs do not make the largest one smaller.
    fewer = ("shorten calendar.working_days or lower the busiest centre's arrivals.per_day"
             if not kept else "run fewer replications or options (--option), shorten "
             "calendar.working_days")
    raise WorkError(f"this experiment asks for {estimate.describe(kept)}, above the limit of "
                    f"{limit:,.0f} items {source}; to go ahead, {fewer}, or raise the limit "
                    "with --max-work ITEMS")


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
