"""Measuring a run: CPU and peak memory of the processes, what else the machine did meanwhile,
a timed province run, and the M/M/c yardstick of the cost per citizen.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from benchmarks.commune import SEED
from benchmarks.mmc import make_queue, mmc_document, sim_run_replication
from sim.experiment.executors import Execution
from sim.output.province_run import run_province
from sim.scenario.load import scenario_from_document
from sim.scenario.province.load import ProvinceSet

MB = 1e6


def maxrss_mb(who: int) -> float:
    """Peak resident set of RUSAGE_SELF, or of the largest waited-for child (RUSAGE_CHILDREN)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak * 1024 / MB  # bytes vs KiB


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


class PssSampler:
    """Peak of the summed PSS of this process and its descendants, sampled in a thread.

    Why: getrusage gives each process's own peak, never the processes' peak together, and RSS
    counts a page shared after fork once per process. PSS splits shared pages between their
    sharers, so the sum is what the run occupies. Linux only (`peak_mb` stays None elsewhere);
    a spike shorter than the interval can be missed.
    """

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.peak_mb: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PssSampler:
        if Path("/proc/self/smaps_rollup").is_file():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while True:
            total = sum(_pss_kib(pid) for pid in _family(os.getpid())) * 1024 / MB
            self.peak_mb = max(self.peak_mb or 0.0, total)
            if self._stop.wait(self.interval):
                return


def _family(root: int) -> list[int]:
    """``root`` and every process descended from it, from the parent ids in /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:  # ended meanwhile
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])  # after the (command name)
            children.setdefault(parent, []).append(int(entry.name))
    family, frontier = [root], [root]
    while frontier:
        frontier = [child for pid in frontier for child in children.get(pid, [])]
        family += frontier
    return family


def _pss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in text.splitlines()
                 if line.startswith("Pss:")), 0)


@dataclass
class RunTiming:
    """One run_province call: wall time, when units finished, and what it simulated."""

    units: int
    seconds: float
    citizens: int
    first_unit: float  # seconds from the call to the first unit's result
    last_unit: float  # ... to the last unit's result; the rest is the summaries and the map
    out_mb: float
    cpu: float  # CPU seconds of this process and its reaped workers: contention does not add
    others: float | None  # CPU seconds the rest of the machine used meanwhile


def timed_run(province: ProvinceSet, replications: int, jobs: int, visits: str,
              out: Path, scheduler: str | None = None) -> RunTiming:
    """run_province with its clock, unit by unit; the results folder is removed afterwards."""
    done: list[float] = []
    cpu_before = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN)
    busy_before = machine_busy()
    started = time.perf_counter()
    folder = run_province(province, replications, SEED, out,
                          execution=Execution(jobs=jobs, scheduler=scheduler),
                          visits=visits,
                          on_unit_done=lambda: done.append(time.perf_counter())).folder
    seconds = time.perf_counter() - started
    cpu = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN) - cpu_before
    busy_after = machine_busy()
    others = (None if busy_before is None or busy_after is None
              else busy_after - busy_before - cpu)
    # By chunks of two columns: a country's replications.csv read whole would be this
    # process's peak memory, and the sampler would count it against the run.
    citizens = int(sum(rows.loc[rows["metric"] == "arrived", "value"].sum()
                       for rows in pd.read_csv(folder / "replications.csv",
                                               usecols=["metric", "value"], chunksize=500_000)))
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    shutil.rmtree(folder)
    return RunTiming(len(done), seconds, citizens, done[0] - started, done[-1] - started,
                     size / MB, cpu, others)


def machine_busy() -> float | None:
    """CPU seconds the whole machine has been busy (or stolen by the hypervisor); Linux only."""
    try:
        ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except OSError:
        return None
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # less idle, iowait


def others_share(others: float | None, seconds: float) -> float | None:
    """What other processes took of the machine while we ran: they slow runs and speed-ups."""
    return None if others is None else max(0.0, others) / (seconds * (os.cpu_count() or 1))


def percent(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.0%}"


def mmc_cpu_per_citizen(citizens: int = 60_000, repeats: int = 3) -> float:
    """CPU microseconds per citizen of one `sim run` replication (simulate, metrics, frames)
    of the M/M/c queue of benchmarks.mmc, the median of a few repeats: the yardstick of the
    rich model's cost per citizen."""
    queue = make_queue(citizens, 4, 0.8)
    scenario = scenario_from_document(mmc_document(queue), "mmc.yaml",
                                      options=["baseline"]).baseline
    costs = []
    for repeat in range(repeats):
        started = time.process_time()
        metrics, _ = sim_run_replication(scenario, SEED + repeat)
        costs.append((time.process_time() - started) / metrics["arrived"] * 1e6)
    return statistics.median(costs)


@contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="sim-bench-province-") as folder:
        yield Path(folder)
