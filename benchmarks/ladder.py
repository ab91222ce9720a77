"""Where the rich model's cost per citizen comes from: the province benchmark's commune, built
up a step at a time from an M/M/c queue of the same size.

Run from the repository root:

    .venv/bin/python -m benchmarks.ladder             # 10 replications a step, 5 batches
    .venv/bin/python -m benchmarks.ladder --quick     # 3 replications, 2 batches: checks the script

Each step is a scenario of the commune's calendar and demand (`benchmarks.commune.TEMPLATE`,
28 visitors a day, 22 working days), each adding one part of the model to the step before: one
desk with exponential service and nothing else (an M/M/c queue open in the commune's hours);
then the commune's procedures and desks; incomplete dossiers with returns; patience; guidance;
and the back office with its dossiers, deadlines and targets, which is the whole template. Each
step's cost is what a province run's worker pays for one centre: `write_batch` of its
replications (simulate, metrics, tables, Parquet parts), in CPU microseconds per citizen (the
'arrived' metric), the median over batches. Beside it, the M/M/c yardstick of
`benchmarks.province` (one `sim run` replication of 60,000 citizens) and each step's ratio
to it, and to the first step. The first step tells what the size of a commune's run costs by
itself, before any richness (the aim of 2x is measured against a run a hundred times longer);
the ratio to it, what the richness costs at the same size and on the same path.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from benchmarks.commune import SEED, TEMPLATE
from benchmarks.measuring import mmc_cpu_per_citizen
from benchmarks.province import RICH_AIM
from sim.experiment.plan import METRICS, Batch, Unit, kept_tables, unit_seed
from sim.experiment.store import part_path
from sim.experiment.unit import write_batch
from sim.scenario.load import scenario_from_document

BACK_OFFICE_KEYS = ("back_office", "deadline", "online_share")


def steps() -> list[tuple[str, dict[str, Any]]]:
    """(what the step adds, its scenario document), from the bare queue to the template."""
    full = copy.deepcopy(TEMPLATE)
    without_back_office = copy.deepcopy(full)
    for key in ("back_office", "backlog", "targets"):
        without_back_office.pop(key)
    for procedure in without_back_office["procedures"]:
        for key in BACK_OFFICE_KEYS:
            procedure.pop(key, None)
    without_guidance = copy.deepcopy(without_back_office)
    without_guidance.pop("guidance")
    for procedure in without_guidance["procedures"]:
        procedure.pop("guidance", None)
    without_patience = copy.deepcopy(without_guidance)
    without_patience.pop("patience")
    procedures_only = copy.deepcopy(without_patience)
    for key in ("return_probability", "max_trips"):
        procedures_only.pop(key)
    for procedure in procedures_only["procedures"]:
        procedure["incomplete"] = 0
    queue = {key: copy.deepcopy(full[key]) for key in ("name", "calendar", "arrivals")}
    queue["procedures"] = [{"id": "any", "name": "Any procedure", "share": 1.0,
                            "desk": "general", "service": {"dist": "exponential", "mean": 11}}]
    queue["desks"] = {"general": {"counters": 3}}
    return [("an M/M/c queue: one desk, exponential service", queue),
            ("+ the commune's procedures and desks", procedures_only),
            ("+ incomplete dossiers and returns", without_patience),
            ("+ patience", without_guidance),
            ("+ guidance", without_back_office),
            ("+ the back office (the whole template)", full)]


def cost_per_citizen(document: dict[str, Any], replications: int, batches: int,
                     work: Path) -> float:
    """CPU microseconds per citizen of `write_batch` of the scenario's replications."""
    scenario = scenario_from_document(document, "step.yaml", options=["baseline"]).baseline
    costs = []
    for attempt in range(batches):
        batch = Batch(tuple(
            Unit(scenario, "baseline", replication, unit_seed(SEED + attempt, replication, "c"),
                 "c", 0, kept_tables("sample", replication))
            for replication in range(replications)))
        staging = work / f"batch{attempt}"
        started = time.process_time()
        write_batch(batch, str(staging))
        seconds = time.process_time() - started
        metrics = pq.read_table(part_path(staging, METRICS, batch.name)).to_pandas()
        citizens = metrics.loc[metrics["metric"] == "arrived", "value"].sum()
        costs.append(seconds / citizens * 1e6)
    return statistics.median(costs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ladder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replications", type=int, default=None,
                        help="replications in a batch (default 10, 3 with --quick)")
    parser.add_argument("--batches", type=int, default=None,
                        help="batches timed per step (default 5, 2 with --quick)")
    parser.add_argument("--quick", action="store_true", help="a small run to check the script")
    args = parser.parse_args(argv)
    replications = args.replications or (3 if args.quick else 10)
    batches = args.batches or (2 if args.quick else 5)
    yardstick = mmc_cpu_per_citizen(citizens=10_000 if args.quick else 60_000)
    print(f"== the commune built up a step at a time: write_batch of {replications} "
          f"replications, median of {batches} batches ==")
    print(f"yardstick: one `sim run` replication of an M/M/c queue, {yardstick:.1f} us of CPU "
          f"per citizen (aim: each commune within {RICH_AIM:g}x)")
    print(f"{'step':48} {'us/citizen':>10} {'x M/M/c':>8} {'x step 1':>9}")
    first = None
    with tempfile.TemporaryDirectory(prefix="sim-bench-ladder-") as folder:
        for number, (label, document) in enumerate(steps()):
            cost = cost_per_citizen(document, replications, batches, Path(folder) / str(number))
            first = first or cost
            print(f"{label:48} {cost:10.1f} {cost / yardstick:8.2f} {cost / first:9.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
