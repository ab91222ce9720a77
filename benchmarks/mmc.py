"""Cost per citizen of `sim run` on an M/M/c queue, against a bare SimPy loop on the same queue.

Run from the repository root:

    .venv/bin/python -m benchmarks.mmc                      # ~200,000 citizens a run, 5 repeats
    .venv/bin/python -m benchmarks.mmc --citizens 50000 --repeats 3 --servers 8 --load 0.9
    .venv/bin/python -m benchmarks.mmc --profile            # cProfile of one `sim run` replication

Absolute times depend on the machine; the ratio to a bare SimPy loop measured in the same
process, interleaved run by run, mostly does not. That ratio is what the project's aim refers
to: one replication of `sim run` should cost at most 0.7x the bare loop per citizen. Speed
targets live here rather than in timed unit tests, which would be flaky on shared machines.

Timed, interleaved run by run: (1) a textbook SimPy M/M/c (a process per customer and a
Resource); (2) `sim.model.centre.simulate`; (3) simulate + run_metrics + every tidy frame in
`sim.experiment.unit.FRAMES`, i.e. one replication of `sim run` before it writes files; (4) the
whole `run_experiment` for one replication (skip with --no-experiment); (5) the ciw library's
simulation of the same M/M/c (ciw, a DES library for queueing networks, is what the project
should beat by 2.5x; skipped with a note if ciw is not installed: pip install ciw).

Both sides include drawing their random numbers and run until the last customer has left.
Scenario validation is done once, before timing: it costs the same whatever the number of
citizens. Garbage collection stays on, as in a real run, and is flushed before each timing.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import importlib.util
import math
import pstats
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from sim.analysis.columns import tidy_frame
from sim.analysis.metrics import run_metrics
from sim.analysis.theory import erlang_c
from sim.experiment.runner import run_experiment
from sim.experiment.unit import FRAMES
from sim.model.centre import simulate
from sim.scenario.load import ScenarioSet, scenario_from_document
from sim.scenario.schema import WEEKDAYS, Scenario

AIM = 0.7  # the target for (sim run) / (bare SimPy), per citizen (it was 1.5x at first)
NOMINAL_SERVICE_MINUTES = 5.0  # shorter when the schema's day limit would be exceeded
MAX_DAYS = 2000  # Calendar.working_days upper bound in the schema
MINUTES_PER_DAY = 1440
BASE_SEED = 12345

BARE = "(1) bare SimPy"
SIMULATE = "(2) simulate"
SIM_RUN = "(3) simulate+metrics+frames"
EXPERIMENT = "(4) run_experiment, 1 rep"
CIW = "(5) ciw"
CIW_AIM = 2.5  # the target: sim at least 2.5x faster than ciw per citizen (1.5x at first)
RATIO_LINES = {SIMULATE: "simulate alone", SIM_RUN: "sim run replication",
               EXPERIMENT: "run_experiment", CIW: "ciw"}


@dataclass(frozen=True)
class Queue:
    """An M/M/c queue over a horizon; rates per minute, like the model's clock."""

    servers: int
    arrival_rate: float
    service_rate: float
    days: int

    @property
    def horizon(self) -> float:
        return self.days * MINUTES_PER_DAY

    @property
    def expected_citizens(self) -> float:
        return self.arrival_rate * self.horizon


def make_queue(citizens: int, servers: int, load: float) -> Queue:
    """Whole days (the scenario counts days) and a rate that gives ``citizens`` on average."""
    nominal_rate = load * servers / NOMINAL_SERVICE_MINUTES
    days = min(MAX_DAYS, max(1, math.ceil(citizens / (nominal_rate * MINUTES_PER_DAY))))
    arrival_rate = citizens / (days * MINUTES_PER_DAY)
    return Queue(servers, arrival_rate, arrival_rate / (load * servers), days)


def mmc_document(queue: Queue) -> dict[str, Any]:
    """The M/M/c queue as a scenario: open around the clock, so one continuous open period."""
    return {
        "name": "M/M/c benchmark",
        "calendar": {
            "start": dt.date(2025, 7, 1),
            "working_days": queue.days,
            "weekdays": list(WEEKDAYS),
            "sessions": ["00:00-24:00"],
        },
        "arrivals": {"per_hour": queue.arrival_rate * 60},
        "procedures": [{
            "id": "mmc", "name": "M/M/c", "share": 1.0, "desk": "counters",
            "service": {"dist": "exponential", "mean": 1 / queue.service_rate},
        }],
        "desks": {"counters": {"counters": queue.servers}},
        "at_closing": "serve_all",
    }


# --- the contenders ---------------------------------------------------------------------------


def bare_simpy(queue: Queue, seed: int) -> list[float]:
    """Textbook SimPy M/M/c: a source process, one process per customer, a Resource; waits."""
    rng = np.random.default_rng(seed)
    expected = queue.expected_citizens
    gaps = rng.exponential(1 / queue.arrival_rate, int(expected + 6 * math.sqrt(expected)) + 16)
    arrivals = np.cumsum(gaps)
    gaps = gaps[arrivals < queue.horizon]  # the rare shortfall just means a few fewer customers
    services = rng.exponential(1 / queue.service_rate, len(gaps))

    env = simpy.Environment()
    counters = simpy.Resource(env, capacity=queue.servers)
    waits: list[float] = []

    def customer(service: float):
        arrived = env.now
        with counters.request() as request:
            yield request
            waits.append(env.now - arrived)
            yield env.timeout(service)

    def source():
        for gap, service in zip(gaps.tolist(), services.tolist(), strict=True):
            yield env.timeout(gap)
            env.process(customer(service))

    env.process(source())
    env.run()
    return waits


def ciw_mmc(queue: Queue, seed: int) -> list[float]:
    """The same M/M/c in ciw: waits of every customer that arrived before the horizon.

    ciw keeps its random state globally (ciw.seed), which is fine for a benchmark."""
    import ciw

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=queue.arrival_rate)],
        service_distributions=[ciw.dists.Exponential(rate=queue.service_rate)],
        number_of_servers=[queue.servers])
    ciw.seed(seed)
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_time(queue.horizon)
    return [record.waiting_time for record in simulation.get_all_records()]


def sim_run_replication(scenario: Scenario, seed: int) -> tuple[dict[str, float], dict[str, Any]]:
    """What `sim run` does per replication before saving: simulate, metrics, tidy frames.

    The frames come from the runner's own registry, so a table added there is timed here too.
    """
    record = simulate(scenario, seed)
    return run_metrics(record, scenario), {name: tidy_frame([build(record, scenario)])
                                           for name, build in FRAMES.items()}


@dataclass(frozen=True)
class Contender:
    """A timed callable, and how to read citizens and mean wait off its result (untimed)."""

    label: str
    run: Callable[[int], Any]
    citizens_and_wait: Callable[[Any], tuple[int, float]]


def contenders(queue: Queue, scenarios: ScenarioSet, whole_experiment: bool) -> list[Contender]:
    """(1) to (4) on the same queue; the bare loop first, as every ratio divides by it."""
    scenario = scenarios.baseline

    def record_stats(record: Any) -> tuple[int, float]:
        return len(record.visits["arrival"]), float(record.visits["wait"].mean())

    def experiment_stats(results: Any) -> tuple[int, float]:
        wait = results.summary.query("metric == 'wait_mean'")["mean"].iloc[0]
        return len(results.visits), float(wait)

    chosen = [
        Contender(BARE, lambda seed: bare_simpy(queue, seed),
                  lambda waits: (len(waits), statistics.fmean(waits))),
        Contender(SIMULATE, lambda seed: simulate(scenario, seed), record_stats),
        Contender(SIM_RUN, lambda seed: sim_run_replication(scenario, seed),
                  lambda out: (len(out[1]["visits"]), out[0]["wait_mean"])),
    ]
    if whole_experiment:
        chosen.append(Contender(EXPERIMENT,
                                lambda seed: run_experiment(scenarios, 1, seed), experiment_stats))
    if importlib.util.find_spec("ciw") is not None:
        chosen.append(Contender(CIW, lambda seed: ciw_mmc(queue, seed),
                                lambda waits: (len(waits), statistics.fmean(waits))))
    else:
        print("note: ciw is not installed (pip install ciw); its column is left out")
    return chosen


# --- measuring --------------------------------------------------------------------------------


@dataclass
class Tally:
    """Per contender: microseconds per citizen, citizens and mean wait of each repeat."""

    us_per_citizen: list[float]
    citizens: list[int]
    waits: list[float]


def measure(chosen: list[Contender], repeats: int) -> dict[str, Tally]:
    """Interleave the contenders repeat by repeat, so machine noise hits them alike."""
    tallies = {c.label: Tally([], [], []) for c in chosen}
    for repeat in range(repeats):
        seed = BASE_SEED + repeat
        for contender in chosen:
            gc.collect()
            started = time.perf_counter()
            result = contender.run(seed)
            elapsed = time.perf_counter() - started
            citizens, wait = contender.citizens_and_wait(result)
            del result
            tally = tallies[contender.label]
            tally.us_per_citizen.append(elapsed / citizens * 1e6)
            tally.citizens.append(citizens)
            tally.waits.append(wait)
    return tallies


def paired_ratios(tally: Tally, bare: Tally) -> list[float]:
    """Cost ratio to the bare loop within each repeat: drift between repeats cancels out."""
    return [x / y for x, y in zip(tally.us_per_citizen, bare.us_per_citizen, strict=True)]


def report(queue: Queue, load: float, tallies: dict[str, Tally], repeats: int) -> None:
    print(f"M/M/c: c={queue.servers}, load={load:g}, lambda={queue.arrival_rate * 60:.4g}/h, "
          f"mean service={1 / queue.service_rate:.4g} min, {queue.days} days "
          f"(expected {queue.expected_citizens:,.0f} citizens), {repeats} repeats, interleaved")
    print()
    print(f"{'':30} {'citizens/run':>13} {'us/citizen':>11} {'min':>7} {'max':>7} {'x bare':>7}")
    bare = tallies[BARE]
    for label, tally in tallies.items():
        print(f"{label:30} {statistics.median(tally.citizens):>13,.0f} "
              f"{statistics.median(tally.us_per_citizen):>11.2f} "
              f"{min(tally.us_per_citizen):>7.2f} {max(tally.us_per_citizen):>7.2f} "
              f"{statistics.median(paired_ratios(tally, bare)):>7.2f}")
    print("(us/citizen: median over repeats; x bare: median of the per-repeat ratios)")
    print()
    for label, what in RATIO_LINES.items():
        if label not in tallies:
            continue
        ratios = paired_ratios(tallies[label], bare)
        line = (f"ratio {label[:3]}/(1), {what + ':':24} {statistics.median(ratios):.2f}"
                f"  (repeats {min(ratios):.2f}-{max(ratios):.2f})")
        if label == SIM_RUN:
            met = statistics.median(ratios) <= AIM
            line += f"  aim <= {AIM}x: {'MET' if met else 'NOT MET'}"
        print(line)
    if CIW in tallies:
        faster = [c / s for c, s in zip(tallies[CIW].us_per_citizen,
                                         tallies[SIM_RUN].us_per_citizen, strict=True)]
        met = statistics.median(faster) >= CIW_AIM
        print(f"ciw / (3): sim run is {statistics.median(faster):.2f}x faster than ciw "
              f"(repeats {min(faster):.2f}-{max(faster):.2f})  aim >= {CIW_AIM}x: "
              f"{'MET' if met else 'NOT MET'}")
    print()
    theory = erlang_c(queue.servers, queue.arrival_rate, queue.service_rate).wait_mean
    print(f"sanity: mean wait in minutes over the repeats (+- 2 s.e.); Erlang C: {theory:.4f}")
    for label, tally in tallies.items():
        wait = statistics.fmean(tally.waits)
        spread = (f" +- {2 * statistics.stdev(tally.waits) / math.sqrt(repeats):.4f}"
                  if repeats > 1 else "")
        print(f"  {label:30} {wait:.4f}{spread}  ({(wait / theory - 1) * 100:+.1f}% vs Erlang C)")


def profile(scenario: Scenario, top: int) -> None:
    """cProfile of one `sim run` replication; callback-heavy code pays extra under it."""
    profiler = cProfile.Profile()
    profiler.enable()
    sim_run_replication(scenario, BASE_SEED)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.mmc", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--citizens", type=int, default=200_000,
                        help="approximate citizens per run (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=5,
                        help="interleaved repeats; medians are reported (default: %(default)s)")
    parser.add_argument("--servers", type=int, default=4,
                        help="counters c (default: %(default)s)")
    parser.add_argument("--load", type=float, default=0.8,
                        help="utilisation lambda / (c mu), below 1 (default: %(default)s)")
    parser.add_argument("--no-experiment", action="store_true",
                        help="skip (4), the whole run_experiment for one replication")
    parser.add_argument("--profile", action="store_true",
                        help="instead of timing, cProfile one replication of (3)")
    parser.add_argument("--top", type=int, default=25,
                        help="functions listed by --profile (default: %(default)s)")
    args = parser.parse_args(argv)
    if not 0 < args.load < 1:
        parser.error("--load must lie strictly between 0 and 1 (a stable queue)")
    if args.citizens < 1 or args.repeats < 1 or args.servers < 1:
        parser.error("--citizens, --repeats and --servers must be positive")

    queue = make_queue(args.citizens, args.servers, args.load)
    scenarios = scenario_from_document(mmc_document(queue), "benchmarks/mmc.py")
    if args.profile:
        profile(scenarios.baseline, args.top)
        return
    chosen = contenders(queue, scenarios, whole_experiment=not args.no_experiment)
    warm_up = make_queue(2_000, args.servers, args.load)  # imports, caches, first-call costs
    measure(contenders(warm_up, scenario_from_document(mmc_document(warm_up), "warm-up"),
                       whole_experiment=not args.no_experiment), 1)
    report(queue, args.load, measure(chosen, args.repeats), args.repeats)


if __name__ == "__main__":
    main()
